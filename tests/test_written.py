"""Written answers and the messages students meet, without running a notebook (scripts/grading/notebook.py,
marking.py, scrub.py): real student notebooks read as data, the sheet to mark them, the points merged back.

The end-to-end runs (a class graded in the sandbox, then its sheet, points and merge) are in
tests/test_grader_attacks.py (a tiny lab) and tests/test_grading.py (the course's labs).
"""

from __future__ import annotations

import copy
import csv
import html
import json
from pathlib import Path

import pytest

from conftest import ROOT
from scripts import editions
from scripts.grading import marking
from scripts.grading.gradebook import Gradebook
from scripts.grading.notebook import PLACEHOLDER, WrittenAnswer, cell_names, read, written_answers
from scripts.grading.scrub import scrub

SPEC = [{"name": "n", "points": 1, "public": ["assert True"], "hidden": ["assert n == 1"]},
        {"name": "why", "points": 2, "manual": True, "prompt": "Why <so>?", "rubric": "2: a reason & a source"}]


@pytest.fixture(scope="module")
def assignments() -> Path:
    """The student and autograder notebooks otter assign writes (generated when missing)."""
    build = ROOT / "_build"
    try:
        [editions.autograder_zip(lab, build) for lab in editions.labs(ROOT)]
    except editions.EditionError:
        editions.make_assignments(ROOT, build)
    return build / "assignments"


def _manual(lab: Path) -> list[str]:
    return [q["name"] for q in editions.questions(lab) if q.get("manual")]


def test_every_student_notebook_as_given_has_blank_written_answers_and_the_solutions_do_not(assignments):
    labs = [lab for lab in editions.labs(ROOT) if _manual(lab)]
    assert labs
    for lab in labs:
        student = written_answers(read(assignments / lab.stem / "student" / lab.name), _manual(lab))
        solution = written_answers(read(assignments / lab.stem / "autograder" / lab.name), _manual(lab))
        for name in _manual(lab):
            assert student[name].found and student[name].blank, (lab.stem, name)
            assert student[name].why_blank == "the placeholder was left as it was"
            assert solution[name].found and not solution[name].blank, (lab.stem, name)


@pytest.mark.parametrize("typed, blank", [
    ("", True), ("   \n\t", True), (PLACEHOLDER, True), (f"  {PLACEHOLDER}\n\n", True),
    ("Type your answer here, replacing this text.", True), ("It cannot show real patients.", False),
    (f"{PLACEHOLDER}\n\nIt cannot show real patients.", False)])
def test_a_written_answer_is_blank_when_empty_whitespace_or_the_placeholder(assignments, typed, blank):
    lab = next(lab for lab in editions.labs(ROOT) if _manual(lab))
    nb = read(assignments / lab.stem / "student" / lab.name)
    name = _manual(lab)[0]
    for cell in nb["cells"]:
        if "otter_answer_cell" in cell.get("metadata", {}).get("tags", []) and cell["cell_type"] == "markdown":
            cell["source"] = typed
    assert written_answers(nb, [name])[name].blank is blank


def test_cells_a_student_adds_under_a_question_are_part_of_the_answer(assignments):
    lab = next(lab for lab in editions.labs(ROOT) if _manual(lab))
    nb = read(assignments / lab.stem / "student" / lab.name)
    name = _manual(lab)[0]
    at = next(i for i, c in enumerate(nb["cells"]) if f"**Question `{name}`**" in "".join(c["source"]))
    nb["cells"][at + 2:at + 2] = [{"cell_type": "markdown", "metadata": {}, "source": ["Second ", "paragraph."]},
                                  {"cell_type": "code", "metadata": {}, "source": "print(1)", "outputs": [],
                                   "execution_count": None}]
    answer = written_answers(nb, [name])[name]
    assert not answer.blank and "Second paragraph." in answer.text and "```python\nprint(1)\n```" in answer.text
    assert "Key takeaways" not in answer.text   # the locked cell after the answer closes it
    del nb["cells"][at]
    assert written_answers(nb, [name])[name] == WrittenAnswer(name, found=False)


def test_cells_are_named_by_their_place_among_code_cells_and_their_first_line(assignments):
    """The runner counts every cell from 1 (text cells included): the 'cell 28' of a message was hard to find.
    A real student notebook: the answer cell of the first autograded question is named by its place among
    the code cells and by the line the student wrote (not the comment above it)."""
    lab = editions.labs(ROOT)[0]
    nb = read(assignments / lab.stem / "student" / lab.name)
    first = next(q for q in editions.questions(lab) if not q.get("manual"))["name"]
    number, cell = next((i, c) for i, c in enumerate(nb["cells"], start=1)
                        if c["cell_type"] == "code" and f"{first} = ..." in "".join(c["source"]))
    place = sum(c["cell_type"] == "code" for c in nb["cells"][:number])
    assert place < number   # the text cells made the old number larger than any a student can count
    assert cell_names(nb)[number] == f'code cell {place} ("{first} = ...")'


def test_messages_lose_tracebacks_and_machine_paths():
    traceback = ('Traceback (most recent call last):\n  File "/work/main/.venv/lib/python3.12/site-packages/'
                 'pandas/core/frame.py", line 10, in f\n    raise KeyError(x)\nKeyError: \'weekly\'')
    assert scrub(traceback) == "KeyError: 'weekly'"
    assert scrub("\x1b[0;31mValueError\x1b[0m: see /usr/lib/python3.12/json/decoder.py") == \
        "ValueError: see json/decoder.py"
    assert scrub("cannot open /home/student/data/x.csv or /tmp/tb-grade-abc/submission.ipynb") == \
        "cannot open data/x.csv or …/submission.ipynb"
    assert scrub("weights between 0 and 1/2, in km/h") == "weights between 0 and 1/2, in km/h"
    doctest = ("**********************************************************************\n"
               'File "/tmp/tmpa1b2/weekly_stable.py", line 3, in weekly_stable 0\nFailed example:\n'
               "    assert isinstance(weekly_stable, float), 'a number'\nException raised:\n"
               "    Traceback (most recent call last):\n"
               '      File "/usr/lib/python3.12/doctest.py", line 1368, in __run\n'
               "    AssertionError: a number\n")
    assert scrub(doctest) == "AssertionError: a number"


def _entries(answers: dict[str, str]) -> list[marking.Entry]:
    return [marking.Entry("lab", student, f"{student}.ipynb",
                          WrittenAnswer("why", text, not text.strip())) for student, text in answers.items()]


HOSTILE = {"alice": "Because <script>alert(1)</script> and <img src=x onerror=alert(2)>",
           '"><script>alert(3)</script>': "=HYPERLINK(\"http://evil.example\")",
           "bob": "   "}


def test_the_sheet_escapes_everything_and_loads_nothing(tmp_path):
    page, table = marking.write_sheet("lab", SPEC, _entries(HOSTILE), tmp_path, {"why": "A <model> answer"})
    text = page.read_text()
    body = text.split("<body", 1)[1]
    assert body.count("<script") == 1 and "<img" not in body and "alert(3)</script>" not in body
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in body and "Why &lt;so&gt;?" in body
    assert "A &lt;model&gt; answer" in body and "2: a reason &amp; a source" in body
    policy = html.unescape(text.split('http-equiv="Content-Security-Policy" content="', 1)[1].split('"', 1)[0])
    assert policy.startswith("default-src 'none'") and "script-src 'sha256-" in policy
    rows = list(csv.DictReader(table.open(newline="")))
    assert [(r["student"], r["blank"], r["points"]) for r in rows] == [
        ('"><script>alert(3)</script>', "", ""), ("alice", "", ""), ("bob", "yes", "0")]
    assert rows[0]["answer"].startswith("'=HYPERLINK")


def test_the_page_saves_the_points_as_a_csv_that_merges(tmp_path, chromium_browser):
    page, _ = marking.write_sheet("lab", SPEC, _entries(HOSTILE), tmp_path)
    tab = chromium_browser.new_page(accept_downloads=True)
    errors: list[str] = []
    tab.on("console", lambda m: errors.append(m.text) if m.type == "error" else None)
    try:
        tab.goto(page.as_uri())
        boxes = tab.locator("input.points")
        assert boxes.count() == 3 and tab.locator("#status").inner_text() == "1 of 3 answers have points"
        boxes.nth(0).fill("1.5")
        boxes.nth(1).fill("2")
        with tab.expect_download() as download:
            tab.click("#save")
        saved = tmp_path / "saved.csv"
        download.value.save_as(saved)
    finally:
        tab.close()
    assert errors == []
    points = marking.read_points(saved, {"lab": SPEC})
    assert {(p.student, p.points) for p in points} == {('"><script>alert(3)</script>', 1.5), ("alice", 2.0),
                                                       ("bob", 0.0)}


def _gradebook(tmp_path: Path) -> Path:
    book = Gradebook(tmp_path / "gradebook.csv", ["n", "why"])
    for student in ("alice", "=bob"):
        book.write({"student": student, "file": f"{student}.ipynb", "lab": "lab", "n": 1, "why": "",
                    "autograded_total": 1, "autograded_possible": 1, "manual_points": "", "manual_possible": 2,
                    "total": "", "total_possible": 3, "status": "graded"})
    return book.path


def _sheet(tmp_path: Path, lines: str, name: str = "points.csv", encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_text(lines, encoding=encoding)
    return path


def test_points_from_excel_merge_with_a_decimal_comma_semicolons_and_a_byte_order_mark(tmp_path):
    book = _gradebook(tmp_path)
    sheet = _sheet(tmp_path, "lab;student;file;question;max_points;blank;points\nlab;'=bob;=bob.ipynb;why;2;;1,5\n"
                             "lab;alice;alice.ipynb;why;2;;\n", encoding="utf-8-sig")
    assert marking.merge(book, [sheet], {"lab": SPEC}) == 1
    rows = {r["student"]: r for r in csv.DictReader(book.open(newline=""))}
    assert (rows["'=bob"]["why"], rows["'=bob"]["manual_points"], rows["'=bob"]["total"]) == ("1.5", "1.5", "2.5")
    assert (rows["alice"]["why"], rows["alice"]["total"]) == ("", "")   # nothing entered: nothing merged


@pytest.mark.parametrize("line, words", [
    ("lab,alice,alice.ipynb,why,2,,3", "3 points for alice are more than why's 2"),
    ("lab,alice,alice.ipynb,why,2,,-1", "points -1 for alice are negative"),
    ("lab,alice,alice.ipynb,why,2,,two", "points 'two' for alice are not a number"),
    ("lab,alice,alice.ipynb,why,2,,nan", "points 'nan' for alice are not a number"),
    ("lab,alice,alice.ipynb,n,1,,1", "'n' is not a question of lab graded by hand (those are: why)"),
    ("lab,carol,carol.ipynb,why,2,,1", "no student 'carol' for lab in the gradebook (2 there: =bob, alice)"),
    ("other,alice,alice.ipynb,why,2,,1", "unknown lab 'other' (the labs: lab)"),
])
def test_points_that_cannot_be_merged_name_the_line_and_merge_nothing(tmp_path, line, words):
    book = _gradebook(tmp_path)
    before = book.read_bytes()
    sheet = _sheet(tmp_path, "lab,student,file,question,max_points,blank,points\nlab,alice,alice.ipynb,why,2,,2\n"
                             + line + "\n")
    with pytest.raises(marking.PointsError) as error:
        marking.merge(book, [sheet], {"lab": SPEC})
    assert f"points.csv, line 3: {words}" in str(error.value)
    assert book.read_bytes() == before


def test_a_file_that_is_not_a_points_sheet_is_a_clear_error(tmp_path):
    book = _gradebook(tmp_path)
    for content, words in (("name,score\nalice,2\n", "no column lab, student, question, points"),
                           ("", "empty")):
        with pytest.raises(marking.PointsError, match=words):
            marking.merge(book, [_sheet(tmp_path, content)], {"lab": SPEC})
    (tmp_path / "book.xlsx").write_bytes(b"PK\x03\x04 workbook")
    with pytest.raises(marking.PointsError, match="not a CSV file"):
        marking.merge(book, [tmp_path / "book.xlsx"], {"lab": SPEC})


def test_a_sheet_written_again_keeps_the_points_entered(tmp_path):
    _, table = marking.write_sheet("lab", SPEC, _entries({"alice": "A", "bob": ""}), tmp_path)
    table.write_text(table.read_text().replace("lab,alice,alice.ipynb,why,2,,,A", "lab,alice,alice.ipynb,why,2,,2,A"))
    _, table = marking.write_sheet("lab", SPEC, _entries({"alice": "A", "bob": "", "carol": "C"}), tmp_path)
    assert {r["student"]: r["points"] for r in csv.DictReader(table.open(newline=""))} == \
        {"alice": "2", "bob": "0", "carol": ""}
    assert (tmp_path / "lab.csv.bak").exists()


def test_a_notebook_is_read_as_data_only(tmp_path):
    """Anything in a submission's JSON is text to the grader: a cell's source that is not text is no answer."""
    nb = {"cells": [{"cell_type": "markdown", "source": "**Question `why`** (2 points)"},
                    {"cell_type": "markdown", "source": {"__class__": "os.system"}},
                    {"cell_type": "code", "source": ["import os\n", 7, "os.system('rm -rf ~')"]}]}
    path = tmp_path / "odd.ipynb"
    path.write_text(json.dumps(nb))
    answer = written_answers(read(path), ["why"])["why"]
    assert answer.text == "```python\nimport os\nos.system('rm -rf ~')\n```" and not answer.blank
    assert cell_names(copy.deepcopy(nb)) == {3: 'code cell 1 ("import os")'}
    (tmp_path / "list.ipynb").write_text("[1, 2]")
    with pytest.raises(ValueError, match="not a Jupyter notebook"):
        read(tmp_path / "list.ipynb")
