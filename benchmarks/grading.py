"""Benchmark: grading a class - the course's grader (scripts/grade.py) against otter-grader's serial grading.

Prints figures (not a test). A class of ``--n`` submissions (default 60) is made, reproducibly, in a temporary
folder from the built assignments (``_build/assignments/<lab>/{autograder,student}``), over five fast labs and
one heavy one (brain-structure-lab): half of them correct (the autograder's solution notebook), a fifth
partial (a solution with one answer overwritten by a wrong value of the right form, as tests/test_grading.py
does), a sixth blank (the student notebook as given) and the rest misbehaving (a cell that kills its parent,
hangs, allocates 6 GB, floods its output, segfaults the kernel, ignores the interrupt and sleeps, raises; a
file that is not a notebook).

1. **The new grader** grades the whole class, ``--jobs`` at a time (``grade.grade_folder``: each submission
   in its bubblewrap sandbox with its limits; ``--cell-timeout`` 30 s and ``--timeout`` 300 s here, 3 GB).
   Printed: the class's wall time; seconds per submission (the gradebook's ``seconds``: the sandbox's whole
   run) and peak memory (``peak_memory_mb``: the sandbox's memory cgroup's peak) by kind; the status counts;
   whether every submission got its row; what each misbehaving one got.
2. **otter-grader's serial grading** (what the old scripts/grade.py did: ``otter.api.grade_submission`` on
   the lab's autograder zip) of the well-behaved submissions only (correct, partial, blank: otter runs the
   notebook with its own executor and cannot survive a hanging or crashing one), one after another, each in a
   fresh ``python -c`` (so that a failure cannot stop the benchmark) in a memory cgroup of its own (its peak
   measured as the new grader's is). Serial grading of every well-behaved notebook would take longer than
   the rest of the benchmark, so otter grades an evenly spaced sample of them (``--otter-sample``, default
   20; 0: all), and the new grader's figures for the SAME notebooks are printed beside it.
3. **The floor**, measured in the same run (before and after, since the machine is shared and noisy): the
   sandbox running a notebook with a single ``pass`` cell (``Sandbox.run``); every time is also printed as a
   ratio to it, every peak as a ratio to its peak. A bare kernel (jupyter_client, no sandbox) running
   ``pass`` is printed too.

Results (not with ``--quick``) are written to benchmarks/results/grading.json and, as Markdown tables with
the machine and the method, benchmarks/results/grading.md.

Usage::

    .venv/bin/python -m benchmarks.grading                  # 60 submissions, --jobs 2, otter on 20 of them
    .venv/bin/python -m benchmarks.grading --quick          # 12 submissions, otter on 4: to try it
    .venv/bin/python -m benchmarks.grading --n 30 --no-otter
"""

from __future__ import annotations

import argparse
import csv
import hashlib
import json
import os
import platform
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
if not __package__:  # run by path (python benchmarks/grading.py): the project's root holds the scripts package
    sys.path.insert(0, str(ROOT))

import nbformat  # noqa: E402

from scripts import grade  # noqa: E402
from scripts.editions import assignment_dir, autograder_zip, labs, questions  # noqa: E402
from scripts.grading.samples import with_wrong_answer  # noqa: E402
from scripts.grading.sandbox import Limits, Sandbox, _Cgroups  # noqa: E402

RESULTS = ROOT / "benchmarks" / "results" / "grading.json"
TABLE = RESULTS.with_suffix(".md")
BUILD = ROOT / "_build"
#: Five fast labs (6-8 s alone in the sandbox) and a heavy one (about 19 s).
LABS = ("hebbian-lab", "gene-expression-lab", "cbt-lab", "headline-lab", "prediction-lab", "brain-structure-lab")
FAST = LABS[:4]
#: The class's make-up, per 60 submissions.
SHARES = {"correct": 30, "partial": 12, "blank": 10, "misbehaving": 8}
WELL_BEHAVED = ("correct", "partial", "blank")
#: (name, the cell appended to a solution (None: not a notebook at all), the status the grader should give).
MISBEHAVING = (
    ("kills-parent", "import os\nos.kill(os.getppid(), 9)", "crashed"),
    ("hangs", "while True:\n    pass", "timeout"),
    ("allocates-6gb", "x = b'x' * (6 * 1024 ** 3)", "memory"),
    ("floods-output", "while True:\n    print('x' * 100_000)", "output"),
    ("not-a-notebook", None, "error"),
    ("segfaults", "import ctypes\nctypes.string_at(0)", "crashed"),
    ("ignores-interrupt", "import signal, time\nsignal.signal(signal.SIGINT, signal.SIG_IGN)\ntime.sleep(10 ** 6)",
     "timeout"),
    ("raises", "raise RuntimeError(\"a student's own error\")", "raised"),
)
MB = 1_000_000   # as the gradebook's peak_memory_mb
OTTER_TIMEOUT = 900.0
# One submission graded by otter, as the old scripts/grade.py did it in-process (under the lab's own name, in a
# temporary folder; otter chdirs, the cwd is restored). Prints its time, scores and peaks (ru_maxrss, KiB).
OTTER = """\
import json, os, resource, shutil, sys, tempfile, time
from otter.api import grade_submission
source, lab, zip_path = sys.argv[1:4]
here = os.getcwd()
with tempfile.TemporaryDirectory(prefix="otter-bench-") as tmp:
    copy = os.path.join(tmp, lab + ".ipynb")
    shutil.copy(source, copy)
    start = time.monotonic()
    try:
        results = grade_submission(copy, zip_path, quiet=True)
    finally:
        os.chdir(here)
    seconds = time.monotonic() - start
print("OTTER " + json.dumps({
    "seconds": seconds, "total": float(results.total), "possible": float(results.possible),
    "self_kb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss,
    "kernel_kb": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))
"""


@dataclass
class Submission:
    """One file of the class: its kind, lab and, for a misbehaving one, what it does and the status expected."""

    file: str
    kind: str
    lab: str
    what: str = ""
    expected: str = "graded"


# ------------------------------------------------------------------------------------------------ the class
def make_up(n: int) -> dict[str, int]:
    """How many of each kind in a class of ``n`` (the shares of ``SHARES``; the misbehaving ones take the rest)."""
    counts = {kind: round(n * share / 60) for kind, share in SHARES.items() if kind != "misbehaving"}
    counts["misbehaving"] = max(0, n - sum(counts.values()))
    return counts


def make_class(folder: Path, n: int) -> list[Submission]:
    """Write a class of ``n`` submissions into ``folder`` (the same files for the same ``n``)."""
    paths = {p.stem: p for p in labs(ROOT)}
    solution = {lab: assignment_dir(paths[lab], BUILD) / "autograder" / f"{lab}.ipynb" for lab in LABS}
    student = {lab: assignment_dir(paths[lab], BUILD) / "student" / f"{lab}.ipynb" for lab in LABS}
    auto = {lab: [q for q in questions(paths[lab]) if not q.get("manual")] for lab in LABS}
    counts = make_up(n)
    made: list[Submission] = []
    for i in range(counts["correct"]):
        lab = LABS[i % len(LABS)]
        made.append(Submission(f"correct-{i + 1:02d}-{lab}.ipynb", "correct", lab))
        (folder / made[-1].file).write_bytes(solution[lab].read_bytes())
    for i in range(counts["partial"]):
        lab = LABS[i % len(LABS)]
        q = auto[lab][(i // len(LABS)) % len(auto[lab])]
        made.append(Submission(f"partial-{i + 1:02d}-{lab}.ipynb", "partial", lab, f"{q['name']} wrong"))
        nbformat.write(with_wrong_answer(solution[lab], q), folder / made[-1].file)
    for i in range(counts["blank"]):
        lab = LABS[i % len(LABS)]
        made.append(Submission(f"blank-{i + 1:02d}-{lab}.ipynb", "blank", lab))
        (folder / made[-1].file).write_bytes(student[lab].read_bytes())
    for i in range(counts["misbehaving"]):
        name, cell, expected = MISBEHAVING[i % len(MISBEHAVING)]
        lab = FAST[i % len(FAST)]
        if cell is None:
            made.append(Submission(f"misbehaving-{i + 1:02d}-{name}.docx", "misbehaving", "", name, expected))
            (folder / made[-1].file).write_bytes(b"PK\x03\x04 an essay, not a notebook")
            continue
        made.append(Submission(f"misbehaving-{i + 1:02d}-{name}-{lab}.ipynb", "misbehaving", lab,
                               cell.replace("\n    ", " ").replace("\n", "; "), expected))
        nb = nbformat.read(solution[lab], as_version=4)
        nb.cells.append(nbformat.v4.new_code_cell(cell))
        nbformat.write(nb, folder / made[-1].file)
    return made


def otter_sample(made: list[Submission], k: int) -> list[Submission]:
    """``k`` well-behaved submissions evenly spaced over the class (kinds and labs alike); all when k <= 0."""
    well = [s for s in made if s.kind in WELL_BEHAVED]
    if k <= 0 or k >= len(well):
        return well
    return [well[round(i * len(well) / k)] for i in range(k)]


class LoadSampler:
    """The machine's 1-minute load average every ``interval_s`` while a phase runs (other users count too)."""

    def __init__(self, interval_s: float = 5.0) -> None:
        self.interval_s, self.samples = interval_s, [os.getloadavg()[0]]
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        while not self._stop.wait(self.interval_s):
            self.samples.append(os.getloadavg()[0])

    def __enter__(self) -> LoadSampler:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self._stop.set()
        self._thread.join()

    def figures(self) -> dict:
        return {"mean": round(statistics.mean(self.samples), 2), "max": round(max(self.samples), 2)}


# ------------------------------------------------------------------------------------------------ the floor
def floor_runs(sandbox: Sandbox, limits: Limits, folder: Path, times: int) -> list[tuple[float, int]]:
    """(seconds, peak bytes) of the sandbox running a one-cell ``pass`` notebook, ``times`` times."""
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell("pass")])
    path = folder / "floor.ipynb"
    nbformat.write(nb, path)
    runs = []
    for _ in range(times):
        run = sandbox.run(path, "floor", [], limits)
        if run.result is None:
            raise RuntimeError(f"the floor's sandbox run failed: {run.log[-2000:]}")
        runs.append((run.seconds, run.peak_memory))
    return runs


def bare_kernel_seconds(times: int) -> list[float]:
    """Seconds to start a bare kernel (jupyter_client, no sandbox), run ``pass`` and shut it down."""
    from jupyter_client.manager import start_new_kernel

    seconds = []
    for _ in range(times):
        start = time.monotonic()
        km, kc = start_new_kernel(kernel_name="python3")
        try:
            kc.execute_interactive("pass", timeout=60)
        finally:
            kc.stop_channels()
            km.shutdown_kernel(now=True)
        seconds.append(time.monotonic() - start)
    return seconds


# ------------------------------------------------------------------------------------------ the two graders
def new_grader(folder: Path, out: Path, jobs: int, limits: Limits, sandbox: Sandbox) -> tuple[float, bool, dict]:
    """Grade the class with scripts/grade.py; (wall seconds, whether the grader worked, gradebook rows by file)."""
    course = grade.course_labs()
    start = time.monotonic()
    _, worked = grade.grade_folder(folder, out, jobs=jobs, limits=limits, sandbox=sandbox, course=course)
    wall = time.monotonic() - start
    with (out / "gradebook.csv").open(newline="", encoding="utf-8") as f:
        rows = {row["file"]: row for row in csv.DictReader(f)}
    return wall, worked, rows


def otter_one(path: Path, lab: str) -> dict:
    """Grade one submission with otter in a fresh process in a memory cgroup of its own; its figures."""
    cgroups = _Cgroups.make(Limits(memory=64 * 1024 ** 3, processes=4096))   # measures; limits nothing here
    command = [sys.executable, "-c", OTTER, str(path), lab, str(autograder_zip(lab, BUILD))]
    start = time.monotonic()
    proc = subprocess.Popen(["/bin/sh", "-c", cgroups.join_command() + 'exec "$@"', "sh", *command],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, cwd=ROOT,
                            start_new_session=True)
    try:
        stdout, stderr = proc.communicate(timeout=OTTER_TIMEOUT)
        failed = "" if proc.returncode == 0 else f"exit {proc.returncode}: {stderr.strip()[-300:]}"
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        stdout, _ = proc.communicate()
        failed = f"no result within {OTTER_TIMEOUT:g} s"
    finally:
        peak, _ = cgroups.peak_and_oom()
        cgroups.close()
    figures = {"process_seconds": time.monotonic() - start, "peak_mb": peak / MB if peak else None,
               "failed": failed}
    line = next((line for line in stdout.splitlines() if line.startswith("OTTER ")), None)
    if line is None:
        figures["failed"] = figures["failed"] or "no result printed"
        return figures
    found = json.loads(line[len("OTTER "):])
    figures.update(seconds=found["seconds"], total=found["total"], possible=found["possible"],
                   process_rss_mb=found["self_kb"] * 1024 / MB, kernel_rss_mb=found["kernel_kb"] * 1024 / MB)
    return figures


# ------------------------------------------------------------------------------------------------- figures
def stats(values: list[float]) -> dict | None:
    """median / max / n of the values that exist (None: none)."""
    values = [v for v in values if v is not None]
    if not values:
        return None
    return {"median": statistics.median(values), "max": max(values), "n": len(values)}


def number(text: str) -> float | None:
    try:
        return float(text)
    except (TypeError, ValueError):
        return None


def status_line(counts: dict[str, int]) -> str:
    return ", ".join(f"{counts[s]} {s}" for s in reversed(grade.STATUSES) if counts.get(s)) or "none"


def figures(made: list[Submission], rows: dict, wall: float, worked: bool, jobs: int, floor: list,
            bare: list[float], otter: dict[str, dict], sample: list[Submission]) -> dict:
    """Everything the run measured, as the JSON written and the tables printed."""
    floor_s = statistics.median(s for s, _ in floor)
    floor_mb = statistics.median(p for _, p in floor) / MB
    seconds = {s.file: number(rows.get(s.file, {}).get("seconds")) for s in made}
    peaks = {s.file: number(rows.get(s.file, {}).get("peak_memory_mb")) for s in made}
    by_kind: dict[str, dict] = {}
    for kind in (*SHARES, "all"):
        files = [s.file for s in made if kind in ("all", s.kind)]
        if files:
            by_kind[kind] = {"n": len(files), "seconds": stats([seconds[f] for f in files]),
                             "peak_mb": stats([peaks[f] for f in files])}
    statuses = Counter(rows[s.file]["status"] for s in made if s.file in rows)
    result: dict = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"), "n": len(made), "jobs": jobs,
        "make_up": dict(Counter(s.kind for s in made)), "labs": list(LABS),
        "floor": {"what": "the sandbox running a one-cell `pass` notebook (Sandbox.run)", "runs": len(floor),
                  "seconds": floor_s, "seconds_all": [round(s, 2) for s, _ in floor], "peak_mb": floor_mb},
        "bare_kernel": {"what": "a bare kernel (jupyter_client, no sandbox) running `pass`",
                        "seconds": statistics.median(bare), "seconds_all": [round(s, 2) for s in bare]},
        "new": {"wall_s": wall, "wall_per_submission_s": wall / len(made), "worked": worked,
                "rows": sum(s.file in rows for s in made), "every_row": all(s.file in rows for s in made),
                "statuses": dict(statuses), "status_line": status_line(statuses), "by_kind": by_kind},
        "rows": {s.file: {k: rows[s.file].get(k) for k in ("status", "seconds", "peak_memory_mb", "autograded_total",
                                                             "autograded_possible", "message")}
                 for s in made if s.file in rows},
        "misbehaving": [{"file": s.file, "does": s.what, "expected": s.expected,
                         "status": rows.get(s.file, {}).get("status"), "seconds": seconds[s.file],
                         "peak_mb": peaks[s.file], "total": number(rows.get(s.file, {}).get("autograded_total")),
                         "possible": number(rows.get(s.file, {}).get("autograded_possible")),
                         "message": rows.get(s.file, {}).get("message", "")[:300]}
                        for s in made if s.kind == "misbehaving"],
        "otter": None,
    }
    if otter:
        done = [s for s in sample if otter[s.file].get("seconds") is not None]
        per = [{"file": s.file, "kind": s.kind, "otter_s": otter[s.file].get("seconds"),
                "otter_process_s": otter[s.file]["process_seconds"], "new_s": seconds[s.file],
                "otter_peak_mb": otter[s.file]["peak_mb"], "otter_kernel_rss_mb": otter[s.file].get("kernel_rss_mb"),
                "otter_process_rss_mb": otter[s.file].get("process_rss_mb"), "new_peak_mb": peaks[s.file],
                "otter_total": otter[s.file].get("total"), "new_total": number(rows[s.file]["autograded_total"]),
                "possible": number(rows[s.file]["autograded_possible"]), "failed": otter[s.file]["failed"]}
               for s in sample]
        total = sum(otter[s.file]["seconds"] for s in done)
        process_total = sum(otter[s.file]["process_seconds"] for s in sample)
        well = sum(s.kind in WELL_BEHAVED for s in made)
        ratios = [seconds[s.file] / otter[s.file]["seconds"] for s in done if seconds[s.file]]
        result["otter"] = {
            "sample": len(sample), "well_behaved": well, "graded": len(done),
            "failures": [p for p in per if p["failed"]],
            "total_s": total, "process_total_s": process_total,
            "per_submission_s": stats([otter[s.file]["seconds"] for s in done]),
            "process_per_submission_s": stats([otter[s.file]["process_seconds"] for s in sample]),
            "peak_mb": stats([otter[s.file]["peak_mb"] for s in done]),
            "kernel_rss_mb": stats([otter[s.file].get("kernel_rss_mb") for s in done]),
            "process_rss_mb": stats([otter[s.file].get("process_rss_mb") for s in done]),
            "projected_well_behaved_s": total / len(done) * well if done else None,
            "new_same": {"seconds": stats([seconds[s.file] for s in done]),
                         "peak_mb": stats([peaks[s.file] for s in done])},
            "ratio_new_over_otter_median_of_ratios": statistics.median(ratios) if ratios else None,
            "ratio_new_over_otter_medians": (stats([seconds[s.file] for s in done])["median"]
                                             / stats([otter[s.file]["seconds"] for s in done])["median"])
            if done else None,
            "ratio_class_wall_per_submission": (wall / len(made)) / (total / len(done)) if done else None,
            "scores_agree": sum(p["otter_total"] == p["new_total"] for p in per if not p["failed"]),
            "scores_compared": sum(not p["failed"] for p in per),
            "per_submission": per,
        }
    return result


# ------------------------------------------------------------------------------------------------- tables
def f(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:.{digits}f}"


def mm(s: dict | None, digits: int = 1) -> str:
    return "-" if not s else f"{f(s['median'], digits)} / {f(s['max'], digits)}"


def x(s: dict | float | None, floor: float) -> str:
    value = s["median"] if isinstance(s, dict) else s
    return "-" if value is None or not floor else f"{value / floor:.1f}"


def load(figures: dict) -> str:
    return f"mean {figures['mean']:.1f}, max {figures['max']:.1f}"


def tables(r: dict) -> str:
    """The Markdown tables of one run."""
    fs, fm = r["floor"]["seconds"], r["floor"]["peak_mb"]
    new, o = r["new"], r["otter"]
    lines = [f"Statuses ({r['n']} submissions): {new['status_line']}; rows in the gradebook: {new['rows']} of "
             f"{r['n']}{'' if new['every_row'] else ' (MISSING ROWS)'}; the grader worked: "
             f"{'yes' if new['worked'] else 'NO'}.", "",
             f"The machine's 1-minute load average ({r['machine']['nproc']} cores; other users count too): while "
             f"the new grader ran ({r['jobs']} at a time) {load(r['load']['new'])}"
             + (f"; while otter ran (1 at a time) {load(r['load']['otter'])}" if r["load"]["otter"] else "") + ".",
             "",
             "Time (seconds; per submission: median / max; x floor: the median over the floor's median)", "",
             "| what | n | seconds | x floor |", "|---|---|---|---|",
             f"| floor: {r['floor']['what']} | {r['floor']['runs']} | {f(fs, 2)} | 1.0 |",
             f"| {r['bare_kernel']['what']} | {len(r['bare_kernel']['seconds_all'])} | "
             f"{f(r['bare_kernel']['seconds'], 2)} | {x(r['bare_kernel']['seconds'], fs)} |",
             f"| new grader, whole class, --jobs {r['jobs']}: wall | {r['n']} | {f(new['wall_s'], 0)} | "
             f"{x(new['wall_s'], fs)} |",
             f"| new grader, whole class: wall per submission | {r['n']} | {f(new['wall_per_submission_s'])} | "
             f"{x(new['wall_per_submission_s'], fs)} |"]
    for kind, k in new["by_kind"].items():
        lines.append(f"| new grader, per submission: {kind} | {k['n']} | {mm(k['seconds'])} | {x(k['seconds'], fs)} |")
    if o:
        sampled = (f"{o['graded']} of the {o['well_behaved']} well-behaved" if o["sample"] < o["well_behaved"]
                   else f"all {o['graded']} well-behaved")
        lines += [
            f"| new grader, per submission: the {sampled} otter graded (same notebooks) | {o['graded']} | "
            f"{mm(o['new_same']['seconds'])} | {x(o['new_same']['seconds'], fs)} |",
            f"| otter serial, per submission: grade_submission | {o['graded']} | {mm(o['per_submission_s'])} | "
            f"{x(o['per_submission_s'], fs)} |",
            f"| otter serial, per submission: its fresh process (otter's import included) | {o['sample']} | "
            f"{mm(o['process_per_submission_s'])} | {x(o['process_per_submission_s'], fs)} |",
            f"| otter serial, {sampled}: total (grade_submission) | {o['graded']} | {f(o['total_s'], 0)} | "
            f"{x(o['total_s'], fs)} |",
            f"| otter serial, projected to all {o['well_behaved']} well-behaved (total / {o['graded']} x "
            f"{o['well_behaved']}) | {o['well_behaved']} | {f(o['projected_well_behaved_s'], 0)} | "
            f"{x(o['projected_well_behaved_s'], fs)} |",
            "", "Ratios, new grader / otter serial", "", "| what | ratio |", "|---|---|",
            f"| per submission, the same {o['graded']} notebooks: median of each notebook's ratio (new at --jobs "
            f"{r['jobs']}, otter alone) | {f(o['ratio_new_over_otter_median_of_ratios'], 2)} |",
            f"| per submission, the same {o['graded']} notebooks: median over median | "
            f"{f(o['ratio_new_over_otter_medians'], 2)} |",
            f"| throughput: the class's wall per submission ({r['n']}, misbehaving included, --jobs {r['jobs']}) "
            f"over otter's serial seconds per submission ({o['graded']} well-behaved) | "
            f"{f(o['ratio_class_wall_per_submission'], 2)} |",
            f"| scores: otter's total equals the new grader's | {o['scores_agree']} of "
            f"{o['scores_compared']} |"]
    lines += ["", "Peak memory per submission (MB = 10^6 bytes; median / max; x floor: the median over the floor's "
              "peak)", "", "| what | n | peak MB | x floor |", "|---|---|---|---|",
              f"| floor: the sandbox's memory cgroup, one-cell `pass` notebook | {r['floor']['runs']} | "
              f"{f(fm, 0)} | 1.0 |"]
    for kind, k in new["by_kind"].items():
        lines.append(f"| new grader (the sandbox's memory cgroup): {kind} | {k['peak_mb']['n'] if k['peak_mb'] else 0}"
                     f" | {mm(k['peak_mb'], 0)} | {x(k['peak_mb'], fm)} |")
    if o:
        lines += [
            f"| new grader: the {o['graded']} otter graded | {o['graded']} | {mm(o['new_same']['peak_mb'], 0)} | "
            f"{x(o['new_same']['peak_mb'], fm)} |",
            f"| otter: its process's memory cgroup (otter and its kernel) | {o['graded']} | {mm(o['peak_mb'], 0)} | "
            f"{x(o['peak_mb'], fm)} |",
            f"| otter: its kernel's max RSS (ru_maxrss of the children) | {o['graded']} | "
            f"{mm(o['kernel_rss_mb'], 0)} | {x(o['kernel_rss_mb'], fm)} |",
            f"| otter: its own process's max RSS | {o['graded']} | {mm(o['process_rss_mb'], 0)} | "
            f"{x(o['process_rss_mb'], fm)} |"]
    if r["misbehaving"]:
        lines += ["", "The misbehaving submissions (the cell appended to a solution notebook; new grader only)", "",
                  "| file | the cell | expected | status | seconds | peak MB | score | message |",
                  "|---|---|---|---|---|---|---|---|"]
        for m in r["misbehaving"]:
            surprise = "" if m["status"] == m["expected"] else " (unexpected)"
            score = "-" if m["total"] is None else f"{m['total']:g} / {m['possible']:g}"
            message = m["message"].replace("|", "\\|")
            does = f"`{m['does']}`" if m["file"].endswith(".ipynb") else "(a .docx file: not a notebook)"
            lines.append(f"| {m['file']} | {does} | {m['expected']} | {m['status']}"
                         f"{surprise} | {f(m['seconds'])} | {f(m['peak_mb'], 0)} | {score} | {message} |")
    unexpected = [(m["file"], m["status"], m["expected"], m["message"]) for m in r["misbehaving"]
                  if m["status"] != m["expected"]]
    # a well-behaved notebook is graded; one whose written answers are left blank says so (status blank)
    unexpected += [(s["file"], r["rows"].get(s["file"], {}).get("status"), "graded or blank",
                    r["rows"].get(s["file"], {}).get("message", "")) for s in r["submissions"]
                   if s["kind"] in WELL_BEHAVED
                   and r["rows"].get(s["file"], {}).get("status") not in ("graded", "blank")]
    if unexpected:
        lines += ["", "Not the status expected: " + "; ".join(f"{file} got {got} (expected {expected}: {message})"
                                                              for file, got, expected, message in unexpected) + "."]
    if o and o["failures"]:
        lines += ["", "otter failed on: " + "; ".join(f"{p['file']} ({p['failed']})" for p in o["failures"])]
    return "\n".join(lines)


def code_hash() -> str:
    """A hash of the grader's code (scripts/grade.py, scripts/grading/): the run notes whether it changed."""
    digest = hashlib.sha256()
    for path in [ROOT / "scripts" / "grade.py", *sorted((ROOT / "scripts" / "grading").glob("*.py"))]:
        digest.update(path.name.encode() + path.read_bytes())
    return digest.hexdigest()[:12]


def machine() -> dict:
    free = subprocess.run(["free", "-g"], capture_output=True, text=True).stdout.rstrip()
    head = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True, cwd=ROOT)
    try:
        from importlib.metadata import version

        otter_version = version("otter-grader")
    except Exception:  # noqa: BLE001 - only a label
        otter_version = "?"
    return {"nproc": os.cpu_count(), "free_g": free, "python": platform.python_version(),
            "otter": otter_version, "commit": head.stdout.strip(), "load": [round(v, 2) for v in os.getloadavg()]}


def markdown(r: dict) -> str:
    m = r["machine"]
    o = r["otter"]
    sample = ("otter graded every well-behaved submission" if not o or o["sample"] >= o["well_behaved"] else
              f"**otter graded a sample: {o['sample']} of the {o['well_behaved']} well-behaved submissions** "
              "(evenly spaced over the kinds and labs; all of them would have added about "
              f"{o['process_total_s'] / o['sample'] * (o['well_behaved'] - o['sample']) / 60:.0f} minutes to the "
              "run)")
    return "\n".join([
        "# Grading benchmark (issue 27): the course's grader against otter-grader's serial grading", "",
        f"Recorded by `benchmarks/grading.py` on {r['date']} (commit {m['commit']}, the grader's code "
        f"{r['grader_code']}{': CHANGED DURING THE RUN' if r['grader_code_changed'] else ', unchanged during the run'}"
        "); the benchmark took "
        f"{r['runtime_s'] / 60:.1f} minutes. Machine: {m['nproc']} cores (`nproc`), shared and noisy; 1-minute "
        f"load {r['load_before']:.1f} as the class began, {m['load'][0]:.1f} at the end; Python {m['python']}, "
        f"otter-grader {m['otter']}. `free -g`:", "", "```", m["free_g"], "```", "",
        "What was measured and how:", "",
        f"- A class of {r['n']} submissions made from the built assignments: "
        + ", ".join(f"{v} {k}" for k, v in r["make_up"].items())
        + f", over {', '.join(r['labs'][:-1])} and the heavy {r['labs'][-1]}. Correct: the autograder's "
        "solution notebook; partial: a solution with one answer overwritten by a wrong value of the right form; "
        "blank: the student notebook as given; misbehaving: a solution with one bad cell appended, or a file that "
        "is not a notebook (table at the end).",
        f"- New grader: `grade.grade_folder(..., jobs={r['jobs']})`, each submission in its bubblewrap sandbox "
        f"(limits: {r['limits']}). Seconds and peak memory per submission are the gradebook's `seconds` (the "
        "sandbox's whole run: kernel start, every cell, the answers' extraction) and `peak_memory_mb` (the peak of "
        "the sandbox's memory cgroup: runner, kernel and their children, page cache charged to it included).",
        "- otter serial: `otter.api.grade_submission(<lab>.ipynb, autograder zip, quiet=True)`, as the old "
        "`scripts/grade.py` called it, one submission after another, each in a fresh `python -c` in a memory "
        "cgroup of its own (no limit; its peak read as the sandbox's is), with the instructor's environment "
        "(no thread limits: the new grader's kernels get one BLAS thread each). Only the well-behaved "
        "submissions: otter runs the notebook with its own executor, without per-cell limits, and would hang or "
        f"die on the misbehaving ones. {sample}. Its seconds are `grade_submission`'s own (the fresh process's, "
        "otter's import included, are shown too); the new grader's seconds for the same notebooks are beside them. "
        f"The new grader ran {r['jobs']} at a time on {m['nproc']} cores; otter ran alone.",
        "- The floor, measured in the same run (half before the class, half after): the sandbox running a "
        "notebook with one `pass` cell (`Sandbox.run`); its median is the unit of every `x floor`. Its runs: "
        + ", ".join(f"{s:g}" for s in r["floor"]["seconds_all"]) + " s.", "",
        tables(r), ""])


# ----------------------------------------------------------------------------------------------------- main
def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=60, help="submissions in the class (default 60)")
    parser.add_argument("--jobs", type=int, default=2, help="submissions the new grader grades at once (default 2)")
    parser.add_argument("--no-otter", action="store_true", help="skip otter's serial grading (the baseline)")
    parser.add_argument("--otter-sample", type=int, default=20,
                        help="well-behaved submissions otter grades, evenly spaced (default 20; 0: all of them)")
    parser.add_argument("--quick", action="store_true",
                        help="12 submissions, otter on 4, results not written: to try it")
    parser.add_argument("--cell-timeout", type=float, default=30.0, help="seconds per cell (default 30)")
    parser.add_argument("--timeout", type=float, default=300.0, help="seconds per notebook (default 300)")
    parser.add_argument("--keep", action="store_true", help="keep the class folder and the gradebook (printed)")
    args = parser.parse_args(argv)
    if args.quick:
        args.n, args.otter_sample = 12, 4
    began, code = time.monotonic(), code_hash()
    limits = Limits(cell_timeout=args.cell_timeout, timeout=args.timeout)
    sandbox = Sandbox.for_course()
    grade.prepare_store(sandbox.python)
    [autograder_zip(lab, BUILD) for lab in LABS]   # a clear error now when `make assignments` has not run
    tmp = tempfile.mkdtemp(prefix="grading-bench-")
    folder, out = Path(tmp) / "class", Path(tmp) / "grades"
    folder.mkdir()
    made = make_class(folder, args.n)
    print(f"class of {len(made)} in {folder}: {dict(Counter(s.kind for s in made))}", file=sys.stderr)

    bare = bare_kernel_seconds(3)
    floor = floor_runs(sandbox, limits, Path(tmp), 3)
    print(f"floor (sandbox, `pass` notebook): {[round(s, 2) for s, _ in floor]} s; bare kernel: "
          f"{[round(s, 2) for s in bare]} s", file=sys.stderr)
    load_before = os.getloadavg()[0]
    with LoadSampler() as new_load:
        wall, worked, rows = new_grader(folder, out, args.jobs, limits, sandbox)
    print(f"new grader: {len(made)} submissions in {wall:.0f} s", file=sys.stderr)

    otter: dict[str, dict] = {}
    sample: list[Submission] = []
    if not args.no_otter:
        sample = otter_sample(made, args.otter_sample)
        with LoadSampler() as otter_load:
            for i, s in enumerate(sample, 1):
                otter[s.file] = otter_one(folder / s.file, s.lab)
                o = otter[s.file]
                print(f"otter {i}/{len(sample)} {s.file}: {f(o.get('seconds'))} s, {f(o.get('total'), 0)}/"
                      f"{f(o.get('possible'), 0)}{' FAILED ' + o['failed'] if o['failed'] else ''}", file=sys.stderr)
    floor += floor_runs(sandbox, limits, Path(tmp), 3)

    result = figures(made, rows, wall, worked, args.jobs, floor, bare, otter, sample)
    result.update(load_before=load_before,
                  load={"new": new_load.figures(), "otter": otter_load.figures() if otter else None},
                  runtime_s=time.monotonic() - began, machine=machine(),
                  limits=f"cell {limits.cell_timeout:g} s, notebook {limits.timeout:g} s, memory "
                         f"{limits.memory / 1024 ** 3:g} GiB, output {limits.max_output / 1024 ** 2:g} MiB per cell",
                  submissions=[asdict(s) for s in made], quick=args.quick, grader_code=code,
                  grader_code_changed=code_hash() != code)
    if result["grader_code_changed"]:
        print("WARNING: the grader's code (scripts/grade.py, scripts/grading/) changed during the run: its figures "
              "mix two versions; run it again", file=sys.stderr)
    print()
    print(tables(result))
    print(f"\n(the benchmark took {result['runtime_s'] / 60:.1f} minutes)")
    if args.keep:
        print(f"class: {folder}; gradebook: {out / 'gradebook.csv'}")
    else:
        shutil.rmtree(tmp, ignore_errors=True)
    if not args.quick:
        RESULTS.parent.mkdir(parents=True, exist_ok=True)
        RESULTS.write_text(json.dumps(result, indent=1) + "\n")
        TABLE.write_text(markdown(result))
        print(f"written: {RESULTS.relative_to(ROOT)}, {TABLE.relative_to(ROOT)}")
    return 0 if worked and result["new"]["every_row"] else 1


if __name__ == "__main__":
    sys.exit(main())
