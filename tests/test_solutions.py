"""The exercises' solutions run, and keep running: each notebook is executed with its solutions' code.

A solution is one ``{solution}`` box in a markdown cell, its code in ```` ```python ```` blocks inside it,
so that the solution stays closed in JupyterLab and *Run All* does not run it (tests/test_jupyterlab.py).
The book therefore shows a solution's code without executing it; this test executes it: the notebook
runs top to bottom with each solution's code inserted as code cells right after its box, and no cell may
raise an error. An answer key that no longer runs cannot land.
"""

from __future__ import annotations

import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

from conftest import notebooks
from scripts.execute_parallel import _ipc_kernel_manager

SOLUTION = re.compile(r"(?ms)^(`{4,})\{solution\}[^\n]*\n(.*?)^\1\s*$")
CODE = re.compile(r"(?ms)^```python\n(.*?)^```\s*$")


def solutions(nb) -> list[tuple[int, list[str]]]:
    """(cell index, [code blocks]) of every solution box in a notebook."""
    found = []
    for index, cell in enumerate(nb.cells):
        if cell.cell_type == "markdown":
            for _, body in SOLUTION.findall(cell.source):
                found.append((index, CODE.findall(body)))
    return found


WITH_SOLUTIONS = [p for p in notebooks() if solutions(nbformat.read(p, as_version=4))]


def test_every_lab_has_a_solution_with_code():
    assert len(WITH_SOLUTIONS) >= 10
    for path in WITH_SOLUTIONS:
        for index, blocks in solutions(nbformat.read(path, as_version=4)):
            assert blocks, f"{path.name}: the solution in cell {index} has no ```python block"


@pytest.mark.slow
@pytest.mark.parametrize("path", WITH_SOLUTIONS, ids=[p.stem for p in WITH_SOLUTIONS])
def test_solutions_run(path: Path):
    nb = nbformat.read(path, as_version=4)
    inserted = []
    for index, blocks in reversed(solutions(nb)):
        cells = [nbformat.v4.new_code_cell(code.rstrip()) for code in blocks]
        nb.cells[index + 1:index + 1] = cells
        inserted += cells
    client = NotebookClient(nb, timeout=600, kernel_name="python3", allow_errors=False,
                            kernel_manager_class=_ipc_kernel_manager(),
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute()
    for cell in inserted:
        errors = [o for o in cell.outputs if o.output_type == "error"]
        assert not errors, f"{path.name}: solution code failed: {cell.source[:80]!r}"
        assert cell.execution_count, f"{path.name}: solution code did not run"
