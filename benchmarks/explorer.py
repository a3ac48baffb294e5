"""Benchmark: how fast the region explorer responds to each kind of change (prints figures; not a test).

Every change a student can make is timed: regions, network, hemisphere, view, a slider, the
"Go to" box, in the slices view and in the glass view. The machine may be shared and noisy, so
each figure is also printed as a ratio to a *floor* measured in the same run, between the changes:
the cheapest picture the explorer could show (an empty 7.6 x 3.2 in figure saved as a PNG).
Goal (issue 10): every change <= 0.3 s median and <= 0.6 s worst.

The 3-D view's first draw (the explorer's "3d" view, ``tb.view_3d``) is also measured on its own, in
fresh processes: the time of the first view after ``import therapybrain`` (meshes, plotly.js, page) and
the process's peak memory. ``--compare DIR`` measures another checkout of the repository (for example
``git worktree add /tmp/before main``) in the same run, so that before and after are compared under
the same load (issue 21).

Usage: .venv/bin/python -m benchmarks.explorer [--repeat N] [--compare DIR]
"""

import argparse
import io
import json
import os
import statistics
import subprocess
import sys
import time
import warnings
from pathlib import Path

import matplotlib

matplotlib.use("Agg")
warnings.simplefilter("ignore")


def _floor() -> float:
    """Time of the cheapest picture: an empty figure of the explorer's size saved as a PNG."""
    import matplotlib.pyplot as plt

    t = time.perf_counter()
    figure = plt.figure(figsize=(7.6, 3.2))
    figure.add_subplot().plot([0, 1], [0, 1])
    figure.savefig(io.BytesIO(), format="png", dpi=72)
    plt.close(figure)
    return time.perf_counter() - t


def _changes(explorer, repeat: int) -> dict[str, list]:
    def set_(control, value):
        return lambda: setattr(control, "value", value)

    def in_view(view, actions):
        return [set_(explorer.view, view)], actions

    points = [(-25, -22, -14), (0, 40, 0), (40, -60, 30), (-4, -50, 30)]
    typed = ["-25, -22, -14", "24 -4 -19", "(-38, 20, 42)", "2, 44, -10"]
    regions = [("pcc",), ("pcc", "precuneus"), ("acc", "insula", "dlpfc"), ("hippocampus", "amygdala")]
    networks = ["salience", None, "frontoparietal", "default_mode"]
    hemispheres = ["left", "right", "both"]
    sliders = [set_(s, v) for s, v in [(explorer.x, -30), (explorer.y, 10), (explorer.z, 20), (explorer.x, 12)]]
    return {
        # name: (actions that set the stage, untimed), (timed actions)
        "regions": in_view("slices", [set_(explorer.regions, r) for r in regions] * repeat),
        "network": in_view("slices", [set_(explorer.network, n) for n in networks] * repeat),
        "hemisphere": in_view("slices", [set_(explorer.hemisphere, h) for h in hemispheres] * repeat),
        "slider": in_view("slices", sliders * repeat),
        "go-to": in_view("slices", [set_(explorer.goto, t) for t in typed] * repeat),
        "view": ([], [set_(explorer.view, v) for v in ("glass", "slices", "3d", "slices")] * repeat),
        "glass: regions": in_view("glass", [set_(explorer.regions, r) for r in regions] * repeat),
        "glass: network": in_view("glass", [set_(explorer.network, n) for n in networks] * repeat),
        "glass: hemisphere": in_view("glass", [set_(explorer.hemisphere, h) for h in hemispheres] * repeat),
        "glass: slider": in_view("glass", sliders * repeat),
        "glass: go-to": in_view("glass", [set_(explorer.goto, t) for t in typed] * repeat),
        "glass: move": in_view("glass", [lambda p=p: explorer.move_to(p) for p in points] * repeat),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=2, help="how many times each list of changes runs")
    parser.add_argument("--compare", type=Path, default=None, help="also measure the 3-D view of this checkout")
    args = parser.parse_args()

    start = time.perf_counter()
    import therapybrain as tb

    explorer = tb.region_explorer(["hippocampus", "amygdala"], network="default_mode")
    first = time.perf_counter() - start
    floors = [_floor() for _ in range(5)]
    results = {}
    for name, (stage, actions) in _changes(explorer, args.repeat).items():
        for action in stage:
            action()
        explorer.goto.value = ""
        times = []
        for action in actions:
            t = time.perf_counter()
            action()
            times.append(time.perf_counter() - t)
            floors.append(_floor())
        results[name] = times
    results["all changes"] = [t for times in results.values() for t in times]
    floor = statistics.median(floors)  # one floor for every row: measured between all the changes
    print(f"first draw (imports, atlas loading, masks): {first:.2f} s")
    print(f"{'change':18s} {'median':>8s} {'worst':>8s}   {'median/floor':>12s} {'worst/floor':>11s}   n")
    for name, times in results.items():
        _row(name, times, floor)
    print(f"floor (empty figure to PNG): median {floor * 1000:.1f} ms over {len(floors)} runs; "
          f"goal: median <= 0.3 s, worst <= 0.6 s")
    _view_3d_rows(args.compare, rounds=3)


# The 3-D view as the explorer first draws it, in a fresh process: seconds of view_3d (after the import)
# and the peak RSS, with the floor (import nilearn.plotting) timed in the same process first.
_VIEW_3D = """
import json, resource, time
t = time.perf_counter(); import nilearn.plotting; floor = time.perf_counter() - t
import therapybrain as tb
t = time.perf_counter()
html = tb.view_3d(["hippocampus", "amygdala"], network="default_mode", cursor=(-25, -22, -14))._repr_html_()
seconds = time.perf_counter() - t
try:  # this process's own peak (ru_maxrss would count the parent's, inherited through fork and exec)
    rss = next(int(line.split()[1]) for line in open("/proc/self/status") if line.startswith("VmHWM:"))
except OSError:
    rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
print(json.dumps({"floor": floor, "seconds": seconds, "rss": rss, "kB": len(html) // 1000}))
"""


def _view_3d(tree: Path | None) -> dict:
    env = dict(os.environ)
    if tree is not None:  # that checkout's therapybrain comes before the installed (editable) one
        env["PYTHONPATH"] = str(tree.resolve()) + os.pathsep + env.get("PYTHONPATH", "")
    # -P: the current folder is not put first on sys.path, where it would win over PYTHONPATH
    out = subprocess.run([sys.executable, "-P", "-c", _VIEW_3D], capture_output=True, text=True, env=env, check=True)
    return json.loads(out.stdout.strip().splitlines()[-1])


def _view_3d_rows(compare: Path | None, rounds: int) -> None:
    trees = {"this tree": None} if compare is None else {f"{compare}": compare, "this tree": None}
    runs = {name: [] for name in trees}
    for _ in range(rounds):  # alternated, so that both see the same load
        for name, tree in trees.items():
            runs[name].append(_view_3d(tree))
    print(f"\n3-D view, first draw in a fresh process ({rounds} rounds; median; floor: import nilearn.plotting)")
    print(f"{'tree':30s} {'view_3d':>8s} {'x floor':>8s} {'peak RSS':>9s} {'page':>8s}")
    for name, results in runs.items():
        seconds = statistics.median(r["seconds"] for r in results)
        ratio = statistics.median(r["seconds"] / r["floor"] for r in results)
        rss = max(r["rss"] for r in results) / 1024
        print(f"{name[-30:]:30s} {seconds:7.2f}s {ratio:7.2f}x {rss:6.0f} MB {results[0]['kB']:5d} kB")


def _row(name: str, times: list[float], floor: float) -> None:
    median, worst = statistics.median(times), max(times)
    flag = "" if median <= 0.3 and worst <= 0.6 else "   > goal"
    print(f"{name:18s} {median:7.3f}s {worst:7.3f}s   {median / floor:11.1f}x {worst / floor:10.1f}x   "
          f"{len(times)}{flag}")


if __name__ == "__main__":
    main()
