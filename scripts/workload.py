"""The six-week module's workload, computed from the built course: reading words and the labs' run times.

Usage (after ``make book``)::

    .venv/bin/python -m scripts.workload [--html _build/html] [--write]

For each week of the module (``WEEKS``: the pages the instructor guide assigns), the script counts

- the **reading**: the words a student reads on each page of the built site (the article's text,
  without code, outputs, hidden solutions and quiz answers), converted at ``WORDS_PER_MINUTE``;
- the **labs' run time**: the seconds each notebook took to execute in the last build
  (``_build/.jupyter_cache/durations.json``, written by ``scripts/execute_parallel.py``): the time a
  student waits for Run All on a machine like the build's (Binder adds its start-up);
- the **exercises and quizzes**: ``WRITTEN_EXERCISE_MIN`` per written exercise, ``CODING_EXERCISE_MIN``
  per coding exercise and ``QUIZ_QUESTION_MIN`` per quiz question (the course's allowances).

``--write`` stores the result in ``assets/instructor/workload.json``; the guide's week table
(``chapters/instructor/index.md``) states those numbers, and ``tests/test_workload.py`` checks the page
against the file and the file against a fresh count of the built site.
"""

from __future__ import annotations

import argparse
import json
import math
import sys
from pathlib import Path

from bs4 import BeautifulSoup

ROOT = Path(__file__).resolve().parents[1]
OUT = ROOT / "assets" / "instructor" / "workload.json"
WORDS_PER_MINUTE = 150       # careful study reading of a text with figures and references (an allowance)
WRITTEN_EXERCISE_MIN = 10    # a written exercise: a paragraph
CODING_EXERCISE_MIN = 15     # a coding exercise: change a cell or two, run, interpret
QUIZ_QUESTION_MIN = 1        # a self-check question

# The pages of each week, as the guide's module table assigns them (lesson pages, then labs).
WEEKS: dict[int, list[str]] = {
    1: ["chapters/00-welcome/course-guide", "chapters/00-welcome/how-to-use", "chapters/00-welcome/brain-map",
        "chapters/01-plasticity/index", "chapters/01-plasticity/hebbian-lab"],
    2: ["chapters/02-mechanisms/index", "chapters/02-mechanisms/synaptic-plasticity",
        "chapters/02-mechanisms/synaptic-plasticity-lab", "chapters/02-mechanisms/neurogenesis",
        "chapters/02-mechanisms/neurogenesis-lab"],
    3: ["chapters/02-mechanisms/gene-expression", "chapters/02-mechanisms/gene-expression-lab",
        "chapters/02-mechanisms/brain-structure", "chapters/02-mechanisms/brain-structure-lab"],
    4: ["chapters/03-therapies/index", "chapters/03-therapies/cbt", "chapters/03-therapies/cbt-lab",
        "chapters/03-therapies/mindfulness", "chapters/03-therapies/mindfulness-lab",
        "chapters/03-therapies/psychodynamic", "chapters/03-therapies/psychodynamic-lab"],
    5: ["chapters/03-therapies/resting-state-lab", "chapters/04-future/index", "chapters/04-future/prediction-lab"],
    6: ["chapters/05-conclusion/index", "chapters/05-conclusion/headline-lab"],
}
# What a student does not read as text: code cells and their outputs, hidden solutions and answers.
HIDDEN = ("div.cell_input", "div.cell_output", "div.solution", "details", ".quiz-feedback", "script", "style",
          "a.headerlink", "button")


def page_counts(page_html: Path, notebook: bool = False) -> dict[str, int]:
    """Words a student reads on a built page, its written and coding exercises and its quiz questions.

    An exercise is a coding one on a notebook page, or when its solution holds code or its text names a
    function of the package (``tb.``); otherwise a written one.
    """
    soup = BeautifulSoup(page_html.read_text(encoding="utf-8"), "html.parser")
    article = soup.select_one("article.bd-article")
    if article is None:
        raise FileNotFoundError(f"{page_html} has no article: build the book first (make book)")
    exercises = article.select("div.exercise")
    solutions = {s.select_one(".admonition-title").get_text(" ", strip=True).removeprefix("Solution to ").strip():
                 s for s in article.select("div.solution") if s.select_one(".admonition-title")}
    coding = 0
    for exercise in exercises:
        title = exercise.select_one(".admonition-title")
        solution = solutions.get(title.get_text(" ", strip=True) if title else "")
        if notebook or (solution is not None and solution.select_one("pre")) or any(
                c.get_text().startswith("tb.") for c in exercise.find_all("code")):
            coding += 1
    quiz = len(article.select("div.quiz-question"))
    for selector in HIDDEN:
        for tag in article.select(selector):
            tag.decompose()
    words = len(article.get_text(" ", strip=True).split())
    return {"words": words, "written_exercises": len(exercises) - coding, "coding_exercises": coding,
            "quiz_questions": quiz}


def compute(html: Path, durations: Path) -> dict:
    """The workload of every week (see the module's docstring), with the per-page counts."""
    runs = json.loads(durations.read_text()) if durations.is_file() else {}
    weeks = []
    for week, pages in WEEKS.items():
        rows = []
        for page in pages:
            notebook = f"{page}.ipynb"
            counts = page_counts(html / f"{page}.html", notebook=(ROOT / notebook).is_file())
            counts["run_seconds"] = round(runs[notebook], 1) if notebook in runs else None
            if (ROOT / notebook).is_file() and counts["run_seconds"] is None:
                raise FileNotFoundError(f"no run time for {notebook} in {durations}: run `make book` first")
            rows.append({"page": page, **counts})
        words = sum(r["words"] for r in rows)
        reading = words / WORDS_PER_MINUTE
        run = sum(r["run_seconds"] or 0 for r in rows) / 60
        exercises = sum(r["written_exercises"] for r in rows) * WRITTEN_EXERCISE_MIN + sum(
            r["coding_exercises"] for r in rows) * CODING_EXERCISE_MIN
        quiz = sum(r["quiz_questions"] for r in rows) * QUIZ_QUESTION_MIN
        weeks.append({"week": week, "pages": rows, "words": words, "reading_min": math.ceil(reading),
                      "run_min": math.ceil(run), "exercise_min": exercises, "quiz_min": quiz,
                      "total_min": math.ceil(reading) + math.ceil(run) + exercises + quiz})
    return {"words_per_minute": WORDS_PER_MINUTE, "written_exercise_min": WRITTEN_EXERCISE_MIN,
            "coding_exercise_min": CODING_EXERCISE_MIN, "quiz_question_min": QUIZ_QUESTION_MIN, "weeks": weeks}


def table(result: dict) -> str:
    """The workload as the Markdown rows the guide shows (week, words, reading, run, exercises, quiz, total)."""
    lines = ["| Week | Words to read | Reading | Labs' run time | Exercises | Quiz | Total |",
             "|---|---|---|---|---|---|---|"]
    for w in result["weeks"]:
        lines.append(f"| {w['week']} | {w['words']:,} | {w['reading_min']} min | {w['run_min']} min | "
                     f"{w['exercise_min']} min | {w['quiz_min']} min | **{w['total_min']} min** |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--html", type=Path, default=ROOT / "_build" / "html")
    parser.add_argument("--durations", type=Path, default=ROOT / "_build" / ".jupyter_cache" / "durations.json")
    parser.add_argument("--write", action="store_true", help=f"store the result in {OUT.relative_to(ROOT)}")
    args = parser.parse_args(argv)
    result = compute(args.html, args.durations)
    if args.write:
        OUT.parent.mkdir(parents=True, exist_ok=True)
        OUT.write_text(json.dumps(result, indent=1) + "\n", encoding="utf-8")
        print(f"workload: {OUT.relative_to(ROOT)}")
    print(table(result))
    return 0


if __name__ == "__main__":
    sys.exit(main())
