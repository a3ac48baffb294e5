"""Benchmark: how long the book takes to build, and how big the site is (prints figures and targets).

Usage: .venv/bin/python -m benchmarks.build [--serial] [--out /tmp/bench]

Measures, in one run, building into a folder of its own (`jupyter-book build . --path-output OUT`, so the
project's _build is not touched):
  cold     build with no OUT/_build (every notebook executed; Jupyter Book 1 executes them one by one)
  warm     the same build again, nothing changed
  touched  the build after touching (mtime only) one notebook of the toc
  naive    every notebook executed serially with `jupyter nbconvert --execute --to notebook`
  sizes    each page (its HTML, with inline iframes, plus the images it loads from _images/) and the site
As `make book` does it, the cold build is preceded by executing the notebooks into the build's jupyter-cache with
scripts/execute_parallel.py (jupyter_cache's 'local-parallel' executor, one process per core); the build then
finds every notebook cached and executes none. The cold figure includes that pre-execution, and the warm
and touched figures include the (then no-op) parallel step too. With --serial, Jupyter Book executes the
notebooks itself, one by one (for comparison).

Targets: cold <= 0.6 x naive, warm <= 5 % of cold, no page > 2 MB, site <= 60 MB.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from scripts.book import build_command
from scripts.execute_parallel import execute_parallel, toc_notebooks

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent
MB = 1024 * 1024
NOT_PAGES = ("genindex.html", "search.html")



def build(out: Path) -> float:
    start = time.perf_counter()
    result = subprocess.run(build_command(ROOT, path_output=out), capture_output=True, text=True, cwd=ROOT)
    elapsed = time.perf_counter() - start
    if result.returncode != 0:
        sys.exit(f"build failed:\n{result.stdout[-4000:]}\n{result.stderr[-4000:]}")
    return elapsed


def naive(notebooks: list[Path]) -> float:
    """Every notebook executed serially with `jupyter nbconvert --execute` (nbconvert: requirements-dev.txt)."""
    with tempfile.TemporaryDirectory() as tmp:
        start = time.perf_counter()
        for nb in notebooks:
            cmd = [str(BIN / "jupyter"), "nbconvert", "--execute", "--to", "notebook", "--output-dir", tmp,
                   "--ExecutePreprocessor.timeout=600", str(nb)]
            result = subprocess.run(cmd, capture_output=True, text=True, cwd=nb.parent)
            if result.returncode != 0:
                sys.exit(f"naive execution of {nb} failed:\n{result.stderr[-3000:]}")
        return time.perf_counter() - start


def page_sizes(html: Path) -> dict[str, int]:
    """Bytes of each page: its HTML (inline iframes included) plus the images it shows from _images/."""
    sizes = {}
    for page in sorted(html.rglob("*.html")):
        rel = page.relative_to(html).as_posix()
        if rel.startswith(("_static/", "_sources/", "_images/")) or rel in NOT_PAGES:
            continue
        text = page.read_text(encoding="utf-8", errors="replace")
        total = page.stat().st_size
        for src in set(re.findall(r'<(?:img|iframe)[^>]*\ssrc="([^"#?]+)"', text)):
            target = (page.parent / src).resolve()
            if target.is_file() and html.resolve() in target.parents:
                total += target.stat().st_size
        sizes[rel] = total
    return sizes


def site_size(html: Path) -> int:
    return sum(p.stat().st_size for p in html.rglob("*") if p.is_file())


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--serial", action="store_true",
                        help="no parallel pre-execution: Jupyter Book executes the notebooks one by one")
    parser.add_argument("--out", type=Path, default=None, help="build folder (default: a new temporary one)")
    args = parser.parse_args()

    out = args.out or Path(tempfile.mkdtemp(prefix="book-bench-"))
    shutil.rmtree(out / "_build", ignore_errors=True)
    notebooks = toc_notebooks()
    print(f"book: {ROOT}   build folder: {out}   notebooks in the toc: {len(notebooks)}   cores: {os.cpu_count()}")

    pre = 0.0
    if not args.serial and notebooks:
        pre = execute_parallel(out / "_build", notebooks)
    cold_build = build(out)
    cold = pre + cold_build

    def rebuild() -> float:  # as `make book` does it: the (no-op) parallel step, then the build
        return (execute_parallel(out / "_build", notebooks) if not args.serial else 0.0) + build(out)

    warm = rebuild()
    if notebooks:
        os.utime(notebooks[0])
    touched = rebuild()
    baseline = naive(notebooks)

    how = f" (parallel pre-execution, {os.cpu_count()} procs, {pre:.1f} s + build {cold_build:.1f} s)" if pre else ""
    print(f"cold build{how}: {cold:7.1f} s")
    print(f"warm rebuild, nothing changed:      {warm:7.1f} s")
    print(f"rebuild after touching {notebooks[0].relative_to(ROOT) if notebooks else '-'}: {touched:7.1f} s")
    print(f"naive, serial (jupyter nbconvert --execute): {baseline:7.1f} s")

    html = out / "_build" / "html"
    sizes = page_sizes(html)
    print("\npage sizes (HTML + its own images/iframes):")
    for rel, size in sorted(sizes.items(), key=lambda kv: -kv[1]):
        print(f"  {size / MB:8.2f} MB  {rel}")
    total = site_size(html)
    print(f"site (_build/html): {total / MB:.1f} MB")

    biggest = max(sizes.values(), default=0)
    checks = [
        ("cold <= 0.6 x naive", cold <= 0.6 * baseline, f"{cold:.1f} s vs {0.6 * baseline:.1f} s"),
        ("warm <= 5 % of cold", warm <= 0.05 * cold, f"{warm:.1f} s vs {0.05 * cold:.1f} s"),
        ("no page > 2 MB", biggest <= 2 * MB, f"largest {biggest / MB:.2f} MB"),
        ("site <= 60 MB", total <= 60 * MB, f"{total / MB:.1f} MB"),
    ]
    print("\ntargets:")
    for name, ok, detail in checks:
        print(f"  [{'ok' if ok else 'MISSED'}] {name}: {detail}")


if __name__ == "__main__":
    main()
