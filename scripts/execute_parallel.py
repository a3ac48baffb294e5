"""Execute the book's notebooks in parallel into the jupyter-cache that `jupyter-book build` reads.

Jupyter Book 1 (execute_notebooks: cache) executes the notebooks that have no cached outputs one by one.
Run this first and the build finds every notebook cached: it executes none. Notebooks whose code is
unchanged since their last run are not executed again (the cache matches them by the hash of their code).
The cache cannot see the `therapybrain` package the notebooks import, so a change to the package (or to
the requirements) empties it and drops the notebooks' doctrees: the figures are never stale.

Usage: .venv/bin/python scripts/execute_parallel.py [BUILD_DIR]   (default: _build, as `jupyter-book build .`;
with `jupyter-book build . --path-output OUT` pass OUT/_build)
Uses jupyter_cache's 'local-parallel' executor: a multiprocessing pool with one process per core.
"""

from __future__ import annotations

import hashlib
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def toc_notebooks(root: Path = ROOT) -> list[Path]:
    """The .ipynb files of the table of contents."""
    from sphinx_external_toc.parsing import parse_toc_yaml

    site = parse_toc_yaml(root / "_toc.yml")
    return sorted(p for p in (root / f"{docname}.ipynb" for docname in site) if p.exists())


def package_fingerprint(root: Path = ROOT) -> str:
    """A hash of what the notebooks run besides their own code: the helper package and the requirements."""
    digest = hashlib.sha256()
    files = sorted((root / "therapybrain").rglob("*.py")) + [root / "requirements.txt"]
    for path in files:
        digest.update(str(path.relative_to(root)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def execute_parallel(build_dir: Path, notebooks: list[Path], timeout: int = 600) -> float:
    """Execute the notebooks not yet cached into BUILD_DIR/.jupyter_cache; returns the seconds taken."""
    from jupyter_cache import get_cache
    from jupyter_cache.executors import load_executor

    start = time.perf_counter()
    cache = get_cache(str(build_dir / ".jupyter_cache"))
    stamp = build_dir / ".jupyter_cache" / "therapybrain.sha256"
    fingerprint = package_fingerprint()
    old = stamp.read_text() if stamp.exists() else ""
    if old != fingerprint and cache.list_cache_records():
        print("therapybrain or requirements.txt changed (or unknown): executing every notebook again")
        for record in cache.list_cache_records():
            cache.remove_cache(record.pk)
        for nb in notebooks:  # and Sphinx re-reads them (it only checks the source's time and its doctree)
            (build_dir / ".doctrees" / nb.relative_to(ROOT).with_suffix(".doctree")).unlink(missing_ok=True)
    for nb in notebooks:
        cache.add_nb_to_project(str(nb))
    result = load_executor("local-parallel", cache=cache).run_and_cache(
        filter_uris=[str(nb) for nb in notebooks], timeout=timeout, allow_errors=False,
    )
    if result.errored:
        raise RuntimeError(f"notebooks failed: {result.errored} (see `jcache project list` for tracebacks)")
    stamp.write_text(fingerprint)
    return time.perf_counter() - start


if __name__ == "__main__":
    build_dir = Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "_build"
    notebooks = toc_notebooks()
    seconds = execute_parallel(build_dir, notebooks)
    print(f"{len(notebooks)} notebooks up to date in {build_dir / '.jupyter_cache'} ({seconds:.1f} s)")
