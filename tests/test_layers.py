"""The import contract (scripts/layers.py): no import circle and no upward import in the package or the
scripts; the checker itself is tested on small made-up packages, so that it is seen to fail."""

import textwrap

import pytest

from conftest import ROOT
from scripts import layers


def test_the_package_and_the_scripts_keep_the_contract():
    assert layers.problems(ROOT) == []


def test_the_graph_is_read_from_the_real_source():
    graph = layers.import_graph(ROOT, ["therapybrain"])
    assert "therapybrain.atlases" in graph["therapybrain.regions"]  # a top-level import
    assert "therapybrain.atlases" in graph["therapybrain._figures"]  # one inside a function
    assert "therapybrain.plotting.canvas" in graph["therapybrain.widgets"]
    assert "therapybrain._version" in graph["therapybrain._store"]  # not the package, which imports every layer
    assert graph["therapybrain._grid"] == set()  # the lowest module imports nothing of the package
    scripts = layers.import_graph(ROOT, ["scripts"])
    assert "scripts.execute_parallel" in scripts["scripts.book"] and "scripts.book" not in scripts[
        "scripts.execute_parallel"]


def test_cycles_finds_every_circle_and_only_circles():
    assert layers.cycles({"a": {"b"}, "b": {"c"}, "c": set()}) == []
    assert layers.cycles({"a": {"a"}}) == [["a", "a"]]
    assert layers.cycles({"a": {"b"}, "b": {"a"}, "c": {"d"}, "d": {"e"}, "e": {"c"}, "f": {"a"}}) == [
        ["a", "b", "a"], ["c", "d", "e", "c"]]


def test_upward_imports_and_layers():
    contract = [("p.base",), ("p.mid", "p.sub"), ("*",), ("p",)]
    assert layers.layer_of("p.sub.deep", contract) == 1 and layers.layer_of("p.new", contract) == 2
    assert layers.layer_of("p", contract) == 3
    graph = {"p.base": {"p.sub.deep"}, "p.mid": {"p.base"}, "p.new": {"p.mid"}, "p": {"p.new"}}
    assert layers.upward_imports(graph, contract) == ["p.base (layer 0) imports p.sub.deep (layer 1)"]


def _package(root, files):
    for path, text in files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_text(textwrap.dedent(text))


@pytest.mark.parametrize(("files", "expected"), [
    # the circle issue 21 removed: the input checks imported the atlases (inside a function) and back
    ({"therapybrain/_validation.py": "def grid():\n    from .atlases import course_grid\n",
      "therapybrain/atlases.py": "from ._validation import grid\n"},
     ["import circle: therapybrain._validation -> therapybrain.atlases -> therapybrain._validation",
      "upward import: therapybrain._validation (layer 0) imports therapybrain.atlases (layer 1)"]),
    # the atlas store read the version from the package, which imports every layer
    ({"therapybrain/__init__.py": "from .atlases import x\n__version__ = '1'\n",
      "therapybrain/atlases.py": "from . import _store\n", "therapybrain/_store.py": "from . import __version__\n"},
     ["import circle: therapybrain -> therapybrain.atlases -> therapybrain._store -> therapybrain",
      "upward import: therapybrain._store (layer 0) imports therapybrain (layer 5)"]),
    # the executor read the toc from the build script, which calls it
    ({"scripts/book.py": "def build():\n    from scripts.execute_parallel import run\n",
      "scripts/execute_parallel.py": "from scripts.book import ROOT\n"},
     ["import circle: scripts.book -> scripts.execute_parallel -> scripts.book",
      "upward import: scripts.execute_parallel (layer 1) imports scripts.book (layer 2)"]),
    # a plotting module importing its own package's __init__, which imports it
    ({"therapybrain/plotting/__init__.py": "from .static import plot\n",
      "therapybrain/plotting/static.py": "from therapybrain.plotting import VIEWS\n"},
     ["import circle: therapybrain.plotting -> therapybrain.plotting.static -> therapybrain.plotting"]),
    # a new module is beside the widgets: the regions may not import it
    ({"therapybrain/regions.py": "import therapybrain.resting\n", "therapybrain/resting.py": "import numpy\n"},
     ["upward import: therapybrain.regions (layer 2) imports therapybrain.resting (layer 4)"]),
    # imports only for type checkers do not run, and do not count
    ({"therapybrain/regions.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from . import widgets\n",
      "therapybrain/widgets.py": "from . import regions\n"}, []),
])
def test_the_checker_fails_on_each_kind_of_breach(tmp_path, files, expected):
    _package(tmp_path, {"therapybrain/__init__.py": "", "scripts/__init__.py": "", **files})
    assert layers.problems(tmp_path) == expected


def test_modules_stay_small_enough_to_read():
    """The tree shows the architecture: no module of the package over ~700 lines, a plotting module one
    job of under ~400 (generous ceilings: 750 and 420 lines)."""
    sizes = {name: len(path.read_text(encoding="utf-8").splitlines())
             for name, path in layers.module_files(ROOT, "therapybrain").items()}
    assert {name: n for name, n in sizes.items() if n > 750} == {}
    assert {name: n for name, n in sizes.items() if name.startswith("therapybrain.plotting") and n > 420} == {}
    assert len([name for name in sizes if name.startswith("therapybrain.plotting.")]) >= 6
