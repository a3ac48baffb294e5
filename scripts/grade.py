"""Grade a folder of submitted lab notebooks with otter-grader, offline: a gradebook CSV and one feedback file each.

Usage (from the book's folder; ``make grade SUBMISSIONS=path`` runs it after ``make assignments``)::

    .venv/bin/python -m scripts.grade SUBMISSIONS [--out DIR] [--jobs N]

Each file of SUBMISSIONS (not its sub-folders) is one submission. Its lab is read from the notebook's
metadata (``otter.assignment_name``, which the student notebooks carry) or, failing that, from its file
name (``alice-hebbian-lab.ipynb``). Each notebook is executed and scored by ``otter run``'s own grading
(``otter.api.grade_submission``: no Docker, no network) against the lab's autograder in
``_build/assignments/<lab>/autograder/``, with the public and the hidden tests. Writes into DIR
(default ``_build/grades``):

- ``gradebook.csv``: one row per submission, one column per autograded question (its points), the
  autograded total and possible points, the points of the questions graded by hand (left empty for the
  instructor), a status (``graded``, ``raised``: a cell raised an error; ``error``: not graded) and a
  message. The first column, ``student``, is the file's name without ``.ipynb``: map it to the LMS's
  login or e-mail when importing (Canvas: *Grades > Import*; Moodle: *Grade administration > Import >
  CSV file*).
- ``feedback/<student>.md``: per question the points and what each public test said; hidden tests only
  say passed or failed.

A submission that is not a notebook, names no known lab or fails to run is reported (in the CSV and on
the terminal) and does not stop the others. The exit status is 0 when every submission was graded.
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import shutil
import sys
import tempfile
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from scripts.book import ROOT
from scripts.editions import EditionError, autograder_zip, labs, questions

MANUAL_COLUMN = "manual_points"


@dataclass
class Graded:
    """The grading of one submission (``scores``: question name -> points; empty when not graded)."""

    path: Path
    lab: str = ""
    status: str = "graded"
    message: str = ""
    scores: dict[str, float] = field(default_factory=dict)
    possible: float = 0.0
    feedback: str = ""

    @property
    def student(self) -> str:
        return self.path.stem

    @property
    def total(self) -> float:
        return sum(self.scores.values())


def lab_of(path: Path, known: list[str]) -> str:
    """The lab a submission is for: its notebook metadata, else its file name (ValueError: neither)."""
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
        if not isinstance(nb, dict) or "cells" not in nb:
            raise ValueError
    except (ValueError, UnicodeDecodeError) as error:
        raise ValueError(f"not a Jupyter notebook (a .ipynb file saved by Jupyter is expected): {path.name}") from error
    name = (nb.get("metadata", {}).get("otter") or {}).get("assignment_name")
    if name in known:
        return name
    by_name = [lab for lab in sorted(known, key=len, reverse=True) if lab in path.stem]
    if by_name:
        return by_name[0]
    raise ValueError(f"{path.name}: cannot tell which lab this is (no otter metadata, and the file name contains "
                     f"none of: {', '.join(known)})")


def _errors(nb) -> list[str]:
    """'cell N raised Name: message' for every code cell of an executed notebook that raised."""
    found = []
    for index, cell in enumerate(getattr(nb, "cells", []) or []):
        for output in cell.get("outputs", []) if cell.get("cell_type") == "code" else []:
            if output.get("output_type") == "error":
                found.append(f"cell {index + 1} raised {output.get('ename')}: {str(output.get('evalue'))[:200]}")
    return found


def _feedback(graded: Graded, results, lab_questions: list[dict]) -> str:
    lines = [f"# Feedback: {graded.lab}, {graded.student}", "",
             f"Autograded: {graded.total:g} of {graded.possible:g} points.", ""]
    if graded.message:
        lines += [f"Note: {graded.message}", ""]
    for q in lab_questions:
        if q.get("manual"):
            lines.append(f"## `{q['name']}` (graded by hand, {q['points']:g} points)\n\nRead by your instructor.\n")
            continue
        result = results.results.get(q["name"]) if results is not None else None
        score = result.score if result is not None else 0
        lines.append(f"## `{q['name']}`: {score:g} of {q['points']:g} points\n")
        for case in (result.test_case_results if result is not None else []):
            if case.test_case.hidden:
                lines.append(f"- hidden test: {'passed' if case.passed else 'failed'}")
            else:
                message = case.message.strip().replace("\n", "\n  ")
                lines.append(f"- public test: {'passed' if case.passed else 'failed'}"
                             + ("" if case.passed else f"\n\n  ```\n  {message}\n  ```"))
        lines.append("")
    return "\n".join(lines)


def grade_one(path: Path, build: Path = ROOT / "_build") -> Graded:
    """Grade one submission; every failure is reported in the result, never raised."""
    lab_paths = {p.stem: p for p in labs(build.parent)}
    graded = Graded(path)
    try:
        graded.lab = lab_of(path, list(lab_paths))
        lab_questions = questions(lab_paths[graded.lab])
        zip_path = autograder_zip(graded.lab, build)
    except (ValueError, EditionError) as error:
        graded.status, graded.message = "error", str(error)
        return graded
    from otter.api import grade_submission

    here = os.getcwd()
    with tempfile.TemporaryDirectory(prefix="grade-") as tmp:
        # under the lab's own name: its first cell, otter.Notebook("<lab>.ipynb"), reads the notebook's tests
        copy = Path(tmp) / f"{graded.lab}.ipynb"
        shutil.copy(path, copy)
        try:
            results = grade_submission(str(copy), str(zip_path), quiet=True)
        except Exception as error:  # otter could not run it at all: reported, the others go on
            graded.status = "error"
            graded.message = f"{path.name}: otter could not grade it: {type(error).__name__}: {error}"
            return graded
        finally:
            os.chdir(here)
    auto = [q for q in lab_questions if not q.get("manual")]
    graded.scores = {q["name"]: float(results.results[q["name"]].score) if q["name"] in results.results else 0.0
                     for q in auto}
    graded.possible = float(sum(q["points"] for q in auto))
    raised = _errors(results.notebook)
    if raised:
        graded.status = "raised"
        graded.message = f"{path.name}: " + "; ".join(raised[:3]) + (" ..." if len(raised) > 3 else "")
    graded.feedback = _feedback(graded, results, lab_questions)
    return graded


def submissions(folder: Path) -> list[Path]:
    """The files of a submissions folder (not hidden ones, not sub-folders), sorted by name."""
    if not folder.is_dir():
        raise FileNotFoundError(f"no submissions folder at {folder}")
    return sorted(p for p in folder.iterdir() if p.is_file() and not p.name.startswith("."))


def grade_folder(folder: Path, out: Path, *, jobs: int = 2, build: Path = ROOT / "_build") -> list[Graded]:
    """Grade every submission of ``folder`` (``jobs`` at a time) and write the gradebook and the feedback."""
    paths = submissions(folder)
    with ProcessPoolExecutor(max_workers=max(1, jobs)) as pool:
        graded = list(pool.map(grade_one, paths, [build] * len(paths)))
    write_gradebook(graded, out, build)
    return graded


def write_gradebook(graded: list[Graded], out: Path, build: Path = ROOT / "_build") -> Path:
    """``out/gradebook.csv`` and ``out/feedback/*.md``; returns the CSV's path."""
    out.mkdir(parents=True, exist_ok=True)
    (out / "feedback").mkdir(exist_ok=True)
    order = {p.stem: questions(p) for p in labs(build.parent)}
    columns: list[str] = []
    for lab in dict.fromkeys(g.lab for g in graded if g.lab):
        columns += [q["name"] for q in order[lab] if not q.get("manual") and q["name"] not in columns]
    path = out / "gradebook.csv"
    with path.open("w", newline="") as f:
        writer = csv.writer(f)
        writer.writerow(["student", "lab", *columns, "autograded_total", "autograded_possible", MANUAL_COLUMN,
                         "status", "message"])
        for g in graded:
            manual = sum(q["points"] for q in order.get(g.lab, []) if q.get("manual"))
            writer.writerow([g.student, g.lab, *(f"{g.scores[c]:g}" if c in g.scores else "" for c in columns),
                             f"{g.total:g}" if g.status != "error" else "", f"{g.possible:g}" if g.possible else "",
                             "" if manual else "0", g.status, g.message])
            if g.feedback:
                (out / "feedback" / f"{g.student}.md").write_text(g.feedback)
    return path


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("submissions", type=Path, help="a folder of submitted notebooks")
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "grades",
                        help="where to write (default _build/grades)")
    parser.add_argument("--jobs", type=int, default=int(os.environ.get("JOBS") or 2), help="notebooks graded at once")
    args = parser.parse_args(argv)
    try:
        graded = grade_folder(args.submissions, args.out, jobs=args.jobs)
    except FileNotFoundError as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    for g in graded:
        line = f"{g.student}: {g.lab or '?'} {g.total:g}/{g.possible:g} {g.status}"
        print(line + (f" ({g.message})" if g.message else ""))
    print(f"gradebook: {args.out / 'gradebook.csv'}; feedback: {args.out / 'feedback'}")
    return 0 if all(g.status != "error" for g in graded) else 1


if __name__ == "__main__":
    sys.exit(main())
