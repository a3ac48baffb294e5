"""The instructor guide's answer tables, generated from the chapter pages so that they cannot go stale.

Each chapter guide (``chapters/instructor/ch1.md`` to ``ch5.md``) has a block between
``<!-- answers: generated from the chapter pages -->`` and ``<!-- end answers -->`` that lists
every exercise of the chapter's pages (in the table of contents' order): its title and label, the
page it is on, and what kind of answer it has. This script writes that block from the pages
themselves; tests/test_answers.py fails when a block disagrees with the pages. The numbers that
the coding solutions quote are re-computed from the code by tests/test_solution_numbers.py.

Usage (from the book's folder)::

    python -m scripts.answers            # rewrite the blocks that disagree (make book does this)
    python -m scripts.answers --check    # list the guides whose block is stale; exit 1 if any
"""

from __future__ import annotations

import argparse
import json
import re
import sys
from pathlib import Path

from scripts.book import chapters

ROOT = Path(__file__).resolve().parents[1]
START = "<!-- answers: generated from the chapter pages -->"
END = "<!-- end answers -->"
GUIDES = {f"chapters/instructor/ch{n}.md": folder for n, folder in
          enumerate(["01-plasticity", "02-mechanisms", "03-therapies", "04-future", "05-conclusion"], start=1)}
EXERCISE = re.compile(r"(?m)^`{3,}\{exercise(?P<start>-start)?\}[ \t]*(?P<title>[^\n]*)\n"
                      r"(?::[^\n]*\n)*?:label:[ \t]*(?P<label>\S+)")
SOLUTION = re.compile(r"(?m)^(?P<fence>`{3,})\{solution(?P<start>-start)?\}[ \t]+(?P<label>\S+)[ \t]*$")
INTRO = """The solutions are hidden in a dropdown right below each exercise (on the page, and in the
notebook for the coding exercises, whose solution is code that runs). The printable handouts
leave the solutions out. The numbers that the coding solutions quote are re-computed from the code
by the course's tests (`tests/test_solution_numbers.py`), and this table is generated from the
pages (`python -m scripts.answers`)."""


def page_text(docname: str) -> tuple[str, str]:
    """(markdown text, suffix) of a page: a notebook's markdown cells joined, or the .md file."""
    notebook = ROOT / f"{docname}.ipynb"
    if notebook.exists():
        cells = json.loads(notebook.read_text(encoding="utf-8"))["cells"]
        return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown"), ".ipynb"
    return (ROOT / f"{docname}.md").read_text(encoding="utf-8"), ".md"


def solution_body(text: str, label: str) -> str:
    """The text of the solution of ``label`` ("" when there is none)."""
    for match in SOLUTION.finditer(text):
        if match.group("label") == label:
            rest = text[match.end():]
            if match.group("start"):
                return rest[:rest.find("{solution-end}")]
            end = re.search(rf"(?m)^{match.group('fence')}\s*$", rest)
            return rest[:end.start()] if end else rest
    return ""


def kind(title: str, untitled: bool, body: str, suffix: str) -> str:
    """What kind of answer an exercise has, read from its title and its solution."""
    if suffix == ".ipynb":
        return "coding (solution code in a dropdown)"
    if "```python" in body:
        return "coding (solution code and answer in a dropdown)"
    if untitled or title.rstrip().endswith("(coding)"):
        return "coding (answer in a dropdown; the solution code is in the lab)"
    return "written (model answer in a dropdown)"


def exercises(docname: str) -> list[tuple[str, str, str]]:
    """(title, label, kind) of every exercise on a page, in page order."""
    text, suffix = page_text(docname)
    found = []
    for match in EXERCISE.finditer(text):
        untitled = bool(match.group("start")) or not match.group("title").strip()
        title = "Coding exercise" if untitled else match.group("title").strip()
        what = kind(title, untitled, solution_body(text, match.group("label")), suffix)
        found.append((title.removesuffix("(coding)").rstrip(), match.group("label"), what))
    return found


def table(folder: str) -> str:
    """The generated block of one chapter guide, markers included."""
    rows = ["| Exercise | On the page | Kind |", "|---|---|---|"]
    for docname in chapters()[folder]:
        for title, label, what in exercises(docname):
            page = docname.removeprefix("chapters/")
            rows.append(f"| {{ref}}`{title} <{label}>` | {{doc}}`../{page}` | {what} |")
    quiz = ("The self-check quiz of each page shows its answer once a student checks a chosen option; the same\n"
            "questions, with their answers, are exported for Canvas and Moodle (see {ref}`instructor-quiz-bank`).")
    return "\n\n".join([START, INTRO, "\n".join(rows), quiz, END])


def update(guide: str, write: bool) -> bool:
    """Whether the guide's block is stale; with ``write``, rewrite it."""
    path = ROOT / guide
    text = path.read_text(encoding="utf-8")
    start, end = text.find(START), text.find(END)
    if start < 0 or end < start:
        raise SystemExit(f"{guide}: no '{START}' ... '{END}' block")
    new = text[:start] + table(GUIDES[guide]) + text[end + len(END):]
    if new == text:
        return False
    if write:
        path.write_text(new, encoding="utf-8")
    return True


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="list the stale guides; exit 1 if any")
    args = parser.parse_args(argv)
    stale = [guide for guide in GUIDES if update(guide, write=not args.check)]
    for guide in stale:
        print(f"{guide}: answer table {'is stale' if args.check else 'rewritten'}")
    return 1 if (args.check and stale) else 0


if __name__ == "__main__":
    sys.exit(main())
