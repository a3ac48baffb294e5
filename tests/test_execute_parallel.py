"""scripts/execute_parallel.py: `make book` executes notebooks in parallel into the jupyter-cache the build reads."""

import json
from pathlib import Path

import nbformat
import pytest

from scripts import execute_parallel as ep

pytestmark = pytest.mark.slow


def _notebook(path: Path, source: str) -> Path:
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_code_cell(source)])
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3", "language": "python"}
    nbformat.write(nb, path)
    return path


def _cached(build: Path) -> dict[str, str]:
    """Name -> the cached first output of each notebook (the notebooks print the time of their run)."""
    from jupyter_cache import get_cache

    cache = get_cache(str(build / ".jupyter_cache"))
    return {Path(r.uri).name: cache.get_cache_bundle(r.pk).nb.cells[0].outputs[0]["text"]
            for r in cache.list_cache_records()}


RUN_TIME = "import time; print({}, time.time_ns())"


def test_toc_notebooks_are_the_books_notebooks():
    from conftest import notebooks

    assert ep.toc_notebooks() == notebooks()


def test_executes_caches_and_skips_what_is_cached(tmp_path):
    build = tmp_path / "_build"
    nbs = [_notebook(tmp_path / f"nb{i}.ipynb", RUN_TIME.format(f"{i} * 7")) for i in range(3)]
    ep.execute_parallel(build, nbs, processes=2, root=tmp_path)
    first = _cached(build)
    assert set(first) == {"nb0.ipynb", "nb1.ipynb", "nb2.ipynb"}
    assert first["nb2.ipynb"].startswith("14 ")
    durations = json.loads((build / ".jupyter_cache" / "durations.json").read_text())
    assert set(durations) == {p.name for p in nbs} and all(v > 0 for v in durations.values())
    assert (build / ".jupyter_cache" / "therapybrain.sha256").read_text() == ep.package_fingerprint()

    ep.execute_parallel(build, nbs, processes=2, root=tmp_path)  # nothing changed: the same cache records
    assert _cached(build) == first

    _notebook(nbs[1], RUN_TIME.format("'changed'"))  # a changed notebook is executed again, the others are not
    ep.execute_parallel(build, nbs, processes=2, root=tmp_path)
    again = _cached(build)
    assert again["nb0.ipynb"] == first["nb0.ipynb"] and again["nb2.ipynb"] == first["nb2.ipynb"]
    assert again["nb1.ipynb"].startswith("changed ")


def test_a_changed_package_empties_the_cache_and_the_notebooks_doctrees(tmp_path):
    build = tmp_path / "_build"
    nb = _notebook(tmp_path / "nb.ipynb", RUN_TIME.format(1))
    ep.execute_parallel(build, [nb], processes=1, root=tmp_path)
    before = _cached(build)
    (build / ".jupyter_cache" / "therapybrain.sha256").write_text("an older therapybrain")
    doctree = build / ".doctrees" / "nb.doctree"
    doctree.parent.mkdir(parents=True)
    doctree.write_text("stale")
    ep.execute_parallel(build, [nb], processes=1, root=tmp_path)
    assert _cached(build)["nb.ipynb"] != before["nb.ipynb"]
    assert not doctree.exists()
    assert (build / ".jupyter_cache" / "therapybrain.sha256").read_text() == ep.package_fingerprint()


def test_a_failing_notebook_fails_the_step_and_names_the_notebook(tmp_path):
    good = _notebook(tmp_path / "good.ipynb", RUN_TIME.format(1))
    bad = _notebook(tmp_path / "bad.ipynb", "raise ValueError('broken on purpose')")
    with pytest.raises(RuntimeError, match="bad.ipynb"):
        ep.execute_parallel(tmp_path / "_build", [good, bad], processes=2, root=tmp_path)
    assert set(_cached(tmp_path / "_build")) == {"good.ipynb"}


def test_kernels_use_the_ipc_transport_and_leave_no_socket_behind(tmp_path, capfd):
    """No TCP port, so no "Kernel is running over TCP without encryption" in the build log."""
    source = ("from ipykernel.kernelapp import IPKernelApp; app = IPKernelApp.instance(); "
              "print(app.transport, app.ip)")
    nb = _notebook(tmp_path / "nb.ipynb", source)
    ep.execute_parallel(tmp_path / "_build", [nb], processes=1, root=tmp_path)
    transport, ip = _cached(tmp_path / "_build")["nb.ipynb"].split()
    assert transport == "ipc"
    assert not Path(ip).parent.exists(), f"the kernel's socket folder {Path(ip).parent} was left behind"
    assert sorted(p.name for p in tmp_path.iterdir()) == ["_build", "nb.ipynb"]  # no socket beside the notebook
    assert "without encryption" not in capfd.readouterr().err
