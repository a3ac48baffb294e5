"""``make hub`` / ``python -m scripts.hub``: a class's JupyterHub on this machine, until Ctrl-C.

Prints the hub's address, the workshop password and the nbgitpuller link of every lab. The course is
pulled from ``--repo`` (default: the address in _config.yml; a lab PC without internet can give a
``file://`` clone, e.g. ``git clone --bare . /srv/psychotherapy-brain.git``).

Usage::

    .venv/bin/python -m scripts.hub [--port 8000] [--ip 127.0.0.1] [--password WORD] [--state DIR]
                                    [--repo URL] [--branch main]
"""

from __future__ import annotations

import argparse
import signal
import sys
import time
from pathlib import Path

import yaml

from scripts.hub import CACHE, ROOT, Hub, HubError, lab_notebooks, nbgitpuller_link


def default_repo() -> str:
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    return config.get("repository", {}).get("url", "")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--port", type=int, default=8000)
    parser.add_argument("--ip", default="127.0.0.1", help="0.0.0.0 lets a classroom's machines connect")
    parser.add_argument("--password", default=None, help="the workshop password (default: a random one)")
    parser.add_argument("--state", type=Path, default=CACHE / "hub", help="database, log, students' homes")
    parser.add_argument("--repo", default=None, help="the course repository to pull (default: _config.yml's)")
    parser.add_argument("--branch", default="main")
    args = parser.parse_args(argv)
    repo = args.repo or default_repo()
    if not repo:
        parser.error("no --repo and no repository.url in _config.yml")
    hub = Hub(args.state, port=args.port, password=args.password, ip=args.ip)
    try:
        hub.start()
    except HubError as why:
        print(f"hub: {why}", file=sys.stderr)
        return 1
    try:
        print(f"\nJupyterHub for the class: {hub.url}  (log: {hub.log_path})")
        print(f"Students log in with any name and the password: {hub.password}")
        print(f"Homes: {hub.homes}; shared atlas store: {hub.store}\n")
        print("nbgitpuller links, one per lab:")
        for notebook in lab_notebooks():
            print(f"  {notebook}\n    {nbgitpuller_link(hub.url, repo, args.branch, notebook)}")
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
