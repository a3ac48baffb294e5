"""Benchmark: a class on one machine's JupyterHub (scripts/hub) - N simulated students at once and staggered.

Each student (scripts/hub/students.py) logs in (a user and a server through the hub's REST API), pulls the
course with nbgitpuller from a ``file://`` bare clone of this repository at HEAD, and runs a lab's code cells
in a kernel over the kernels' websocket protocol. Printed per round (p50 / p95 over the students):

- server start, pull, time to first figure (from the student's arrival), notebook time (its cells);
- peak memory: the machine's (used = total - available: other users of the machine count too), the hub's
  own processes (hub, proxy, servers, kernels), each kernel's peak (VmHWM) and an idle server's;
- errors (an error output or a failed step) and lost kernels (died or channel closed);
- the ratio of the round's p50 arrival-to-done time to one student's, measured alone in the same run
  (the machine is shared and noisy: compare ratios, not seconds).

Results are merged into benchmarks/results/hub.json (one entry per lab, N and arrival; the newest wins),
with the figures chapters/instructor/class.md quotes (``quoted``) and its tables
(benchmarks/results/hub-tables.md, included by class.md); tests/test_hub.py checks they agree.

Usage::

    .venv/bin/python -m benchmarks.hub                          # 5 students, at once and staggered, on the CBT lab
    .venv/bin/python -m benchmarks.hub --students 1 5 10 20     # the load table
    .venv/bin/python -m benchmarks.hub --students 10 --all-labs --arrival at-once   # the per-lab table
    .venv/bin/python -m benchmarks.hub --students 0 --update-guide   # the recorded figures into class.md
"""

from __future__ import annotations

import argparse
import json
import math
import os
import re
import statistics
import sys
import tempfile
import threading
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if not __package__:  # run by path: the project's root holds the scripts package
    sys.path.insert(0, str(ROOT))

import psutil  # noqa: E402

from scripts.hub import Hub, bare_course, lab_notebooks  # noqa: E402
from scripts.hub.students import Student, run, run_class, stop_servers  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "hub.json"
TABLES = RESULTS.with_name("hub-tables.md")
DEFAULT_LAB = "chapters/03-therapies/cbt-lab.ipynb"
BRANCH = "course"
MB = 1024 * 1024


def percentile(values: list[float], q: float) -> float | None:
    """The q-th percentile (nearest rank) of the values that exist; None when there are none."""
    values = sorted(v for v in values if v is not None)
    if not values:
        return None
    return values[max(0, math.ceil(q / 100 * len(values)) - 1)]


class MemorySampler:
    """Samples, every ``interval_s``, the machine's used memory and the hub's processes' resident memory."""

    def __init__(self, hub: Hub, interval_s: float = 0.5) -> None:
        self.hub, self.interval_s = hub, interval_s
        self.machine_peak = self.hub_peak = 0.0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.is_set():
            memory = psutil.virtual_memory()
            self.machine_peak = max(self.machine_peak, (memory.total - memory.available) / MB)
            total = 0
            for proc in self.hub.processes():
                try:
                    total += proc.memory_info().rss
                except psutil.Error:
                    pass
            self.hub_peak = max(self.hub_peak, total / MB)
            self._stop.wait(self.interval_s)

    def __enter__(self) -> MemorySampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()


def idle_server_mb(hub: Hub) -> float | None:
    """The mean resident memory of the students' servers with no kernel (after the round's kernels ended)."""
    sizes = []
    for proc in hub.processes():
        try:
            if "jupyterhub-singleuser" in " ".join(proc.cmdline()) and not proc.children():
                sizes.append(proc.memory_info().rss / MB)
        except psutil.Error:
            pass
    return statistics.mean(sizes) if sizes else None


CLIENT_NICENESS = -10   # the simulated students' own machines (see as_the_students_machines)


async def as_the_students_machines(coroutine):
    """Runs the simulated students' side (HTTP, websockets, decoding every figure they are sent) at a higher
    CPU priority than the class's processes. In a class that work runs in each student's own browser, on
    their own machine; here one thread does it for all of them on the hub's two cores, and at an equal
    priority it gets ever less of the CPU as the class grows while its work grows with the class, which
    would slow every student by the load generator rather than by the hub. Needs root (else unchanged)."""
    import threading

    try:
        os.setpriority(os.PRIO_PROCESS, threading.get_native_id(), CLIENT_NICENESS)
    except PermissionError:
        pass
    return await coroutine


def round_of(hub: Hub, repo: str, lab: str, students: int, stagger_s: float, prefix: str) -> dict:
    """One round: ``students`` students on ``lab``; returns its figures (their servers are stopped after)."""
    before = os.getloadavg()[0]
    started = time.monotonic()
    with MemorySampler(hub) as memory:
        done: list[Student] = run(as_the_students_machines(
            run_class(hub, repo, BRANCH, lab, students, stagger_s=stagger_s, prefix=prefix)))
    wall = time.monotonic() - started
    time.sleep(2)  # the kernels' ends are reported; the servers are idle
    idle = idle_server_mb(hub)
    run(stop_servers(hub, [s.name for s in done]))

    def stat(field: str) -> dict:
        values = [getattr(s, field) for s in done]
        return {"p50": percentile(values, 50), "p95": percentile(values, 95), "max": percentile(values, 100)}

    return {
        "lab": lab, "students": students, "arrival": "at once" if not stagger_s else f"every {stagger_s:g} s",
        "stagger_s": stagger_s, "wall_s": wall,
        "server_start_s": stat("server_start_s"), "pull_s": stat("pull_s"),
        "first_figure_s": stat("first_figure_s"), "notebook_s": stat("notebook_s"), "total_s": stat("total_s"),
        "kernel_peak_mb": stat("kernel_peak_mb"), "idle_server_mb": idle,
        "machine_peak_mb": memory.machine_peak, "hub_peak_mb": memory.hub_peak,
        "errors": sum(bool(s.errors) for s in done), "lost_kernels": sum(s.lost_kernel for s in done),
        "error_texts": sorted({e for s in done for e in s.errors})[:10],
        "stderr_students": sum(bool(s.stderr) for s in done),
        "load_before": before, "load_after": os.getloadavg()[0],
        "client_niceness": CLIENT_NICENESS if os.geteuid() == 0 else 0,
    }


def fmt(value: float | None, unit: str = "", digits: int = 0) -> str:
    return "-" if value is None else f"{value:.{digits}f}{unit}"


def print_round(r: dict) -> None:
    def pp(key: str, unit: str = " s", digits: int = 1) -> str:
        return f"{fmt(r[key]['p50'], unit, digits)} / {fmt(r[key]['p95'], unit, digits)}"

    print(f"\n{r['lab']}: {r['students']} students, {r['arrival']} (load {r['load_before']:.1f} -> "
          f"{r['load_after']:.1f} on {os.cpu_count()} cores)")
    print(f"  p50 / p95   server start {pp('server_start_s')}   pull {pp('pull_s')}   "
          f"first figure {pp('first_figure_s')}   notebook {pp('notebook_s')}   done {pp('total_s')}")
    print(f"  memory      kernel peak {pp('kernel_peak_mb', ' MB', 0)}   idle server {fmt(r['idle_server_mb'], ' MB')}"
          f"   hub's processes {fmt(r['hub_peak_mb'], ' MB')}   machine {fmt(r['machine_peak_mb'], ' MB')}")
    print(f"  errors {r['errors']}   lost kernels {r['lost_kernels']}   ratio to one student "
          f"{fmt(r.get('ratio_to_one'), ' x', 1)}" + (f"   {r['error_texts']}" if r["error_texts"] else ""))


# --- what the guide quotes --------------------------------------------------------------------------

def round_up(value: float, step: int) -> int:
    return int(math.ceil(value / step) * step)


def load_lab(runs: list[dict]) -> str:
    """The lab of the load table: the one recorded at the most class sizes (then: the heaviest kernel)."""
    sizes: dict[str, set[int]] = {}
    for r in runs:
        sizes.setdefault(r["lab"], set()).add(r["students"])
    peak = {lab: max(r["kernel_peak_mb"]["max"] or 0 for r in runs if r["lab"] == lab) for lab in sizes}
    return max(sizes, key=lambda lab: (len(sizes[lab]), peak[lab]))


def quoted(runs: list[dict]) -> dict[str, str]:
    """The figures class.md quotes, from the recorded rounds (as the guide writes them)."""
    if not runs:
        return {}
    kernel = max(r["kernel_peak_mb"]["max"] or 0 for r in runs)  # over every lab and class size
    idle = max(r["idle_server_mb"] or 0 for r in runs)
    # guarantee: an idle server + the heaviest kernel; limit: + a second notebook as heavy
    guarantee = round_up(idle + kernel, 100)
    limit = round_up(idle + 2 * kernel, 100)
    lab = load_lab(runs)
    load = [r for r in runs if r["lab"] == lab and r["stagger_s"] == 0]
    biggest = max(load, key=lambda r: r["students"])
    out = {
        "kernel_peak_mb": f"{kernel:.0f}", "load_lab": lab.rsplit("/", 1)[-1].removesuffix(".ipynb"),
        "idle_server_mb": f"{idle:.0f}", "guarantee_mb": f"{guarantee}", "limit_mb": f"{limit}",
        "largest_class": f"{biggest['students']}",
        "per_student_mb": f"{biggest['hub_peak_mb'] / biggest['students']:.0f}",
        "largest_machine_gb": f"{biggest['machine_peak_mb'] / 1024:.1f}",
        "errors": f"{sum(r['errors'] for r in runs)}", "lost_kernels": f"{sum(r['lost_kernels'] for r in runs)}",
        "students_total": f"{sum(r['students'] for r in runs)}",
    }
    # cores per student: the at-once rounds' ratios fitted as ratio = 1 + a (N - 1) (least squares, times
    # grow linearly on a full machine); a class waits at most twice one student's time up to N = 1 + 1/a
    # students, i.e. (1 + 1/a) / cores students per core
    points = [(r["students"] - 1, r["ratio_to_one"] - 1) for r in load if r.get("ratio_to_one") and r["students"] > 1]
    slope = sum(x * y for x, y in points) / sum(x * x for x, _ in points) if points else 0
    # linear growth: the notebook's p50 time against the class size, its slope (seconds per student) fitted
    # from 1 to 20 students at once (least squares); the largest class's slope from one student, over it
    # (1.0: on the line; the goal: at most 1.1)
    small = [(r["students"], r["notebook_s"]["p50"]) for r in load if r["students"] <= 20 and r["notebook_s"]["p50"]]
    large = [r for r in load if r["students"] > 20 and r["notebook_s"]["p50"]]
    alone = [t for n, t in small if n == 1]
    if len(small) >= 2 and large and alone:
        n_mean = statistics.mean(n for n, _ in small)
        t_mean = statistics.mean(t for _, t in small)
        fit = sum((n - n_mean) * (t - t_mean) for n, t in small) / sum((n - n_mean) ** 2 for n, _ in small)
        top = max(large, key=lambda r: r["students"])
        top_slope = (top["notebook_s"]["p50"] - alone[0]) / (top["students"] - 1)
        out["slope_1_20_s"] = f"{fit:.2f}"
        out["slope_largest_s"] = f"{top_slope:.2f}"
        out["slope_ratio"] = f"{top_slope / fit:.2f}"
    largest_ratio = max(load, key=lambda r: r["students"]).get("ratio_to_one")
    out["largest_ratio"] = f"{largest_ratio:.1f}" if largest_ratio else "-"
    if slope > 0:
        per_core = (1 + 1 / slope) / biggest["cores"]
        out["students_per_core_2x"] = f"{per_core:.1f}"
        out["cores_per_student_2x"] = f"{1 / per_core:.2f}"
    return out


def tables(runs: list[dict]) -> str:
    """The guide's tables (benchmarks/results/hub-tables.md): the load table and the per-lab table."""
    def pp(r: dict, key: str, digits: int = 0, unit: str = "") -> str:
        return f"{fmt(r[key]['p50'], unit, digits)} / {fmt(r[key]['p95'], unit, digits)}"

    lab = load_lab(runs) if runs else ""
    load = sorted((r for r in runs if r["lab"] == lab), key=lambda r: (r["students"], r["stagger_s"]))
    lines = [f"Load table: {lab.rsplit('/', 1)[-1].removesuffix('.ipynb')} (seconds, p50 / p95 over the "
             "students; MB; machine load: its 1-minute load average as the round began)", "",
             "| students | arrival | server start | pull | first figure | notebook | x one student "
             "| kernel peak | hub's processes | errors | lost kernels | machine load |",
             "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for r in load:
        arrival = "alone" if r["students"] == 1 else r["arrival"]
        lines.append(f"| {r['students']} | {arrival} | {pp(r, 'server_start_s', 1)} | {pp(r, 'pull_s', 1)} "
                     f"| {pp(r, 'first_figure_s')} | {pp(r, 'notebook_s')} | {fmt(r.get('ratio_to_one'), '', 1)} "
                     f"| {fmt(r['kernel_peak_mb']['max'])} | {fmt(r['hub_peak_mb'])} | {r['errors']} "
                     f"| {r['lost_kernels']} | {r['load_before']:.1f} |")
    # per lab: the largest class size recorded at once for every lab (10 students since the per-lab run), so that
    # the rows compare; a lab without it shows its own largest class
    at_once = [r for r in runs if r["stagger_s"] == 0]
    sizes = [{r["students"] for r in at_once if r["lab"] == lab} for lab in {r["lab"] for r in at_once}]
    common = max(set.intersection(*sizes), default=0) if sizes else 0
    largest: dict[str, dict] = {}
    for r in at_once:
        best = largest.get(r["lab"], {"students": 0})["students"]
        if (r["students"] == common) or (best != common and r["students"] >= best):
            largest[r["lab"]] = r
    if largest:
        what = f"{common} students at once" if common > 1 else "each lab's largest class recorded at once"
        lines += ["", f"Per-lab table: {what} (seconds, p50 / p95; MB)", "",
                  "| lab | students | first figure | notebook | x one student | kernel peak | hub's processes "
                  "| errors | lost kernels |", "|---|---|---|---|---|---|---|---|---|"]
        for lab_path, r in sorted(largest.items()):
            lines.append(f"| {lab_path.rsplit('/', 1)[-1].removesuffix('.ipynb')} | {r['students']} "
                         f"| {pp(r, 'first_figure_s')} | {pp(r, 'notebook_s')} | {fmt(r.get('ratio_to_one'), '', 1)} "
                         f"| {fmt(r['kernel_peak_mb']['max'])} | {fmt(r['hub_peak_mb'])} | {r['errors']} "
                         f"| {r['lost_kernels']} |")
    return "\n".join(lines) + "\n"


def record(new_runs: list[dict], path: Path = RESULTS) -> dict:
    """Merges the rounds into the results file (one per lab, N and arrival: the newest wins)."""
    old = json.loads(path.read_text()).get("runs", []) if path.exists() else []
    key = lambda r: (r["lab"], r["students"], r["stagger_s"])  # noqa: E731
    merged = {key(r): r for r in old}
    merged.update({key(r): r for r in new_runs})
    runs = sorted(merged.values(), key=lambda r: (r["lab"], r["students"], r["stagger_s"]))
    results = {"written": datetime.now(UTC).isoformat(timespec="seconds"), "runs": runs, "quoted": quoted(runs)}
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(results, indent=1) + "\n")
    path.with_name("hub-tables.md").write_text(tables(runs))
    return results


GUIDE = ROOT / "chapters" / "instructor" / "class.md"


def cpu_guarantee(cores_per_student: str) -> str:
    """The CPU guarantee the guide's config gives: the measured cores per student, rounded up to 0.05.

    Examples
    --------
    >>> cpu_guarantee("0.71"), cpu_guarantee("0.5")
    ('0.75', '0.5')
    """
    return f"{math.ceil(round(float(cores_per_student) * 20, 6)) / 20:g}"


def update_guide(results: dict, guide: Path = GUIDE) -> None:
    """Writes the recorded figures into class.md: each ``<!-- hub:KEY -->VALUE<!-- /hub -->``, the tables
    between ``<!-- hub tables -->`` and ``<!-- /hub tables -->``, and the config's memory guarantee and limit."""
    quoted = results["quoted"]
    text = guide.read_text()
    text = re.sub(r"<!-- hub:([\w.-]+) -->(.*?)<!-- /hub -->",
                  lambda m: f"<!-- hub:{m.group(1)} -->{quoted.get(m.group(1), m.group(2))}<!-- /hub -->", text)
    text = re.sub(r"<!-- hub tables -->.*?<!-- /hub tables -->",
                  lambda m: f"<!-- hub tables -->\n{tables(results['runs'])}<!-- /hub tables -->", text, flags=re.S)
    from benchmarks.sizing import replace_block, sizing_table

    text = replace_block(text, sizing_table(quoted))
    text = re.sub(r"(?m)^(\s*guarantee:\s*)\d+M", lambda m: f"{m.group(1)}{quoted['guarantee_mb']}M", text)
    text = re.sub(r"(?m)^(\s*limit:\s*)\d+M", lambda m: f"{m.group(1)}{quoted['limit_mb']}M", text)
    if "cores_per_student_2x" in quoted:   # the config's CPU guarantee: the measured share, up to a twentieth
        text = re.sub(r"(?m)^(\s*cpu:\s*\n\s*guarantee:\s*)[\d.]+",
                      lambda m: f"{m.group(1)}{cpu_guarantee(quoted['cores_per_student_2x'])}", text)
    guide.write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--students", type=int, nargs="+", default=[5], help="class sizes, e.g. 1 5 10 20 40")
    parser.add_argument("--lab", default=DEFAULT_LAB, help="the lab notebook (a path under the repository)")
    parser.add_argument("--all-labs", action="store_true", help="every lab of _toc.yml in turn")
    parser.add_argument("--arrival", choices=["at-once", "staggered", "both"], default="both")
    parser.add_argument("--stagger", type=float, default=3.0, help="seconds between staggered arrivals")
    parser.add_argument("--memory", type=int, default=1200, help="each student's memory limit in MB (root only)")
    parser.add_argument("--no-record", action="store_true", help="print only (do not update the results file)")
    parser.add_argument("--update-guide", action="store_true",
                        help="write the recorded figures into class.md (--students 0: no new round)")
    args = parser.parse_args()
    if args.update_guide and args.students == [0]:
        update_guide(record([]))  # the figures recomputed from the recorded rounds
        return
    labs = lab_notebooks() if args.all_labs else [args.lab]
    staggers = {"at-once": [0.0], "staggered": [args.stagger], "both": [0.0, args.stagger]}[args.arrival]
    print(f"{os.cpu_count()} cores, {psutil.virtual_memory().total / MB / 1024:.1f} GB; load "
          f"{' '.join(f'{x:.1f}' for x in os.getloadavg())} (a shared machine: other work slows every figure)")
    runs: list[dict] = []
    with tempfile.TemporaryDirectory(prefix="hub-bench-", dir="/tmp") as tmp:
        os.chmod(tmp, 0o755)   # run as root, each student is a system user who passes through it to their home
        repo = bare_course(Path(tmp), BRANCH)
        with Hub(Path(tmp) / "hub", memory_mb=args.memory, user_prefix="tbbench-", remove_users=True,
                 local_repos=(repo,)) as hub:
            print(hub.mode)
            for lab in labs:
                solo = round_of(hub, repo, lab, 1, 0.0, prefix=f"solo-{len(runs)}")
                one = solo["total_s"]["p50"]
                solo["ratio_to_one"] = 1.0 if one else None
                solo["cores"] = os.cpu_count()
                print_round(solo)
                if 1 in args.students:
                    runs.append(solo)
                for n in (n for n in args.students if n > 1):
                    for stagger in staggers:
                        r = round_of(hub, repo, lab, n, stagger, prefix=f"s{len(runs)}-{n}")
                        r["ratio_to_one"] = (r["total_s"]["p50"] / one) if one and r["total_s"]["p50"] else None
                        r["cores"] = os.cpu_count()
                        print_round(r)
                        runs.append(r)
    if not args.no_record:
        results = record(runs)
        print(f"\nrecorded in {RESULTS.relative_to(ROOT)} (and {TABLES.name}); the guide quotes {results['quoted']}")
        if args.update_guide:
            update_guide(results)
            print(f"written into {GUIDE.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
