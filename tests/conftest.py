"""Shared test settings: figures never open a window and are closed after each test; paths of the book."""

import os
from pathlib import Path

import matplotlib
import pytest

matplotlib.use("Agg")
os.environ.setdefault("MPLBACKEND", "Agg")

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="session")
def root() -> Path:
    return ROOT


@pytest.fixture(autouse=True)
def _close_figures():
    """Every test's figures are closed after it (matplotlib keeps them, and warns past 20)."""
    yield
    import matplotlib.pyplot as plt

    plt.close("all")


def notebooks() -> list[Path]:
    """Every notebook of the book, in a stable order."""
    return sorted(p for p in (ROOT / "chapters").rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def book_html(root: Path = ROOT) -> Path:
    """Where `jupyter-book build <root>` writes the site."""
    return root / "_build" / "html"


def build_book(root: Path = ROOT, *, force: bool = False) -> Path:
    """Build the book as `make book` does (scripts/book.py: notebooks executed in parallel, then
    `jupyter-book build` with warnings as errors) unless its site exists already; returns the html folder.

    Shared by the tests that need the built site (tests/test_browser.py; tests/test_book.py may use it
    with force=True). Both are in the xdist group "book", so they run one after the other on one worker.
    """
    from scripts.book import build

    html = book_html(root)
    if force or not (html / "index.html").exists():
        result = build(root, capture=True)
        assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-6000:]
    return html
