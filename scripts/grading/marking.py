"""Written answers marked by hand: one file per lab to read them beside the rubric, and the points merged back.

For each lab, ``write_sheet`` writes into ``written/``:

- ``<lab>.html``: every student's answer to each question graded by hand, under the question's prompt, points,
  rubric and model answer, blank answers flagged; a points box beside each answer and a button that saves the
  points as the CSV below. Self-contained: one inline script (allowed by its hash in the page's
  Content-Security-Policy, which also forbids loading anything), everything the students wrote escaped.
- ``<lab>.csv``: one row per student and question: ``lab, student, file, question, max_points, blank, points,
  answer``; ``points`` is empty (``0`` for a blank answer) for the instructor to fill in, in a spreadsheet or
  through the page. Written again when the class is graded again, the points already entered are kept.

``read_points`` reads such a file back, and ``merge`` puts its points into the gradebook (one column per
question graded by hand, ``manual_points``, ``total``), refusing the whole file, with every line's problem,
when a point is not a number, above the question's points, or for a student or question it does not know.

Example:

>>> import tempfile
>>> folder = Path(tempfile.mkdtemp())
>>> spec = [{"name": "why", "points": 2, "manual": True, "prompt": "Why?", "rubric": "2: a reason"}]
>>> entry = Entry("lab", "=alice", "=alice.ipynb", WrittenAnswer("why", "<b>Because</b>", False))
>>> html, table = write_sheet("lab", spec, [entry], folder)
>>> "&lt;b&gt;Because&lt;/b&gt;" in html.read_text(), table.read_text().splitlines()[1]
(True, "lab,'=alice,'=alice.ipynb,why,2,,,<b>Because</b>")
"""

from __future__ import annotations

import base64
import csv
import hashlib
import html
import io
import json
import math
import re
from dataclasses import dataclass
from pathlib import Path

from scripts.grading.gradebook import TAIL, plain_cell, read_rows, rewrite, safe_cell, write_text
from scripts.grading.notebook import WrittenAnswer

COLUMNS = ["lab", "student", "file", "question", "max_points", "blank", "points", "answer"]
#: Characters of an answer copied into the CSV (the page has it whole).
MAX_CSV_ANSWER = 10_000


class PointsError(ValueError):
    """A points file that cannot be merged; the message lists every problem, by line."""


@dataclass(frozen=True)
class Entry:
    """One student's answer to one question graded by hand."""

    lab: str
    student: str
    file: str
    answer: WrittenAnswer


# ------------------------------------------------------------------------------------------------ the sheet
def _existing_points(path: Path) -> dict[tuple[str, str], str]:
    """(student, question) -> the points already entered in a sheet written before (nothing if unreadable)."""
    try:
        rows = _read_csv(path)
    except (OSError, PointsError):
        return {}
    return {(plain_cell(r.get("student", "")), r.get("question", "")): (r.get("points") or "").strip()
            for r in rows if (r.get("points") or "").strip()}


def write_sheet(lab: str, questions: list[dict], entries: list[Entry], folder: Path,
                models: dict[str, str] | None = None) -> tuple[Path, Path]:
    """Write ``folder/<lab>.html`` and ``folder/<lab>.csv`` (see the module's docstring); returns both paths.

    ``questions``: the lab's grading spec (only those with ``manual`` are used); ``models``: question name ->
    its model answer, shown folded under the rubric.
    """
    manual = [q for q in questions if q.get("manual")]
    table = folder / f"{lab}.csv"
    kept = _existing_points(table) if table.exists() else {}
    if table.exists() and kept:
        write_text(folder / f"{lab}.csv.bak", table.read_text(encoding="utf-8"))
    points = {}
    for e in entries:
        key = (e.student, e.answer.question)
        points[key] = kept.get(key, "0" if e.answer.blank else "")
    order = {q["name"]: i for i, q in enumerate(manual)}
    entries = sorted((e for e in entries if e.answer.question in order),
                     key=lambda e: (order[e.answer.question], e.student.casefold()))
    spec = {q["name"]: q for q in manual}
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(COLUMNS)
    for e in entries:
        q = spec[e.answer.question]
        writer.writerow([safe_cell(v) for v in (
            e.lab, e.student, e.file, q["name"], float(q["points"]), "yes" if e.answer.blank else "",
            points[(e.student, q["name"])], e.answer.text[:MAX_CSV_ANSWER])])
    write_text(table, buffer.getvalue())
    page = folder / f"{lab}.html"
    write_text(page, _page(lab, manual, entries, points, models or {}))
    return page, table


_STYLE = """
body{font:16px/1.5 system-ui,sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1b1b1b}
h1{font-size:1.6rem} h2{margin-top:3rem;border-top:3px solid #345;padding-top:1rem}
.spec{background:#f2f5f8;padding:.5rem 1rem;border-radius:6px}
.answer{border:1px solid #ccd;border-radius:6px;padding:.75rem 1rem;margin:1rem 0}
.answer.blank{border-color:#c33;background:#fff4f4}
.text{white-space:pre-wrap;overflow-wrap:anywhere;font-family:inherit;margin:.5rem 0}
.who{font-weight:600} .flag{color:#a00;font-weight:700;margin-left:.5rem}
label{display:inline-block;margin-top:.25rem} input{width:5rem;font-size:1rem}
input:invalid{outline:2px solid #c33} #bar{position:sticky;top:0;background:#fff;padding:.5rem 0;
border-bottom:1px solid #ccd} button{font-size:1rem} #status{margin-left:1rem;color:#555}
"""

_SCRIPT = """
(function () {
  var lab = document.body.dataset.lab, key = "written-points:" + lab;
  var boxes = Array.prototype.slice.call(document.querySelectorAll("input.points"));
  var saved = {};
  try { saved = JSON.parse(localStorage.getItem(key) || "{}"); } catch (e) { saved = {}; }
  boxes.forEach(function (box) {
    var id = box.dataset.student + "\\u0000" + box.dataset.question;
    if (Object.prototype.hasOwnProperty.call(saved, id)) { box.value = saved[id]; }
    box.addEventListener("input", function () {
      saved[id] = box.value;
      try { localStorage.setItem(key, JSON.stringify(saved)); } catch (e) { /* no storage: the CSV only */ }
      count();
    });
  });
  function count() {
    var done = boxes.filter(function (b) { return b.value.trim() !== ""; }).length;
    document.getElementById("status").textContent = done + " of " + boxes.length + " answers have points";
  }
  function cell(text) {
    text = String(text);
    if (/^[=+\\-@\\t\\r]/.test(text)) { text = "'" + text; }
    return /[",\\n\\r]/.test(text) ? '"' + text.replace(/"/g, '""') + '"' : text;
  }
  document.getElementById("save").addEventListener("click", function () {
    var lines = ["lab,student,file,question,max_points,blank,points"];
    boxes.forEach(function (b) {
      lines.push([lab, b.dataset.student, b.dataset.file, b.dataset.question, b.max, b.dataset.blank,
                  b.value.trim()].map(cell).join(","));
    });
    var link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([lines.join("\\n") + "\\n"], {type: "text/csv"}));
    link.download = lab + "-points.csv";
    document.body.appendChild(link);
    link.click();
    link.remove();
  });
  count();
})();
"""


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _page(lab: str, manual: list[dict], entries: list[Entry], points: dict[tuple[str, str], str],
          models: dict[str, str]) -> str:
    digest = base64.b64encode(hashlib.sha256(_SCRIPT.encode()).digest()).decode()
    policy = (f"default-src 'none'; style-src 'unsafe-inline'; script-src 'sha256-{digest}'; "
              "form-action 'none'; base-uri 'none'")
    blank = sum(e.answer.blank for e in entries)
    students = len({e.student for e in entries})
    out = ["<!DOCTYPE html>", '<html lang="en"><head><meta charset="utf-8">',
           f'<meta http-equiv="Content-Security-Policy" content="{_e(policy)}">',
           '<meta name="viewport" content="width=device-width, initial-scale=1">',
           f"<title>Written answers: {_e(lab)}</title><style>{_STYLE}</style></head>",
           f'<body data-lab="{_e(lab)}">',
           f"<h1>Written answers: {_e(lab)}</h1>",
           f"<p>{students} submission{'s' if students != 1 else ''}, {len(manual)} question"
           f"{'s' if len(manual) != 1 else ''} graded by hand; <strong>{blank} blank answer"
           f"{'s' if blank != 1 else ''}</strong> (flagged, with 0 points entered for you to change if you "
           "disagree).</p>",
           "<p>Enter each answer's points in its box, then <em>Save the points as CSV</em> and merge that file "
           f"(or fill in the <code>points</code> column of <code>{_e(lab)}.csv</code> beside this page): "
           "<code>python -m scripts.grade --merge-written FILE</code>. The boxes are kept in this browser "
           "until you save. The students' text is shown as they typed it (Markdown, not rendered).</p>",
           '<div id="bar"><button id="save" type="button">Save the points as CSV</button>'
           '<span id="status"></span></div>']
    for q in manual:
        name, possible = q["name"], float(q["points"])
        out += [f'<h2 id="q-{_e(name)}">{_e(name)} ({possible:g} point{"s" if possible != 1 else ""})</h2>',
                '<div class="spec">', f"<p><strong>Prompt.</strong> {_e(q.get('prompt', ''))}</p>",
                f"<p><strong>Rubric.</strong> {_e(q.get('rubric', ''))}</p>"]
        if models.get(name):
            out.append(f'<details><summary>Model answer</summary><div class="text">{_e(models[name])}</div>'
                       "</details>")
        out.append("</div>")
        for e in (e for e in entries if e.answer.question == name):
            a = e.answer
            flag = f'<span class="flag">BLANK: {_e(a.why_blank)}</span>' if a.blank else ""
            value = points.get((e.student, name), "")
            out += [f'<section class="answer{" blank" if a.blank else ""}">',
                    f'<div><span class="who">{_e(e.student)}</span> <small>({_e(e.file)})</small>{flag}</div>',
                    f'<div class="text">{_e(a.text) if a.text.strip() else "<em>(empty)</em>"}</div>',
                    f'<label>Points (0 to {possible:g}): <input class="points" type="number" min="0" '
                    f'max="{possible:g}" step="any" value="{_e(value)}" data-student="{_e(e.student)}" '
                    f'data-file="{_e(e.file)}" data-question="{_e(name)}" data-blank="{"yes" if a.blank else ""}">'
                    "</label>", "</section>"]
    out += [f"<script>{_SCRIPT}</script>", "</body></html>", ""]
    return "\n".join(out)


# ------------------------------------------------------------------------------------------- reading back
def _read_csv(path: Path) -> list[dict[str, str]]:
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise PointsError(f"cannot read {path}: {error.strerror or error}") from error
    if raw.startswith(b"PK\x03\x04") or b"\x00" in raw[:4096]:
        raise PointsError(f"{path.name}: not a CSV file (a spreadsheet workbook? save it as 'CSV UTF-8')")
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise PointsError(f"{path.name}: not UTF-8 text (save it as 'CSV UTF-8')") from error
    first = next((line for line in text.splitlines() if line.strip()), "")
    delimiter = max((",", ";", "\t"), key=lambda d: len(next(csv.reader([first], delimiter=d), [])))
    try:
        return list(csv.DictReader(io.StringIO(text, newline=""), delimiter=delimiter))
    except csv.Error as error:
        raise PointsError(f"{path.name}: not a readable CSV ({error})") from error


def number(text: str) -> float | None:
    """Points as typed: ``2``, ``1.5``, ``1,5`` (a decimal comma); None when it is not a number."""
    text = text.strip().lstrip("'")
    if re.fullmatch(r"[+-]?\d+,\d+", text):
        text = text.replace(",", ".")
    try:
        value = float(text)
    except ValueError:
        return None
    return value if math.isfinite(value) else None


@dataclass(frozen=True)
class Points:
    """Points entered for one student's answer to one question."""

    lab: str
    student: str
    question: str
    points: float
    where: str      #: file and line, for messages


def read_points(path: Path, questions: dict[str, list[dict]]) -> list[Points]:
    """The points entered in a sheet (rows without points are skipped); ``questions``: lab -> its spec.

    Raises ``PointsError`` listing every line whose points are not a number, negative or above the
    question's, or whose lab or question is not one graded by hand.
    """
    found, problems = _points(path, questions)
    if problems:
        raise PointsError("\n".join(problems))
    return found


def _points(path: Path, questions: dict[str, list[dict]]) -> tuple[list[Points], list[str]]:
    """(the points that can be merged, a problem per line that cannot) of one sheet."""
    rows = _read_csv(path)
    if not rows:
        raise PointsError(f"{path.name}: empty (expected the columns {', '.join(COLUMNS)})")
    missing = [c for c in ("lab", "student", "question", "points") if c not in rows[0]]
    if missing:
        raise PointsError(f"{path.name}: no column {', '.join(missing)} (a points file has the columns "
                          f"{', '.join(COLUMNS)}, as written into _build/grades/written/)")
    found, problems = [], []
    for line, row in enumerate(rows, start=2):
        where = f"{path.name}, line {line}"
        entered = (row.get("points") or "").strip()
        if not entered:
            continue
        lab, question = (row.get("lab") or "").strip(), (row.get("question") or "").strip()
        student = plain_cell((row.get("student") or "").strip())
        manual = {q["name"]: q for q in questions.get(lab, []) if q.get("manual")}
        value = number(entered)
        if lab not in questions:
            problems.append(f"{where}: unknown lab {lab!r} (the labs: {', '.join(sorted(questions))})")
        elif question not in manual:
            problems.append(f"{where}: {question!r} is not a question of {lab} graded by hand (those are: "
                            f"{', '.join(manual) or 'none'})")
        elif value is None:
            problems.append(f"{where}: points {entered!r} for {student} are not a number")
        elif value < 0:
            problems.append(f"{where}: points {entered} for {student} are negative")
        elif value > float(manual[question]["points"]):
            problems.append(f"{where}: {entered} points for {student} are more than {question}'s "
                            f"{float(manual[question]['points']):g}")
        else:
            found.append(Points(lab, student, question, value, where))
    return found, problems


# ------------------------------------------------------------------------------------------------ merging
def manual_totals(row: dict[str, str], manual: list[dict]) -> dict[str, object]:
    """A gradebook row's ``manual_points`` (the points entered so far), ``total`` (once all are) and
    ``manual_possible``/``total_possible``, from its question columns.

    >>> manual_totals({"autograded_total": "3", "autograded_possible": "4", "why": "1.5"},
    ...               [{"name": "why", "points": 2}])["total"]
    4.5
    """
    entered = [number(row.get(q["name"], "") or "") for q in manual]
    possible = sum(float(q["points"]) for q in manual)
    auto, auto_possible = number(row.get("autograded_total", "") or ""), number(
        row.get("autograded_possible", "") or "")
    done = [v for v in entered if v is not None]
    manual_points: object = sum(done) if done else ("" if manual else 0)
    total: object = ""
    if auto is not None and len(done) == len(manual):
        total = auto + sum(done)
    return {"manual_points": manual_points, "manual_possible": possible, "total": total,
            "total_possible": (auto_possible or 0.0) + possible if auto_possible is not None else ""}


def merge(gradebook: Path, sheets: list[Path], questions: dict[str, list[dict]]) -> int:
    """Merge the points of ``sheets`` into ``gradebook`` (rewritten whole); returns how many were merged.

    Every sheet is read and checked before anything is written: a problem in any of them (see
    ``read_points``, and a student the gradebook does not have for that lab, or one not graded) raises
    ``PointsError`` and the gradebook is left as it was. Points for the same answer in two rows must agree.
    """
    if not gradebook.exists():
        raise PointsError(f"no gradebook at {gradebook}: grade the submissions first")
    entries, problems = [], []
    for sheet in sheets:
        found, wrong = _points(sheet, questions)
        entries += found
        problems += wrong
    rows = read_rows(gradebook)
    with gradebook.open(newline="", encoding="utf-8") as f:
        columns = next(csv.reader(f), [])
    by_student = {(row.get("lab", ""), plain_cell(row.get("student", ""))): row for row in rows}
    chosen: dict[tuple[str, str, str], float] = {}
    for p in entries:
        row = by_student.get((p.lab, p.student))
        key = (p.lab, p.student, p.question)
        if row is None:
            known = sorted(plain_cell(r["student"]) for r in rows if r.get("lab") == p.lab)
            problems.append(f"{p.where}: no student {p.student!r} for {p.lab} in the gradebook "
                            f"({len(known)} there: {', '.join(known[:8])}{' ...' if len(known) > 8 else ''})")
        elif row.get("status") == "error":
            problems.append(f"{p.where}: {p.student}'s submission was not graded (status error): no points")
        elif key in chosen and chosen[key] != p.points:
            problems.append(f"{p.where}: {p.student} has {chosen[key]:g} points for {p.question} on another line")
        else:
            chosen[key] = p.points
    if problems:
        raise PointsError("\n".join(sorted(problems, key=_line)))
    needed = [q["name"] for lab in {p.lab for p in entries} for q in questions[lab] if q.get("manual")]
    at = next((i for i, c in enumerate(columns) if c in TAIL), len(columns))
    columns = columns[:at] + [c for c in dict.fromkeys(needed) if c not in columns] + columns[at:]
    columns += [c for c in TAIL if c not in columns]
    for (lab, student, question), value in chosen.items():
        row = by_student[(lab, student)]
        row[question] = safe_cell(value)
        manual = [q for q in questions[lab] if q.get("manual")]
        row.update({k: safe_cell(v) for k, v in manual_totals(row, manual).items()})
    rewrite(gradebook, columns, rows)
    return len(chosen)


def _line(problem: str) -> tuple[str, int]:
    """A problem's file and line, to list them in order."""
    found = re.match(r"(.*?), line (\d+):", problem)
    return (found.group(1), int(found.group(2))) if found else (problem, 0)


def model_answers(lab_notebook: Path) -> dict[str, str]:
    """Question name -> the model answer of each question graded by hand (its ``{solution}`` box's text)."""
    nb = json.loads(lab_notebook.read_text(encoding="utf-8"))
    found = {}
    for cell in nb.get("cells", []):
        specs = (cell.get("metadata") or {}).get("grading") or []
        text = "".join(cell.get("source", []))
        box = re.search(r"(?ms)^([`:]{3,})\{solution\}[^\n]*\n((?::\w+:[^\n]*\n)*)(.*?)^\1[ \t]*$", text)
        for spec in specs:
            if spec.get("manual") and box:
                found[spec["name"]] = box.group(3).strip()
    return found


def sheet_folder(out: Path) -> Path:
    """Where a grading run's written-answer sheets go."""
    return out / "written"


__all__ = ["COLUMNS", "Entry", "Points", "PointsError", "manual_totals", "merge", "model_answers", "number",
           "read_points", "sheet_folder", "write_sheet"]
