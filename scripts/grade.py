"""Grade a folder of submitted lab notebooks: each in a sandbox, with limits, apart from the key; a row as each ends.

Usage (from the book's folder; ``make grade SUBMISSIONS=path`` runs it)::

    .venv/bin/python -m scripts.grade SUBMISSIONS [--out DIR] [--jobs N] [--resume] [--roster FILE]
        [--cell-timeout S] [--timeout S] [--memory SIZE] [--max-output SIZE] [--disk SIZE] [--no-sandbox]
    .venv/bin/python -m scripts.grade --merge-written FILE [FILE ...] [--out DIR] [--roster FILE]

Each file of SUBMISSIONS (not its sub-folders, not hidden files) is one submission. Its lab is read from the
notebook's metadata (``otter.assignment_name``, which the student notebooks carry) or else from its file name
(``alice-hebbian-lab.ipynb``). Grading one submission takes two processes that never meet:

1. **The run** (``scripts/grading/sandbox.py``, ``runner.py``): the notebook runs in a fresh kernel inside a
   bubblewrap sandbox that holds only the notebook, in a folder of its own (the system, the environment, the
   helper package and the atlas store read-only; no network; no course folder, no home, no hidden test, no
   solution). Every cell runs in order under a time and output limit; the whole run under a time, memory,
   process and disk limit. Then the answers are taken out as plain data (JSON, never pickle).
2. **The check** (``scripts/grading/checks.py``): in this process, which runs no student code, the lab's
   public and hidden tests (its grading spec in the lab notebook) run on those plain values.

Writes into DIR (default ``_build/grades``), each row and feedback file as its submission ends:

- ``gradebook.csv``: ``student`` (the file's name without its extension, unique), ``file``, ``lab``, one
  column per autograded question (its points), one per question graded by hand (empty until its points are
  merged), the autograded total and possible points, ``manual_points`` and ``manual_possible``, ``total``
  (once every written answer has its points) and ``total_possible``, ``blank_written`` (the written answers
  left blank), ``status``, ``message`` (which cell, named as the student finds it: "code cell 9
  ("x = ...")"; what happened; no path of this machine), seconds and peak memory. Statuses: ``graded``;
  ``blank`` (a written answer is blank; graded); ``raised`` (a cell raised an error; graded); ``output`` (a cell wrote
  more output than allowed and was interrupted; graded); ``timeout`` (a cell or the notebook ran out of
  time; what was defined is graded, nothing if the kernel had to be killed); ``memory`` (the memory limit was
  hit: scores 0); ``crashed`` (the kernel or its runner died: scores 0); ``error`` (not graded: not a
  notebook, no known lab).
- ``feedback/<student>.md``: the points per question, what each public test said, whether the hidden tests
  passed, why an answer could not be graded, and which written answers are blank.
- ``written/<lab>.html`` and ``written/<lab>.csv`` (``scripts/grading/marking.py``), once the class is done:
  every student's written answers (read from the submitted file as data, never from the kernel) beside the
  rubric, blank ones flagged, and the sheet of points to fill in. ``--merge-written`` merges the points
  entered into ``gradebook.csv`` (refusing the file, line by line, for a point above the question's, a
  non-number, an unknown student or question), then writes the LMS files again with ``--roster``.
- with ``--roster``: the import files for Canvas and Moodle (``scripts/grading/lms.py``).

The exit status says whether the grader itself worked: 0 when every submission got its row (whatever the
students' code did), 1 when the grader failed on one, 2 when it could not start (no folder, no sandbox).
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import threading
import time
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from scripts.book import ROOT
from scripts.editions import EditionError, labs, questions
from scripts.grading import checks, marking
from scripts.grading import notebook as nbdata
from scripts.grading.gradebook import (
    Gradebook,
    feedback_names,
    plain_cell,
    read_rows,
    safe_cell,
    student_ids,
    write_text,
)
from scripts.grading.notebook import WrittenAnswer, written_answers
from scripts.grading.sandbox import Limits, Run, Sandbox, SandboxUnavailable
from scripts.grading.scrub import scrub

MANUAL_COLUMN = "manual_points"
#: A submission larger than this is not read (no lab notebook comes near it).
MAX_NOTEBOOK = nbdata.MAX_NOTEBOOK
#: The statuses, most serious first: a row's status is the most serious thing that happened.
STATUSES = ("error", "crashed", "memory", "timeout", "output", "raised", "blank", "graded")
NO_SANDBOX_WARNING = (
    "WARNING: --no-sandbox: the submissions' code runs as you, with your files, your home and the network. "
    "A submission can read the course folder (hidden tests and solutions included), change or delete your "
    "files and reach the internet. Time, memory and output limits still apply. Use it only on a throw-away "
    "machine or account.")


@dataclass(frozen=True)
class Lab:
    """A lab: its name (the notebook's stem) and its grading spec (``scripts.editions.questions``)."""

    name: str
    questions: list[dict]
    models: dict[str, str] = field(default_factory=dict)   #: model answers of the questions graded by hand

    @property
    def auto(self) -> list[dict]:
        return [q for q in self.questions if not q.get("manual")]

    @property
    def written(self) -> list[dict]:
        """The questions graded by hand."""
        return [q for q in self.questions if q.get("manual")]

    @property
    def possible(self) -> float:
        return float(sum(q["points"] for q in self.auto))

    @property
    def manual(self) -> float:
        return float(sum(q["points"] for q in self.questions if q.get("manual")))


def course_labs(root: Path = ROOT) -> dict[str, Lab]:
    """Every lab of the book, by name."""
    return {path.stem: Lab(path.stem, questions(path), marking.model_answers(path)) for path in labs(root)}


@dataclass
class Graded:
    """The grading of one submission."""

    path: Path
    student: str
    lab: str = ""
    status: str = "graded"
    message: str = ""
    scores: dict[str, float] = field(default_factory=dict)
    possible: float = 0.0
    feedback: str = ""
    seconds: float = 0.0
    peak_memory: int = 0
    written: dict[str, WrittenAnswer] = field(default_factory=dict)
    #: the answers taken out of the run, as plain JSON data (name -> encoded value): what was scored
    answers: dict = field(default_factory=dict)

    @property
    def total(self) -> float:
        return sum(self.scores.values())

    @property
    def blank(self) -> list[str]:
        """The questions graded by hand whose answer is blank."""
        return [name for name, answer in self.written.items() if answer.blank]


def lab_of(path: Path, known: list[str]) -> str:
    """The lab a submission is for: its notebook metadata, else its file name (ValueError: neither)."""
    nb = nbdata.read(path)
    metadata = nb.get("metadata") if isinstance(nb.get("metadata"), dict) else {}
    otter = metadata.get("otter") if isinstance(metadata.get("otter"), dict) else {}
    if otter.get("assignment_name") in known:
        return otter["assignment_name"]
    by_name = [lab for lab in sorted(known, key=len, reverse=True) if lab in path.stem]
    if by_name:
        return by_name[0]
    raise ValueError(f"{path.name}: cannot tell which lab this is (no otter metadata, and the file name contains "
                     f"none of: {', '.join(known)})")


# ------------------------------------------------------------------------------------------- one submission
def _size(n: float) -> str:
    return f"{n / 1024 ** 3:.1f} GB" if n >= 1024 ** 3 else f"{n / 1024 ** 2:.0f} MB"


def _notes(run: Run, limits: Limits, names: dict[int, str] | None = None) -> list[tuple[str, str]]:
    """(status, message) for everything that went wrong in a run, most serious first.

    ``names``: the runner's cell numbers -> the cell as the student finds it (``notebook.cell_names``).
    """
    names = names or {}

    def name(number: object) -> str:
        return names.get(number, f"cell {number}") if isinstance(number, int) else f"cell {number}"

    cell = name(run.last_cell) if run.last_cell else "before the first cell"
    result = run.result
    if result is None:
        if run.oom:
            return [("memory", f"stopped at {cell}: the notebook used more than {_size(limits.memory)} of memory")]
        if run.killed:
            return [("timeout", f"stopped at {cell}: the notebook did not finish within its {limits.timeout:g} s "
                                "and was ended; nothing could be graded")]
        last = [scrub(line) for line in run.log.strip().splitlines()[-1:]]
        return [("crashed", f"the run ended at {cell} without a result: the kernel or the process running it was "
                            "killed" + (f" ({last[0][:200]})" if last else ""))]
    notes = []
    for note in result.get("cells", []):
        number, status = note.get("cell"), note.get("status")
        if status == "dead":
            notes.append(("memory", f"{name(number)} used more than {_size(limits.memory)} of memory; the kernel "
                                    "was stopped and nothing after it ran") if run.oom else
                         ("crashed", f"the kernel died in {name(number)}; nothing after it ran"))
        elif status == "hung":
            what = ("did not finish within its time" if note.get("cause") == "timeout"
                    else "flooded its output")
            notes.append(("timeout" if note.get("cause") == "timeout" else "output",
                          f"{name(number)} {what} and did not stop when interrupted; the kernel was stopped and "
                          "nothing after it ran"))
        elif status == "timeout":
            notes.append(("timeout", f"{name(number)} ran longer than {limits.cell_timeout:g} s and was "
                                     "interrupted; the cells after it ran"))
        elif status == "output":
            notes.append(("output", f"{name(number)} wrote more than {_size(limits.max_output)} of output and was "
                                    "interrupted; the cells after it ran"))
        elif status == "error" and note.get("ename") == "OutputLimitExceeded":
            notes.append(("output", f"{name(number)} wrote more than {_size(limits.max_output)} of output and was "
                                    "stopped; the cells after it ran"))
        elif status == "error" and note.get("ename") == "MemoryError":
            notes.append(("memory", f"{name(number)} raised MemoryError (over {_size(limits.memory)})"))
        elif status == "error":
            notes.append(("raised", f"{name(number)} raised {note.get('ename')}: "
                                    f"{scrub(note.get('evalue', ''))[:200]}"))
    if result.get("deadline"):
        notes.append(("timeout", f"the notebook reached its {limits.timeout:g} s limit; the cells after it were "
                                 "not run"))
    if result.get("why"):
        notes.append(("crashed", scrub(str(result["why"]))[:300]))
    return sorted(notes, key=lambda n: STATUSES.index(n[0]))


def grade_one(path: Path, student: str, lab: Lab, sandbox: Sandbox, limits: Limits) -> Graded:
    """Run one submission in the sandbox, check its answers here, and say what happened; never raises for
    anything the submission does."""
    graded = Graded(path, student, lab.name, possible=lab.possible)
    nb = nbdata.read(path)   # as data: the cells' names for messages, and the written answers
    graded.written = written_answers(nb, [q["name"] for q in lab.written])
    run = sandbox.run(path, lab.name, [q["name"] for q in lab.auto], limits)
    graded.seconds, graded.peak_memory = run.seconds, run.peak_memory
    notes = _notes(run, limits, nbdata.cell_names(nb))
    points = {q["name"]: q["points"] for q in lab.written}
    for name in graded.blank:
        notes.append(("blank", f"the written answer `{name}` ({points[name]:g} points) is blank: "
                               f"{graded.written[name].why_blank}"))
    notes.sort(key=lambda n: STATUSES.index(n[0]))
    answers = (run.result or {}).get("answers") or {}
    if not isinstance(answers, dict):
        answers = {}
    graded.answers = answers
    results = checks.score(lab.questions, answers)
    graded.scores = {r.name: r.score for r in results}
    if notes:
        graded.status = notes[0][0]
        graded.message = "; ".join(m for _, m in notes[:3]) + (" ..." if len(notes) > 3 else "")
    graded.feedback = feedback(graded, lab, results)
    return graded


def feedback(graded: Graded, lab: Lab, results: list[checks.QuestionResult]) -> str:
    """The student's feedback (Markdown): points per question, public tests' messages, hidden tests passed."""
    written = sum(q["points"] for q in lab.written)
    lines = [f"# Feedback: {lab.name}, {graded.student}", "",
             f"Autograded: {graded.total:g} of {lab.possible:g} points."
             + (f" Written answers, graded by hand: {written:g} points more." if written else ""), ""]
    if graded.message:
        lines += [f"Note ({graded.status}): {graded.message}", ""]
    by_name = {r.name: r for r in results}
    for q in lab.questions:
        if q.get("manual"):
            answer = graded.written.get(q["name"])
            lines.append(f"## `{q['name']}` (graded by hand, {q['points']:g} points)\n")
            lines.append(f"Your answer is blank ({answer.why_blank}): it scores 0 of {q['points']:g} points.\n"
                         if answer is not None and answer.blank else "Read by your instructor.\n")
            continue
        result = by_name[q["name"]]
        lines.append(f"## `{q['name']}`: {result.score:g} of {q['points']:g} points\n")
        if result.problem:
            lines.append(f"Not graded: {scrub(result.problem)}.\n")
            continue
        for test in result.tests:
            if test.hidden:
                lines.append(f"- hidden test: {'passed' if test.passed else 'failed'}")
            else:
                message = scrub(test.message).strip().replace("\n", "\n  ")
                lines.append(f"- public test: {'passed' if test.passed else 'failed'}"
                             + ("" if test.passed else f"\n\n  ```\n  {message}\n  ```"))
        lines.append("")
    return "\n".join(lines)


# ------------------------------------------------------------------------------------------------ the class
def submissions(folder: Path) -> list[Path]:
    """The files of a submissions folder (not hidden ones, not sub-folders), sorted by name."""
    if not folder.is_dir():
        raise FileNotFoundError(f"no submissions folder at {folder}")
    return sorted(p for p in folder.iterdir() if p.is_file() and not p.is_symlink() and not p.name.startswith("."))


class Progress:
    """A progress bar on a terminal (a line per submission otherwise), and the closing count."""

    def __init__(self, total: int, skipped: int, stream=sys.stderr) -> None:
        self.total, self.skipped, self.stream = total, skipped, stream
        self.counts: Counter[str] = Counter()
        self.started = time.monotonic()
        self.tty = hasattr(stream, "isatty") and stream.isatty()

    def done(self, graded: Graded) -> None:
        self.counts[graded.status] += 1
        n = sum(self.counts.values())
        if self.tty:
            width = 30
            filled = int(width * n / max(1, self.total))
            rate = (time.monotonic() - self.started) / n
            self.stream.write(f"\r[{'#' * filled}{'.' * (width - filled)}] {n}/{self.total} "
                              f"{self.summary()}  about {rate * (self.total - n):.0f} s left ")
            if n == self.total:
                self.stream.write("\n")
        else:
            self.stream.write(f"{n}/{self.total} {graded.student}: {graded.lab or '?'} {graded.total:g}/"
                              f"{graded.possible:g} {graded.status}" + (f" ({graded.message})" if graded.message
                                                                         else "") + "\n")
        self.stream.flush()

    def summary(self) -> str:
        parts = [f"{self.counts[s]} {s}" for s in reversed(STATUSES) if self.counts[s]]
        if self.skipped:
            parts.append(f"{self.skipped} already in the gradebook")
        return ", ".join(parts) or "nothing to grade"


def _row(g: Graded, lab: Lab | None) -> dict[str, object]:
    row: dict[str, object] = {"student": g.student, "file": g.path.name, "lab": g.lab, **g.scores,
                              "status": g.status, "message": g.message, "seconds": round(g.seconds, 1),
                              "peak_memory_mb": round(g.peak_memory / 1e6) if g.peak_memory else ""}
    if lab is not None and g.status != "error":
        row.update(autograded_total=g.total, autograded_possible=lab.possible,
                   blank_written=" ".join(g.blank), **{q["name"]: "" for q in lab.written})
        row.update(marking.manual_totals({k: str(v) for k, v in row.items()}, lab.written))
    return row


def prepare_store(python: Path = Path(sys.executable)) -> None:
    """Build the atlas store and the resting-state cache once, before the sandboxes read them read-only."""
    for module in ("therapybrain.atlases", "therapybrain.resting"):
        subprocess.run([str(python), "-m", module, "--build"], check=True, capture_output=True, cwd=ROOT)


def grade_folder(folder: Path, out: Path, *, jobs: int = 2, limits: Limits | None = None, resume: bool = False,
                 sandbox: Sandbox | None = None, course: dict[str, Lab] | None = None,
                 progress_stream=sys.stderr) -> tuple[list[Graded], bool]:
    """Grade every submission of ``folder`` not yet in ``out/gradebook.csv`` (``resume``), ``jobs`` at a time.

    Each row and feedback file is written as its submission ends. Returns (the submissions graded now, whether
    the grader itself worked for every one).
    """
    limits = limits or Limits()
    course = course if course is not None else course_labs()
    sandbox = sandbox or Sandbox.for_course()
    paths = submissions(folder)
    ids = student_ids(paths)
    feedback_files = feedback_names(list(ids.values()))
    found: dict[Path, Lab | str] = {}
    for path in paths:
        try:
            found[path] = course[lab_of(path, list(course))]
        except (ValueError, OSError) as error:
            found[path] = str(error)
    present = list(dict.fromkeys(v.name for v in found.values() if isinstance(v, Lab)))
    columns = ([q["name"] for lab in present for q in course[lab].auto]
               + [q["name"] for lab in present for q in course[lab].written])
    book = Gradebook(out / "gradebook.csv", columns, resume=resume)
    todo = [p for p in paths if safe_cell(p.name) not in book.done]
    progress = Progress(len(todo), len(paths) - len(todo), progress_stream)
    lock, graded, worked = threading.Lock(), [], [True]

    def one(path: Path) -> None:
        lab = found[path]
        try:
            if isinstance(lab, Lab):
                g = grade_one(path, ids[path], lab, sandbox, limits)
            else:
                g = Graded(path, ids[path], status="error", message=lab)
        except Exception as error:  # noqa: BLE001 - the grader's own failure: a row that says so, exit 1
            g = Graded(path, ids[path], getattr(lab, "name", ""), status="error",
                       message=f"the grader failed on this submission ({type(error).__name__}: {error})")
            worked[0] = False
        with lock:
            if g.feedback:
                write_text(out / "feedback" / feedback_files[g.student], g.feedback)
            book.write(_row(g, lab if isinstance(lab, Lab) else None))
            graded.append(g)
            progress.done(g)

    with ThreadPoolExecutor(max_workers=max(1, jobs)) as pool:
        list(pool.map(one, todo))
    write_written_sheets(folder, out, course)
    return graded, worked[0]


def write_written_sheets(folder: Path, out: Path, course: dict[str, Lab]) -> list[Path]:
    """``out/written/<lab>.html`` and ``.csv`` for every lab of the gradebook with questions graded by hand.

    The answers are read from the submitted files in ``folder`` (as data, never run), for every row of the
    gradebook that was graded (resumed rows too); points already entered in an earlier sheet are kept.
    """
    entries: dict[str, list[marking.Entry]] = {}
    for row in read_rows(out / "gradebook.csv"):
        lab = course.get(row.get("lab", ""))
        path = folder / plain_cell(row.get("file", ""))
        if lab is None or not lab.written or row.get("status") == "error" or path.parent != folder:
            continue
        try:
            answers = written_answers(nbdata.read(path), [q["name"] for q in lab.written])
        except (ValueError, OSError):
            continue
        for answer in answers.values():
            entries.setdefault(lab.name, []).append(
                marking.Entry(lab.name, plain_cell(row["student"]), plain_cell(row["file"]), answer))
    written = []
    for name, found in entries.items():
        written += marking.write_sheet(name, course[name].questions, found, marking.sheet_folder(out),
                                       course[name].models)
    return written


# -------------------------------------------------------------------------------------------- command line
def size(text: str) -> int:
    """Bytes from ``512M``, ``3G``, ``200000`` (an argparse type: a clear error otherwise)."""
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kKmMgG]?)[bB]?\s*", text)
    if not m:
        raise argparse.ArgumentTypeError(f"{text!r} is not a size: use bytes or a number with K, M or G (512M, 3G)")
    return int(float(m[1]) * 1024 ** " KMG".index(m[2].upper() or " "))


def seconds(text: str) -> float:
    """Positive seconds (an argparse type)."""
    try:
        value = float(text)
    except ValueError:
        value = -1
    if value <= 0:
        raise argparse.ArgumentTypeError(f"{text!r} is not a positive number of seconds")
    return value


def main(argv: list[str] | None = None) -> int:
    defaults = Limits()
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                     epilog="--no-sandbox: " + NO_SANDBOX_WARNING.split(": ", 2)[-1])
    parser.add_argument("submissions", type=Path, nargs="?", help="a folder of submitted notebooks")
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "grades",
                        help="where to write (default _build/grades)")
    parser.add_argument("--jobs", type=int, default=int(os.environ.get("JOBS") or 2), help="notebooks graded at once")
    parser.add_argument("--resume", action="store_true", help="keep the gradebook's rows; grade only the others")
    parser.add_argument("--roster", type=Path, help="the LMS's roster CSV: also write Canvas and Moodle import files")
    parser.add_argument("--cell-timeout", type=seconds, default=defaults.cell_timeout,
                        help=f"seconds per cell before it is interrupted (default {defaults.cell_timeout:g})")
    parser.add_argument("--timeout", type=seconds, default=defaults.timeout,
                        help=f"seconds per notebook (default {defaults.timeout:g})")
    parser.add_argument("--memory", type=size, default=defaults.memory,
                        help=f"memory per notebook, e.g. 3G (default {_size(defaults.memory)})")
    parser.add_argument("--max-output", type=size, default=defaults.max_output,
                        help=f"output per cell before it is interrupted (default {_size(defaults.max_output)})")
    parser.add_argument("--disk", type=size, default=defaults.disk,
                        help=f"space in a notebook's own folder (default {_size(defaults.disk)})")
    parser.add_argument("--no-sandbox", action="store_true",
                        help="run submissions without bubblewrap (unsafe: see below)")
    parser.add_argument("--merge-written", type=Path, nargs="+", metavar="FILE",
                        help="grade nothing: merge the points entered in these written-answer sheets "
                             "(OUT/written/<lab>.csv, or the page's saved CSV) into OUT/gradebook.csv, then write "
                             "the LMS files again (with --roster)")
    args = parser.parse_args(argv)
    if args.merge_written:
        return merge_written(args.out, args.merge_written, args.roster)
    if args.submissions is None:
        parser.error("give a folder of submissions (or --merge-written FILE)")
    limits = Limits(cell_timeout=args.cell_timeout, timeout=args.timeout, memory=args.memory,
                    max_output=args.max_output, disk=args.disk, processes=defaults.processes)
    try:
        if not args.submissions.is_dir():
            raise FileNotFoundError(f"no submissions folder at {args.submissions}")
        course = course_labs()
        sandbox = Sandbox.for_course(sandbox=not args.no_sandbox)
        if args.no_sandbox:
            print(NO_SANDBOX_WARNING, file=sys.stderr)
        prepare_store(sandbox.python)
        graded, worked = grade_folder(args.submissions, args.out, jobs=args.jobs, limits=limits,
                                      resume=args.resume, sandbox=sandbox, course=course)
    except (FileNotFoundError, SandboxUnavailable, EditionError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    counts = Counter(g.status for g in graded)
    line = ", ".join(f"{counts[s]} {s}" for s in reversed(STATUSES) if counts[s]) or "nothing new to grade"
    print(f"{line}; gradebook: {args.out / 'gradebook.csv'}; feedback: {args.out / 'feedback'}")
    sheets = sorted(marking.sheet_folder(args.out).glob("*.html"))
    if sheets:
        print("written answers to grade by hand: " + ", ".join(str(p) for p in sheets)
              + " (enter the points, then --merge-written the CSV)")
    if args.roster:
        try:
            written = write_lms_files(args.out, args.roster, course)
        except ValueError as error:
            print(f"error: --roster: {error}", file=sys.stderr)
            return 2
        print("LMS import files: " + ", ".join(str(p) for p in written.values()))
    return 0 if worked else 1


def merge_written(out: Path, sheets: list[Path], roster: Path | None = None,
                  course: dict[str, Lab] | None = None) -> int:
    """``--merge-written``: the points of the sheets into ``out/gradebook.csv``, then the LMS files (exit status)."""
    try:
        course = course if course is not None else course_labs()
        merged = marking.merge(out / "gradebook.csv", sheets, {name: lab.questions for name, lab in course.items()})
    except (marking.PointsError, EditionError) as error:
        print(f"error: --merge-written: nothing was merged:\n{error}", file=sys.stderr)
        return 2
    print(f"merged the points of {merged} written answer{'s' if merged != 1 else ''} into {out / 'gradebook.csv'}")
    updated = written_feedback(out, course)
    if updated:
        print(f"feedback with the written answers' points: {updated} file{'s' if updated != 1 else ''} in "
              f"{out / 'feedback'}")
    if roster:
        try:
            written = write_lms_files(out, roster, course)
        except ValueError as error:
            print(f"error: --roster: {error}", file=sys.stderr)
            return 2
        print("LMS import files: " + ", ".join(str(p) for p in written.values()))
    return 0


def written_feedback(out: Path, course: dict[str, Lab]) -> int:
    """Put the merged points of the written answers into the feedback files (found by their title line);
    returns how many files changed."""
    titles = {}
    for path in sorted((out / "feedback").glob("*.md")):
        first = path.read_text(encoding="utf-8").split("\n", 1)[0]
        titles.setdefault(first, path)
    changed = 0
    for row in read_rows(out / "gradebook.csv"):
        lab = course.get(row.get("lab", ""))
        path = titles.get(f"# Feedback: {row.get('lab')}, {plain_cell(row.get('student', ''))}")
        if lab is None or path is None or row.get("status") == "error":
            continue
        text = before = path.read_text(encoding="utf-8")
        for q in lab.written:
            points = marking.number(row.get(q["name"], "") or "")
            if points is None:
                continue
            text = re.sub(rf"(?m)^## `{re.escape(q['name'])}`[^\n]*\n\n(Your answer is blank[^\n]*|[^\n]*)\n",
                          lambda m, q=q, points=points: (
                              f"## `{q['name']}`: {points:g} of {q['points']:g} points (graded by hand)\n\n"
                              + (m.group(1) if m.group(1).startswith("Your answer is blank") else
                                 "Read and graded by your instructor.") + "\n"), text)
        total = marking.number(row.get("total", "") or "")
        if total is not None and lab.written:
            summary = (f"Autograded: {row['autograded_total']} of {lab.possible:g} points. Written answers: "
                       f"{row['manual_points']} of {lab.manual:g} points. Total: {total:g} of "
                       f"{lab.possible + lab.manual:g} points.")
            text = re.sub(r"(?m)^Autograded: .*$", lambda m, summary=summary: summary, text, count=1)
        if text != before:
            write_text(path, text)
            changed += 1
    return changed


def write_lms_files(out: Path, roster_path: Path, course: dict[str, Lab]) -> dict[str, Path]:
    """The Canvas and Moodle import files from the whole gradebook (resumed rows included)."""
    from scripts.grading import lms

    roster = lms.read_roster(roster_path)
    rows = read_rows(out / "gradebook.csv")
    scores = []
    for row in rows:
        points = None
        if row["status"] != "error" and row["autograded_total"] != "":
            points = float(row["autograded_total"]) + _number(row.get(MANUAL_COLUMN, ""))
        lab = course.get(row["lab"])
        scores.append(lms.Score(submission_id=plain_cell(row["student"]), filename=plain_cell(row["file"]),
                                lab=row["lab"], points=points, possible=lab.possible + lab.manual if lab else 0.0,
                                status=row["status"]))
    return lms.write_imports(scores, roster, out)


def _number(cell: str) -> float:
    """The instructor's hand-graded points from the gradebook (0 while the cell is empty)."""
    try:
        return float(cell)
    except ValueError:
        return 0.0



if __name__ == "__main__":
    sys.exit(main())
