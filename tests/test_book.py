"""The book builds with warnings as errors: a failing cell, broken reference or missing image fails.

`make test` builds the book first (`make book`, warnings as errors); that build records the fingerprint of
the sources it was built from (scripts/book.py), and these tests reuse it when the sources are unchanged.
Run on their own, or after a source changed, they build it again.
"""

import json
import re
from pathlib import Path

import pytest

from conftest import ROOT, build_book
from scripts.book import BUILD_OPTIONS, BUILT, is_built, sources_fingerprint


@pytest.mark.slow
@pytest.mark.xdist_group("book")
def test_book_builds_without_warnings():
    html = build_book(ROOT)   # built again unless make book built these very sources, warnings as errors
    built = json.loads((ROOT / "_build" / BUILT).read_text())
    assert built["sources"] == sources_fingerprint(ROOT) and is_built(ROOT)
    assert built["command"][:2] == ["build", str(ROOT)] and set(BUILD_OPTIONS) <= set(built["command"])
    assert (html / "index.html").exists()
    assert (html / "chapters" / "back" / "references.html").exists()


def test_a_changed_source_makes_the_build_stale(tmp_path):
    """The fingerprint covers the pages, the notebooks, the package and the configuration."""
    for name in ("_config.yml", "_toc.yml", "index.md", "chapters/a.md", "therapybrain/x.py", "_ext/e.py"):
        (tmp_path / name).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / name).write_text("one")
    (tmp_path / "_build" / "html").mkdir(parents=True)
    (tmp_path / "_build" / "html" / "index.html").write_text("<html></html>")
    record = {"sources": sources_fingerprint(tmp_path), "command": ["build", str(tmp_path), *BUILD_OPTIONS]}
    (tmp_path / "_build" / BUILT).write_text(json.dumps(record))
    assert is_built(tmp_path)
    for name in ("chapters/a.md", "therapybrain/x.py", "_config.yml"):
        (tmp_path / name).write_text("two")
        assert not is_built(tmp_path), f"{name} changed, the build was still taken as current"
        (tmp_path / name).write_text("one")
    (tmp_path / "therapybrain" / "__pycache__").mkdir()
    (tmp_path / "therapybrain" / "__pycache__" / "x.pyc").write_bytes(b"compiled")
    assert is_built(tmp_path), "a cache file is not a source"
    record["command"] = ["build", str(tmp_path)]   # built without -W
    (tmp_path / "_build" / BUILT).write_text(json.dumps(record))
    assert not is_built(tmp_path)


# --- the map of the book: the article's numbers, in the sidebar and on the pages ----------------------

#: The article's numbering (issue 11): chapters 1-5, sections 2.1-2.4 and 3.1-3.3; a lab is named after the
#: chapter or section it belongs to ("Lab 2.1: ..."), never with a number of its own.
ARTICLE_MAP = {
    "chapters/01-plasticity/index": "1",
    "chapters/01-plasticity/hebbian-lab": "Lab 1",
    "chapters/02-mechanisms/index": "2",
    "chapters/02-mechanisms/synaptic-plasticity": "2.1",
    "chapters/02-mechanisms/synaptic-plasticity-lab": "Lab 2.1",
    "chapters/02-mechanisms/neurogenesis": "2.2",
    "chapters/02-mechanisms/neurogenesis-lab": "Lab 2.2",
    "chapters/02-mechanisms/gene-expression": "2.3",
    "chapters/02-mechanisms/gene-expression-lab": "Lab 2.3",
    "chapters/02-mechanisms/brain-structure": "2.4",
    "chapters/02-mechanisms/brain-structure-lab": "Lab 2.4",
    "chapters/03-therapies/index": "3",
    "chapters/03-therapies/cbt": "3.1",
    "chapters/03-therapies/cbt-lab": "Lab 3.1",
    "chapters/03-therapies/mindfulness": "3.2",
    "chapters/03-therapies/mindfulness-lab": "Lab 3.2",
    "chapters/03-therapies/psychodynamic": "3.3",
    "chapters/03-therapies/psychodynamic-lab": "Lab 3.3",
    "chapters/04-future/index": "4",
    "chapters/04-future/prediction-lab": "Lab 4",
    "chapters/05-conclusion/index": "5",
    "chapters/05-conclusion/headline-lab": "Lab 5",
}
_NUMBER = re.compile(r"^(?:Lab )?\d+(?:\.\d+)*")


def _shown_number(title: str) -> str | None:
    """"3.1 Cognitive ..." -> "3.1"; "1. The brain's ..." -> "1"; "Lab 2.1: where ..." -> "Lab 2.1"."""
    match = _NUMBER.match(title)
    return match.group(0) if match else None


def _sidebar(html: Path) -> dict[str, str]:
    """The built sidebar of the landing page: docname -> the entry's text, in the sidebar's order."""
    from bs4 import BeautifulSoup

    soup = BeautifulSoup((html / "index.html").read_text(encoding="utf-8"), "html.parser")
    nav = soup.select_one("nav.bd-docs-nav")
    assert nav is not None, "no sidebar navigation (nav.bd-docs-nav) in index.html"
    entries = {}
    for link in nav.select("a.reference.internal"):
        href = link["href"].split("#")[0]
        entries[href.removesuffix(".html")] = link.get_text(" ", strip=True)
    return entries


def _page_title(html: Path, docname: str) -> str:
    from bs4 import BeautifulSoup

    soup = BeautifulSoup((html / f"{docname}.html").read_text(encoding="utf-8"), "html.parser")
    return soup.select_one("article h1").get_text(" ", strip=True).rstrip("#").strip()


def _cited_numbers() -> dict[str, set[str]]:
    """Chapter and section numbers the course's text cites ("chapter 3", "Chapter 3:", "section 2.2")."""
    import json

    cited: dict[str, set[str]] = {}
    pattern = re.compile(r"\b(?:[Cc]hapters?|[Ss]ections?|§) ?(\d+(?:\.\d+)?)\b")
    for path in sorted((ROOT / "chapters").rglob("*")):
        if path.suffix == ".md":
            text = path.read_text(encoding="utf-8")
        elif path.suffix == ".ipynb" and ".ipynb_checkpoints" not in path.parts:
            cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
            text = "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
        else:
            continue
        for number in pattern.findall(text):
            cited.setdefault(number, set()).add(str(path.relative_to(ROOT)))
    return cited


@pytest.mark.slow
@pytest.mark.xdist_group("book")
def test_sidebar_carries_the_articles_numbers():
    html = build_book(ROOT)
    sidebar = _sidebar(html)
    problems = [f"{doc} is missing from the sidebar" for doc in ARTICLE_MAP if doc not in sidebar]
    for doc, text in sidebar.items():
        shown, expected = _shown_number(text), ARTICLE_MAP.get(doc)
        if shown != expected:
            problems.append(f"sidebar {text!r} ({doc}): shows number {shown!r}, the article's is {expected!r}")
        if re.match(r"^(?:Lab )?\d+\.\d+\.\d+", text) or re.search(r"\d\.\d+\.\s", text):
            problems.append(f"sidebar {text!r} ({doc}): a deep heading number")
        if doc in ARTICLE_MAP and _page_title(html, doc) != text:
            problems.append(f"{doc}: the page's title {_page_title(html, doc)!r} differs from the sidebar's {text!r}")
    for doc, number in ARTICLE_MAP.items():  # a lab belongs to the chapter or section just above it
        if number.startswith("Lab "):
            parent = list(ARTICLE_MAP)[list(ARTICLE_MAP).index(doc) - 1]
            assert number == "Lab " + ARTICLE_MAP[parent], (doc, parent)
            if not sidebar.get(doc, "").startswith(number + ": "):
                problems.append(f"{doc}: the sidebar names it {sidebar.get(doc)!r}, not '{number}: ...'")
    assert not problems, "\n".join(problems)


@pytest.mark.slow
@pytest.mark.xdist_group("book")
def test_every_cited_chapter_number_is_shown():
    """The chapter numbers that therapybrain's regions and the course's text cite are the ones in the sidebar."""
    import therapybrain as tb

    shown = {n for n in map(_shown_number, _sidebar(build_book(ROOT)).values()) if n and not n.startswith("Lab")}
    assert shown == {"1", "2", "2.1", "2.2", "2.3", "2.4", "3", "3.1", "3.2", "3.3", "4", "5"}
    problems = [f"region {key!r} cites chapter {c}, which the sidebar does not show"
                for key in tb.list_regions() for c in tb.region_info(key).chapters if c not in shown]
    problems += [f"{', '.join(sorted(files))} cite(s) chapter/section {n}, which the sidebar does not show"
                 for n, files in _cited_numbers().items() if n not in shown]
    assert not problems, "\n".join(problems)
