"""Sample submissions for trying the grader: a lab's solution with one answer wrong (in value, not in form).

``tests/test_grading.py`` grades a class made of them, and ``benchmarks/grading.py`` times one. A wrong value
is read off the question's hidden test, so that it passes the public tests (the right kind of answer) and
fails the hidden one.

Example:

>>> q = {"name": "n_dmn", "public": ["assert isinstance(n_dmn, int)"], "hidden": ["assert n_dmn == 67"]}
>>> wrong_value(q)
'68'
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat


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
