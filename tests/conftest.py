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


@pytest.fixture(scope="session")
def sandbox():
    """The grader's sandbox (bubblewrap). Where none can start (macOS, no user namespaces) the tests that need
    it are skipped, saying why, or fail when ``REQUIRE_SANDBOX`` is set (.ci/run and the workflows set it)."""
    from scripts.grading.sandbox import Sandbox, SandboxUnavailable

    try:
        return Sandbox.for_course()
    except SandboxUnavailable as why:
        (pytest.fail if os.environ.get("REQUIRE_SANDBOX") else pytest.skip)(str(why))


# No test passes by skipping when NO_SKIPS is set (make test, .ci/run): the hooks live in tests/no_skips.py.
from no_skips import pytest_runtest_logreport, pytest_sessionfinish, pytest_terminal_summary  # noqa: E402,F401


def notebooks() -> list[Path]:
    """Every notebook of the book, in a stable order."""
    return sorted(p for p in (ROOT / "chapters").rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)


def book_html(root: Path = ROOT) -> Path:
    """Where `jupyter-book build <root>` writes the site."""
    return root / "_build" / "html"


def build_book(root: Path = ROOT, *, force: bool = False) -> Path:
    """The site, built as `make book` builds it (scripts/book.py: notebooks executed in parallel, then
    `jupyter-book build` with warnings as errors) unless that build already succeeded from the sources as they
    are now (``scripts.book.is_built``: make test's own `make book`); returns the html folder.

    Several test processes may ask at once (pytest-xdist): one builds, under a lock, and the others wait for it.
    """
    import fcntl

    from scripts.book import build, is_built

    html = book_html(root)
    html.parent.mkdir(parents=True, exist_ok=True)
    with open(html.parent / ".build.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if force or not is_built(root):
            result = build(root, capture=True)
            assert result.returncode == 0, result.stdout[-6000:] + result.stderr[-6000:]
    return html


def made_from_the_site(folder: Path, root: Path = ROOT) -> bool:
    """Whether ``folder`` (make handouts' or make slides' output) was completed from the site as it is built now
    (``scripts.book.made_from_current_site``), so that the tests read it instead of making it again."""
    from scripts.book import made_from_current_site

    return made_from_current_site(folder, root)


@pytest.fixture(scope="session")
def chromium_browser():
    """One headless Chromium for the whole test process, shared by the browser and JupyterLab tests.

    Playwright's sync API runs one instance per thread: a second ``sync_playwright()`` opened while
    another is alive in the same pytest worker fails ("Sync API inside the asyncio loop"), so every
    test that drives a browser takes this fixture instead of starting its own. Found or installed by
    scripts/browser.py (CHROMIUM=..., Debian's package, or Playwright's own Chromium).
    """
    from playwright import sync_api  # pinned in requirements-dev.txt: missing is a failure, not a skip

    from scripts.browser import CHROMIUM_ARGS, NoBrowser, find_chromium

    try:
        chromium = find_chromium()
    except NoBrowser as why:
        (pytest.fail if os.environ.get("REQUIRE_BROWSER") else pytest.skip)(str(why))
    with sync_api.sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium.executable, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()
