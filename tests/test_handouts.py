"""`make handouts`: one PDF per chapter, printed by headless Chromium, with figures and without solutions,
and an answer key per chapter with them.

The handouts are written from the built site (built first when missing) into _build/handouts, as
`make handouts` does. Each PDF is then read back with pypdf: A4 pages, a page count that fits the
chapter (every page of the chapter starts a new sheet, and no layout runs away), every figure of the
chapter drawn, the chapter's text present and no word of an exercise solution or quiz answer.
"""

from __future__ import annotations

import hashlib
import os
import re
import subprocess
import sys
import unicodedata

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, build_book, made_from_the_site
from scripts.book import chapters

pytestmark = [pytest.mark.browser, pytest.mark.slow, pytest.mark.xdist_group("book")]

CHAPTERS = list(chapters(ROOT / "_toc.yml"))
MAX_SHEETS_PER_PAGE = 8  # today 2.7-4.7 sheets per page of the site; more means a layout ran away
REFERENCES_PER_SHEET = 8  # the reference list at the end: today 10-11 entries a sheet (05-conclusion: 49 on 5)
A4 = (595, 842)  # points


def _words(text: str) -> str:
    """Letters and digits only, lower case, ligatures undone: PDF text extraction breaks lines, drops spaces
    and keeps the font's ligatures ("ﬀ")."""
    return re.sub(r"[^0-9a-z]+", "", unicodedata.normalize("NFKC", text).lower())


def _chunks(text: str, size: int = 40) -> list[str]:
    """The sentences of ``text`` with at least ``size`` letters, as _words."""
    return [w for w in (_words(s) for s in re.split(r"(?<=[.!?:;])\s+", text)) if len(w) >= size]


@pytest.fixture(scope="module")
def handouts():
    """The handouts `make handouts` wrote from the current site, or written here as it does, in its own
    process (Playwright's sync API runs one per process, and the browser tests may hold it)."""
    from scripts.handouts import NO_BROWSER

    html = build_book(ROOT)
    out = html.parent / "handouts"
    if made_from_the_site(out):   # make test's `make handouts`, from this very site: read, not made again
        return out
    result = subprocess.run([sys.executable, "-m", "scripts.handouts", "--html", str(html),
                             "--out", str(out)], capture_output=True, text=True, cwd=ROOT)
    if result.returncode == NO_BROWSER:
        (pytest.fail if os.environ.get("REQUIRE_BROWSER") else pytest.skip)(result.stderr.strip()[-800:])
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return html.parent / "handouts"


def _hidden_texts(html_page) -> tuple[list[str], list[str]]:
    """(sentences of the solutions and quiz answers, sentences of the lesson's paragraphs) of one built page.

    A solution's sentence that the lesson says too (outside every solution and answer) is not counted as hidden.
    """
    soup = BeautifulSoup(html_page.read_text(encoding="utf-8"), "html.parser")
    article = soup.select_one("article.bd-article")
    hidden: list[str] = []
    for solution in article.select("div.solution"):
        title = solution.select_one(".admonition-title")
        if title:
            title.decompose()
        hidden += _chunks(solution.get_text(" ", strip=True))
        solution.decompose()
    for details in article.select("details.sd-dropdown, details.toggle-details"):
        summary = details.find("summary")
        if summary:
            summary.decompose()
        hidden += _chunks(details.get_text(" ", strip=True))
        details.decompose()
    for feedback in article.select(".quiz-feedback"):  # a quiz's answer and explanation (_ext/quizzes.py)
        hidden += _chunks(feedback.get_text(" ", strip=True), size=25)
        feedback.decompose()
    lesson = _words(article.get_text(" "))
    shown = [c for p in article.select("section > p") for c in _chunks(p.get_text(" ", strip=True))]
    return [h for h in hidden if h not in lesson], shown


@pytest.mark.parametrize("folder", CHAPTERS)
def test_handout_pdf(folder, handouts):
    import pypdf

    pdf_path = handouts / f"{folder}.pdf"
    assert pdf_path.is_file(), f"no {pdf_path}"
    reader = pypdf.PdfReader(pdf_path)
    html = BeautifulSoup((handouts / f"{folder}.html").read_text(encoding="utf-8"), "html.parser")
    pages = [s["data-source"] for s in html.select("section.handout-page")]
    problems: list[str] = []

    # sheets: A4, at least one per page of the chapter (each starts a new sheet), and not too many
    sheets = len(reader.pages)
    references = len(html.select("section.handout-references li"))
    most = MAX_SHEETS_PER_PAGE * len(pages) + 1 + -(-references // REFERENCES_PER_SHEET)
    if not len(pages) < sheets <= most:
        problems.append(f"{sheets} sheets for {len(pages)} pages of the site (expected {len(pages) + 1}-{most})")
    sizes = {tuple(round(float(v)) for v in page.mediabox[2:]) for page in reader.pages}
    if sizes != {A4}:
        problems.append(f"sheet sizes {sizes}, not A4 {A4}")

    # figures: every distinct image of the handout is drawn in the PDF
    figures = {img["src"] for img in html.find_all("img")}
    drawn = {hashlib.sha1(image.data).hexdigest() for page in reader.pages for image in page.images}
    if len(drawn) < len(figures):
        problems.append(f"{len(drawn)} distinct images in the PDF, {len(figures)} figures in the handout")

    # text: the lessons are there, the solutions and quiz answers are not
    text = _words(" ".join(page.extract_text() or "" for page in reader.pages))
    hidden, shown = [], []
    for page in pages:
        h, s = _hidden_texts(ROOT / "_build" / "html" / f"{page}.html")
        hidden += h
        shown += s
    assert shown and hidden, f"{folder}: no lesson text or no solution found in the built pages"
    found = [s for s in shown if s in text]
    if len(found) < 0.95 * len(shown):  # the control: text extraction finds what is printed (today all)
        problems.append(f"only {len(found)} of {len(shown)} lesson sentences found in the PDF's text")
    problems += [f"solution or answer text in the PDF: {h[:80]}..." for h in hidden if h in text]
    assert not problems, f"{pdf_path.name}:\n  " + "\n  ".join(problems)


def _cited(folder: str) -> set[str]:
    """The bibliography entries (as text) that the chapter's built pages cite."""
    references = BeautifulSoup((ROOT / "_build" / "html" / "chapters" / "back" / "references.html").read_text(
        encoding="utf-8"), "html.parser")
    anchors = set()
    for page in chapters(ROOT / "_toc.yml")[folder]:
        soup = BeautifulSoup((ROOT / "_build" / "html" / f"{page}.html").read_text(encoding="utf-8"), "html.parser")
        anchors |= {a["href"].split("#")[1] for a in soup.select("article.bd-article a[href*='references.html#']")}
    return {references.find(id=a).find("p").get_text(" ", strip=True) for a in anchors
            if references.find(id=a) is not None and references.find(id=a).find("p") is not None}


def _links(reader) -> list[str]:
    return [annotation.get_object().get("/A", {}).get("/URI") for page in reader.pages
            for annotation in (page.get("/Annots") or []) if annotation.get_object().get("/A", {}).get("/URI")]


@pytest.mark.parametrize("folder", CHAPTERS)
def test_handout_has_its_references_and_absolute_links(folder, handouts):
    import pypdf

    from scripts.handouts import site_url

    problems: list[str] = []
    for name in (f"{folder}.pdf", f"{folder}-answers.pdf"):
        reader = pypdf.PdfReader(handouts / name)
        text = _words(" ".join(page.extract_text() or "" for page in reader.pages))
        cited = _cited(folder)
        if folder != "00-welcome" and not cited:
            problems.append(f"{name}: the chapter cites nothing?")
        if cited and "references" not in text[-20000:]:
            problems.append(f"{name}: no reference list at the end")
        problems += [f"{name}: reference missing: {entry[:70]}" for entry in cited if _words(entry)[:60] not in text]
        links = _links(reader)
        site = site_url()
        if not any(link.startswith(site) for link in links):
            problems.append(f"{name}: no link to the course's site {site}")
        problems += [f"{name}: a link that only works on the build machine: {link}" for link in links
                     if not link.startswith(("https://", "http://", "mailto:")) or "127.0.0.1" in link
                     or "localhost" in link]
        if _words(site.split("//")[1]) not in text:
            problems.append(f"{name}: no printed address of the site")
    assert not problems, "\n  ".join(problems)


@pytest.mark.parametrize("folder", CHAPTERS)
def test_answer_key_has_every_solution_and_quiz_answer(folder, handouts):
    import pypdf

    reader = pypdf.PdfReader(handouts / f"{folder}-answers.pdf")
    text = _words(" ".join(page.extract_text() or "" for page in reader.pages))
    hidden = []
    for page in chapters(ROOT / "_toc.yml")[folder]:
        hidden += _hidden_texts(ROOT / "_build" / "html" / f"{page}.html")[0]
    assert hidden, f"{folder}: no solution or answer in the built pages"
    assert "answerkeyforinstructors" in text
    missing = [h for h in hidden if h not in text]
    assert len(missing) <= 0.05 * len(hidden), (f"{folder}-answers.pdf lacks {len(missing)} of {len(hidden)} "
                                                f"solution and answer sentences, e.g. {missing[:3]}")
