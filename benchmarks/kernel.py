"""Benchmark: what a student's kernel pays - wall time and peak memory, each from fresh processes.

Prints figures (not a test). Each case runs in a new Python process, ``--repeat`` times (the
median is printed); times are also given as a ratio to the floor, ``import nilearn.plotting``,
measured in the same run, because the machine is shared and noisy.

Goals (issue 10): first figure <= 400 MB and <= 1.3 x the floor; explorer's first draw <= 450 MB
and <= 1.5 x the floor; any lab notebook run top to bottom <= 600 MB peak. The resting-state lab
(issue 23): its first figure <= 1.5 x the floor, the whole notebook <= 450 MB peak, every seed change
of its explorer < 0.5 s.

Issue 30 (a class of 40 on one machine): every lab's kernel <= 350 MB at its peak (VmHWM, as the hub's
``scripts/hub/students.py`` reads it), in a fresh ipykernel with the inline backend and the shared store,
with the students' server environment (``scripts.hub.singleuser.server_environment()``: glibc malloc).
``--labs`` prints that table (and the figures each lab drew, so that none is lost); ``--breakdown``
adds where each lab's memory goes: the kernel's start, each import (in fresh interpreters, in the
order the package needs them) and each cell's growth and transient peak (the peak is reset before
every cell through ``/proc/self/clear_refs``).

Usage::

    .venv/bin/python benchmarks/kernel.py               # the four one-liners, then every lab notebook (or -m)
    .venv/bin/python -m benchmarks.kernel --no-notebooks
    .venv/bin/python -m benchmarks.kernel --cold        # also: the first run on a machine (empty atlas store)
    .venv/bin/python -m benchmarks.kernel --labs        # only the labs' kernel peaks (issue 30), per cell with
    .venv/bin/python -m benchmarks.kernel --labs --breakdown   # the imports' and cells' shares
"""

from __future__ import annotations

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if not __package__:  # run by path (python benchmarks/kernel.py): the project's root holds the scripts package
    sys.path.insert(0, str(ROOT))

from scripts.execute_parallel import _ipc_kernel_manager  # noqa: E402  (the build's IPC kernels)

# What a notebook does to show a static figure: the inline backend renders it to PNG.
_SHOW = "import io, matplotlib.pyplot as plt; plt.gcf().savefig(io.BytesIO(), format='png')"
CASES = {
    "import nilearn.plotting (floor)": "import nilearn.plotting",
    "import therapybrain as tb": "import therapybrain as tb",
    "first figure": f"import therapybrain as tb; tb.plot_region('hippocampus'); {_SHOW}",
    "explorer first draw": (
        "import therapybrain as tb; "
        "e = tb.region_explorer(['hippocampus', 'amygdala'], network='default_mode')"
    ),
    # the resting-state lab's first figure: one vertex's time series (the cleaned run from the cache)
    "resting lab first figure": (
        "import therapybrain as tb; "
        "tb.resting.plot_timeseries(vertex=tb.resting.nearest_vertex(tb.region_centroid('pcc', 'left'))); "
        f"{_SHOW}"
    ),
    "resting seed map (nilearn, 4 views)": f"import therapybrain as tb; tb.plot_seed_map('pcc'); {_SHOW}",
    "resting seed explorer first draw": "import therapybrain as tb; e = tb.seed_explorer('pcc')",
}
FLOOR = "import nilearn.plotting (floor)"
GOALS_MB = {"first figure": 400, "explorer first draw": 450, "resting lab first figure": 450}
GOALS_RATIO = {"first figure": 1.3, "explorer first draw": 1.5, "resting lab first figure": 1.5}
NOTEBOOK_GOALS_MB = {"chapters/03-therapies/resting-state-lab.ipynb": 450}
# Every seed of the resting-state explorer in turn, twice, each with and without the global signal.
SEED_CHANGES = (
    "import time, sys, therapybrain as tb\n"
    "e = tb.seed_explorer('pcc'); times = []\n"
    "for gs in (False, True, False):\n"
    "    e.global_signal.value = gs\n"
    "    for seed in ('mpfc', 'motor', 'visual', 'pcc'):\n"
    "        t = time.perf_counter(); e.seed.value = seed; times.append(time.perf_counter() - t)\n"
    "print('SEED_CHANGES', max(times), sorted(times)[len(times) // 2], file=sys.stderr)"
)
# The process's own peak (VmHWM): ru_maxrss would also count the parent's memory at fork/exec on Linux.
PEAK_KB = (
    "import resource, sys, os\n"
    "def peak_kb():\n"
    "    if os.path.exists('/proc/self/status'):\n"
    "        return next(int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM'))\n"
    "    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss // (1024 if sys.platform == 'darwin' else 1)\n"
)
_PEAK = PEAK_KB + "print('PEAK_KB', peak_kb(), file=sys.stderr)"


def run_case(code: str, env: dict[str, str]) -> tuple[float, float]:
    """Run ``code`` in a fresh interpreter; return (wall seconds, peak RSS in MB)."""
    start = time.perf_counter()
    done = subprocess.run(
        [sys.executable, "-c", f"import matplotlib; matplotlib.use('Agg')\n{code}\n{_PEAK}"],
        capture_output=True, text=True, env=env, cwd=ROOT, check=False,
    )
    wall = time.perf_counter() - start
    if done.returncode:
        raise RuntimeError(f"case failed:\n{code}\n{done.stderr[-2000:]}")
    peak_kb = next(int(line.split()[1]) for line in done.stderr.splitlines() if line.startswith("PEAK_KB"))
    return wall, peak_kb / 1024


def seed_change_seconds(env: dict[str, str]) -> tuple[float, float]:
    """The resting-state explorer's seed changes in a fresh process: (slowest, median) seconds."""
    done = subprocess.run([sys.executable, "-c", f"import matplotlib; matplotlib.use('Agg')\n{SEED_CHANGES}"],
                          capture_output=True, text=True, env=env, cwd=ROOT, check=False)
    if done.returncode:
        raise RuntimeError(f"seed changes failed:\n{done.stderr[-2000:]}")
    line = next(line for line in done.stderr.splitlines() if line.startswith("SEED_CHANGES"))
    slowest, median = map(float, line.split()[1:])
    return slowest, median


def notebook_peak(path: Path, env: dict[str, str]) -> tuple[float, float]:
    """Run a notebook top to bottom in a fresh kernel; return (seconds, the kernel's peak RSS in MB)."""
    import nbformat
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    nb.cells.append(nbformat.v4.new_code_cell(PEAK_KB + "print(peak_kb())"))
    old = dict(os.environ)
    os.environ.update(env)
    try:
        start = time.perf_counter()
        # the build's kernels: ZeroMQ over Unix domain sockets (no "running over TCP" warning per notebook)
        NotebookClient(nb, timeout=900, kernel_name="python3", kernel_manager_class=_ipc_kernel_manager(),
                       resources={"metadata": {"path": str(path.parent)}}).execute()
        seconds = time.perf_counter() - start
    finally:
        os.environ.clear()
        os.environ.update(old)
    text = "".join(out.get("text", "") for out in nb.cells[-1].outputs)
    return seconds, int(text.split()[-1]) / 1024


def lab_notebooks() -> list[Path]:
    return sorted(ROOT.glob("chapters/*/*.ipynb"))


LAB_GOAL_MB = 350  # issue 30: every lab's kernel at its peak
# Read the kernel's resident memory and its peak since the last reset, then reset the peak (Linux).
_CELL_MEMORY = (
    "_tb_s = {l.split(':')[0]: int(l.split()[1]) for l in open('/proc/self/status') if l[:5] in ('VmRSS', 'VmHWM')}\n"
    "open('/proc/self/clear_refs', 'w').write('5')\n"
    "print('TB_MEMORY', _tb_s['VmRSS'], _tb_s['VmHWM']); del _tb_s"
)
# The imports of a lab's kernel, in the order the package needs them (each measured after the ones before).
IMPORTS = ("ipykernel.ipkernel", "numpy", "scipy.ndimage", "pandas", "matplotlib.pyplot", "nibabel", "sklearn",
           "nilearn.image", "nilearn.plotting", "ipywidgets", "skimage.measure", "therapybrain")


def lab_profile(path: Path, env: dict[str, str]) -> dict:
    """Run a lab's code cells in a fresh ipykernel (inline backend, as the hub's kernels); return its peak,
    the figures (PNG outputs) it drew, and each cell's resident memory after it and peak during it (MB)."""
    import nbformat
    from jupyter_client import KernelManager

    nb = nbformat.read(path, as_version=4)
    with tempfile.TemporaryDirectory() as ipc:
        manager = KernelManager(kernel_name="python3", transport="ipc", ip=os.path.join(ipc, "kernel"))
        manager.start_kernel(env=env, cwd=str(path.parent))
        client = manager.client()
        client.start_channels()
        try:
            client.wait_for_ready(120)

            def run(code: str) -> tuple[str, int, str | None]:
                out = {"text": "", "png": 0, "error": None}

                def hook(msg: dict) -> None:
                    kind, content = msg["msg_type"], msg["content"]
                    if kind == "stream":
                        out["text"] += content["text"]
                    elif kind in ("display_data", "execute_result") and "image/png" in content.get("data", {}):
                        out["png"] += 1
                    elif kind == "error":
                        out["error"] = f"{content['ename']}: {content['evalue']}"

                client.execute_interactive(code, output_hook=hook, timeout=900)
                return out["text"], out["png"], out["error"]

            def memory() -> tuple[float, float]:
                rss, peak = run(_CELL_MEMORY)[0].split("TB_MEMORY")[-1].split()[:2]
                return int(rss) / 1024, int(peak) / 1024

            cells = [("(kernel started)", *memory(), 0)]
            for cell in nb.cells:
                if cell.cell_type != "code":
                    continue
                _, png, error = run(cell.source)
                if error:
                    raise RuntimeError(f"{path.name}: {error}")
                cells.append((cell.source.strip().splitlines()[0], *memory(), png))
        finally:
            client.stop_channels()
            manager.shutdown_kernel(now=True)
    return {"peak_mb": max(c[2] for c in cells), "figures": sum(c[3] for c in cells), "cells": cells}


def import_shares(env: dict[str, str]) -> list[tuple[str, float]]:
    """Each import's share of the resident memory (MB), in a fresh interpreter, after the ones before it."""
    code = ("import importlib, sys\n"
            "rss = lambda: next(int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmRSS'))\n"
            "print('start', rss())\n"
            f"for name in {IMPORTS!r}:\n"
            "    importlib.import_module(name); print(name, rss())\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, cwd=ROOT, check=True)
    rows, before = [], None
    for line in done.stdout.splitlines():
        name, kb = line.split()
        if before is not None:
            rows.append((name, (int(kb) - before) / 1024))
        else:
            rows.append(("python itself", int(kb) / 1024))
        before = int(kb)
    return rows


def print_labs(env: dict[str, str], breakdown: bool) -> None:
    """The labs' kernel peaks (issue 30), and with ``breakdown`` where the memory goes."""
    from scripts.hub import lab_notebooks as hub_labs
    from scripts.hub.singleuser import server_environment

    env = dict(env, **server_environment())
    if breakdown:
        print(f"{'import (fresh interpreter, in this order)':44s} {'RSS +':>8s}")
        for name, mb in import_shares(env):
            print(f"{name:44s} {mb:6.0f} MB")
        print()
    print(f"{'lab (fresh kernel, the hub environment)':52s} {'peak':>7s} {'figures':>8s}   goal <= {LAB_GOAL_MB} MB")
    rows = {}
    for name in hub_labs():
        profile = lab_profile(ROOT / name, env)
        rows[name] = {"peak_mb": round(profile["peak_mb"]), "figures": profile["figures"]}
        met = "" if profile["peak_mb"] <= LAB_GOAL_MB else "   > goal"
        print(f"{name:52s} {profile['peak_mb']:5.0f} MB {profile['figures']:8d}{met}")
        if breakdown:
            previous = 0.0
            for source, rss, peak, png in profile["cells"]:
                print(f"    {source[:56]:56s} RSS {rss:4.0f} MB (+{rss - previous:3.0f})  peak {peak:4.0f} MB"
                      f"{'  [figure]' * png}")
                previous = rss
    worst = max(r["peak_mb"] for r in rows.values())
    print(f"{'worst lab':52s} {worst:5.0f} MB")
    print(json.dumps(rows), file=sys.stderr)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--no-notebooks", action="store_true")
    parser.add_argument("--cold", action="store_true", help="also time a first run with an empty atlas store")
    parser.add_argument("--labs", action="store_true", help="only the labs' kernel peaks (issue 30)")
    parser.add_argument("--breakdown", action="store_true", help="with --labs: the imports' and cells' shares")
    args = parser.parse_args()
    env = dict(os.environ, PYTHONWARNINGS="ignore")
    if args.labs:
        print_labs(env, args.breakdown)
        return

    # Warm the atlas store and the cleaned resting-state run (built once per machine) so that the warm
    # figures are what a student sees.
    run_case(CASES["explorer first draw"], env)
    run_case(CASES["resting lab first figure"], env)
    # Rounds of every case in turn, so that a slow spell of the shared machine hits all cases alike.
    runs: dict[str, list[tuple[float, float]]] = {name: [] for name in CASES}
    for _ in range(args.repeat):
        for name, code in CASES.items():
            runs[name].append(run_case(code, env))
    results = {name: (statistics.median(r[0] for r in rs), max(r[1] for r in rs)) for name, rs in runs.items()}
    floors = [wall for wall, _ in runs[FLOOR]]
    floor = results[FLOOR][0]
    # Each case's ratio is taken within its round (the floor measured moments before), then the median
    # over the rounds: a slow spell of the machine then slows numerator and denominator alike.
    ratios = {name: statistics.median(w / f for (w, _), f in zip(rs, floors)) for name, rs in runs.items()}
    print(f"{'case':34s} {'wall':>7s} {'x floor':>8s} {'peak RSS':>9s}   goal")
    for name, (wall, peak) in results.items():
        goal = ""
        if name in GOALS_MB:
            met = peak <= GOALS_MB[name] and ratios[name] <= GOALS_RATIO[name]
            goal = f"<= {GOALS_MB[name]} MB, <= {GOALS_RATIO[name]} x floor{'' if met else '   > goal'}"
        print(f"{name:34s} {wall:6.2f}s {ratios[name]:7.2f}x {peak:7.0f} MB   {goal}")
    print(f"({args.repeat} rounds; wall: median; x floor: median of each round's ratio; peak RSS: the largest)")
    slowest, median = seed_change_seconds(env)
    print(f"{'resting explorer: a seed change':34s} {median:6.3f}s median, {slowest:.3f}s slowest of 12"
          f"   goal < 0.5 s{'' if slowest < 0.5 else '   > goal'}")

    if args.cold:
        with tempfile.TemporaryDirectory() as empty:
            wall, peak = run_case(CASES["first figure"], dict(env, THERAPYBRAIN_CACHE=empty))
        print(f"{'first figure, empty atlas store':34s} {wall:6.2f}s {wall / floor:7.2f}x {peak:7.0f} MB"
              "   (once per machine; Binder builds the store in postBuild)")

    if not args.no_notebooks:
        print(f"\n{'notebook (fresh kernel, top to bottom)':48s} {'time':>7s} {'peak RSS':>9s}   goal <= 600 MB")
        rows = {}
        for path in lab_notebooks():
            seconds, peak = notebook_peak(path, env)
            name = str(path.relative_to(ROOT))
            rows[name] = {"seconds": round(seconds, 1), "peak_mb": round(peak)}
            goal = NOTEBOOK_GOALS_MB.get(name)
            note = "" if goal is None else f"   goal <= {goal} MB{'' if peak <= goal else '   > goal'}"
            print(f"{name:48s} {seconds:6.1f}s {peak:7.0f} MB{note}")
        worst = max(r["peak_mb"] for r in rows.values())
        print(f"{'worst notebook':48s} {'':7s} {worst:7.0f} MB")
        print(json.dumps(rows), file=sys.stderr)


if __name__ == "__main__":
    main()
