"""Grading end to end, offline (scripts/grade.py: each notebook in the sandbox, its answers checked apart from it).

One class folder is graded once, two notebooks at a time: for every lab its solution notebook (the
autograder's) with the code of its exercises' solutions inserted (so that grading it also runs every
exercise solution: an answer key that no longer runs cannot land); and, for one lab, its student notebook as
given, a copy of the solution with one wrong answer (of the right form), a notebook in which a cell raises,
a file that is not a notebook and a notebook that is not JSON. Then, from the gradebook CSV and the feedback
files: every solution scores full marks and runs without an error, the student notebook as given scores
zero with its written answers flagged blank, the wrong copy loses exactly that question's points, and the
broken submissions are reported with a clear message (naming the cell as the student finds it) without
stopping the others.

What needs no second kernel is checked on every lab from the answers the solutions' runs gave (the grader
keeps them): every wrong answer of every question, scored by the grader's own checker, loses exactly that
question's points; every student notebook's answer cells are the placeholder, which scores zero, and its
written answers are blank. The student notebooks themselves run, as given, in tests/test_binder.py.
Grading executes 15 notebooks: a few minutes.
"""

from __future__ import annotations

import ast
import csv
import shutil
from pathlib import Path

import nbformat
import pytest
from IPython.core.inputtransformer2 import TransformerManager

from conftest import ROOT
from scripts import editions, grade
from scripts.grading import checks
from scripts.grading.notebook import read as read_notebook
from scripts.grading.notebook import written_answers
from scripts.grading.plaindata import encode
from scripts.grading.samples import with_exercise_solutions, with_wrong_answer, wrong_value

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("grading")]
BROKEN_LAB = "hebbian-lab"


@pytest.fixture(scope="module")
def graded(tmp_path_factory, sandbox) -> tuple[dict[str, dict], Path, dict[str, dict], dict[str, grade.Graded]]:
    """(gradebook rows by student, output folder, {lab: its wrong question}, Graded by student) of one class."""
    build = ROOT / "_build"
    try:   # make test built them (make student); generated here when missing
        [editions.autograder_zip(lab, build) for lab in editions.labs(ROOT)]
    except editions.EditionError:
        editions.make_assignments(ROOT, build)
    folder = tmp_path_factory.mktemp("submissions")
    wrong: dict[str, dict] = {}
    for lab in editions.labs(ROOT):
        solution = editions.assignment_dir(lab, build) / "autograder" / lab.name
        nb, inserted = with_exercise_solutions(solution, lab)
        assert inserted, f"{lab.name}: no exercise solution was inserted"
        nbformat.write(nb, folder / f"solution-{lab.stem}.ipynb")
        if lab.stem == BROKEN_LAB:
            student = editions.assignment_dir(lab, build) / "student" / lab.name
            shutil.copy(student, folder / f"student-{lab.stem}.ipynb")
            wrong[lab.stem] = next(q for q in editions.questions(lab) if not q.get("manual"))
            nbformat.write(with_wrong_answer(solution, wrong[lab.stem]), folder / f"wrong-{lab.stem}.ipynb")
            nb = nbformat.read(solution, as_version=4)
            nb.cells.append(nbformat.v4.new_code_cell('raise RuntimeError("a student\'s own error")'))
            nbformat.write(nb, folder / f"raises-{lab.stem}.ipynb")
    (folder / "essay.docx").write_bytes(b"PK\x03\x04 not a notebook")
    (folder / f"truncated-{BROKEN_LAB}.ipynb").write_text('{"cells": [')
    out = tmp_path_factory.mktemp("grades")
    grade.prepare_store()
    done, worked = grade.grade_folder(folder, out, jobs=2, sandbox=sandbox)
    assert worked
    with (out / "gradebook.csv").open(newline="") as f:
        rows = {row["student"]: row for row in csv.DictReader(f)}
    return rows, out, wrong, {g.student: g for g in done}


def _auto(lab: Path) -> list[dict]:
    return [q for q in editions.questions(lab) if not q.get("manual")]


def _written(lab: Path) -> list[dict]:
    return [q for q in editions.questions(lab) if q.get("manual")]


def test_the_gradebook_has_a_row_per_submission_and_a_column_per_question(graded):
    rows, out, _, _ = graded
    assert len(rows) == len(editions.labs(ROOT)) + 5 >= 6
    header = next(csv.reader((out / "gradebook.csv").open()))
    assert header[:3] == ["student", "file", "lab"] and "autograded_total" in header and "manual_points" in header
    for lab in editions.labs(ROOT):
        assert all(q["name"] in header for q in _auto(lab) + _written(lab))
        row = rows[f"solution-{lab.stem}"]
        assert float(row["manual_possible"]) == sum(q["points"] for q in _written(lab))
        assert float(row["total_possible"]) == sum(q["points"] for q in editions.questions(lab))
        assert all(row[q["name"]] == "" for q in _written(lab))   # the instructor's, merged from the sheet


def test_every_solution_and_exercise_solution_runs_and_scores_full_marks(graded):
    """Status 'graded' with no message: no cell raised (the exercises' solutions included), none timed out."""
    rows, out, _, _ = graded
    for lab in editions.labs(ROOT):
        row = rows[f"solution-{lab.stem}"]
        assert row["status"] == "graded" and not row["message"], f"{lab.stem}: {row['status']}: {row['message']}"
        possible = sum(q["points"] for q in _auto(lab))
        assert float(row["autograded_total"]) == float(row["autograded_possible"]) == possible, lab.stem
        assert all(float(row[q["name"]]) == q["points"] for q in _auto(lab))
        assert (out / "feedback" / f"solution-{lab.stem}.md").exists()


def test_no_solution_types_its_answer():
    """Full marks prove something only if the solution computes its answer: an answer typed as a literal
    (``x = 0.48``, ``name = 'amygdala'``) would pass the hidden test that holds the same literal, whatever
    the data say. Each autograded solution's last assignment must compute (a call, a name, an operation)."""
    typed = []
    for lab in editions.labs(ROOT):
        for q in _auto(lab):
            assignment = ast.parse(q["solution"]).body[-1]
            try:
                value = ast.literal_eval(assignment.value)
            except ValueError:
                continue   # not a literal: computed
            typed.append(f"{lab.stem}: {q['name']} = {value!r}")
    assert not typed, f"solutions that type their answer instead of computing it: {typed}"


def test_a_student_notebook_as_given_runs_and_scores_zero(graded):
    rows, out, _, _ = graded
    lab = next(lab for lab in editions.labs(ROOT) if lab.stem == BROKEN_LAB)
    row = rows[f"student-{lab.stem}"]
    written = [q["name"] for q in _written(lab)]
    assert row["status"] == ("blank" if written else "graded"), f"{lab.stem}: {row['message']}"
    assert row["blank_written"] == " ".join(written)
    assert all(f"the written answer `{name}`" in row["message"] for name in written)
    assert float(row["autograded_total"]) == 0, lab.stem
    feedback = (out / "feedback" / f"student-{lab.stem}.md").read_text()
    assert "not answered yet: replace the `...`" in feedback and "hidden test: passed" not in feedback
    assert feedback.count("Your answer is blank (the placeholder was left as it was)") == len(written)


def test_every_student_notebook_leaves_each_answer_to_the_student():
    """Each autograded answer of each student notebook is assigned once, as the placeholder ``...`` (which the
    grader's checker scores zero, saying what to do), and each written answer is blank."""
    for lab in editions.labs(ROOT):
        path = editions.assignment_dir(lab, ROOT / "_build") / "student" / lab.name
        code = [ast.parse(TransformerManager().transform_cell(c.source))   # %pip... as IPython runs it
                for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
        for q in _auto(lab):
            values = [node.value for tree in code for node in ast.walk(tree) if isinstance(node, ast.Assign)
                      and any(isinstance(t, ast.Name) and t.id == q["name"] for t in node.targets)]
            assert len(values) == 1 and isinstance(values[0], ast.Constant) and values[0].value is Ellipsis, (
                f"{lab.stem}: `{q['name']}` is not left as `{q['name']} = ...`")
        results = checks.score(_auto(lab), {q["name"]: encode(...) for q in _auto(lab)})
        assert all(r.score == 0 and r.problem.startswith("not answered yet") for r in results), lab.stem
        blank = written_answers(read_notebook(path), [q["name"] for q in _written(lab)])
        assert sorted(blank) == sorted(q["name"] for q in _written(lab)) and all(a.blank for a in blank.values())


def test_each_lab_has_a_sheet_of_written_answers_with_the_blank_ones_flagged(graded):
    rows, out, _, _ = graded
    for lab in editions.labs(ROOT):
        if not _written(lab):
            continue
        sheet = list(csv.DictReader((out / "written" / f"{lab.stem}.csv").open(newline="")))
        graded_here = [s for s, r in rows.items() if r["lab"] == lab.stem and r["status"] != "error"]
        assert sorted(r["student"] for r in sheet) == sorted(graded_here * len(_written(lab)))
        blank = {r["student"] for r in sheet if r["blank"] == "yes"}
        assert f"solution-{lab.stem}" not in blank, lab.stem
        assert (f"student-{lab.stem}" in blank) == (lab.stem == BROKEN_LAB), lab.stem
        assert (out / "written" / f"{lab.stem}.html").read_text().count("BLANK: ") == len(blank)


def test_one_wrong_answer_loses_exactly_that_questions_points(graded):
    rows, out, wrong, _ = graded
    (lab, q), = wrong.items()
    row = rows[f"wrong-{lab}"]
    assert row["status"] == "graded", row["message"]
    assert float(row[q["name"]]) == 0, f"{lab}: {q['name']} = {wrong_value(q)} was scored"
    assert float(row["autograded_total"]) == float(row["autograded_possible"]) - q["points"], lab
    assert f"`{q['name']}`: 0 of" in (out / "feedback" / f"wrong-{lab}.md").read_text()


def test_every_wrong_answer_loses_exactly_its_points(graded):
    """For every question of every lab: the answers the solution's run gave, that one replaced by a wrong
    value of the right form, scored by the grader's checker (no kernel: the checker never runs student code)."""
    rows, _, _, done = graded
    for lab in editions.labs(ROOT):
        answers = done[f"solution-{lab.stem}"].answers
        assert sorted(answers) == sorted(q["name"] for q in _auto(lab)), lab.stem
        assert all(r.score == r.points for r in checks.score(_auto(lab), answers)), lab.stem
        for q in _auto(lab):
            changed = {**answers, q["name"]: encode(ast.literal_eval(wrong_value(q)))}
            scores = {r.name: r.score for r in checks.score(_auto(lab), changed)}
            assert scores == {p["name"]: (0.0 if p["name"] == q["name"] else float(p["points"])) for p in _auto(lab)}, (
                f"{lab.stem}: {q['name']} = {wrong_value(q)} gave {scores}")


def test_broken_submissions_are_reported_and_do_not_stop_the_others(graded):
    rows, _, _, _ = graded
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
