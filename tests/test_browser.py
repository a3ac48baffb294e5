"""The built book in a real browser (headless Chromium, Playwright): offline, accessible, working.

For every page of the table of contents: no console error, no failed request, no request to any host
but this machine, every image has a text alternative, heading levels never skip, axe-core finds no
'serious' or 'critical' violation, interactive views (nilearn's iframes) draw something, 'next' and
'previous' lead to the neighbouring pages of the toc; a first visit fetches at most 4 MB (every
resource counted) and the page has one search box; on a phone in dark mode the page fits the screen and
passes axe-core too. A full-page screenshot of each page is saved
under _build/screenshots/ (beside the site, so that it is not published with it).

The site is served from _build/html on 127.0.0.1 (built first when missing). BOOK_ROOT=/path/to/book
tests another book folder (its _toc.yml and _build/html), e.g. a scratch book with widgets and math;
BOOK_HTML=/tmp/b/_build/html tests a build made with `jupyter-book build . --path-output /tmp/b`.
"""

from __future__ import annotations

import os
import posixpath
import subprocess
import sys
import time
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urljoin, urlsplit

import pytest
from support import refuse_other_hosts, serve

from conftest import ROOT, build_book
from scripts.book import toc_docnames
from scripts.browser import find_chromium

BOOK_ROOT = Path(os.environ.get("BOOK_ROOT", ROOT)).resolve()
BOOK_HTML = os.environ.get("BOOK_HTML")  # an existing build of BOOK_ROOT elsewhere (jupyter-book --path-output)
AXE = Path(__file__).parent / "vendor" / "axe.min.js"  # axe-core 4.14.1 (MPL-2.0), see vendor/axe-core.LICENSE
LOCAL_HOSTS = {"127.0.0.1", "localhost"}
LOCAL_SCHEMES = {"data", "blob", "about", "javascript"}
NOT_PAGES = ("genindex", "search", "_static/", "_sources/", "_images/", "py-modindex")
MAX_PAGE_BYTES = 4_000_000  # issue 11: every page <= 4 MB on a first visit (fresh browser context, nothing cached)

# Readers of the site only (build_book builds it, under a lock, when it is not current): not in the "book"
# group of the tests that may write _build, so they spread over the workers.
pytestmark = [pytest.mark.browser, pytest.mark.slow]


# --- the pages of the toc, in reading order ---------------------------------------------------------

def toc_pages(root: Path = BOOK_ROOT) -> list[str]:
    """Docnames of the toc in reading order (the order of Sphinx's 'next' links)."""
    return toc_docnames(root / "_toc.yml")


PAGES = toc_pages()


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        if tag == "a":
            href = dict(attrs).get("href")
            if href:
                self.hrefs.append(href)


def reachable_pages(html: Path) -> set[str]:
    """Docnames of every page reachable by links from index.html (without indices, search, assets)."""
    seen: set[str] = set()
    todo = ["index.html"]
    while todo:
        rel = todo.pop()
        if rel in seen or not (html / rel).is_file():
            continue
        seen.add(rel)
        parser = _Links()
        parser.feed((html / rel).read_text(encoding="utf-8"))
        for href in parser.hrefs:
            parts = urlsplit(href)
            if parts.scheme or parts.netloc or not parts.path.endswith(".html"):
                continue
            target = posixpath.normpath(posixpath.join(posixpath.dirname(rel), parts.path))
            if not target.startswith("..") and not target.startswith(NOT_PAGES):
                todo.append(target)
    return {p.removesuffix(".html") for p in seen}


# --- fixtures: the site, a server, a browser --------------------------------------------------------

@pytest.fixture(scope="session")
def site() -> Path:
    if BOOK_HTML:
        assert (Path(BOOK_HTML) / "index.html").exists(), f"BOOK_HTML={BOOK_HTML} has no index.html"
        return Path(BOOK_HTML).resolve()
    return build_book(BOOK_ROOT)


@pytest.fixture(scope="session")
def base_url(site: Path):
    with serve(site) as url:
        yield url


@pytest.fixture(scope="session")
def browser(chromium_browser):
    """The process's one Chromium (tests/conftest.py), found or installed by scripts/browser.py."""
    return chromium_browser


class PageLog:
    """Everything a page did on the network and the console while it was open."""

    def __init__(self, page, base_url: str) -> None:
        self.external: list[str] = []
        self.failed: list[str] = []
        self.console: list[str] = []
        self.fetched: dict[str, int] = {}  # url -> bytes received (headers + body), every frame of the page
        self.base_url = base_url
        page.on("request", self._request)
        page.on("requestfailed", lambda r: self.failed.append(f"{r.url} ({r.failure})"))
        page.on("response", lambda r: r.status >= 400 and self.failed.append(f"{r.url} (HTTP {r.status})"))
        page.on("console", lambda m: m.type == "error" and self.console.append(f"{m.text} @ {m.location}"))
        page.on("pageerror", lambda e: self.console.append(f"uncaught: {e}"))
        page.on("requestfinished", self._finished)

    def _finished(self, request) -> None:
        sizes = request.sizes()
        received = sizes["responseBodySize"] + sizes["responseHeadersSize"]
        self.fetched[request.url] = self.fetched.get(request.url, 0) + received

    def weight(self) -> str:
        """The bytes fetched so far and the five largest resources, for a failure message."""
        largest = sorted(self.fetched.items(), key=lambda item: -item[1])[:5]
        return f"{sum(self.fetched.values()) / 1e6:.2f} MB in {len(self.fetched)} requests; largest: " + ", ".join(
            f"{urlsplit(url).path.rsplit('/', 1)[-1]} {size / 1e6:.2f} MB" for url, size in largest)

    def _request(self, request) -> None:
        parts = urlsplit(request.url)
        if parts.scheme not in LOCAL_SCHEMES and parts.hostname not in LOCAL_HOSTS:
            self.external.append(request.url)


@pytest.fixture
def open_page(browser, base_url):
    """Opens one page in a fresh context; requests to other hosts are recorded, then refused."""
    contexts = []

    def _open(docname: str, **options):
        context = browser.new_context(**{"viewport": {"width": 1280, "height": 900}, **options})
        contexts.append(context)
        refuse_other_hosts(context)
        page = context.new_page()
        log = PageLog(page, base_url)
        page.goto(urljoin(base_url, docname + ".html"), wait_until="load")
        page.wait_for_load_state("networkidle")
        return page, log

    yield _open
    for context in contexts:
        context.close()


# --- the tests ---------------------------------------------------------------------------------------

def test_every_page_is_in_the_toc_and_every_toc_page_is_reachable(site):
    assert reachable_pages(site) == set(PAGES)


_HEADINGS_JS = """() => Array.from(document.querySelectorAll('h1,h2,h3,h4,h5,h6'))
  .filter(h => h.getClientRects().length > 0 && h.textContent.trim())
  .map(h => [Number(h.tagName[1]), h.textContent.trim().slice(0, 60)])"""

_IMAGES_WITHOUT_ALT_JS = """() => Array.from(document.querySelectorAll('img'))
  .filter(i => !(i.getAttribute('alt') || '').trim() && i.getAttribute('role') !== 'presentation')
  .map(i => i.outerHTML.slice(0, 160))"""

_AXE_JS = r"""async () => {
  const r = await axe.run(document, {resultTypes: ['violations']});
  return r.violations.filter(v => v.impact === 'serious' || v.impact === 'critical')
    .map(v => ({id: v.id, impact: v.impact, help: v.help,
                nodes: v.nodes.slice(0, 5).map(n => n.target.join(' ') + ' ' + n.html.slice(0, 160) + ' -- '
                                                   + n.failureSummary.replace(/\s+/g, ' '))}));
}"""

_DRAWN_JS = """() => {
  const out = [];
  for (const el of document.querySelectorAll('canvas, svg')) {
    const r = el.getBoundingClientRect();
    if (r.width < 1 || r.height < 1) continue;
    if (el.tagName.toLowerCase() === 'svg') {
      if (el.querySelector('path,circle,rect,line,polygon,image,text')) out.push('svg');
      continue;
    }
    let drawn = true;
    try {  // a 2-D canvas must have some non-transparent pixel; a WebGL canvas counts by its size
      const c2d = el.getContext('2d');
      if (c2d) {
        const d = c2d.getImageData(0, 0, el.width, el.height).data;
        drawn = d.some((v, i) => i % 4 === 3 && v > 0);
      }
    } catch (e) { drawn = true; }
    if (drawn) out.push('canvas');
  }
  return out;
}"""


_SEARCH_BOXES_JS = """() => Array.from(
    document.querySelectorAll('.search-button-field, .search-button, input[type=search]'))
  .filter(e => e.getClientRects().length > 0 && getComputedStyle(e).visibility !== 'hidden')
  .map(e => e.outerHTML.slice(0, 100))"""


_OVERLAPS_JS = """() => {
  const out = [];
  for (const box of document.querySelectorAll('.widget-hbox')) {
    const children = Array.from(box.children).filter(k => k.getBoundingClientRect().width > 0);
    children.forEach((k, i) => {  // a child squeezed narrower than its content spills over its neighbour
      if (k.scrollWidth > k.clientWidth + 2)
        out.push(`${box.className}: child ${i} is ${k.clientWidth} px wide, its content ${k.scrollWidth} px`);
    });
    const kids = children.map(k => k.getBoundingClientRect()).filter(r => r.width && r.height);
    for (let i = 0; i < kids.length; i++) for (let j = i + 1; j < kids.length; j++) {
      const a = kids[i], b = kids[j];
      const w = Math.min(a.right, b.right) - Math.max(a.left, b.left);
      const h = Math.min(a.bottom, b.bottom) - Math.max(a.top, b.top);
      if (w > 2 && h > 2) out.push(`${box.className}: children ${i} and ${j} overlap by ${w|0}x${h|0} px`);
    }
  }
  return out;
}"""


def _axe_problems(page) -> list[str]:
    """axe-core's serious and critical violations on the page, one readable entry each."""
    page.add_script_tag(path=str(AXE))
    return [f"axe {v['impact']} {v['id']}: {v['help']}\n      " + "\n      ".join(v["nodes"])
            for v in page.evaluate(_AXE_JS)]


@pytest.mark.parametrize("docname", PAGES)
def test_page(docname, open_page, site):
    page, log = open_page(docname)
    problems: list[str] = []

    # interactive views: every iframe of the page (nilearn's view_img/view_markers...) draws something
    iframes = page.locator("iframe")
    for i in range(iframes.count()):
        frame = iframes.nth(i).element_handle().content_frame()
        frame.wait_for_load_state("load")
        page.wait_for_timeout(1000)  # the views draw after load
        if not frame.evaluate(_DRAWN_JS):
            problems.append(f"iframe #{i} shows no drawn canvas or svg")

    # light: everything the first visit fetched (the page, its scripts, styles, fonts, images, its iframes'
    # resources) is measured before axe-core is injected
    fetched = sum(log.fetched.values())
    if fetched > MAX_PAGE_BYTES:
        problems.append(f"the first visit fetched more than {MAX_PAGE_BYTES / 1e6:.0f} MB: {log.weight()}")

    # the widget manager (3.7 MB) only where a live widget view needs it (the explorer shows a static picture)
    manager = [url for url in log.fetched if url.split("?")[0].endswith(("embed-amd.js", "require.js"))]
    if manager and not page.locator('script[type="application/vnd.jupyter.widget-view+json"]').count():
        problems.append(f"the widget manager is loaded by a page without a widget view: {manager}")

    # one search box (the sidebar's), not a second one in a header strip
    searches = page.evaluate(_SEARCH_BOXES_JS)
    if len(searches) != 1:
        problems.append(f"{len(searches)} search boxes, not one: {searches}")

    # widgets laid out side by side (the explorer) must not cover each other in the page's column
    problems += [f"widgets overlap: {o}" for o in page.evaluate(_OVERLAPS_JS)]

    # text alternatives and the outline
    missing_alt = page.evaluate(_IMAGES_WITHOUT_ALT_JS)
    problems += [f"image without alt text: {img}" for img in missing_alt]
    headings = page.evaluate(_HEADINGS_JS)
    previous = 0
    for level, text in headings:
        if level > previous + 1:
            problems.append(f"heading skips a level: h{previous} -> h{level} {text!r}")
        previous = level

    # accessibility: axe-core, serious and critical only
    problems += _axe_problems(page)

    shot = site.parent / "screenshots" / f"{docname}.png"
    shot.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shot), full_page=True)
    if not shot.is_file() or shot.stat().st_size < 1000:
        problems.append(f"no screenshot saved at {shot}")

    # offline and clean (collected while the page loaded, drew its views and ran axe)
    problems += [f"request to another host: {url}" for url in log.external]
    problems += [f"failed request: {r}" for r in log.failed]
    problems += [f"console error: {c}" for c in log.console]
    assert not problems, f"{docname}:\n  " + "\n  ".join(problems)


@pytest.mark.parametrize("docname", PAGES)
def test_page_on_a_phone_in_dark_mode(docname, open_page):
    """The theme follows the reader's system (dark mode) and the page fits a phone without sideways scrolling."""
    page, log = open_page(docname, viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True,
                          color_scheme="dark")
    problems: list[str] = []
    if page.evaluate("() => document.documentElement.dataset.theme") != "dark":
        problems.append("the page did not follow the system's dark mode")
    width, viewport = page.evaluate("() => [document.documentElement.scrollWidth, window.innerWidth]")
    if width > viewport + 1:
        problems.append(f"the page is {width} px wide on a {viewport} px screen (sideways scrolling)")
    problems += [f"widgets overlap: {o}" for o in page.evaluate(_OVERLAPS_JS)]
    searches = page.evaluate(_SEARCH_BOXES_JS)
    if len(searches) != 1:
        problems.append(f"{len(searches)} search buttons, not one: {searches}")
    problems += _axe_problems(page)
    problems += [f"console error: {c}" for c in log.console] + [f"request to another host: {u}" for u in log.external]
    assert not problems, f"{docname} (phone, dark):\n  " + "\n  ".join(problems)


def _neighbours(site: Path, docname: str) -> tuple[list[str], list[str]]:
    """The docnames that a built page's 'previous' and 'next' links (a.left-prev, a.right-next) lead to."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup((site / f"{docname}.html").read_text(encoding="utf-8"), "html.parser")

    def targets(css: str) -> list[str]:
        return [urljoin(f"{docname}.html", a["href"]).split("#")[0].removesuffix(".html") for a in soup.select(css)]

    return targets("a.left-prev"), targets("a.right-next")


def test_next_and_previous_follow_the_toc(site):
    """Every page's 'next' leads to the next page of the toc and 'previous' to the one before, read from the
    built pages (the links are static HTML); the last page has no 'next', the first no 'previous'."""
    problems = []
    for i, docname in enumerate(PAGES):
        previous, following = _neighbours(site, docname)
        expected_previous = {PAGES[i - 1]} if i > 0 else set()
        expected_next = {PAGES[i + 1]} if i + 1 < len(PAGES) else set()
        if set(previous) != expected_previous or (i > 0 and not previous):
            problems.append(f"{docname}: 'previous' leads to {previous}, the toc says {sorted(expected_previous)}")
        if set(following) != expected_next or (i + 1 < len(PAGES) and not following):
            problems.append(f"{docname}: 'next' leads to {following}, the toc says {sorted(expected_next)}")
    assert not problems, "\n".join(problems)


def test_next_and_previous_are_followed_in_the_browser(open_page, base_url):
    """One page's 'next' and 'previous' clicked in Chromium: the links the test above reads do lead there."""
    i = PAGES.index("chapters/02-mechanisms/neurogenesis")
    page, log = open_page(PAGES[i])
    page.locator("a.right-next").first.click()
    page.wait_for_url(urljoin(base_url, PAGES[i + 1] + ".html"))
    page.locator("a.left-prev").first.click()
    page.wait_for_url(urljoin(base_url, PAGES[i] + ".html"))
    page.locator("a.left-prev").first.click()
    page.wait_for_url(urljoin(base_url, PAGES[i - 1] + ".html"))
    assert not log.external, log.external


def test_refusing_other_hosts_never_holds_this_machines_requests(browser, tmp_path):
    """A page's own request goes out while the test waits outside Playwright (``time.sleep``, a REST poll):
    the refusal of other hosts is matched in Playwright's driver, not in the test's thread. (Matched by a Python
    function, JupyterLab's session requests waited for the test's next Playwright call: its labs never started
    or connected to their kernels while tests/test_jupyterlab.py polled the server.) Other hosts are refused."""
    (tmp_path / "index.html").write_text(
        '<script>window.t0 = performance.now(); setTimeout(() => fetch("late.txt").then(() => {'
        ' window.late = performance.now() - window.t0; }), 200);'
        ' fetch("https://cdn.example.org/x.js").catch(() => { window.outside = "refused"; });</script>')
    (tmp_path / "late.txt").write_text("here")
    context = browser.new_context()
    refused: list[str] = []
    refuse_other_hosts(context, refused)
    try:
        with serve(tmp_path) as url:
            page = context.new_page()
            page.goto(url + "index.html")
            time.sleep(2.5)   # the test's thread busy elsewhere
            late = page.evaluate("() => window.late")
            assert late is not None and late < 1500, f"the page's own request waited {late} ms for the test"
            assert page.evaluate("() => window.outside") == "refused" and refused == ["https://cdn.example.org/x.js"]
    finally:
        context.close()


def test_browser_discovery_is_idempotent(browser):  # `browser` found or installed Chromium (or skipped, saying why)
    first, again = find_chromium(), subprocess.run([sys.executable, "-m", "scripts.browser"], capture_output=True,
                                                   text=True, cwd=ROOT)
    assert again.returncode == 0 and again.stdout.strip() == f"browser: {first}", again.stderr
