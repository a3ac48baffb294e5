"""The book builds with warnings as errors: a failing cell, broken reference or missing image fails.

`make test` builds the book first; this rebuild (from the jupyter-cache, so fast) checks that
the build is clean, and builds it from scratch when the tests run on their own.
"""

import subprocess
import sys
from pathlib import Path

import pytest
from conftest import ROOT


@pytest.mark.slow
@pytest.mark.xdist_group("book")
def test_book_builds_without_warnings():
    jupyter_book = Path(sys.executable).parent / "jupyter-book"
    result = subprocess.run(
        [str(jupyter_book), "build", str(ROOT), "-W", "-n", "--keep-going"],
        capture_output=True, text=True, cwd=ROOT,
    )
    assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-6000:]
    html = ROOT / "_build" / "html"
    assert (html / "index.html").exists()
    assert (html / "chapters" / "back" / "references.html").exists()
