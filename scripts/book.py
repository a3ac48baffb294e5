"""The book's build command, written once: ``make book``, the tests and the benchmark call it.

The book's map (``_toc.yml``: its pages, notebooks and chapters) is read in ``scripts/toc.py``; its
names are also importable from here. The build calls the executor (``scripts/execute_parallel.py``),
never the reverse: both read the map from ``scripts/toc.py``, below them.

Usage (from the book's folder)::

    .venv/bin/python -m scripts.book [--path-output DIR]

executes the notebooks in parallel into the jupyter-cache (``scripts/execute_parallel.py``), then
runs ``jupyter-book build . -W -n --keep-going`` (warnings are errors), which finds every notebook
cached and executes none.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

from scripts.execute_parallel import execute_parallel, files_fingerprint
from scripts.toc import ROOT, chapters, toc_docnames, toc_notebooks  # noqa: F401  (the map, read in scripts/toc.py)

BUILD_OPTIONS = ("-W", "-n", "--keep-going")  # warnings are errors; every broken reference is reported


def build_command(root: Path = ROOT, path_output: Path | None = None) -> list[str]:
    """``jupyter-book build ROOT -W -n --keep-going [--path-output DIR]`` with this interpreter's jupyter-book."""
    command = [str(Path(sys.executable).parent / "jupyter-book"), "build", str(root), *BUILD_OPTIONS]
    if path_output is not None:
        command += ["--path-output", str(path_output)]
    return command


def build_dir(root: Path = ROOT, path_output: Path | None = None) -> Path:
    """Where the build writes: ROOT/_build, or DIR/_build with ``--path-output DIR``."""
    return (path_output if path_output is not None else root) / "_build"


#: What the site is built from: a build is current when none of these changed since it succeeded.
SOURCES = ("_config.yml", "_toc.yml", "index.md", "chapters", "assets", "_ext", "therapybrain", "requirements.txt")
BUILT = "built.json"   #: in the build folder, written by a build that succeeded: its sources' fingerprint


def sources_fingerprint(root: Path = ROOT) -> str:
    """A hash of every file the site is built from (``SOURCES``; caches and checkpoints left out).

    >>> len(sources_fingerprint())
    64
    """
    files: list[Path] = []
    for name in SOURCES:
        top = root / name
        found = [top] if top.is_file() else sorted(p for p in top.rglob("*") if p.is_file())
        files += [p for p in found if not {"__pycache__", ".ipynb_checkpoints"} & set(p.parts)]
    return files_fingerprint(files, root)


def is_built(root: Path = ROOT, path_output: Path | None = None) -> bool:
    """Whether the site in the build folder was built, warnings as errors, from the sources as they are now."""
    record = build_dir(root, path_output) / BUILT
    if not record.is_file() or not (build_dir(root, path_output) / "html" / "index.html").is_file():
        return False
    built = json.loads(record.read_text())
    return built.get("sources") == sources_fingerprint(root) and set(BUILD_OPTIONS) <= set(built.get("command", []))


MADE_FROM = "made-from.json"   #: in an output made from the site (handouts, slides): which build it was made from


def record_made_from(out: Path, html: Path) -> None:
    """Records in ``out`` (make handouts' or make slides' folder) the build of the site in ``html`` it was made
    from; written once the output is complete, so ``made_from_current_site`` can tell a finished, current one."""
    built = html.parent / BUILT
    sources = json.loads(built.read_text()).get("sources") if built.is_file() else None
    (out / MADE_FROM).write_text(json.dumps({"sources": sources}))


def made_from_current_site(out: Path, root: Path = ROOT) -> bool:
    """Whether ``out`` was completed from the site as it is built now, from the sources as they are now."""
    record = out / MADE_FROM
    if not record.is_file() or not is_built(root):
        return False
    built = json.loads((build_dir(root) / BUILT).read_text())
    return json.loads(record.read_text()).get("sources") == built.get("sources")


def build(root: Path = ROOT, path_output: Path | None = None, *, capture: bool = False,
          jobs: int | None = None) -> subprocess.CompletedProcess:
    """Execute the notebooks in parallel into the build's jupyter-cache, then build the site.

    Returns the finished ``jupyter-book build`` (``capture``: its output is collected, not printed).
    A notebook that fails stops before the site is built (RuntimeError naming it). A build that succeeds
    records its sources' fingerprint and command in ``BUILT`` (``is_built`` reads it: the tests reuse it).
    """
    fingerprint = sources_fingerprint(root)   # before: a source changed while building makes it stale
    execute_parallel(build_dir(root, path_output), toc_notebooks(root), processes=jobs, root=root)
    command = build_command(root, path_output)
    (build_dir(root, path_output) / BUILT).unlink(missing_ok=True)
    done = subprocess.run(command, capture_output=capture, text=True, cwd=root)
    if done.returncode == 0:
        record = {"sources": fingerprint, "command": command[1:]}
        (build_dir(root, path_output) / BUILT).write_text(json.dumps(record, indent=1))
    return done


def main(argv: list[str] | None = None) -> int:
    import os

    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--path-output", type=Path, default=None, help="build into DIR/_build")
    args = parser.parse_args(argv)
    jobs = int(os.environ["JOBS"]) if os.environ.get("JOBS") else None
    return build(ROOT, args.path_output, jobs=jobs).returncode


if __name__ == "__main__":
    sys.exit(main())
