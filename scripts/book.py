"""The book in one place: its map (``_toc.yml``) and its build command.

The table of contents is read once, here, by ``sphinx_external_toc`` (the parser Jupyter Book 1
itself uses), so the scripts, the tests and the build agree on its pages and their order. The
build command is written once, here: ``make book``, the tests and the benchmark call it.

Usage (from the book's folder)::

    .venv/bin/python -m scripts.book [--path-output DIR]

executes the notebooks in parallel into the jupyter-cache (``scripts/execute_parallel.py``), then
runs ``jupyter-book build . -W -n --keep-going`` (warnings are errors), which finds every notebook
cached and executes none.
"""

from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
BUILD_OPTIONS = ("-W", "-n", "--keep-going")  # warnings are errors; every broken reference is reported
CHAPTER_FOLDER = re.compile(r"^chapters/(0\d-[^/]+)/")


def toc_docnames(toc: Path = ROOT / "_toc.yml") -> list[str]:
    """Every page of the table of contents in reading order (the order of Sphinx's 'next' links)."""
    from sphinx_external_toc.parsing import FileItem, parse_toc_yaml

    site = parse_toc_yaml(toc)
    order: list[str] = []

    def walk(docname: str) -> None:
        order.append(docname)
        for subtree in site[docname].subtrees:
            for item in subtree.items:
                if isinstance(item, FileItem):
                    walk(str(item))

    walk(site.root.docname)
    return order


def toc_notebooks(root: Path = ROOT) -> list[Path]:
    """The .ipynb files of the table of contents, sorted by path."""
    return sorted(p for p in (root / f"{docname}.ipynb" for docname in toc_docnames(root / "_toc.yml"))
                  if p.exists())


def chapters(toc: Path = ROOT / "_toc.yml") -> dict[str, list[str]]:
    """The pages of each chapter folder (``"01-plasticity": [docnames...]``), in reading order."""
    groups: dict[str, list[str]] = {}
    for docname in toc_docnames(toc):
        match = CHAPTER_FOLDER.match(docname)
        if match:
            groups.setdefault(match.group(1), []).append(docname)
    return groups


def build_command(root: Path = ROOT, path_output: Path | None = None) -> list[str]:
    """``jupyter-book build ROOT -W -n --keep-going [--path-output DIR]`` with this interpreter's jupyter-book."""
    command = [str(Path(sys.executable).parent / "jupyter-book"), "build", str(root), *BUILD_OPTIONS]
    if path_output is not None:
        command += ["--path-output", str(path_output)]
    return command


def build_dir(root: Path = ROOT, path_output: Path | None = None) -> Path:
    """Where the build writes: ROOT/_build, or DIR/_build with ``--path-output DIR``."""
    return (path_output if path_output is not None else root) / "_build"


def build(root: Path = ROOT, path_output: Path | None = None, *, capture: bool = False,
          jobs: int | None = None) -> subprocess.CompletedProcess:
    """Execute the notebooks in parallel into the build's jupyter-cache, then build the site.

    Returns the finished ``jupyter-book build`` (``capture``: its output is collected, not printed).
    A notebook that fails stops before the site is built (RuntimeError naming it).
    """
    from scripts.execute_parallel import execute_parallel

    execute_parallel(build_dir(root, path_output), toc_notebooks(root), processes=jobs, root=root)
    return subprocess.run(build_command(root, path_output), capture_output=capture, text=True, cwd=root)


def main(argv: list[str] | None = None) -> int:
    import os

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--path-output", type=Path, default=None, help="build into DIR/_build")
    args = parser.parse_args(argv)
    jobs = int(os.environ["JOBS"]) if os.environ.get("JOBS") else None
    return build(ROOT, args.path_output, jobs=jobs).returncode


if __name__ == "__main__":
    sys.exit(main())
