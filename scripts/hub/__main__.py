"""``make hub`` / ``python -m scripts.hub``: a class's JupyterHub on this machine.

Prints how students are kept apart (run as root: a system user each, with memory and CPU limits; else a
workshop hub), the hub's address, how students log in (the workshop password, or the learning
platform's LTI 1.3 launch with ``--lti settings.json``) and the nbgitpuller link of every lab.

Ctrl-C (or SIGTERM) stops the hub alone: the proxy and the students' servers, kernels and files keep
running, and running ``make hub`` again with the same ``--state`` resumes them (an upgrade, a restart).
``--stop`` ends the class: every student's server and kernel, the proxy and the hub. The course is
pulled from ``--repo`` and ``--branch``: by default the **student repository** of _config.yml's
``student_edition`` (a graded class must never pull the instructor's repository, whose main branch holds
the solutions). A lab PC without internet gives a ``file://`` path of the student repository that
``make student-repo`` wrote: ``--repo file://$PWD/_build/student/repository``.

Usage::

    .venv/bin/python -m scripts.hub [--port 8000] [--ip 127.0.0.1] [--password WORD] [--state DIR]
                                    [--repo URL] [--branch BRANCH] [--lti lti.json] [--homes DIR]
                                    [--memory MB] [--cpu CORES] [--stop]
"""

from __future__ import annotations

import argparse
import json
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
    parser.add_argument("--lti", type=Path, default=None, help="a JSON file of the learning platform's LTI 1.3 "
                        "settings (chapters/instructor/lti.md): students log in from Canvas or Moodle")
    parser.add_argument("--homes", type=Path, default=None, help="the students' homes (default: STATE/homes)")
    parser.add_argument("--memory", type=int, default=1200, help="each student's memory limit, MB (run as root)")
    parser.add_argument("--cpu", type=float, default=1.0, help="each student's cores at most (run as root)")
    parser.add_argument("--stop", action="store_true", help="end the class of --state: every student's server "
                        "and kernel, the proxy and the hub")
    args = parser.parse_args(argv)
    if args.stop:
        Hub(args.state).stop()
        print(f"hub: the class of {args.state} is stopped (the students' homes are kept)")
        return 0
    lti = None
    if args.lti is not None:
        from scripts.hub.lti import check_settings

        try:
            lti = check_settings(json.loads(args.lti.read_text()))
        except (OSError, ValueError) as why:   # LTISettingsError and bad JSON are ValueErrors
            parser.error(f"--lti {args.lti}: {why}")
    try:
        repo, branch = pull_source(args.repo, args.branch)
        default = pull_source()
    except (EditionError, ValueError) as why:
        parser.error(str(why))
    try:
        hub = Hub(args.state, port=args.port, password=args.password, ip=args.ip, lti=lti, homes=args.homes,
                  memory_mb=args.memory, cpu=args.cpu, cpu_guarantee=min(0.5, args.cpu),
                  local_repos=(repo,) if repo.startswith("file:///") else ())
    except ValueError as why:   # a short password, a bad limit
        parser.error(str(why))
    try:
        hub.start()
    except HubError as why:
        print(f"hub: {why}", file=sys.stderr)
        return 1
    try:
        print(f"\nJupyterHub for the class: {hub.url}  (log: {hub.log_path})")
        print(hub.mode)
        if lti:
            from scripts.hub.lti import launch_target, tool_urls

            print("Students log in from the learning platform (LTI 1.3); the tool's addresses:")
            for name, url in tool_urls(hub.url).items():
                print(f"  {name}: {url}")
        else:
            print(f"Students log in with any name and the password: {hub.password}")
        print(f"Homes: {hub.homes}; shared atlas store: {hub.store}\n")
        edition = "the student repository" if (repo, branch) == default else "--repo/--branch"
        print(f"nbgitpuller links, one per lab; they pull {repo} ({branch}): {edition}")
        for notebook in lab_notebooks():
            link = nbgitpuller_link(hub.url, repo, branch, notebook)
            print(f"  {notebook}\n    {launch_target(link) if lti else link}")
        print("\nCtrl-C stops the hub alone: students keep their servers, kernels and files, and running this "
              f"again resumes them. The class ends with: python -m scripts.hub --stop --state {args.state}")
        signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt))
        while hub.process.poll() is None:
            time.sleep(1)
        print(f"hub: JupyterHub stopped (exit {hub.process.returncode}):\n{hub.log_tail()}", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        hub.pause()
        print("\nhub: stopped; the proxy and the students' servers run on (--stop ends them)")
        return 0


if __name__ == "__main__":
    sys.exit(main())
