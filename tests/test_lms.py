"""The LMS import files (scripts/grading/lms.py): rosters read, submissions matched, files Canvas and Moodle accept."""

from __future__ import annotations

import csv
import re
from pathlib import Path

import pytest

from scripts.grading import lms

# A Canvas gradebook export as Canvas writes it: the Points Possible row, a muted row, the test student,
# an existing assignment column "Title (id)" and read-only total columns.
CANVAS_EXPORT = (
    "Student,ID,SIS User ID,SIS Login ID,Section,hebbian-lab (1234),Current Score,Final Score\n"
    "    Points Possible,,,,,10.00,(read only),(read only)\n"
    ",,,,,Muted,,\n"
    '"Doe, Jane",4021,S-001,jdoe,Psychotherapy A,,65.00,65.00\n'
    '"Roe, Bob",4022,S-002,broe,Psychotherapy A,9.00,90.00,90.00\n'
    '"Moe, Carol",4023,S-003,cmoe,Psychotherapy B,,0.00,0.00\n'
    '"Student, Test",9999,,,Psychotherapy A,,,\n'
)

MOODLE_PARTICIPANTS = (
    "First name,Last name,ID number,Email address\n"
    "Jane,Doe,1001,Jane.Doe@uni.example\n"
    "Bob,Roe,1002,bob.roe@uni.example\n"
    "Carol,Moe,,carol@uni.example\n"
)


def _write(tmp_path: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding=encoding)
    return path


def _rows(path: Path) -> list[list[str]]:
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.reader(f))


def _score(filename: str, lab: str, points: float | None, possible: float = 10.0, status: str = "graded"):
    return lms.Score(Path(filename).stem, filename, lab, points, possible, status)


def _canvas_accepts_header(row: list[str]) -> bool:
    """canvas-lms lib/gradebook_importer.rb, #header? and #update_column_count (the Student/ID/SIS/Section rule)."""
    if not (len(row) > 3 and "Student" in row[0] and "ID" in row[1]):
        return False
    columns = 3
    if re.search(r"SIS\s+Login\s+ID", row[2]):
        columns += 1
    elif re.search(r"SIS\s+User\s+ID", row[2]) and re.search(r"SIS\s+Login\s+ID", row[3]):
        columns += 2
    return "Section" in row[columns - 1]


def test_a_canvas_export_and_canvas_download_names_give_the_file_canvas_imports(tmp_path):
    roster = lms.read_roster(_write(tmp_path, "export.csv", CANVAS_EXPORT))
    assert roster.kind == "canvas"
    assert [e.name for e in roster.entries] == ["Doe, Jane", "Roe, Bob", "Moe, Carol"]  # no PP, muted, test rows
    assert roster.entries[0].ids == {"ID": "4021", "SIS User ID": "S-001", "SIS Login ID": "jdoe"}
    scores = [
        _score("doejane_LATE_4021_77001_hebbian-lab.ipynb", "hebbian-lab", 6.5),  # today's Canvas: "LATE"
        _score("roebob_late_4022_77002_seed-lab.ipynb", "seed-lab", 7.0, possible=8.0),  # older: "late"
    ]
    written = lms.write_imports(scores, roster, tmp_path / "out")
    assert set(written) == {"canvas", "unmatched"}  # no Moodle ids in a Canvas export
    rows = _rows(written["canvas"])
    header, points_possible, *students = rows
    assert header == ["Student", "ID", "SIS User ID", "SIS Login ID", "Section", "hebbian-lab (1234)", "seed-lab"]
    assert _canvas_accepts_header(header)
    assert points_possible == ["Points Possible", "", "", "", "", "10", "8"]
    assert students == [
        # Jane has no seed-lab score: blank (a new assignment has nothing to clear), never 0.
        ["Doe, Jane", "4021", "S-001", "jdoe", "Psychotherapy A", "6.5", ""],
        # Bob has no hebbian-lab score: Canvas's own value from the export ("no change"), not a blank that
        # Canvas's importer would take as "remove the grade".
        ["Roe, Bob", "4022", "S-002", "broe", "Psychotherapy A", "9.00", "7"],
    ]  # Carol, who submitted nothing, is left out: Canvas leaves students not in the file alone
    unmatched = _rows(written["unmatched"])
    assert unmatched[0] == ["problem", "file", "lab", "student", "detail"]
    assert unmatched[1:] == [["no submission", "", "", "Moe, Carol", "ID 4023, SIS User ID S-003, SIS Login ID cmoe"]]


def test_canvas_export_read_with_a_byte_order_mark_and_semicolons(tmp_path):
    text = CANVAS_EXPORT.replace(",", ";").replace('"Doe; Jane"', '"Doe, Jane"').replace('"Roe; Bob"', '"Roe, Bob"')
    text = text.replace('"Moe; Carol"', '"Moe, Carol"').replace('"Student; Test"', '"Student, Test"')
    roster = lms.read_roster(_write(tmp_path, "export.csv", text, encoding="utf-8-sig"))
    assert roster.kind == "canvas"
    assert roster.match("x", "roebob_4022_5_lab.ipynb").name == "Roe, Bob"
    assert roster.match("jdoe", "jdoe.ipynb").name == "Doe, Jane"  # a stem equal to the SIS Login ID
    assert roster.match("anon_x7k2p_77003_lab", "anon_x7k2p_77003_lab.ipynb") is None  # anonymous grading


def test_a_moodle_roster_gives_an_identifier_column_and_a_grade_column(tmp_path):
    roster = lms.read_roster(_write(tmp_path, "participants.csv", MOODLE_PARTICIPANTS))
    assert roster.kind == "moodle"
    assert roster.entries[0].name == "Jane Doe"
    team = "Team-2-Bob Roe_318850_assignsubmission_file_lab.ipynb"  # a group's submission: "<group>-<name>"
    assert roster.match(Path(team).stem, team).name == "Bob Roe"
    assert roster.match("x", "jane doe_1_assignsubmission_onlinetext_onlinetext.html").name == "Jane Doe"
    scores = [
        _score("Jane Doe_318842_assignsubmission_file_hebbian-lab.ipynb", "hebbian-lab", 7.0),
        _score("Bob Roe_318843_assignsubmission_file_hebbian-lab.ipynb", "hebbian-lab", None, status="error"),
    ]
    written = lms.write_imports(scores, roster, tmp_path / "out")
    assert set(written) == {"moodle", "unmatched"}
    rows = _rows(written["moodle"])
    # E-mail first (the Moodle doc's tip), written exactly (Moodle compares it case-sensitively).
    assert rows == [["Email address", "First name", "Last name", "hebbian-lab"],
                    ["Jane.Doe@uni.example", "Jane", "Doe", "7"]]
    # Bob's notebook was not graded: no row (a blank would clear his Moodle grade); he did submit.
    problems = _rows(written["unmatched"])[1:]
    assert [p[0] for p in problems] == ["no submission"]
    assert problems[0][3] == "Carol Moe"


def test_a_moodle_grade_export_column_is_reused_and_its_value_kept(tmp_path):
    export = (
        "First name,Surname,ID number,Institution,Department,Email address,"
        "Assignment: hebbian-lab (Real),Assignment: seed-lab (Real),Last downloaded from this course\n"
        "Jane,Doe,1001,,,jane@uni.example,-,5.00,1700000000\n"
        "Bob,Roe,1002,,,bob@uni.example,8.00,-,1700000000\n"
    )
    roster = lms.read_roster(_write(tmp_path, "grades.csv", export))
    assert roster.kind == "moodle"
    scores = [_score("Jane Doe_1_assignsubmission_file_a.ipynb", "hebbian-lab", 6.0),
              _score("Bob Roe_2_assignsubmission_file_b.ipynb", "seed-lab", 4.5)]
    rows = _rows(lms.write_imports(scores, roster, tmp_path / "out")["moodle"])
    # The export's headers, which Moodle's import maps to the grade items by itself; a lab a student has no
    # score for keeps the export's value ("-" is Moodle's "no grade").
    assert rows == [["Email address", "First name", "Last name", "Assignment: hebbian-lab (Real)",
                     "Assignment: seed-lab (Real)"],
                    ["jane@uni.example", "Jane", "Doe", "6", "5.00"],
                    ["bob@uni.example", "Bob", "Roe", "8.00", "4.5"]]


def test_a_plain_roster_gives_both_files(tmp_path):
    plain = ("submission,name,SIS Login ID,Email\n"
             "alice,Alice Liddell,aliddell,alice@uni.example\n"
             "bob,Bob Roe,broe,bob@uni.example\n")
    roster = lms.read_roster(_write(tmp_path, "roster.csv", plain))
    assert roster.kind == "plain"
    assert roster.entries[0].ids == {"submission": "alice", "SIS Login ID": "aliddell", "Email": "alice@uni.example"}
    scores = [_score("Alice-hebbian-lab.ipynb", "hebbian-lab", 9.0),  # "<id>-<lab>", case ignored
              _score("bob@uni.example.ipynb", "hebbian-lab", 3.25)]  # the stem is the e-mail
    written = lms.write_imports(scores, roster, tmp_path / "out")
    assert set(written) == {"canvas", "moodle", "unmatched"}
    canvas = _rows(written["canvas"])
    assert _canvas_accepts_header(canvas[0])
    assert canvas[2:] == [["Alice Liddell", "", "", "aliddell", "", "9"], ["Bob Roe", "", "", "broe", "", "3.25"]]
    assert _rows(written["moodle"]) == [["Email address", "Name", "hebbian-lab"],
                                        ["alice@uni.example", "Alice Liddell", "9"],
                                        ["bob@uni.example", "Bob Roe", "3.25"]]
    assert _rows(written["unmatched"]) == [["problem", "file", "lab", "student", "detail"]]


def test_ambiguous_and_unmatched_submissions_are_listed_not_imported(tmp_path):
    twins = MOODLE_PARTICIPANTS + "Jane,Doe,1003,jane.doe2@uni.example\n"
    roster = lms.read_roster(_write(tmp_path, "participants.csv", twins))
    ambiguous = "Jane Doe_5_assignsubmission_file_hebbian-lab.ipynb"
    assert roster.match(Path(ambiguous).stem, ambiguous) is None
    assert len(roster.candidates(Path(ambiguous).stem, ambiguous)) == 2
    scores = [_score(ambiguous, "hebbian-lab", 7.0),
              _score("zed.ipynb", "hebbian-lab", 5.0),
              _score("Bob Roe_6_assignsubmission_file_hebbian-lab.ipynb", "hebbian-lab", 8.0)]
    written = lms.write_imports(scores, roster, tmp_path / "out")
    assert _rows(written["moodle"])[1:] == [["bob.roe@uni.example", "Bob", "Roe", "8"]]
    problems = _rows(written["unmatched"])[1:]
    assert problems[0] == ["ambiguous", ambiguous, "hebbian-lab", "Jane Doe; Jane Doe",
                           "matches 2 rows of the roster; not imported"]
    assert problems[1] == ["no roster row", "zed.ipynb", "hebbian-lab", "", "matches no row of the roster"]
    assert sorted(p[3] for p in problems if p[0] == "no submission") == ["Carol Moe", "Jane Doe", "Jane Doe"]


def test_two_graded_submissions_of_one_lab_give_no_grade(tmp_path):
    roster = lms.read_roster(_write(tmp_path, "export.csv", CANVAS_EXPORT))
    scores = [_score("doejane_4021_1_hebbian-lab.ipynb", "hebbian-lab", 6.0),
              _score("doejane_4021_2_hebbian-lab-1.ipynb", "hebbian-lab", 9.0),
              _score("roebob_4022_3_hebbian-lab.ipynb", "hebbian-lab", 4.0)]
    written = lms.write_imports(scores, roster, tmp_path / "out")
    assert [row[0] for row in _rows(written["canvas"])[2:]] == ["Roe, Bob"]
    several = [p for p in _rows(written["unmatched"]) if p[0] == "several submissions"]
    assert [p[1] for p in several] == ["doejane_4021_1_hebbian-lab.ipynb", "doejane_4021_2_hebbian-lab-1.ipynb"]


def test_text_that_a_spreadsheet_would_run_is_made_safe_but_ids_are_not(tmp_path):
    export = ("Student,ID,SIS User ID,SIS Login ID,Section\n"
              '"=HYPERLINK(""http://x.example"",""Doe"")",4021,+44,-jdoe,@home\n'
              '"Roe, Bob",4022,,broe,A\n')
    roster = lms.read_roster(_write(tmp_path, "export.csv", export))
    scores = [_score("hyperlinkdoe_4021_1_lab.ipynb", "hebbian-lab", 5.0),
              _score("=cmd.ipynb", "hebbian-lab", 1.0)]
    written = lms.write_imports(scores, roster, tmp_path / "out")
    student = _rows(written["canvas"])[2]
    assert student == ["'=HYPERLINK(\"http://x.example\",\"Doe\")", "4021", "+44", "-jdoe", "'@home", "5"]
    problems = _rows(written["unmatched"])[1:]
    assert problems[0][:2] == ["no roster row", "'=cmd.ipynb"]
    for row in problems:
        assert not any(cell.startswith(("=", "+", "-", "@", "\t", "\r")) for cell in row), row


def test_moodle_rows_without_the_identifier_are_left_out_never_blank(tmp_path):
    roster = lms.read_roster(_write(tmp_path, "participants.csv", MOODLE_PARTICIPANTS))
    scores = [_score("Jane Doe_1_assignsubmission_file_a.ipynb", "lab", 7.0),
              _score("Carol Moe_2_assignsubmission_file_a.ipynb", "lab", 6.0)]
    written = lms.write_imports(scores, roster, tmp_path / "out")
    rows = _rows(written["moodle"])
    assert rows[0][0] == "Email address"  # every graded student has one; Carol's ID number is blank
    assert [r[0] for r in rows[1:]] == ["Jane.Doe@uni.example", "carol@uni.example"]
    ids_only = ("First name,Last name,ID number\nJane,Doe,1001\nCarol,Moe,\n")
    written = lms.write_imports(scores, lms.read_roster(_write(tmp_path, "ids.csv", ids_only)), tmp_path / "o2")
    assert _rows(written["moodle"])[1:] == [["1001", "Jane", "Doe", "7"]]
    assert ["no Moodle id", "", "", "Carol Moe", "no ID number in the roster; left out of moodle-import.csv"] in \
        _rows(written["unmatched"])


def test_no_scores_no_import_files(tmp_path):
    roster = lms.read_roster(_write(tmp_path, "export.csv", CANVAS_EXPORT))
    written = lms.write_imports([_score("doejane_4021_1_x.ipynb", "", None, status="error")], roster, tmp_path / "o")
    assert set(written) == {"unmatched"}
    assert not (tmp_path / "o" / "canvas-import.csv").exists()


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("roster.xlsx", b"PK\x03\x04\x14\x00\x06\x00workbook"),  # an Excel workbook, not a CSV
        ("roster.csv", b"name,score\nJane Doe,7\n"),  # no id columns
        ("roster.csv", "Nom,Pr\xe9nom\nDoe,Jane\n".encode("latin-1")),  # not UTF-8
        ("roster.csv", b"\n\n"),  # empty
        ("roster.csv", b"submission,Email address\n"),  # a header, no students
    ],
)
def test_a_bad_roster_is_a_value_error_naming_the_formats(tmp_path, name, content):
    path = tmp_path / name
    path.write_bytes(content)
    with pytest.raises(ValueError) as error:
        lms.read_roster(path)
    message = str(error.value)
    assert path.name in message
    for expected in ("Canvas gradebook export", "Student, ID", "Section", "Moodle", "Email address", "'submission'"):
        assert expected in message


def test_a_missing_roster_is_a_value_error(tmp_path):
    with pytest.raises(ValueError, match="cannot read the roster"):
        lms.read_roster(tmp_path / "nowhere.csv")
