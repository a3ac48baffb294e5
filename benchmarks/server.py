"""Benchmark: a student's idle server - its resident memory after the first page load, with no kernel.

Prints figures (not a test). Starts ``jupyter lab`` standalone, as the hub starts a student's server
(``jupyterhub-singleuser`` is JupyterLab's server behind the hub's login): the hub's options
(``scripts/hub/jupyterhub_config.py``: no news, no update check) and, for "student", the lighter
server's (``scripts.hub.singleuser.server_args()`` and ``server_environment()``). It loads JupyterLab's
page and what the page asks for first (settings, kernel specs, the home folder's contents), waits for
the server to settle, then reads the process's memory: RSS (what ``benchmarks/hub.py`` reports as
``idle_server_mb``), USS (its own pages) and PSS (shared pages divided among the processes sharing them).

Goal (issue 30): an idle student's server <= 100 MB RSS.

Usage::

    .venv/bin/python -m benchmarks.server            # "as before" (the hub's options only) and "student"
    .venv/bin/python -m benchmarks.server --repeat 3
"""

from __future__ import annotations

import argparse
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

import psutil

ROOT = Path(__file__).resolve().parents[1]
if not __package__:  # run by path: the project's root holds the scripts package
    sys.path.insert(0, str(ROOT))

from scripts.hub.singleuser import server_args, server_environment  # noqa: E402

GOAL_MB = 100
MB = 1024 * 1024
# The hub's own options for every student's server (scripts/hub/jupyterhub_config.py: c.Spawner.args).
HUB_ARGS = ["--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate"]
# What JupyterLab's page asks for as it opens (a student's first look).
FIRST_REQUESTS = ["/lab", "/lab/api/settings", "/api/kernelspecs", "/api/contents?content=1", "/api/sessions",
                  "/api/kernels", "/lab/api/translations", "/api/me"]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def idle_server(extra_args: list[str], extra_env: dict[str, str], settle_s: float = 5.0) -> dict[str, float]:
    """Start a server with these options, load its first page, wait ``settle_s``; return its memory in MB."""
    port, token = _free_port(), uuid.uuid4().hex
    with tempfile.TemporaryDirectory() as home:
        Path(home, "notes.ipynb").write_text('{"cells": [], "metadata": {}, "nbformat": 4, "nbformat_minor": 5}')
        env = dict(os.environ, HOME=home, JUPYTER_RUNTIME_DIR=str(Path(home, "runtime")), **extra_env)
        env.pop("JUPYTER_CONFIG_DIR", None)
        command = [str(Path(sys.executable).with_name("jupyter")), "lab", "--no-browser", f"--port={port}",
                   "--ServerApp.ip=127.0.0.1", f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={home}",
                   *HUB_ARGS, *extra_args]
        if os.geteuid() == 0:
            command.append("--ServerApp.allow_root=True")  # as the hub does on a lab PC or container
        server = subprocess.Popen(command, env=env, cwd=home, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        try:
            deadline = time.monotonic() + 120
            while True:
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}/api/status?token={token}", timeout=5).read()
                    break
                except OSError:
                    if server.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError(
                            f"the server did not start:\n{server.stderr.read().decode()[-2000:]}") from None
                    time.sleep(0.2)
            for path in FIRST_REQUESTS:
                sep = "&" if "?" in path else "?"
                try:
                    urllib.request.urlopen(f"http://127.0.0.1:{port}{path}{sep}token={token}", timeout=60).read()
                except OSError:
                    pass  # a route a disabled extension served: the page does without it
            time.sleep(settle_s)
            proc = psutil.Process(server.pid)
            info = proc.memory_full_info()
            peak_kb = next(int(line.split()[1]) for line in open(f"/proc/{server.pid}/status")
                           if line.startswith("VmHWM"))
            return {"rss": info.rss / MB, "uss": info.uss / MB, "pss": info.pss / MB, "peak": peak_kb / 1024,
                    "children": len(proc.children(recursive=True))}
        finally:
            server.terminate()
            try:
                server.wait(30)
            except subprocess.TimeoutExpired:
                server.kill()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=2)
    args = parser.parse_args()
    cases = {"as before (the hub's options)": ([], {}),
             "student (singleuser.server_args)": (server_args(), server_environment())}
    print(f"{'idle server, after its first page load':40s} {'RSS':>7s} {'USS':>7s} {'PSS':>7s} {'peak':>7s}   "
          f"goal <= {GOAL_MB} MB RSS")
    for name, (extra_args, extra_env) in cases.items():
        runs = [idle_server(extra_args, extra_env) for _ in range(args.repeat)]
        m = {key: statistics.median(r[key] for r in runs) for key in ("rss", "uss", "pss", "peak")}
        met = "" if m["rss"] <= GOAL_MB else "   > goal"
        print(f"{name:40s} {m['rss']:5.0f} MB {m['uss']:5.0f} MB {m['pss']:5.0f} MB {m['peak']:5.0f} MB{met}")
    print(f"({args.repeat} runs each, median; RSS as benchmarks/hub.py's idle_server_mb reads it)")


if __name__ == "__main__":
    main()
