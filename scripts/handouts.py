"""Write one printable handout per chapter from the built site, as HTML and as PDF (no LaTeX).

Usage (after ``make book``; ``make handouts`` does both)::

    .venv/bin/python -m scripts.handouts [--html _build/html] [--out _build/handouts] [--no-pdf]

For every chapter folder of the book (``chapters/00-welcome`` ... ``chapters/05-conclusion``, in
the order of ``_toc.yml``), the script takes the built pages of that folder (the chapter page, its
sections and its notebook pages), keeps only their article content, and concatenates them into
``_build/handouts/<folder>.html`` with a title page. In each handout:

- the print style sheet ``assets/print.css`` is inlined (with a few rules for screen reading);
- figures are copied next to the handouts (``_build/handouts/images/``) and referenced from there;
- interactive views (iframes, widgets) are replaced by a short note;
- exercise solutions and quiz answers are removed: the handouts are for students;
- links to other pages of the course are absolute addresses on the published site (a printed
  relative link is useless): the site's address is ``html.baseurl`` in ``_config.yml`` when set,
  else the GitHub Pages address of ``repository.url`` (``https://OWNER.github.io/REPO/``), or
  ``--site-url``; on paper, a link to a page prints its address after it;
- the chapter's reference list closes the handout: every work its pages cite, as the book's
  bibliography gives it (with its DOI); the citations in the text link to it.

An **answer key** for the instructor, ``<folder>-answers.html`` and ``.pdf``, is the same handout
with every exercise solution shown and every quiz question's answer and explanation.

Each handout is then printed to ``_build/handouts/<folder>.pdf`` (A4, page numbers in the footer) by
headless Chromium driven by Playwright, the browser the browser tests use (``scripts/browser.py``:
``CHROMIUM=...``, Debian's package, or Playwright's own, installed when missing). The handouts are served
to it from ``_build`` on 127.0.0.1 so that MathJax and the figures load as on the site; a PDF is printed
once its formulas are typeset and its images loaded. ``--no-pdf`` writes the HTML only: open one in a
browser and print it (or "Save as PDF").
"""

from __future__ import annotations

import argparse
import datetime as _dt
import functools
import re
import shutil
import sys
import threading
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import yaml
from bs4 import BeautifulSoup, Tag

# the toc's pages per chapter folder (sphinx_external_toc reads _toc.yml); the record of what a run was made from
from scripts.book import chapters, record_made_from

ROOT = Path(__file__).resolve().parents[1]

SCREEN_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; max-width: 48rem;
       margin: 2rem auto; padding: 0 1rem; line-height: 1.5; color: #111; }
.handout-title { border-bottom: 2px solid #000; margin-bottom: 2rem; padding-bottom: 1rem; }
.handout-title p { margin: 0.2rem 0; }
.handout-page { break-before: page; page-break-before: always; }
.handout-page:first-of-type { break-before: auto; page-break-before: auto; }
.admonition { border: 1px solid #999; border-radius: 4px; padding: 0 0.8rem 0.5rem; margin: 1rem 0; }
.admonition-title { font-weight: bold; margin: 0.5rem 0; }
.admonition.evidence-check { border-left: 4px solid #0072B2; }
.admonition.tip { border-left: 4px solid #009E73; }
.admonition.important { border-left: 4px solid #E69F00; }
pre { background: #f6f6f6; padding: 0.6rem; overflow-x: auto; white-space: pre-wrap; }
table { border-collapse: collapse; margin: 1rem 0; }
th, td { border: 1px solid #bbb; padding: 0.25rem 0.5rem; vertical-align: top; }
img { max-width: 100%; height: auto; }
figcaption, .caption { font-size: 0.9em; }
.handout-note { font-style: italic; border: 1px dashed #666; padding: 0.5rem 0.8rem; }
.handout-answer-key { border: 2px solid #D55E00; padding: 0.3rem 0.8rem; }
.quiz-question fieldset { border: 1px solid #bbb; margin: 0 0 0.8rem; padding: 0.3rem 0.8rem; }
.quiz-question legend { font-weight: bold; }
.quiz-option { display: block; }
.quiz-feedback { border-left: 4px solid #009E73; padding-left: 0.6rem; }
.handout-references ol { padding-left: 1.4rem; }
.handout-references li { margin: 0.3rem 0; }
@media print {
  a.handout-url::after { content: " <" attr(href) ">"; font-size: 0.85em; word-break: break-all; }
  .handout-references a::after { content: none !important; }
}
"""

# The answer key undoes the print style sheet's rules that hide solutions and answers from students.
ANSWER_KEY_CSS = """
@media print {
  body.answer-key div.solution > :not(.admonition-title),
  body.answer-key .solution .toggle-details,
  body.answer-key details.sd-dropdown > :not(summary),
  body.answer-key details.toggle-details > :not(summary) { display: block !important; }
  body.answer-key div.solution::after,
  body.answer-key details.sd-dropdown summary::after { content: none !important; }
}
"""

INTERACTIVE_NOTE = "Interactive view: open this page online (or run its notebook) to explore it in 3-D."
SOLUTION_NOTE = "The solution is in the online version of the course."
ANSWER_NOTE = "The answer is in the online version of the course."


def site_url(root: Path = ROOT) -> str:
    """The published site's address, ending in ``/``: ``html.baseurl`` of ``_config.yml``, else the
    GitHub Pages address of ``repository.url``.

    Examples
    --------
    >>> site_url().startswith("https://") and site_url().endswith("/")
    True
    """
    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8"))
    base = ((config.get("html") or {}).get("baseurl") or "").strip()
    if base:
        return base.rstrip("/") + "/"
    repository = ((config.get("repository") or {}).get("url") or "").strip().rstrip("/")
    match = re.fullmatch(r"https://github\.com/([\w.-]+)/([\w.-]+?)(?:\.git)?", repository)
    if not match:
        raise ValueError(f"_config.yml: set html.baseurl (the published site's address); repository.url "
                         f"{repository!r} is not a GitHub address to derive it from")
    owner, name = match.groups()
    return f"https://{owner.lower()}.github.io/{name}/"


def _is_local(url: str) -> bool:
    parts = urlsplit(url)
    return not (parts.scheme or parts.netloc or url.startswith(("#", "/", "data:", "mailto:")))


def _clean_article(article: Tag, soup: BeautifulSoup, answers: bool = False) -> None:
    """Remove what cannot or should not be printed from one page's article, in place.

    ``answers``: the instructor's answer key keeps the solutions and shows every quiz answer.
    """
    for tag in article.select("script, a.headerlink, .copybtn, button, .thebe-launch-button, .quiz-result"):
        tag.decompose()
    for output in article.select("div.cell_output .output"):
        if output.find("iframe") or output.select_one(".jupyter-widgets"):
            note = soup.new_tag("p", attrs={"class": "handout-note"})
            note.string = INTERACTIVE_NOTE
            output.replace_with(note)
    for tag in article.select("iframe, .jupyter-widgets, div.cell_output .output.stderr"):
        tag.decompose()
    if answers:
        for feedback in article.select(".quiz-feedback"):
            del feedback["hidden"]
        for details in article.select("details"):
            details["open"] = ""
        return
    for quiz in article.select(".quiz-question"):
        quiz.attrs.pop("data-answer", None)
    for feedback in article.select(".quiz-feedback"):
        feedback.decompose()
    for solution in article.select("div.solution"):
        title = solution.select_one(".admonition-title")
        for child in list(solution.children):
            if child is not title and isinstance(child, Tag):
                child.decompose()
        note = soup.new_tag("p", attrs={"class": "handout-note"})
        note.string = SOLUTION_NOTE
        solution.append(note)
    for details in article.select("details.sd-dropdown, details.toggle-details"):
        note = soup.new_tag("p", attrs={"class": "handout-note"})
        note.string = ANSWER_NOTE
        details.replace_with(note)


def _relink(article: Tag, page_html: Path, html_root: Path, out_dir: Path, images: Path, site: str,
            cited: dict[str, Tag]) -> None:
    """Copy figures next to the handout; links to the site become absolute, citations point to the
    handout's reference list (their entries collected in ``cited``)."""
    references = html_root / "chapters" / "back" / "references.html"
    for img in article.find_all("img"):
        img.attrs.pop("loading", None)  # a lazy image might not be loaded before the page is printed
        src = img.get("src", "")
        if not _is_local(src):
            continue
        source = (page_html.parent / src.split("#")[0]).resolve()
        if not source.is_file():
            continue
        target = images / source.name
        if not target.exists():
            images.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
        img["src"] = f"{images.name}/{source.name}"
    for a in article.find_all("a", href=True):
        href = a["href"]
        if not _is_local(href):
            continue
        path, _, anchor = href.partition("#")
        if not path:
            continue
        target = (page_html.parent / path).resolve()
        if target == references and anchor and _entry(references, anchor) is not None:
            cited.setdefault(anchor, _entry(references, anchor))
            a["href"] = f"#ref-{anchor}"
            continue
        if not target.is_relative_to(html_root):
            continue
        a["href"] = site + target.relative_to(html_root).as_posix() + (f"#{anchor}" if anchor else "")
        if not anchor.startswith("term-"):  # a glossary term keeps its link, without the address in print
            a["class"] = [*(a.get("class") or []), "handout-url"]  # print shows a page link's address


@functools.lru_cache(maxsize=4)
def _bibliography(references: Path) -> BeautifulSoup:
    return BeautifulSoup(references.read_text(encoding="utf-8"), "html.parser")


def _entry(references: Path, anchor: str) -> Tag | None:
    """The bibliography entry ``#anchor`` of the book's reference page (its paragraph), if there is one."""
    entry = _bibliography(references).find(id=anchor)
    return entry.find("p") if entry is not None and "citation" in (entry.get("class") or []) else None


def _reference_list(cited: dict[str, Tag]) -> str:
    """The handout's closing reference list, alphabetical, each entry with the anchor its citations link to."""
    entries = sorted(cited.items(), key=lambda item: item[1].get_text(" ", strip=True).lower())
    items = "".join(f'<li id="ref-{anchor}">{entry.decode_contents()}</li>' for anchor, entry in entries)
    return (f'<section class="handout-references"><h2>References</h2>'
            f"<p>The works cited in this chapter, as in the course's bibliography.</p><ol>{items}</ol></section>")


def build_handout(folder: str, pages: list[str], html_root: Path, out_dir: Path, css: str,
                  answers: bool = False, site: str | None = None) -> Path:
    """Write ``out_dir/<folder>.html`` (``<folder>-answers.html`` with ``answers``) from the built pages of one
    chapter; return its path. ``site``: the published site's address (``site_url()`` by default)."""
    site = site or site_url()
    images = out_dir / "images"
    cited: dict[str, Tag] = {}
    bodies: list[str] = []
    title = folder
    for page in pages:
        page_html = html_root / f"{page}.html"
        if not page_html.is_file():
            print(f"handouts: {page_html} is missing (run `make book` first); skipped", file=sys.stderr)
            continue
        soup = BeautifulSoup(page_html.read_text(encoding="utf-8"), "html.parser")
        article = soup.select_one("article.bd-article") or soup.select_one("main") or soup.body
        if article is None:
            continue
        if not bodies:
            h1 = article.find("h1")
            if h1:
                title = h1.get_text(" ", strip=True).rstrip("#").strip()
        _clean_article(article, soup, answers=answers)
        _relink(article, page_html, html_root, out_dir, images, site, cited)
        bodies.append(f'<section class="handout-page" data-source="{page}">\n{article.decode_contents()}\n</section>')
    if not bodies:
        raise FileNotFoundError(f"no built page of {folder} under {html_root}")
    mathjax = html_root / "_static" / "mathjax" / "tex-chtml.js"
    mathjax_tag = ""
    if mathjax.is_file():
        rel = Path(*[".."] * len(out_dir.relative_to(html_root.parent).parts), html_root.name,
                   mathjax.relative_to(html_root))
        mathjax_tag = f'<script async src="{rel.as_posix()}"></script>'
    if cited:
        bodies.append(_reference_list(cited))
    today = _dt.date.today().isoformat()
    if answers:
        kind = "answer key for instructors"
        note = ('<p class="handout-answer-key"><strong>Answer key: for instructors, not for students.</strong> '
                "Every exercise solution and every quiz answer is shown.</p>")
    else:
        kind = "printable handout"
        note = ""
    document = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} | Psychotherapy and the Brain ({"answer key" if answers else "handout"})</title>
<style>
{SCREEN_CSS}
{css}
{ANSWER_KEY_CSS if answers else ""}
</style>
{mathjax_tag}
</head>
<body{' class="answer-key"' if answers else ""}>
<header class="handout-title">
<p><strong>Psychotherapy and the Brain</strong> - {kind} - {title}</p>
<p>Generated {today} from the course's web site, {site}. Text and figures: CC BY 4.0; code: MIT; atlases
keep their own licences (see <em>Atlases and methods</em>). Interactive views{"" if answers else
", exercise solutions and quiz answers"} are in the online version.</p>
{note}
</header>
{chr(10).join(bodies)}
</body>
</html>
"""
    out = out_dir / (f"{folder}-answers.html" if answers else f"{folder}.html")
    out.write_text(document, encoding="utf-8")
    return out


NO_BROWSER = 3  # exit status: the HTML handouts are written, but no Chromium could be found to print them
FOOTER = ('<div style="font-size:8px;width:100%;text-align:center;color:#444">'
          'Psychotherapy and the Brain (CC BY 4.0) &middot; <span class="pageNumber"></span> / '
          '<span class="totalPages"></span></div>')
_READY_JS = """async () => {
  if (window.MathJax && MathJax.startup && MathJax.startup.promise) await MathJax.startup.promise;
  await Promise.all(Array.from(document.images).filter(i => !i.complete)
    .map(i => new Promise(r => { i.onload = i.onerror = r; })));
  return Array.from(document.images).filter(i => !i.naturalWidth).map(i => i.getAttribute('src'));
}"""


class _QuietHandler(SimpleHTTPRequestHandler):
    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


def print_pdfs(handouts: list[Path], served: Path) -> list[Path]:
    """Print each handout (a file under ``served``) to a PDF beside it with headless Chromium; return the PDFs."""
    from playwright.sync_api import sync_playwright

    from scripts.browser import CHROMIUM_ARGS, find_chromium

    chromium = find_chromium()  # NoBrowser says why there is none
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(_QuietHandler, directory=str(served)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    base = f"http://127.0.0.1:{server.server_address[1]}/"
    pdfs: list[Path] = []
    try:
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium.executable, headless=True, args=CHROMIUM_ARGS)
            try:
                for handout in handouts:
                    page = browser.new_page()
                    page.goto(base + handout.relative_to(served).as_posix(), wait_until="load")
                    page.wait_for_load_state("networkidle")
                    missing = page.evaluate(_READY_JS)
                    if missing:
                        raise RuntimeError(f"{handout.name}: images did not load: {missing[:5]}")
                    pdf = handout.with_suffix(".pdf")
                    page.pdf(path=str(pdf), format="A4", print_background=True, prefer_css_page_size=True,
                             display_header_footer=True, header_template="<div></div>", footer_template=FOOTER,
                             margin={"top": "18mm", "bottom": "20mm", "left": "16mm", "right": "16mm"})
                    page.close()
                    pdfs.append(pdf)
            finally:
                browser.close()
    finally:
        server.shutdown()
        server.server_close()
    return pdfs


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--html", type=Path, default=ROOT / "_build" / "html", help="the built site")
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "handouts", help="output folder")
    parser.add_argument("--toc", type=Path, default=ROOT / "_toc.yml")
    parser.add_argument("--css", type=Path, default=ROOT / "assets" / "print.css")
    parser.add_argument("--no-pdf", action="store_true", help="write the HTML handouts only")
    parser.add_argument("--site-url", default=None, help="the published site's address (default: from _config.yml)")
    args = parser.parse_args(argv)
    html_root, out_dir = args.html.resolve(), args.out.resolve()
    if not (html_root / "index.html").is_file():
        parser.error(f"{html_root} has no index.html: build the book first (make book)")
    if out_dir.parent != html_root.parent:
        parser.error("--out must be a sibling of --html (links into the site are relative)")
    out_dir.mkdir(parents=True, exist_ok=True)
    css = args.css.read_text(encoding="utf-8")
    written: list[Path] = []
    site = args.site_url or site_url()
    for folder, pages in chapters(args.toc).items():
        for answers in (False, True):
            try:
                path = build_handout(folder, pages, html_root, out_dir, css, answers=answers, site=site)
            except FileNotFoundError as error:
                print(f"handouts: {error}", file=sys.stderr)
                break
            print(f"handouts: {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
            written.append(path)
    if written and not args.no_pdf:
        from scripts.browser import NoBrowser

        try:
            pdfs = print_pdfs(written, out_dir.parent)
        except NoBrowser as why:
            print(f"handouts: no PDF: {why} (the HTML handouts are written; --no-pdf skips this step)", file=sys.stderr)
            return NO_BROWSER
        for pdf in pdfs:
            print(f"handouts: {pdf.relative_to(ROOT) if pdf.is_relative_to(ROOT) else pdf}")
        record_made_from(out_dir, html_root)   # complete: the tests read it instead of making it again
    return 0 if written else 1


if __name__ == "__main__":
    sys.exit(main())
