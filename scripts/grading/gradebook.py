"""The gradebook CSV, written a row at a time as submissions finish, and resumed from what it holds.

Each row is appended, flushed and synced to disk when its submission is done, so a grader stopped at
submission 57 of 60 leaves 56 rows that ``--resume`` keeps (it grades only the files the gradebook does not
name yet). Every text cell is made safe for a spreadsheet: one that starts with ``=``, ``+``, ``-``, ``@``,
a tab or a carriage return gets a leading ``'`` (OWASP's advice against CSV injection), so a student's file
named ``=HYPERLINK(...).ipynb`` is text, not a formula.

Example:

>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> book = Gradebook(folder / "gradebook.csv", ["q1"])
>>> book.write({"student": "=cmd", "file": "=cmd.ipynb", "lab": "lab", "q1": 1, "status": "graded"})
>>> Gradebook(folder / "gradebook.csv", ["q1"], resume=True).done
{"'=cmd.ipynb"}
"""

from __future__ import annotations

import csv
import io
import os
import re
from pathlib import Path

HEAD = ["student", "file", "lab"]
#: After the question columns (autograded ones, then those graded by hand, empty until their points are merged).
TAIL = ["autograded_total", "autograded_possible", "manual_points", "manual_possible", "total", "total_possible",
        "blank_written", "status", "message", "seconds", "peak_memory_mb"]
_UNSAFE = ("=", "+", "-", "@", "\t", "\r")


def safe_cell(value: object) -> str:
    """A CSV cell that a spreadsheet shows as text (numbers are left as they are).

    >>> safe_cell("=1+1"), safe_cell("-3"), safe_cell(-3), safe_cell("alice")
    ("'=1+1", "'-3", '-3', 'alice')
    """
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        return f"{value:g}"
    text = "" if value is None else str(value)
    return "'" + text if text.startswith(_UNSAFE) else text


def plain_cell(cell: str) -> str:
    """A cell read back from the gradebook as it was before ``safe_cell`` (the leading ``'`` taken off).

    >>> plain_cell(safe_cell("=1+1")), plain_cell("'quoted"), plain_cell("alice")
    ('=1+1', "'quoted", 'alice')
    """
    return cell[1:] if cell.startswith("'") and cell[1:2] and cell[1:].startswith(_UNSAFE) else cell


def read_rows(path: Path) -> list[dict[str, str]]:
    """Every row of a gradebook CSV (cells as written, made safe)."""
    with path.open(newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def student_ids(paths: list[Path]) -> dict[Path, str]:
    """A unique id per submission file: its name without the extension, ``name (2)`` for a second one.

    >>> student_ids([Path("alice.ipynb"), Path("alice.docx"), Path("bob.ipynb")])[Path("alice.docx")]
    'alice (2)'
    """
    ids: dict[Path, str] = {}
    taken: set[str] = set()
    for path in paths:
        stem, n = path.stem or path.name, 2
        candidate = stem
        while candidate.lower() in taken:
            candidate, n = f"{stem} ({n})", n + 1
        taken.add(candidate.lower())
        ids[path] = candidate
    return ids


def feedback_names(students: list[str]) -> dict[str, str]:
    """A file name for each student's feedback: letters, digits, ``.``, ``-`` and ``_`` only, and unique.

    >>> feedback_names(["=evil/../x (2)", "a b", "a_b"])
    {'=evil/../x (2)': 'evil_.._x_2.md', 'a b': 'a_b.md', 'a_b': 'a_b-2.md'}
    """
    names: dict[str, str] = {}
    taken: set[str] = set()
    for student in students:
        stem = re.sub(r"[^\w.-]+", "_", student, flags=re.ASCII).strip("._") or "student"
        candidate, n = stem, 2
        while candidate.lower() in taken:
            candidate, n = f"{stem}-{n}", n + 1
        taken.add(candidate.lower())
        names[student] = candidate + ".md"
    return names


class Gradebook:
    """``gradebook.csv``: a header of ``HEAD``, one column per question, ``TAIL``; rows appended.

    ``resume``: keep the rows already there (``done`` names their files) and add the missing columns (the
    file is rewritten once, with the old rows under the new header); otherwise the file starts empty.
    """

    def __init__(self, path: Path, questions: list[str], *, resume: bool = False) -> None:
        self.path = path
        path.parent.mkdir(parents=True, exist_ok=True)
        rows: list[dict[str, str]] = []
        header = HEAD + list(questions) + TAIL
        if resume and path.exists():
            with path.open(newline="", encoding="utf-8") as f:
                reader = csv.DictReader(f)
                old = [c for c in (reader.fieldnames or []) if c not in HEAD + TAIL]
                rows = [row for row in reader if row.get("file")]
            header = HEAD + list(dict.fromkeys(old + list(questions))) + TAIL
        self.columns = header
        self.done = {row["file"] for row in rows}
        tmp = path.with_suffix(".csv.tmp")
        with tmp.open("w", newline="", encoding="utf-8") as f:
            writer = csv.DictWriter(f, header, extrasaction="ignore")
            writer.writeheader()
            writer.writerows(rows)
        os.replace(tmp, path)

    def write(self, row: dict[str, object]) -> None:
        """Append one row (its cells made safe), flushed and synced before this returns."""
        with self.path.open("a", newline="", encoding="utf-8") as f:
            csv.DictWriter(f, self.columns, extrasaction="ignore").writerow(
                {key: safe_cell(value) for key, value in row.items()})
            f.flush()
            os.fsync(f.fileno())
        self.done.add(safe_cell(row.get("file", "")))

    def rows(self) -> list[dict[str, str]]:
        """Every row the file holds now (as written, cells made safe)."""
        return read_rows(self.path)


def rewrite(path: Path, columns: list[str], rows: list[dict[str, str]]) -> None:
    """Write a whole gradebook anew (``rows`` as read, cells already safe), all or nothing."""
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, columns, extrasaction="ignore", lineterminator="\r\n")
    writer.writeheader()
    writer.writerows(rows)
    write_text(path, buffer.getvalue())


def write_text(path: Path, text: str) -> None:
    """Write a file whole or not at all (a temporary file renamed), synced."""
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".tmp")
    with tmp.open("w", encoding="utf-8") as f:
        f.write(text)
        f.flush()
        os.fsync(f.fileno())
    os.replace(tmp, path)
