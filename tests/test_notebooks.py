"""Every notebook is stored without outputs and runs top to bottom."""

import json

import nbformat
import pytest
from nbclient import NotebookClient

from conftest import ROOT, notebooks

NOTEBOOKS = notebooks()
IDS = [str(p.relative_to(ROOT / "chapters")) for p in NOTEBOOKS]


def test_there_are_notebooks():
    assert NOTEBOOKS


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_stored_without_outputs(path):
    notebook = json.loads(path.read_text())
    for cell in notebook["cells"]:
        if cell["cell_type"] == "code":
            assert cell["outputs"] == [] and cell["execution_count"] is None, cell["source"][:80]


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_executes_top_to_bottom(path):
    notebook = nbformat.read(path, as_version=4)
    client = NotebookClient(notebook, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}})
    client.execute()  # raises CellExecutionError, naming the cell, on the first failing cell
    outputs = [o for c in notebook.cells for o in c.get("outputs", [])]
    assert not [o for o in outputs if o.get("output_type") == "error"]
    # no warning (with a path into site-packages) is printed on a student's page
    stderr = ["".join(o["text"])[:300] for o in outputs if o.get("output_type") == "stream" and o["name"] == "stderr"]
    assert not stderr, stderr
