"""The import contract of the package and the scripts: no import circle, and no layer imports a higher one.

The import graph is read from the source with :mod:`ast` (nothing is imported): every ``import`` and
``from ... import`` of a module counts, also those inside a function (a deferred import is still an
import when the function runs), except those under ``if TYPE_CHECKING:``. Relative imports are
resolved; ``from . import name`` is an edge to the submodule ``name`` when there is one, else to the
package. Imports of other packages (numpy, nilearn...) are ignored.

The layers, lowest first (a module may import its own layer or lower ones, never a higher one)::

    therapybrain   base (_docs, _grid, _validation, _store, _version) -> atlases -> regions
                   -> plotting (the subpackage, and _figures) -> widgets, simulations, any other module
                   -> the package's __init__ (the names notebooks use)
    scripts        toc -> execute_parallel -> book -> any other script

A module of the package that no layer names (a new lab's module) is in the "labs" layer, beside the
widgets and simulations: it may import everything below, and nothing below may import it.

Usage (from the book's folder; tests/test_layers.py runs the same check)::

    .venv/bin/python -m scripts.layers
"""

from __future__ import annotations

import ast
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: therapybrain's layers, lowest first: module names (a subpackage's name covers its modules; the
#: package's own name, its ``__init__`` only).
PACKAGE_LAYERS: tuple[tuple[str, ...], ...] = (
    ("therapybrain._docs", "therapybrain._grid", "therapybrain._validation", "therapybrain._store",
     "therapybrain._version"),
    ("therapybrain.atlases",),
    ("therapybrain.regions",),
    ("therapybrain.plotting", "therapybrain._figures"),
    ("therapybrain.widgets", "therapybrain.simulations", "*"),  # "*": every module no layer names
    ("therapybrain",),
)
#: The scripts' layers, lowest first: the build calls the executor, never the reverse.
SCRIPT_LAYERS: tuple[tuple[str, ...], ...] = (
    ("scripts.toc",),
    ("scripts.execute_parallel",),
    ("scripts.book",),
    ("*",),
)


def module_files(root: Path, package: str) -> dict[str, Path]:
    """Every module of a package (``package/**.py``) by dotted name; ``__init__.py`` is the package itself.

    Examples
    --------
    >>> "therapybrain.plotting.static" in module_files(ROOT, "therapybrain")
    True
    """
    modules = {}
    for path in sorted((root / package).rglob("*.py")):
        parts = list(path.relative_to(root).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        modules[".".join(parts)] = path
    return modules


def _is_package(name: str, files: Mapping[str, Path]) -> bool:
    return name in files and files[name].name == "__init__.py"


def imports_of(name: str, source: str, files: Mapping[str, Path]) -> set[str]:
    """The modules of ``files`` that module ``name`` (whose code is ``source``) imports.

    Examples
    --------
    >>> files = {"p": Path("p/__init__.py"), "p.a": Path("p/a.py"), "p.b": Path("p/b.py")}
    >>> sorted(imports_of("p.a", "import numpy\\ndef f():\\n    from . import b\\n", files))
    ['p.b']
    >>> sorted(imports_of("p.b", "from .a import g\\nfrom p import __version__\\n", files))
    ['p', 'p.a']
    """
    tree = ast.parse(source)
    guarded = set()
    for node in ast.walk(tree):  # imports under `if TYPE_CHECKING:` do not run
        if isinstance(node, ast.If) and "TYPE_CHECKING" in ast.unparse(node.test):
            guarded.update(id(child) for stmt in node.body for child in ast.walk(stmt))
    package = name if _is_package(name, files) else name.rpartition(".")[0]
    found: set[str] = set()
    for node in ast.walk(tree):
        if id(node) in guarded:
            continue
        if isinstance(node, ast.Import):
            targets = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base_parts = package.split(".")
                base_parts = base_parts[: len(base_parts) - (node.level - 1)]
                base = ".".join(base_parts + ([node.module] if node.module else []))
            else:
                base = node.module or ""
            targets = [f"{base}.{alias.name}" if f"{base}.{alias.name}" in files else base for alias in node.names]
        else:
            continue
        for target in targets:
            while target and target not in files:  # `import p.a.x` with x a name: the module p.a
                target = target.rpartition(".")[0]
            if target and target != name:
                found.add(target)
    return found


def import_graph(root: Path, packages: Iterable[str]) -> dict[str, set[str]]:
    """Module -> the modules (of these packages) it imports, read from the source files under ``root``."""
    files: dict[str, Path] = {}
    for package in packages:
        files.update(module_files(root, package))
    return {name: imports_of(name, path.read_text(encoding="utf-8"), files) for name, path in files.items()}


def cycles(graph: Mapping[str, Iterable[str]]) -> list[list[str]]:
    """The import circles: each group of modules that import each other (directly or not), as one
    circle through them, ``[a, b, ..., a]``; sorted. Empty when the graph has no circle.

    Examples
    --------
    >>> cycles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}})
    [['a', 'b', 'c', 'a']]
    >>> cycles({"a": {"b"}, "b": set()})
    []
    """
    graph = {node: set(targets) for node, targets in graph.items()}
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    groups: list[set[str]] = []

    def visit(node: str) -> None:  # Tarjan's strongly connected components
        index[node] = low[node] = len(index)
        stack.append(node)
        on_stack.add(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in on_stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            group = set()
            while True:
                member = stack.pop()
                on_stack.discard(member)
                group.add(member)
                if member == node:
                    break
            if len(group) > 1 or node in graph.get(node, ()):
                groups.append(group)

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(_circle(group, graph) for group in groups)


def _circle(group: set[str], graph: Mapping[str, set[str]]) -> list[str]:
    """One circle through the first module of a strongly connected group (breadth-first: a shortest one)."""
    start = min(group)
    paths = {start: [start]}
    queue = [start]
    while queue:
        node = queue.pop(0)
        for target in sorted(graph.get(node, ())):
            if target == start:
                return paths[node] + [start]
            if target in group and target not in paths:
                paths[target] = paths[node] + [target]
                queue.append(target)
    return [start, start]


def _group_of(module: str, graph: Mapping[str, Iterable[str]]) -> set[str]:
    """The modules that ``module`` reaches and that reach it back (its strongly connected group)."""
    def reach(start: str, edges: Mapping[str, Iterable[str]]) -> set[str]:
        seen, todo = {start}, [start]
        while todo:
            for target in edges.get(todo.pop(), ()):
                if target not in seen:
                    seen.add(target)
                    todo.append(target)
        return seen

    reverse: dict[str, set[str]] = {}
    for node, targets in graph.items():
        for target in targets:
            reverse.setdefault(target, set()).add(node)
    return reach(module, graph) & reach(module, reverse)


def layer_of(module: str, layers: Sequence[Sequence[str]]) -> int:
    """The layer of a module: the layer naming it or a subpackage holding it (the longest such name), else
    the layer holding ``"*"``.

    Examples
    --------
    >>> layer_of("therapybrain.plotting.static", PACKAGE_LAYERS), layer_of("therapybrain", PACKAGE_LAYERS)
    (3, 5)
    >>> layer_of("therapybrain.resting", PACKAGE_LAYERS)  # a module no layer names: beside the widgets
    4
    """
    best, best_length = None, -1
    for number, names in enumerate(layers):
        for name in names:
            covers = "." in name and module.startswith(name + ".")  # a package's own name: its __init__ only
            if (module == name or covers) and len(name) > best_length:
                best, best_length = number, len(name)
    if best is None:
        best = next(number for number, names in enumerate(layers) if "*" in names)
    return best


def upward_imports(graph: Mapping[str, Iterable[str]], layers: Sequence[Sequence[str]]) -> list[str]:
    """Each import of a higher layer by a lower one, as ``"importer (layer i) imports imported (layer j)"``.

    Examples
    --------
    >>> upward_imports({"p.low": {"p.high"}, "p.high": {"p.low"}}, [("p.low",), ("p.high",), ("*",)])
    ['p.low (layer 0) imports p.high (layer 1)']
    """
    found = []
    for module in sorted(graph):
        mine = layer_of(module, layers)
        for target in sorted(graph[module]):
            theirs = layer_of(target, layers)
            if theirs > mine:
                found.append(f"{module} (layer {mine}) imports {target} (layer {theirs})")
    return found


def problems(root: Path = ROOT) -> list[str]:
    """Every breach of the contract in the package and the scripts (empty: none)."""
    found = []
    for package, layers in (("therapybrain", PACKAGE_LAYERS), ("scripts", SCRIPT_LAYERS)):
        graph = import_graph(root, [package])
        for circle in cycles(graph):
            among = sorted(_group_of(circle[0], graph))
            more = f" (modules importing each other: {', '.join(among)})" if len(among) > len(circle) - 1 else ""
            found.append("import circle: " + " -> ".join(circle) + more)
        found += ["upward import: " + breach for breach in upward_imports(graph, layers)]
    return found


def main() -> int:
    found = problems()
    for problem in found:
        print(problem, file=sys.stderr)
    if not found:
        print("layers: no import circle, no upward import (therapybrain, scripts)")
    return 1 if found else 0


if __name__ == "__main__":
    sys.exit(main())
