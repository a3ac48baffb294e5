"""Grading end to end, offline (scripts/grade.py: each notebook in the sandbox, its answers checked apart from it).

One class folder is graded once, two notebooks at a time: for every lab its solution notebook (the
autograder's), its student notebook as given, and a copy of the solution with one wrong answer (of the
right form); plus, for one lab, a notebook in which a cell raises, a file that is not a notebook and a
notebook that is not JSON. Then, from the gradebook CSV and the feedback files: every solution scores
full marks, every student notebook as given runs without an error and scores zero, every wrong copy
loses exactly that question's points, and the broken submissions are reported with a clear message
(naming the cell as the student finds it) without stopping the others; every student notebook as given
has its written answers flagged blank, in its row, its feedback and the lab's written-answers sheet.
Grading executes every notebook (about 35 of them): a few minutes.
"""

from __future__ import annotations

import csv
import shutil
from pathlib import Path

import nbformat
import pytest

from conftest import ROOT
from scripts import editions, grade
from scripts.grading.samples import with_wrong_answer, wrong_value

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("grading")]
BROKEN_LAB = "hebbian-lab"


@pytest.fixture(scope="module")
def graded(tmp_path_factory, sandbox) -> tuple[dict[str, dict], Path, dict[str, dict]]:
    """(gradebook rows by student, output folder, {lab: its wrong question}) of one graded class."""
    build = ROOT / "_build"
    try:   # make test built them (make student); generated here when missing
        [editions.autograder_zip(lab, build) for lab in editions.labs(ROOT)]
    except editions.EditionError:
        editions.make_assignments(ROOT, build)
    folder = tmp_path_factory.mktemp("submissions")
    wrong: dict[str, dict] = {}
    for lab in editions.labs(ROOT):
        stem = lab.stem
        solution = editions.assignment_dir(lab, build) / "autograder" / lab.name
        shutil.copy(solution, folder / f"solution-{stem}.ipynb")
        shutil.copy(editions.assignment_dir(lab, build) / "student" / lab.name, folder / f"student-{stem}.ipynb")
        wrong[stem] = next(q for q in editions.questions(lab) if not q.get("manual"))
        nbformat.write(with_wrong_answer(solution, wrong[stem]), folder / f"wrong-{stem}.ipynb")
        if stem == BROKEN_LAB:
            nb = nbformat.read(solution, as_version=4)
            nb.cells.append(nbformat.v4.new_code_cell('raise RuntimeError("a student\'s own error")'))
            nbformat.write(nb, folder / f"raises-{stem}.ipynb")
    (folder / "essay.docx").write_bytes(b"PK\x03\x04 not a notebook")
    (folder / f"truncated-{BROKEN_LAB}.ipynb").write_text('{"cells": [')
    out = tmp_path_factory.mktemp("grades")
    grade.prepare_store()
    _, worked = grade.grade_folder(folder, out, jobs=2, sandbox=sandbox)
    assert worked
    with (out / "gradebook.csv").open(newline="") as f:
        rows = {row["student"]: row for row in csv.DictReader(f)}
    return rows, out, wrong


def _auto(lab: Path) -> list[dict]:
    return [q for q in editions.questions(lab) if not q.get("manual")]


def _written(lab: Path) -> list[dict]:
    return [q for q in editions.questions(lab) if q.get("manual")]


def test_the_gradebook_has_a_row_per_submission_and_a_column_per_question(graded):
    rows, out, _ = graded
    assert len(rows) == 3 * len(editions.labs(ROOT)) + 3 >= 5
    header = next(csv.reader((out / "gradebook.csv").open()))
    assert header[:3] == ["student", "file", "lab"] and "autograded_total" in header and "manual_points" in header
    for lab in editions.labs(ROOT):
        assert all(q["name"] in header for q in _auto(lab) + _written(lab))
        row = rows[f"solution-{lab.stem}"]
        assert float(row["manual_possible"]) == sum(q["points"] for q in _written(lab))
        assert float(row["total_possible"]) == sum(q["points"] for q in editions.questions(lab))
        assert all(row[q["name"]] == "" for q in _written(lab))   # the instructor's, merged from the sheet


def test_every_solution_scores_full_marks(graded):
    rows, out, _ = graded
    for lab in editions.labs(ROOT):
        row = rows[f"solution-{lab.stem}"]
        assert row["status"] == "graded", row["message"]
        possible = sum(q["points"] for q in _auto(lab))
        assert float(row["autograded_total"]) == float(row["autograded_possible"]) == possible, lab.stem
        assert all(float(row[q["name"]]) == q["points"] for q in _auto(lab))
        assert (out / "feedback" / f"solution-{lab.stem}.md").exists()


def test_every_student_notebook_as_given_runs_and_scores_zero(graded):
    rows, out, _ = graded
    for lab in editions.labs(ROOT):
        row = rows[f"student-{lab.stem}"]
        written = [q["name"] for q in _written(lab)]
        assert row["status"] == ("blank" if written else "graded"), f"{lab.stem}: {row['message']}"
        assert row["blank_written"] == " ".join(written)
        assert all(f"the written answer `{name}`" in row["message"] for name in written)
        assert float(row["autograded_total"]) == 0, lab.stem
        feedback = (out / "feedback" / f"student-{lab.stem}.md").read_text()
        assert "not answered yet: replace the `...`" in feedback and "hidden test: passed" not in feedback
        assert feedback.count("Your answer is blank (the placeholder was left as it was)") == len(written)


def test_each_lab_has_a_sheet_of_written_answers_with_the_blank_ones_flagged(graded):
    rows, out, _ = graded
    for lab in editions.labs(ROOT):
        if not _written(lab):
            continue
        sheet = list(csv.DictReader((out / "written" / f"{lab.stem}.csv").open(newline="")))
        graded_here = [s for s, r in rows.items() if r["lab"] == lab.stem and r["status"] != "error"]
        assert sorted(r["student"] for r in sheet) == sorted(graded_here * len(_written(lab)))
        blank = {r["student"] for r in sheet if r["blank"] == "yes"}
        assert f"student-{lab.stem}" in blank and f"solution-{lab.stem}" not in blank, lab.stem
        assert (out / "written" / f"{lab.stem}.html").read_text().count("BLANK: ") == len(blank)


def test_one_wrong_answer_loses_exactly_that_questions_points(graded):
    rows, out, wrong = graded
    for lab in editions.labs(ROOT):
        row, q = rows[f"wrong-{lab.stem}"], wrong[lab.stem]
        assert row["status"] == "graded", row["message"]
        assert float(row[q["name"]]) == 0, f"{lab.stem}: {q['name']} = {wrong_value(q)} was scored"
        assert float(row["autograded_total"]) == float(row["autograded_possible"]) - q["points"], lab.stem
        assert f"`{q['name']}`: 0 of" in (out / "feedback" / f"wrong-{lab.stem}.md").read_text()


def test_broken_submissions_are_reported_and_do_not_stop_the_others(graded):
    rows, _, _ = graded
    raised = rows[f"raises-{BROKEN_LAB}"]
    assert raised["status"] == "raised" and "RuntimeError: a student's own error" in raised["message"]
    lab = next(lab for lab in editions.labs(ROOT) if lab.stem == BROKEN_LAB)
    solution = editions.assignment_dir(lab, ROOT / "_build") / "autograder" / lab.name
    code_cells = sum(c.cell_type == "code" for c in nbformat.read(solution, as_version=4).cells)
    # the appended cell is the last code cell: named by its place among the code cells and its first line
    assert raised["message"].startswith(f"code cell {code_cells + 1} (\"raise RuntimeError('a student's own error')\")")
    assert float(raised["autograded_total"]) == float(raised["autograded_possible"])   # still graded
    assert rows["essay"]["status"] == "error" and "not a Jupyter notebook" in rows["essay"]["message"]
    truncated = rows[f"truncated-{BROKEN_LAB}"]
    assert truncated["status"] == "error" and "not a Jupyter notebook" in truncated["message"]


def test_wrong_values_are_of_the_right_form():
    """The wrong answers above pass the public tests: they are wrong in value only."""
    for lab in editions.labs(ROOT):
        for q in _auto(lab):
            namespace: dict = {}
            exec(f"{q['name']} = {wrong_value(q)}", namespace)
            for test in q["public"]:
                exec(test, namespace)
            with pytest.raises(AssertionError):
                exec(q["hidden"][0], namespace)


def test_a_missing_folder_is_a_clear_error(tmp_path):
    assert grade.main([str(tmp_path / "nowhere"), "--out", str(tmp_path / "out")]) == 2
