"""Sample submissions for trying the grader: a lab's solution with one answer wrong (in value, not in form), and
a lab's solution with its exercises' solutions run too.

``tests/test_grading.py`` grades a class made of them, and ``benchmarks/grading.py`` times one. A wrong value
is read off the question's hidden test, so that it passes the public tests (the right kind of answer) and
fails the hidden one. The exercises' solutions are ``{solution}`` boxes of the lab's markdown, their code in
```` ```python ```` blocks (closed in JupyterLab, never run by *Run All*): ``with_exercise_solutions`` inserts
that code as cells after the cell the box follows, so that grading the notebook also runs every solution.

Example:

>>> q = {"name": "n_dmn", "public": ["assert isinstance(n_dmn, int)"], "hidden": ["assert n_dmn == 67"]}
>>> wrong_value(q)
'68'
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat

SOLUTION_BOX = re.compile(r"(?ms)^(`{4,})\{solution\}[^\n]*\n(.*?)^\1\s*$")
PYTHON_BLOCK = re.compile(r"(?ms)^```python\n(.*?)^```\s*$")


def wrong_value(q: dict) -> str:
    """A wrong answer of the right form for an autograded question, as Python source, read from its hidden test.

    >>> wrong_value({"name": "x", "public": [], "hidden": ["assert abs(x - 0.25) < 0.005"]})
    '0.3'
    """
    hidden, public = q["hidden"][0], " ".join(q["public"])
    if m := re.search(r"abs\(\w+ - \(?(-?[\d.]+)\)?\) <=? ([\d.]+)", hidden):
        value, step = float(m[1]), 10 * float(m[2])
        return repr(value - step if value > 0.5 else value + step)   # a fraction stays between 0 and 1
    if m := re.search(r" is (True|False)$", hidden):
        return str(m[1] == "False")
    if m := re.search(r" == (\d+)$", hidden):
        return str(int(m[1]) + 1)
    if m := re.search(r" == '([^']+)'$", hidden):
        if " in (" not in public:
            return repr(m[1] + "_x")
        return repr(next(c for c in re.findall(r"'([^']+)'", public.split(" in (")[1]) if c != m[1]))
    if "sorted(" in hidden:
        return "['amygdala']"
    raise ValueError(f"no wrong value for {q['name']}: {hidden}")


def with_wrong_answer(solution: Path, q: dict) -> nbformat.NotebookNode:
    """The solution notebook with one answer overwritten, right after the cell that computes it."""
    nb = nbformat.read(solution, as_version=4)
    at = max(i for i, c in enumerate(nb.cells) if c.cell_type == "code"
             and re.search(rf"(?m)^{q['name']}\s*=", c.source))
    nb.cells.insert(at + 1, nbformat.v4.new_code_cell(f"{q['name']} = {wrong_value(q)}"))
    return nb


def exercise_solutions(nb: nbformat.NotebookNode) -> list[tuple[int, list[str]]]:
    """(cell index, [its ```python blocks]) of every ``{solution}`` box of a notebook's markdown cells.

    >>> cell = nbformat.v4.new_markdown_cell("````{solution} ex-1\\n```python\\nx = 1\\n```\\n````")
    >>> exercise_solutions(nbformat.v4.new_notebook(cells=[cell]))
    [(0, ['x = 1\\n'])]
    """
    found = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            found += [(index, PYTHON_BLOCK.findall(body)) for _, body in SOLUTION_BOX.findall(cell.source)]
    return found


def with_exercise_solutions(solution: Path, lab: Path) -> tuple[nbformat.NotebookNode, int]:
    """The autograder's ``solution`` notebook with the code of the ``lab``'s exercise solutions inserted as
    code cells; returns it and how many cells were inserted.

    The grader's notebook has no solution box, so each box's code goes after the last cell before the box in the
    lab that the grader's notebook has too, once (the lesson's cells are the same in both).
    """
    nb, source = nbformat.read(solution, as_version=4), nbformat.read(lab, as_version=4)
    inserted = 0
    for index, blocks in reversed(exercise_solutions(source)):
        texts = [c.source for c in nb.cells]
        before = next((texts.index(c.source) for c in reversed(source.cells[:index])
                       if c.source.strip() and texts.count(c.source) == 1), None)
        if before is None:
            raise ValueError(f"{lab.name}: no cell of the grader's notebook comes before the solution in cell {index}")
        nb.cells[before + 1:before + 1] = [nbformat.v4.new_code_cell(code.rstrip()) for code in blocks]
        inserted += len(blocks)
    return nb, inserted
