"""`make slides`: the chapter decks an instructor presents, read back from _build/slides.

The decks are written from the built site (built first when missing) as `make slides` does, in their own
process. Each deck is then parsed: every slide has speaker notes (what to say, the time, and where a
question goes to the room, its expected answer), no two notes are the same, no note is a figure's alt
text, no slide is shown twice, and the deck loads nothing from outside its folder (offline once built).
"""

from __future__ import annotations

import re
import subprocess
import sys
from urllib.parse import urlsplit

import pytest
from bs4 import BeautifulSoup

from conftest import ROOT, build_book, made_from_the_site
from scripts.book import chapters

pytestmark = [pytest.mark.slow, pytest.mark.xdist_group("book")]

CHAPTERS = list(chapters(ROOT / "_toc.yml"))


@pytest.fixture(scope="module")
def decks():
    html = build_book(ROOT)
    out = html.parent / "slides"
    if made_from_the_site(out):   # make test's `make slides`, from this very site: read, not made again
        return out
    result = subprocess.run([sys.executable, "-m", "scripts.slides", "--html", str(html), "--out", str(out)],
                            capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout[-3000:] + result.stderr[-3000:]
    return out


def _slides(deck) -> list:
    soup = BeautifulSoup(deck.read_text(encoding="utf-8"), "html.parser")
    return [s for s in soup.select(".reveal .slides section") if not s.find("section")]


def _note_text(slide) -> str:
    aside = slide.find("aside", class_="notes")
    return " ".join(aside.get_text(" ", strip=True).split()) if aside else ""


@pytest.mark.parametrize("folder", CHAPTERS)
def test_every_slide_has_its_own_speaker_notes(folder, decks):
    slides = _slides(decks / folder / "index.html")
    assert len(slides) >= 5, f"{folder}: {len(slides)} slides"
    problems = []
    notes: dict[str, str] = {}
    for i, slide in enumerate(slides, start=1):
        key = slide.get("data-notes-key", f"slide {i}")
        note = _note_text(slide)
        if not note.startswith("Say:") or not re.search(r"Time: \d+(\.\d+)? min", note):
            problems.append(f"{key}: notes without 'Say:' and 'Time:': {note[:80]!r}")
        say = note.split("Ask the room:")[0].split("Time:")[0]
        if len(say.split()) < 12:
            problems.append(f"{key}: the notes say too little for a speaker: {say!r}")
        if ("Ask the room:" in note) != ("Expect:" in note):
            problems.append(f"{key}: a question to the room without its expected answer")
        for img in slide.find_all("img"):
            alt = " ".join(img.get("alt", "").split())
            if alt and alt in note:
                problems.append(f"{key}: the notes repeat the figure's alt text")
        body = say.removeprefix("Say:").strip()
        if body in notes:
            problems.append(f"{key}: the same notes as {notes[body]}")
        notes[body] = key
    questions = sum("Ask the room:" in _note_text(s) for s in slides)
    if questions < 2:
        problems.append(f"only {questions} questions to the room in the deck")
    assert not problems, f"{folder}:\n  " + "\n  ".join(problems)


def test_no_two_notes_are_the_same_across_the_decks(decks):
    seen: dict[str, str] = {}
    for folder in CHAPTERS:
        for slide in _slides(decks / folder / "index.html"):
            note = _note_text(slide).split("Time:")[0]
            assert note not in seen, f"{folder} {slide.get('data-notes-key')}: the notes of {seen[note]}"
            seen[note] = f"{folder} {slide.get('data-notes-key')}"


@pytest.mark.parametrize("folder", CHAPTERS)
def test_no_slide_is_shown_twice(folder, decks):
    seen: dict[str, str] = {}
    for slide in _slides(decks / folder / "index.html"):
        for aside in slide.find_all("aside"):
            aside.decompose()
        content = " ".join(slide.get_text(" ", strip=True).split()) + " ".join(
            img["src"] for img in slide.find_all("img"))
        assert content not in seen, f"{folder}: {slide.get('data-notes-key')} repeats {seen[content]}"
        seen[content] = slide.get("data-notes-key")


@pytest.mark.parametrize("folder", CHAPTERS)
def test_a_deck_works_offline(folder, decks):
    deck = decks / folder / "index.html"
    soup = BeautifulSoup(deck.read_text(encoding="utf-8"), "html.parser")
    used = [tag.get("src") or tag.get("href") for tag in soup.find_all(["script", "link", "img"])
            if tag.get("src") or tag.get("href")]
    assert any(u.endswith("plugin/notes.js") for u in used), "no speaker-view plugin"
    assert "plugins: [RevealNotes]" in " ".join(s.string or "" for s in soup.find_all("script")), "no speaker view"
    for url in used:
        assert not urlsplit(url).scheme and not url.startswith("//"), f"{folder}: loads {url} from outside"
        assert (deck.parent / url).resolve().is_file(), f"{folder}: {url} is missing"
