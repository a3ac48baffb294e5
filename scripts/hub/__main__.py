"""``make hub`` / ``python -m scripts.hub``: a class's JupyterHub on this machine, until Ctrl-C.

Prints the hub's address, the workshop password and the nbgitpuller link of every lab. The course is
pulled from ``--repo`` and ``--branch``: by default the **student repository** of _config.yml's
``student_edition`` (a graded class must never pull the instructor's repository, whose main branch holds
the solutions). A lab PC without internet gives a ``file://`` path of the student repository that
``make student-repo`` wrote: ``--repo file://$PWD/_build/student/repository``.

Usage::

    .venv/bin/python -m scripts.hub [--port 8000] [--ip 127.0.0.1] [--password WORD] [--state DIR]
                                    [--repo URL] [--branch BRANCH]
"""

from __future__ import annotations

import argparse
import signal
import sys
import time
from pathlib import Path

from scripts.editions import EditionError, student_repository
from scripts.hub import CACHE, ROOT, Hub, HubError, lab_notebooks, nbgitpuller_link


def pull_source(repo: str | None = None, branch: str | None = None) -> tuple[str, str]:
    """(repository, branch) the links pull: the given ones, else the student repository of ``_config.yml``.

    Examples
    --------
    >>> pull_source("file:///srv/course.git", "main")
    ('file:///srv/course.git', 'main')
    >>> pull_source()[0].endswith("-student")
    True
    """
    default_repo, default_branch = student_repository(ROOT)
    return repo or default_repo, branch or default_branch


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m scripts.hub", description=__doc__,
                                     formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--ip", default="127.0.0.1", help="0.0.0.0 lets a classroom's machines connect")
    parser.add_argument("--password", default=None, help="the workshop password (default: a random one)")
    parser.add_argument("--state", type=Path, default=CACHE / "hub", help="database, log, students' homes")
    parser.add_argument("--repo", default=None, help="the repository to pull (default: the student repository, "
                        "_config.yml's student_edition)")
    parser.add_argument("--branch", default=None, help="its branch (default: the student repository's)")
    args = parser.parse_args(argv)
    try:
        repo, branch = pull_source(args.repo, args.branch)
        default = pull_source()
    except (EditionError, ValueError) as why:
        parser.error(str(why))
    try:
        hub = Hub(args.state, port=args.port, password=args.password, ip=args.ip)
    except ValueError as why:   # a short password
        parser.error(str(why))
    try:
        hub.start()
    except HubError as why:
        print(f"hub: {why}", file=sys.stderr)
        return 1
    try:
        print(f"\nJupyterHub for the class: {hub.url}  (log: {hub.log_path})")
        print(f"Students log in with any name and the password: {hub.password}")
        print(f"Homes: {hub.homes}; shared atlas store: {hub.store}\n")
        edition = "the student repository" if (repo, branch) == default else "--repo/--branch"
        print(f"nbgitpuller links, one per lab; they pull {repo} ({branch}): {edition}")
        for notebook in lab_notebooks():
            print(f"  {notebook}\n    {nbgitpuller_link(hub.url, repo, branch, notebook)}")
        print("\nCtrl-C stops the hub and every student's server.")
        signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt))
        while hub.process.poll() is None:
            time.sleep(1)
        print(f"hub: JupyterHub stopped (exit {hub.process.returncode}):\n{hub.log_tail()}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        return 0
    finally:
        hub.stop()


if __name__ == "__main__":
    sys.exit(main())
