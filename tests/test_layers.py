"""The import contract (pyproject.toml ``[tool.importlinter]``, checked by import-linter's ``lint-imports`` in
``make lint``): no layer imports a higher one and no import circle, in the package and in the scripts.

The tree keeps it; and each kind of breach, made in a temporary copy of the package and the scripts, breaks
the contract that forbids it (and only that one), so that the contract is seen to fail."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

from conftest import ROOT

LINT_IMPORTS = Path(sys.executable).parent / "lint-imports"
CONTRACTS = {c["id"]: c["name"] for c in tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
             ["contracts"]}


THROUGH = "no-circle-through-..."


def lint_imports(folder: Path) -> tuple[int, set[str], str]:
    """Run lint-imports on the packages under ``folder`` (its pyproject.toml): exit status, the ids of the
    broken contracts, the report."""
    done = subprocess.run([str(LINT_IMPORTS), "--no-cache", "--no-logo"], capture_output=True, text=True,
                          cwd=folder, env=dict(os.environ, PYTHONPATH=str(folder)), timeout=120)
    report = " ".join((done.stdout + done.stderr).split())  # the report wraps long names
    broken = {cid for cid, name in CONTRACTS.items() if f"{name} BROKEN" in report}
    return done.returncode, broken, report


def test_the_contract_names_every_layer_of_the_old_one():
    """The layers, lowest first: therapybrain's base modules -> atlases -> regions -> plotting -> the labs'
    modules -> the package's __init__; the scripts' toc -> execute_parallel -> book -> every other script."""
    contracts = {c["id"]: c for c in tomllib.loads((ROOT / "pyproject.toml").read_text())["tool"]["importlinter"]
                 ["contracts"]}
    package = [layer.split(" : ") for layer in reversed(contracts["package-layers"]["layers"])]
    assert package[:4] == [["_docs", "_grid", "_validation", "_wording", "_store", "_version"], ["atlases"],
                           ["regions"], ["plotting", "_figures"]]
    assert {"widgets", "simulations"} <= set(package[4]) and len(package) == 5
    assert contracts["package-top"]["forbidden_modules"] == ["therapybrain"]
    scripts = [layer.split(" : ") for layer in reversed(contracts["script-layers"]["layers"])]
    assert scripts[:3] == [["toc"], ["execute_parallel"], ["book"]] and len(scripts) == 4
    assert contracts["package-layers"]["exhaustive"] and contracts["script-layers"]["exhaustive"]


def test_the_package_and_the_scripts_keep_the_contract():
    status, broken, report = lint_imports(ROOT)
    assert (status, broken) == (0, set()), report
    assert f"Contracts: {len(CONTRACTS)} kept, 0 broken." in report


@pytest.fixture
def copy(tmp_path) -> Path:
    """The package, the scripts and the contract, copied (source files only)."""
    for package in ("therapybrain", "scripts"):
        shutil.copytree(ROOT / package, tmp_path / package,
                        ignore=lambda folder, names: [n for n in names if n == "__pycache__"
                                                      or (Path(folder, n).is_file() and not n.endswith(".py"))])
    shutil.copy(ROOT / "pyproject.toml", tmp_path)
    return tmp_path


def module_file(root: Path, name: str) -> Path:
    """The file of a module of the copy (``p/x.py`` or, a package, ``p/x/__init__.py``)."""
    path = root.joinpath(*name.split("."))
    return path / "__init__.py" if path.is_dir() else path.with_suffix(".py")


def test_the_copy_keeps_the_contract_too(copy):
    assert lint_imports(copy)[:2] == (0, set())


@pytest.mark.parametrize(("edits", "expected"), [
    # the circle issue 21 removed: the input checks imported the atlases (inside a function) and back
    ({"therapybrain._validation": "def _grid():\n    from .atlases import course_grid\n"},
     {"package-layers", "no-circles", THROUGH}),
    # the atlas store read the version from the package, which imports every layer (so through the store, every
    # subpackage's modules reach its __init__, and the base layer the labs' modules)
    ({"therapybrain._store": "from . import __version__\n"},
     {"package-top", "package-layers", THROUGH}),
    # the executor read the toc from the build script, which calls it
    ({"scripts.execute_parallel": "from scripts.book import ROOT as _ROOT\n"}, {"script-layers", "no-circles"}),
    # the lowest script reads a script of the top layer (which reads the toc through the build script)
    ({"scripts.toc": "def _f():\n    import scripts.editions\n"}, {"script-layers", "no-circles"}),
    # a plotting module importing its own package's __init__, which imports it
    ({"therapybrain.plotting.static": "from therapybrain.plotting import VIEWS as _VIEWS\n"},
     {"no-circle-through-plotting"}),
    # the regions read a lab's module (one of the top layer)
    ({"therapybrain.regions": "import therapybrain.checking\n"}, {"package-layers"}),
    # a new module inside the simulations is in the simulations' layer: the regions may not import it (and the
    # simulations import the regions: a circle between the two subpackages)
    ({"therapybrain.simulations.newlab": "import numpy\n",
      "therapybrain.regions": "import therapybrain.simulations.newlab\n"}, {"package-layers", "no-circles"}),
    # a new module of the package has no layer until it is given one
    ({"therapybrain.newlab": "from . import regions\n"}, {"package-layers"}),
    # two labs' modules (one layer) importing each other
    ({"therapybrain.checking": "def _f():\n    from . import widgets\n",
      "therapybrain.widgets": "def _g():\n    from . import checking\n"}, {"no-circles"}),
    # a subpackage's __main__ (run as a program, imported by none) may import its package
    ({"therapybrain.resting.__main__": "from therapybrain.resting import build as _build\n"}, set()),
    # imports only for type checkers do not run, and do not count
    ({"therapybrain.regions": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from . import widgets\n"},
     set()),
])
def test_each_kind_of_breach_breaks_its_contract(copy, edits, expected):
    """``THROUGH``: also a circle through the __init__ of one or more subpackages whose __init__ imports its
    modules (which ones depends on how the subpackages are laid out; at least one)."""
    for name, code in edits.items():
        path = module_file(copy, name)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as module:
            module.write("\n" + code)
    status, broken, report = lint_imports(copy)
    through = {cid for cid in broken if cid.startswith("no-circle-through-")}
    if THROUGH in expected:
        assert through, report
        expected = (expected - {THROUGH}) | through
    assert broken == expected, report
    assert status == (1 if expected else 0), report
    for cid in expected:  # the report names the breach
        assert re.search(rf"{re.escape(CONTRACTS[cid])}\s+BROKEN", report)


def test_modules_stay_small_enough_to_read():
    """The tree shows the architecture: no module of the package over ~700 lines, a plotting module one
    job of under ~400 (generous ceilings: 750 and 420 lines)."""
    sizes = {path.relative_to(ROOT).as_posix(): len(path.read_text(encoding="utf-8").splitlines())
             for path in (ROOT / "therapybrain").rglob("*.py")}
    assert {name: n for name, n in sizes.items() if n > 750} == {}
    assert {name: n for name, n in sizes.items() if name.startswith("therapybrain/plotting/") and n > 420} == {}
    assert len([name for name in sizes if name.startswith("therapybrain/plotting/")]) >= 7
