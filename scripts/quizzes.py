"""Export the quiz bank (``assets/quizzes/*.yml``) to the formats learning platforms import.

Usage::

    .venv/bin/python -m scripts.quizzes [--out _build/quizzes]

writes, per chapter folder (``00-welcome`` ... ``05-conclusion``; a chapter's pages are one quiz):

- ``qti/<chapter>.zip``: a QTI 1.2 package made by text2qti (Canvas: *Settings > Import course
  content > QTI .zip file*; other platforms that read QTI 1.2 import it too);
- ``moodle/<chapter>.xml``: Moodle XML, one category per chapter (Moodle: *Question bank > Import >
  Moodle XML format*);
- ``moodle/all.xml``: every chapter in one file, each in its category.

Each question keeps its id from the bank (``01-plasticity-2``: the QTI item's title, the Moodle
question's name), its options in the book's order, the right one marked (QTI: the response condition
scoring 100; Moodle: ``fraction="100"``), and the book's explanation as general feedback.

The bank's text is MyST; the exports get plain Markdown/HTML: a citation ``{cite}`kral2022``` becomes
"(Kral et al., 2022)", ``{cite:t}`kral2022``` "Kral et al. (2022)" (author-year, from
``assets/references.bib``, as the book shows them), other roles their text.
"""

from __future__ import annotations

import argparse
import re
import sys
import xml.etree.ElementTree as ET
from functools import lru_cache
from pathlib import Path

from markdown_it import MarkdownIt

from _ext.quiz_bank import LETTERS, Question, Quiz, load_bank

ROOT = Path(__file__).resolve().parents[1]
BIB = ROOT / "assets" / "references.bib"
TITLE = "Psychotherapy and the Brain"
ROLE = re.compile(r"\{(?P<role>[\w:-]+)\}`(?P<body>[^`]*)`")
CHAPTER_TITLES = {
    "00-welcome": "Welcome",
    "01-plasticity": "1. The brain's plasticity",
    "02-mechanisms": "2. Neurobiological mechanisms of therapeutic change",
    "03-therapies": "3. Different therapies, different mechanisms",
    "04-future": "4. The future of psychotherapy and neuroscience",
    "05-conclusion": "5. Conclusion",
}


@lru_cache(maxsize=1)
def _bibliography() -> dict[str, tuple[str, str]]:
    """``key -> (authors as cited, year)`` from the book's bibliography."""
    import codecs

    import latexcodec  # noqa: F401 (registers the "ulatex" codec: Jim{\'e}nez -> Jiménez)
    from pybtex.database import parse_file

    out = {}
    for key, entry in parse_file(str(BIB)).entries.items():
        people = entry.persons.get("author") or entry.persons.get("editor") or []
        last = [codecs.decode(" ".join(p.last_names), "ulatex").replace("{", "").replace("}", "") for p in people]
        if len(last) > 2:
            names = f"{last[0]} et al."
        elif len(last) == 2:
            names = f"{last[0]} and {last[1]}"
        else:
            names = last[0] if last else key
        out[key.lower()] = (names, entry.fields.get("year", "n.d."))
    return out


def _cite(keys: str, textual: bool) -> str:
    bib = _bibliography()
    cited = []
    for key in (k.strip() for k in keys.split(",")):
        if key.lower() not in bib:
            raise KeyError(f"citation {key!r} is not in {BIB.name}")
        names, year = bib[key.lower()]
        cited.append(f"{names} ({year})" if textual else f"{names}, {year}")
    return "; ".join(cited) if textual else f"({'; '.join(cited)})"


def plain(text: str) -> str:
    """MyST ``text`` as Markdown for a learning platform: citations written out, other roles as their text.

    Examples
    --------
    >>> plain("found no change {cite}`kral2022`")
    'found no change (Kral et al., 2022)'
    """
    def replace(match: re.Match) -> str:
        role, body = match["role"], match["body"]
        if role in ("cite", "cite:p", "cite:ps"):
            return _cite(body, textual=False)
        if role in ("cite:t", "cite:ts"):
            return _cite(body, textual=True)
        shown = re.match(r"(.*?)\s*<[^>]*>$", body)  # {doc}`text <target>`
        return shown.group(1) if shown else body

    return " ".join(ROLE.sub(replace, text).split())


_MD = MarkdownIt("commonmark")


def html(text: str) -> str:
    """MyST ``text`` as inline HTML (``*x*`` -> ``<em>x</em>``), for Moodle."""
    return _MD.renderInline(plain(text)).strip()


# ----------------------------------------------------------------------------------------------
# QTI (text2qti)
# ----------------------------------------------------------------------------------------------
def _one_line(text: str) -> str:
    # text2qti's Markdown reads "p < 0.001 map" as the start of an HTML tag and drops it: "<" is escaped
    return plain(text).replace("\n", " ").replace("<", "&lt;")


def text2qti_source(chapter: str, quizzes: list[Quiz]) -> str:
    """The chapter's questions in text2qti's plain-text quiz format."""
    lines = [f"Quiz title: {TITLE}: {CHAPTER_TITLES.get(chapter, chapter)}",
             f"Quiz description: Self-check questions of the course's chapter {CHAPTER_TITLES.get(chapter, chapter)} "
             "(from the course's quiz bank).",
             "Shuffle answers: false", "Show correct answers: true", ""]
    number = 0
    for quiz in quizzes:
        for q in quiz.questions:
            number += 1
            lines += [f"Title: {q.id}", "Points: 1", f"{number}.  {_one_line(q.question)}",
                      f"... {LETTERS[q.answer]}) {_one_line(q.explanation)}"]
            for i, option in enumerate(q.options):
                marker = f"*{LETTERS[i]})" if i == q.answer else f"{LETTERS[i]}) "
                lines.append(f"{marker} {_one_line(option)}")
            lines.append("")
    return "\n".join(lines)


def write_qti(chapter: str, quizzes: list[Quiz], path: Path) -> Path:
    """One QTI 1.2 zip for the chapter, made by text2qti."""
    from text2qti.config import Config
    from text2qti.qti import QTI
    from text2qti.quiz import Quiz as T2QQuiz

    source = text2qti_source(chapter, quizzes)
    # Config() holds text2qti's defaults; Config.load() would read (and create) ~/.text2qti.bespon
    quiz = T2QQuiz(source, config=Config(), source_name=f"{chapter} quiz bank")
    path.parent.mkdir(parents=True, exist_ok=True)
    QTI(quiz).save(path)
    return path


# ----------------------------------------------------------------------------------------------
# Moodle XML
# ----------------------------------------------------------------------------------------------
def _text(parent: ET.Element, tag: str, value: str, fmt: str | None = "html", **attrs) -> ET.Element:
    node = ET.SubElement(parent, tag, {**({"format": fmt} if fmt else {}), **attrs})
    ET.SubElement(node, "text").text = value
    return node


def _moodle_question(root: ET.Element, q: Question) -> None:
    node = ET.SubElement(root, "question", {"type": "multichoice"})
    _text(node, "name", q.id, fmt=None)
    _text(node, "questiontext", html(q.question))
    _text(node, "generalfeedback", f"<strong>{LETTERS[q.answer]})</strong> {html(q.explanation)}")
    for tag, value in (("defaultgrade", "1"), ("penalty", "0"), ("hidden", "0"), ("single", "true"),
                       ("shuffleanswers", "false"), ("answernumbering", "abc")):
        ET.SubElement(node, tag).text = value
    for i, option in enumerate(q.options):
        _text(node, "answer", html(option), fraction="100" if i == q.answer else "0")


def moodle_xml(groups: dict[str, list[Quiz]]) -> bytes:
    """Moodle XML of the chapters in ``groups``, one question category per chapter."""
    root = ET.Element("quiz")
    for chapter, quizzes in groups.items():
        category = ET.SubElement(root, "question", {"type": "category"})
        _text(category, "category", f"$course$/top/{TITLE}/{CHAPTER_TITLES.get(chapter, chapter)}", fmt=None)
        for quiz in quizzes:
            for q in quiz.questions:
                _moodle_question(root, q)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


# ----------------------------------------------------------------------------------------------
def by_chapter(bank: dict[str, Quiz]) -> dict[str, list[Quiz]]:
    groups: dict[str, list[Quiz]] = {}
    for quiz in bank.values():
        groups.setdefault(quiz.chapter, []).append(quiz)
    return dict(sorted(groups.items()))


def export(out: Path, bank: dict[str, Quiz] | None = None) -> list[Path]:
    """Write every export into ``out``; returns the files written."""
    groups = by_chapter(load_bank() if bank is None else bank)
    written = []
    for chapter, quizzes in groups.items():
        written.append(write_qti(chapter, quizzes, out / "qti" / f"{chapter}.zip"))
        moodle = out / "moodle" / f"{chapter}.xml"
        moodle.parent.mkdir(parents=True, exist_ok=True)
        moodle.write_bytes(moodle_xml({chapter: quizzes}))
        written.append(moodle)
    everything = out / "moodle" / "all.xml"
    everything.write_bytes(moodle_xml(groups))
    written.append(everything)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "quizzes")
    args = parser.parse_args(argv)
    bank = load_bank()
    written = export(args.out, bank)
    count = sum(len(q.questions) for q in bank.values())
    for path in written:
        print(f"quizzes: {path.relative_to(args.out.parent) if path.is_relative_to(args.out.parent) else path}")
    print(f"quizzes: {count} questions from {len(bank)} pages in {len(by_chapter(bank))} chapters")
    return 0


if __name__ == "__main__":
    sys.exit(main())
