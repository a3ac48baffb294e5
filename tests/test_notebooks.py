"""Every notebook is stored without outputs and runs top to bottom."""

import json

import nbformat
import pytest

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


@pytest.fixture(scope="session")
def executed():
    """The book build's executed copy of a notebook (make book: scripts/execute_parallel.py into the
    jupyter-cache, with the current therapybrain and requirements.txt), executed here when missing."""
    from jupyter_cache import get_cache

    from scripts.execute_parallel import execute_parallel, package_fingerprint

    build = ROOT / "_build"
    stamp = build / ".jupyter_cache" / "therapybrain.sha256"
    if not stamp.is_file() or stamp.read_text() != package_fingerprint(ROOT):
        execute_parallel(build, NOTEBOOKS, root=ROOT)   # therapybrain changed since the build: all again
    cache = get_cache(str(build / ".jupyter_cache"))

    def read(path):
        notebook = nbformat.read(path, as_version=4)
        try:
            record = cache.match_cache_notebook(notebook)
        except KeyError:   # the notebook changed since the build
            execute_parallel(build, [path], root=ROOT)
            record = cache.match_cache_notebook(notebook)
        return cache.get_cache_bundle(record.pk).nb

    return read


@pytest.mark.slow
@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_executes_top_to_bottom(path, executed):
    """Every code cell ran, in order, with no error and nothing on stderr (no warning with a path into
    site-packages on a student's page), as the book shows it. The notebooks are executed once, by the book
    build; this reads that execution instead of running them again."""
    notebook = executed(path)
    code = [c for c in notebook.cells if c.cell_type == "code"]
    counts = [c.execution_count for c in code]
    assert counts == list(range(1, len(code) + 1)), f"not every cell ran, in order: execution counts {counts}"
    outputs = [o for c in code for o in c.get("outputs", [])]
    errors = [f"{o.get('ename')}: {o.get('evalue')}" for o in outputs if o.get("output_type") == "error"]
    assert not errors, errors
    stderr = ["".join(o["text"])[:300] for o in outputs if o.get("output_type") == "stream" and o["name"] == "stderr"]
    assert not stderr, stderr
