"""Grade import files for Canvas and Moodle: the grader's scores mapped to a roster exported from the LMS.

``make grade`` with ``--roster FILE`` reads the roster (``read_roster``), matches each graded submission to one
roster row (``Roster.match``) and writes, beside the gradebook, the files the LMS imports as they are
(``write_imports``): ``canvas-import.csv``, ``moodle-import.csv`` and ``roster-unmatched.csv`` (what could
not be matched, and who has no submission).

What the LMSs document and do (read in their documentation and in their source, which decides):

Canvas, *Grades > Import*. Guides: the Ohio State guide
(https://teaching.resources.osu.edu/toolsets/carmencanvas/guides/calculating-final-grades/import-csv-file-carmen-grades)
asks for the student (name, Student ID or SIS User ID), SIS Login ID, Section and one column per assignment,
starting from a gradebook export; a new assignment column creates a new assignment; an imported score
replaces the one in Canvas. VCU's guide
(https://ts.vcu.edu/askit/teaching-and-learning/canvas/faculty/grading-faculty/gradebook-action-menu-faculty/):
read-only columns of the export are ignored on import. The importer itself (canvas-lms ``lib/gradebook_importer.rb``,
https://github.com/instructure/canvas-lms/blob/master/lib/gradebook_importer.rb):

- the header's first cell contains ``Student`` and its second ``ID``; then ``SIS Login ID``, or ``SIS User ID``,
  ``SIS Login ID`` (then optionally ``Integration ID``, ``Root Account``); the last of these student columns
  must be ``Section``, else "Invalid header row"; ``,`` or ``;`` separated;
- a row whose first cell contains ``Points Possible`` gives the points of each column (used for new
  assignments); rows of only ``Muted``/``Manual Posting`` are skipped;
- a student is found by ``ID`` (the Canvas user id), else by SIS User ID or SIS Login ID, else by name;
  students left out of the file are not touched;
- an assignment column ``Title (123)`` is assignment 123; a bare title is the assignment of that exact title,
  else a new one, created published with the Points Possible row's points
  (``ui/features/gradebook_uploads/jquery/process_gradebook_upload.js``);
- a blank cell where Canvas has a score is a change, not "no change": it removes the score (``posted_grade``
  ``""``; the preview flags it as removing a grade, ``ui/features/gradebook_uploads/jquery/index.js``).

Moodle, *Grade administration > Import > CSV file* (https://docs.moodle.org/311/en/Grade_import): upload, then
in the preview map the user: "Map from" a column of the file to "Map to" ``useremail``, ``username``,
``useridnumber`` or ``userid`` (the doc's tip: e-mail or ID number; https://docs.moodle.org/27/en/Grade_import
adds "email addresses are case sensitive"), and map each grade column to an existing grade item, a "New grade
item" or "Ignore"; grades above 100 need the site's ``unlimitedgrades``. The importer
(https://github.com/moodle/moodle/blob/main/grade/import/csv/classes/load_data.php): a cell ``""`` or ``-`` in
a mapped column sets *no grade* (the existing grade is cleared); a user not found aborts the whole import; a
row with a blank user field keeps the previous row's user. ``grade/import/grade_import_form.php`` maps a column
``<item> (Real)`` to that grade item by itself (a Moodle grade export's header).

Downloaded submissions. Canvas *Download Submissions* (canvas-lms ``lib/content_zipper.rb``):
``<sortable name, lower case, non-word characters dropped>[_LATE]_<Canvas user id>_<attachment id>_<file name>``
(``anon_<id>`` for the user under anonymous grading; older Canvas wrote ``late`` in lower case). Moodle
*Download all submissions* (``mod/assign/locallib.php``, ``download_submissions``):
``<full name, "_" made " ">_<participant id>_assignsubmission_file_<file name>``; the participant id is the
assignment's own, in no export, so the full name is what matches. Since Moodle 3.1 the zip has one folder per
student by default: untick "Download submissions in folders", the grader reads files, not folders.

So this module (the rules it applies):

- roster: a Canvas gradebook export, a Moodle grade export or participants list, or a plain CSV with a
  ``submission`` column (the submission's file stem) and id columns (``Canvas ID``, ``SIS User ID``,
  ``SIS Login ID``, ``Email address``, ``Username``, ``ID number``; ``id``, ``login``... match stems only);
- match: a Canvas download name by its Canvas user id, a Moodle download name by the full name, else the stem
  (without ``-<lab>``) equal, ignoring case, to an id of the row; two rows matched: not matched (ambiguous);
- rows: only students with a score, so that the others keep what the LMS has; a lab without a score in such a
  row: the LMS's current value when the roster is that LMS's export with that column (no change), else blank;
  never 0; a student with several graded submissions of one lab gets none (listed);
- columns: Canvas ``Student, ID, SIS User ID, SIS Login ID, Section`` and one per lab (the export's
  ``Title (id)`` header when it has the lab, else the lab's name: a new assignment), a ``Points Possible`` row;
  Moodle: one identifier column (Email address, else Username, else ID number), the names, one column per lab
  (the export's ``(Real)`` header when it has the lab); points written ``f"{points:g}"``;
- text cells starting with ``= + - @``, tab or CR get a leading ``'`` (spreadsheet formulas), except the ids
  and values the LMS matches on, written as they are in the roster.

Example:

>>> entry = RosterEntry("Doe, Jane", {"ID": "4021"}, {"Student": "Doe, Jane", "ID": "4021", "Section": "A"})
>>> roster = Roster("canvas", [entry], {"Student": "Student", "ID": "ID", "Section": "Section"})
>>> roster.match("doejane_LATE_4021_9981_hebbian-lab", "doejane_LATE_4021_9981_hebbian-lab.ipynb").name
'Doe, Jane'
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from pathlib import Path

from scripts.grading.gradebook import safe_cell

#: The roster formats ``read_roster`` reads, as its errors name them.
FORMATS = (
    "a Canvas gradebook export (Grades > Export: columns Student, ID, [SIS User ID, SIS Login ID,] Section, "
    "then the assignments), a Moodle grade export or participants list (First name, Last name or Surname, "
    "and Email address, Username or ID number), or a plain CSV with a column 'submission' (each submission's "
    "file name without its extension) and any id columns (Canvas ID, SIS User ID, SIS Login ID, Email address, "
    "Username, ID number)"
)

# Header names (lower case, spaces collapsed) -> the column they are, for each kind of roster.
_CANVAS_COLUMNS = {"student": "Student", "id": "ID", "sis user id": "SIS User ID", "sis login id": "SIS Login ID",
                   "integration id": "Integration ID", "section": "Section"}
_MOODLE_COLUMNS = {"first name": "First name", "firstname": "First name", "last name": "Last name",
                   "lastname": "Last name", "surname": "Last name", "id number": "ID number",
                   "idnumber": "ID number", "email address": "Email address", "email": "Email address",
                   "e-mail": "Email address", "e-mail address": "Email address", "username": "Username",
                   "full name": "name", "fullname": "name"}
_PLAIN_COLUMNS = {**_MOODLE_COLUMNS, "submission": "submission", "name": "name", "full name": "name",
                  "student": "name", "canvas id": "ID", "canvas user id": "ID", "sis user id": "SIS User ID",
                  "sis login id": "SIS Login ID", "integration id": "Integration ID", "section": "Section",
                  "id": "id", "login": "login", "student id": "student id", "student number": "student number"}
_COLUMNS = {"canvas": _CANVAS_COLUMNS, "moodle": _MOODLE_COLUMNS, "plain": _PLAIN_COLUMNS}

# The identity columns of each kind (a bare "id" of a plain roster is not taken for a Canvas user id).
_CANVAS_IDS = ("ID", "SIS User ID", "SIS Login ID")
_MOODLE_IDS = ("Email address", "Username", "ID number")  # Moodle's "Map to": useremail, username, useridnumber
_IDS = {"canvas": (*_CANVAS_IDS, "Integration ID"), "moodle": _MOODLE_IDS,
        "plain": ("submission", *_CANVAS_IDS, "Integration ID", *_MOODLE_IDS, "id", "login", "student id",
                  "student number")}

_CANVAS_HEADER = ["Student", "ID", "SIS User ID", "SIS Login ID", "Section"]
_CANVAS_TITLE = re.compile(r"\A(.*)\s\((\d+)\)\Z")  # Assignment.title_and_id in canvas-lms
_CANVAS_MUTED = re.compile(r"^\s*(Muted|Manual Posting.*)?\s*$", re.IGNORECASE)
# <name>[_LATE]_<user id>_<attachment id>_<file>: the user id at every place "_<digits>_<digits>_" starts
# (the name has no "_<digits>_": Canvas takes such digits out of it).
_CANVAS_FILE = re.compile(r"(?=(?:^|_)(\d+)_\d+_.)")
_MOODLE_FILE = re.compile(r"^(.+?)_\d+_assignsubmission_[a-z]+_", re.IGNORECASE)
_MOODLE_REAL = re.compile(r"\A(?:[^:]+:\s*)?(.*?)\s*\(Real\)\Z")  # "Assignment: hebbian-lab (Real)"
_UNMATCHED_HEADER = ["problem", "file", "lab", "student", "detail"]


@dataclass(frozen=True)
class RosterEntry:
    """One student of the roster: display name, identity columns (header as read -> value), the whole row."""

    name: str
    ids: dict[str, str]
    row: dict[str, str]


@dataclass(frozen=True)
class Roster:
    """The students of a roster file.

    ``kind`` is ``"canvas"`` (a Canvas gradebook export), ``"moodle"`` (a Moodle grade export or participants
    list) or ``"plain"``; ``columns`` maps the columns this module knows (``"ID"``, ``"Email address"``,
    ``"submission"``...) to the file's header as read; ``header`` is the whole header row.
    """

    kind: str
    entries: list[RosterEntry]
    columns: dict[str, str] = field(default_factory=dict)
    header: tuple[str, ...] = ()

    def value(self, entry: RosterEntry, column: str) -> str:
        """``entry``'s value in a known column (``"ID"``, ``"Email address"``...); ``""`` if the roster has none."""
        header = self.columns.get(column)
        return entry.row.get(header, "") if header is not None else ""

    def match(self, submission_id: str, filename: str, lab: str = "") -> RosterEntry | None:
        """The roster row of a submission, or None: none matches, or several do (ambiguous).

        ``submission_id`` is the file's stem as the grader uses it, ``filename`` the file's name in the
        submissions folder, ``lab`` (optional) the lab it is for, so that ``alice-hebbian-lab`` matches ``alice``.
        """
        found = self.candidates(submission_id, filename, lab)
        return found[0] if len(found) == 1 else None

    def candidates(self, submission_id: str, filename: str, lab: str = "") -> list[RosterEntry]:
        """Every roster row a submission matches, by the first rule that matches any (see the module's notes)."""
        return [self.entries[i] for i in self._matches(submission_id, filename, lab)]

    def _matches(self, submission_id: str, filename: str, lab: str) -> list[int]:
        for rule in (self._by_canvas_id, self._by_moodle_name, self._by_id):
            found = rule(submission_id, filename, lab)
            if found:
                return found
        return []

    def _by_canvas_id(self, submission_id: str, filename: str, lab: str) -> list[int]:
        if "ID" not in self.columns:
            return []
        for name in (filename, submission_id):
            for user_id in (m.group(1) for m in _CANVAS_FILE.finditer(name)):
                found = [i for i, e in enumerate(self.entries) if self.value(e, "ID") == user_id]
                if found:
                    return found
        return []

    def _by_moodle_name(self, submission_id: str, filename: str, lab: str) -> list[int]:
        m = _MOODLE_FILE.match(filename) or _MOODLE_FILE.match(submission_id)
        if not m:
            return []
        parts = m.group(1).split("-")
        # The whole name first, then what follows each "-": a team submission is "<group name>-<full name>".
        for name in ("-".join(parts[k:]) for k in range(len(parts))):
            key = _name_key(name)
            found = [i for i, e in enumerate(self.entries) if key in self._names(e)]
            if found:
                return found
        return []

    def _names(self, entry: RosterEntry) -> set[str]:
        """The ways a download may write ``entry``'s name (first last, last first), compared as ``_name_key``."""
        names = {entry.name}
        first, last = self.value(entry, "First name"), self.value(entry, "Last name")
        if first or last:
            names |= {f"{first} {last}", f"{last} {first}"}
        if "," in entry.name:  # Canvas's sortable "Last, First"
            last, first = entry.name.split(",", 1)
            names.add(f"{first} {last}")
        return {_name_key(n) for n in names if n.strip()}

    def _by_id(self, submission_id: str, filename: str, lab: str) -> list[int]:
        stems = {submission_id.casefold()}
        if lab:
            for stem in list(stems):
                for sep in ("-", "_", " ", "."):
                    suffix, prefix = f"{sep}{lab}".casefold(), f"{lab}{sep}".casefold()
                    if stem.endswith(suffix):
                        stems.add(stem[: -len(suffix)])
                    if stem.startswith(prefix):
                        stems.add(stem[len(prefix):])
        return [i for i, e in enumerate(self.entries) if any(v and v.casefold() in stems for v in e.ids.values())]


@dataclass(frozen=True)
class Score:
    """One graded submission: its stem and file name, lab, autograded points (None: not graded) and status."""

    submission_id: str
    filename: str
    lab: str
    points: float | None
    possible: float
    status: str


def read_roster(path: Path) -> Roster:
    """Read a roster CSV: a Canvas gradebook export, a Moodle grade export or participants list, or a plain CSV.

    UTF-8 with or without a byte-order mark, separated by ``,``, ``;`` (Excel in some languages) or tabs.
    A Canvas export's ``Points Possible`` row, its muted rows and its test student are skipped.
    Raises ValueError, naming the formats it reads, for a file that is not such a CSV.

    >>> import tempfile
    >>> folder = Path(tempfile.mkdtemp())
    >>> _ = (folder / "roster.csv").write_text("submission;Email address\\nalice;alice@uni.example\\n")
    >>> roster = read_roster(folder / "roster.csv")
    >>> roster.kind, roster.entries[0].ids
    ('plain', {'submission': 'alice', 'Email address': 'alice@uni.example'})
    """
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise ValueError(f"cannot read the roster {path}: {error.strerror or error}") from error
    if raw.startswith(b"PK\x03\x04") or b"\x00" in raw[:4096]:
        raise ValueError(f"{path.name}: not a CSV file (a spreadsheet workbook? save it as 'CSV UTF-8'). "
                         f"A roster is {FORMATS}.")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise ValueError(f"{path.name}: not UTF-8 text (save it as 'CSV UTF-8'). A roster is {FORMATS}.") from error
    try:
        rows = [[cell.strip() for cell in row] for row in csv.reader(io.StringIO(text, newline=""),
                                                                      delimiter=_delimiter(text))]
    except csv.Error as error:
        raise ValueError(f"{path.name}: not a readable CSV ({error}). A roster is {FORMATS}.") from error
    rows = [row for row in rows if any(row)]
    if not rows:
        raise ValueError(f"{path.name}: empty. A roster is {FORMATS}.")
    header, body = rows[0], rows[1:]
    kind = _kind(header)
    if kind is None:
        shown = ", ".join(repr(h) for h in header[:8]) + (", ..." if len(header) > 8 else "")
        raise ValueError(f"{path.name}: not a roster this grader reads (its columns: {shown}). "
                         f"A roster is {FORMATS}.")
    columns: dict[str, str] = {}
    for name in header:
        known = _COLUMNS[kind].get(_key(name))
        if known and known not in columns:
            columns[known] = name
    id_columns = [columns[c] for c in _IDS[kind] if c in columns]
    entries = []
    for cells in body:
        cells = (cells + [""] * len(header))[: len(header)]
        if kind == "canvas" and ("Points Possible" in cells[0] or all(_CANVAS_MUTED.match(c) for c in cells)):
            continue
        row: dict[str, str] = {}
        for name, cell in zip(header, cells):
            row.setdefault(name, cell)
        entry_name = _entry_name(kind, row, columns)
        if kind == "canvas" and entry_name == "Student, Test":  # Canvas's own test student ("Student View")
            continue
        entries.append(RosterEntry(entry_name, {c: row[c] for c in id_columns}, row))
    if not entries:
        raise ValueError(f"{path.name}: a header but no students. A roster is {FORMATS}.")
    return Roster(kind, entries, columns, tuple(header))


def write_imports(scores: list[Score], roster: Roster, out: Path) -> dict[str, Path]:
    """Write the LMS import files for ``scores`` into ``out``; returns ``{"canvas": ..., "moodle": ...}``.

    ``canvas-import.csv`` when the roster has Canvas ids (``ID``, ``SIS User ID`` or ``SIS Login ID``),
    ``moodle-import.csv`` when it has Moodle ones (``Email address``, ``Username`` or ``ID number``), each only
    when some lab has a score; ``roster-unmatched.csv`` (key ``"unmatched"``) always: the submissions matched to
    no roster row or to several, the students left out, those with no submission.

    >>> import tempfile
    >>> entry = RosterEntry("Doe, Jane", {"ID": "4021"}, {"Student": "Doe, Jane", "ID": "4021", "Section": "A"})
    >>> roster = Roster("canvas", [entry], {"Student": "Student", "ID": "ID", "Section": "Section"})
    >>> score = Score("doejane_4021_9981_hebbian-lab", "doejane_4021_9981_hebbian-lab.ipynb", "hebbian-lab",
    ...               6.5, 10.0, "graded")
    >>> written = write_imports([score], roster, Path(tempfile.mkdtemp()))
    >>> print(written["canvas"].read_text(), end="")
    Student,ID,SIS User ID,SIS Login ID,Section,hebbian-lab
    Points Possible,,,,,10
    "Doe, Jane",4021,,,A,6.5
    """
    out.mkdir(parents=True, exist_ok=True)
    problems: list[list[str]] = []
    by_student: dict[int, dict[str, list[tuple[Score, float]]]] = {}
    seen: set[int] = set()
    for score in scores:
        found = roster._matches(score.submission_id, score.filename, score.lab)
        if not found:
            problems.append(["no roster row", score.filename, score.lab, "", "matches no row of the roster"])
        elif len(found) > 1:
            names = "; ".join(roster.entries[i].name for i in found)
            problems.append(["ambiguous", score.filename, score.lab, names,
                             f"matches {len(found)} rows of the roster; not imported"])
        else:
            seen.add(found[0])
            if score.lab and score.points is not None:
                by_student.setdefault(found[0], {}).setdefault(score.lab, []).append((score, score.points))
    grades: dict[int, dict[str, float]] = {}
    for i, labs in sorted(by_student.items()):
        for lab, graded in labs.items():
            if len(graded) == 1:
                grades.setdefault(i, {})[lab] = graded[0][1]
            else:
                problems += [["several submissions", s.filename, lab, roster.entries[i].name,
                              f"{len(graded)} graded submissions of this lab; none imported"] for s, _ in graded]
    problems += [["no submission", "", "", e.name, _ids_text(e)] for i, e in enumerate(roster.entries)
                 if i not in seen]
    labs = [lab for lab in dict.fromkeys(s.lab for s in scores if s.lab) if any(lab in g for g in grades.values())]
    possible = {lab: max(s.possible for s in scores if s.lab == lab) for lab in labs}
    written: dict[str, Path] = {}
    if labs and any(c in roster.columns for c in _CANVAS_IDS):
        written["canvas"] = _write_canvas(out / "canvas-import.csv", roster, labs, possible, grades, problems)
    if labs and any(c in roster.columns for c in _MOODLE_IDS):
        written["moodle"] = _write_moodle(out / "moodle-import.csv", roster, labs, grades, problems)
    written["unmatched"] = _write_csv(out / "roster-unmatched.csv", _UNMATCHED_HEADER,
                                      [[safe_cell(cell) for cell in row] for row in problems])
    return written


def _write_canvas(path: Path, roster: Roster, labs: list[str], possible: dict[str, float],
                  grades: dict[int, dict[str, float]], problems: list[list[str]]) -> Path:
    """``canvas-import.csv``: the student columns Canvas's importer accepts, a Points Possible row, a column a lab."""
    existing = {lab: _canvas_column(roster, lab) for lab in labs}
    rows = [["Points Possible", "", "", "", "", *(f"{possible[lab]:g}" for lab in labs)]]
    for i, lab_points in grades.items():
        entry = roster.entries[i]
        ids = [roster.value(entry, c) for c in _CANVAS_IDS]
        if not any(ids):
            problems.append(["no Canvas id", "", "", entry.name,
                             "no ID, SIS User ID or SIS Login ID in the roster; left out of canvas-import.csv"])
            continue
        # The ids are what Canvas matches a row on: written as they are (an SIS id is the institution's free
        # text and may start with "-" or "+"; a quote would make it another id). The name and the section are
        # only shown (Canvas falls back on the name only when no id matches): made safe.
        rows.append([safe_cell(entry.name), *ids, safe_cell(roster.value(entry, "Section")),
                     *(_cell(lab_points, lab, entry, existing[lab]) for lab in labs)])
    header = [*_CANVAS_HEADER, *(existing[lab] or lab for lab in labs)]
    return _write_csv(path, header, rows)


def _write_moodle(path: Path, roster: Roster, labs: list[str], grades: dict[int, dict[str, float]],
                  problems: list[list[str]]) -> Path:
    """``moodle-import.csv``: one identifier column (the "Map from" of Moodle's import), the names, a column a lab."""
    graded = [roster.entries[i] for i in grades]
    present = [c for c in _MOODLE_IDS if c in roster.columns]
    # The identifier every graded student has (Moodle aborts on a user it does not find and gives a row with a
    # blank identifier to the previous row's user), else the one most of them have; the others are left out.
    identifier = max(present, key=lambda c: (sum(bool(roster.value(e, c)) for e in graded), -present.index(c)))
    names = ["First name", "Last name"] if {"First name", "Last name"} <= roster.columns.keys() else ["Name"]
    existing = {lab: _moodle_column(roster, lab) for lab in labs}
    rows = []
    for i, lab_points in grades.items():
        entry = roster.entries[i]
        key = roster.value(entry, identifier)
        if not key:
            problems.append(["no Moodle id", "", "", entry.name,
                             f"no {identifier} in the roster; left out of moodle-import.csv"])
            continue
        shown = ([roster.value(entry, "First name"), roster.value(entry, "Last name")] if len(names) == 2
                 else [entry.name])
        # The identifier is matched exactly by Moodle (e-mail addresses case-sensitively): written as it is.
        # A Moodle username may start with "-" or "@" and an ID number is free text, so a quote would change it.
        rows.append([key, *(safe_cell(n) for n in shown),
                     *(_cell(lab_points, lab, entry, existing[lab]) for lab in labs)])
    header = [identifier, *names, *(existing[lab] or lab for lab in labs)]
    return _write_csv(path, header, rows)


def _cell(lab_points: dict[str, float], lab: str, entry: RosterEntry, existing: str | None) -> str:
    """A lab's cell: the points; without them, the LMS's current value from its export (no change), else blank.

    Both importers treat a blank cell as "no grade", clearing a grade the LMS has; the value of the export is
    what the LMS had (its own text, "EX" or "-" included): written as it is.
    """
    if lab in lab_points:
        return f"{lab_points[lab]:g}"
    return entry.row.get(existing, "") if existing else ""


def _canvas_column(roster: Roster, lab: str) -> str | None:
    """The Canvas export's column of ``lab`` (``"hebbian-lab (1234)"``), or None."""
    if roster.kind != "canvas":
        return None
    student_columns = set(roster.columns.values())
    for name in roster.header:
        m = _CANVAS_TITLE.match(name)
        if name not in student_columns and (m.group(1) if m else name) == lab:
            return name
    return None


def _moodle_column(roster: Roster, lab: str) -> str | None:
    """The Moodle grade export's points column of ``lab`` (``"Assignment: hebbian-lab (Real)"``), or None."""
    if roster.kind != "moodle":
        return None
    return next((name for name in roster.header if (m := _MOODLE_REAL.match(name)) and m.group(1) == lab), None)


def _write_csv(path: Path, header: list[str], rows: list[list[str]]) -> Path:
    """UTF-8 without a byte-order mark, comma separated, quoted where needed (what both importers read)."""
    with path.open("w", newline="", encoding="utf-8") as f:
        writer = csv.writer(f)
        writer.writerow(header)
        writer.writerows(rows)
    return path


def _key(name: str) -> str:
    """A header name compared: byte-order mark dropped, spaces collapsed, case ignored."""
    return " ".join(name.replace("\ufeff", "").split()).casefold()


def _name_key(name: str) -> str:
    """A person's name compared: letters and digits only (a download drops or replaces the rest), case ignored."""
    return " ".join(re.sub(r"[\W_]+", " ", name).split()).casefold()


def _delimiter(text: str) -> str:
    """``,``, ``;`` or tab: whichever splits the first line into the most cells (``,`` on a tie)."""
    first = next((line for line in text.splitlines() if line.strip()), "")
    return max((",", ";", "\t"), key=lambda d: len(next(csv.reader([first], delimiter=d), [])))


def _kind(header: list[str]) -> str | None:
    """``"plain"``, ``"canvas"`` or ``"moodle"`` from a header row; None when it is none of them."""
    keys = {_key(h) for h in header}
    if "submission" in keys:
        return "plain"
    if {"student", "id", "section"} <= keys:
        return "canvas"
    moodle = {_MOODLE_COLUMNS[k] for k in keys if k in _MOODLE_COLUMNS}
    if ({"First name", "Last name"} <= moodle or "name" in moodle) and moodle & set(_MOODLE_IDS):
        return "moodle"
    return None


def _entry_name(kind: str, row: dict[str, str], columns: dict[str, str]) -> str:
    """The display name of a roster row."""
    def get(column: str) -> str:
        return row.get(columns[column], "") if column in columns else ""

    full = f"{get('First name')} {get('Last name')}".strip()
    if kind == "canvas":
        return get("Student")
    if kind == "moodle":
        return full or get("name")
    return get("name") or full or get("submission")


def _ids_text(entry: RosterEntry) -> str:
    """``entry``'s ids for a person to read: ``ID 4021, SIS Login ID jdoe``."""
    return ", ".join(f"{k} {v}" for k, v in entry.ids.items() if v)
