"""The exercises' solutions: each lab has them, each with code, and that code runs (tests/test_grading.py).

A solution is one ``{solution}`` box in a markdown cell, its code in ```` ```python ```` blocks inside it,
so that the solution stays closed in JupyterLab and *Run All* does not run it (tests/test_jupyterlab.py).
The book therefore shows a solution's code without executing it. The grading tests execute it: each lab's
solution notebook is graded with every solution's code inserted as code cells right after the cell its box
follows (``scripts.grading.samples.with_exercise_solutions``), and must be graded without a cell raising.
An answer key that no longer runs cannot land.
"""

from __future__ import annotations

import nbformat

from conftest import notebooks
from scripts import editions
from scripts.grading.samples import exercise_solutions

WITH_SOLUTIONS = [p for p in notebooks() if exercise_solutions(nbformat.read(p, as_version=4))]


def test_every_lab_has_a_solution_with_code():
    assert len(WITH_SOLUTIONS) >= 10
    for path in WITH_SOLUTIONS:
        for index, blocks in exercise_solutions(nbformat.read(path, as_version=4)):
            assert blocks, f"{path.name}: the solution in cell {index} has no ```python block"


def test_the_grading_tests_run_every_solution():
    """Every notebook with a solution is a lab that tests/test_grading.py grades with its solutions inserted."""
    assert {p.stem for p in WITH_SOLUTIONS} <= {lab.stem for lab in editions.labs()}
