"""Export the quiz bank to the formats learning platforms import: practice quizzes and graded quizzes, apart.

Usage::

    .venv/bin/python -m scripts.quizzes [--out _build/quizzes]

writes two kinds of quiz, per chapter folder (``00-welcome`` ... ``05-conclusion``; a chapter's pages
are one quiz), each in its own folder so that they cannot be mixed up:

- ``practice/``: the chapters' self-check questions (``assets/quizzes/*.yml``), which the book shows
  with their answers, and the instructor guide's discussion questions
  (``assets/instructor/quizzes/instructor-*.yml``), which the class answers aloud. **Never grade these:**
  students have seen them answered. The right answer is shown after submission and the book's
  explanation is the general feedback.
- ``graded/``: only the **held-out** questions (``assets/instructor/quizzes/held-out-<chapter>.yml``),
  written from the chapter pages but shown on no page of the book (the ``{quiz}`` directive refuses
  them; the student edition leaves out ``assets/instructor/``). Nothing in these files reveals the
  answer to the student: no feedback text at all, and in QTI the quiz is set not to show the correct
  answers (``Show correct answers: false``, which text2qti writes in ``assessment_meta.xml`` as
  ``<show_correct_answers>false</show_correct_answers>`` and ``<hide_results>always</hide_results>``).
  The explanations go to ``graded/answer-key.md``, for the instructor, to publish after the quiz has
  closed if wanted.

In each folder:

- ``qti/<chapter>.zip``: a QTI 1.2 package made by text2qti (Canvas: *Settings > Import course
  content > QTI .zip file*; other platforms that read QTI 1.2 import it too);
- ``moodle/<chapter>.xml``: Moodle XML, one category per chapter (Moodle: *Question bank > Import >
  Moodle XML format*), under ``Practice (answers shown)`` or ``Graded (held out)``;
- ``moodle/all.xml``: every chapter in one file, each in its category;

and ``_build/quizzes/README.txt`` says which is which.

**Shuffling** is on everywhere: text2qti's ``Shuffle answers: true`` (Canvas reads it from
``assessment_meta.xml``), plus ``<render_choice shuffle="Yes">`` on every item, the QTI 1.2 attribute
that text2qti does not write and this script adds, for the other platforms; Moodle:
``<shuffleanswers>1</shuffleanswers>`` (the quiz's own *Shuffle within questions* must stay on, its
default).

**Moodle's review options are a setting of the quiz, not of the questions**, so an import cannot set
them. For a graded quiz made from ``graded/moodle/*.xml``, set *Review options*: under *Immediately
after the attempt* and *Later, while the quiz is still open*, untick *Right answer*, *Whether correct*,
*Specific feedback* and *General feedback* (tick them under *After the quiz is closed* if you want
students to see them then). The instructor guide's quiz section says the same.

Each question keeps its id from the bank (``01-plasticity-2``, ``held-out-01-plasticity-3``: the QTI
item's title, the Moodle question's name), its options in the bank's order (shuffled by the
platform), the right one marked (QTI: the response condition scoring 100; Moodle: ``fraction="100"``).

The bank's text is MyST; the exports get plain Markdown/HTML: a citation ``{cite}`kral2022``` becomes
"(Kral et al., 2022)", ``{cite:t}`kral2022``` "Kral et al. (2022)" (author-year, from
``assets/references.bib``, as the book shows them), other roles their text.
"""

from __future__ import annotations

import argparse
import re
import shutil
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
PRACTICE, GRADED = "practice", "graded"
KIND_TITLES = {PRACTICE: "practice (answers shown, not for grading)", GRADED: "graded quiz"}
KIND_CATEGORIES = {PRACTICE: "Practice (answers shown)", GRADED: "Graded (held out)"}
DESCRIPTIONS = {
    PRACTICE: "Practice questions of the chapter {chapter}: the book's self-checks, which students have seen "
              "answered. The answers and explanations are shown after submission. Not for grading.",
    GRADED: "Graded quiz of the chapter {chapter}: questions that the book does not show. The correct answers "
            "are not shown after submission.",
}
README = """Quiz exports of Psychotherapy and the Brain (make quizzes; scripts/quizzes.py says more).

practice/  the book's self-check questions (and the instructor guide's discussion questions).
           Students have seen them with their answers: for practice only, NEVER for a grade.
           Answers and explanations are shown after submission.
graded/    held-out questions that the book never shows: for graded quizzes.
           No answers or explanations in the files; QTI: correct answers not shown.
           Moodle: set the quiz's Review options yourself (untick Right answer, Whether correct,
           feedback, until the quiz closes). answer-key.md is for you: do not upload it.

In each: qti/<chapter>.zip (Canvas: Settings > Import course content > QTI .zip file),
moodle/<chapter>.xml and moodle/all.xml (Moodle: Question bank > Import > Moodle XML format).
"""


def _kind(kind: str) -> str:
    if kind not in (PRACTICE, GRADED):
        raise ValueError(f"unknown kind of quiz {kind!r}; valid: {PRACTICE!r}, {GRADED!r}")
    return kind


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


def text2qti_source(chapter: str, quizzes: list[Quiz], kind: str = PRACTICE) -> str:
    """The chapter's questions in text2qti's plain-text quiz format, as a ``practice`` or a ``graded`` quiz."""
    graded = _kind(kind) == GRADED
    title = CHAPTER_TITLES.get(chapter, chapter)
    lines = [f"Quiz title: {TITLE}: {title}: {KIND_TITLES[kind]}",
             f"Quiz description: {DESCRIPTIONS[kind].format(chapter=title)}",
             "Shuffle answers: true", f"Show correct answers: {'false' if graded else 'true'}", ""]
    number = 0
    for quiz in quizzes:
        for q in quiz.questions:
            number += 1
            lines += [f"Title: {q.id}", "Points: 1", f"{number}.  {_one_line(q.question)}"]
            if not graded:  # the explanation names the answer: practice only
                lines.append(f"... {_one_line(q.explanation)}")
            for i, option in enumerate(q.options):
                marker = f"*{LETTERS[i]})" if i == q.answer else f"{LETTERS[i]}) "
                lines.append(f"{marker} {_one_line(option)}")
            lines.append("")
    return "\n".join(lines)


def write_qti(chapter: str, quizzes: list[Quiz], path: Path, kind: str = PRACTICE) -> Path:
    """One QTI 1.2 zip for the chapter, made by text2qti, with every item's choices shuffled."""
    from text2qti.config import Config
    from text2qti.qti import QTI
    from text2qti.quiz import Quiz as T2QQuiz

    source = text2qti_source(chapter, quizzes, kind)
    # Config() holds text2qti's defaults; Config.load() would read (and create) ~/.text2qti.bespon
    quiz = T2QQuiz(source, config=Config(), source_name=f"{chapter} {kind} quiz")
    qti = QTI(quiz)
    # text2qti sets shuffling for Canvas only (assessment_meta.xml); QTI 1.2's own switch is on render_choice
    qti.assessment = qti.assessment.replace("<render_choice>", '<render_choice shuffle="Yes">')
    path.parent.mkdir(parents=True, exist_ok=True)
    qti.save(path)
    return path


# ----------------------------------------------------------------------------------------------
# Moodle XML
# ----------------------------------------------------------------------------------------------
def _text(parent: ET.Element, tag: str, value: str, fmt: str | None = "html", **attrs) -> ET.Element:
    node = ET.SubElement(parent, tag, {**({"format": fmt} if fmt else {}), **attrs})
    ET.SubElement(node, "text").text = value
    return node


def _moodle_question(root: ET.Element, q: Question, kind: str) -> None:
    node = ET.SubElement(root, "question", {"type": "multichoice"})
    _text(node, "name", q.id, fmt=None)
    _text(node, "questiontext", html(q.question))
    # practice: the explanation (which names the answer by its text, not its letter: the options are shuffled)
    _text(node, "generalfeedback", "" if kind == GRADED else html(q.explanation))
    for tag, value in (("defaultgrade", "1"), ("penalty", "0"), ("hidden", "0"), ("single", "true"),
                       ("shuffleanswers", "1"), ("answernumbering", "abc")):
        ET.SubElement(node, tag).text = value
    for i, option in enumerate(q.options):
        _text(node, "answer", html(option), fraction="100" if i == q.answer else "0")


def moodle_xml(groups: dict[str, list[Quiz]], kind: str = PRACTICE) -> bytes:
    """Moodle XML of the chapters in ``groups``, one question category per chapter, under the ``kind``'s own."""
    kind = _kind(kind)
    root = ET.Element("quiz")
    for chapter, quizzes in groups.items():
        category = ET.SubElement(root, "question", {"type": "category"})
        _text(category, "category",
              f"$course$/top/{TITLE}/{KIND_CATEGORIES[kind]}/{CHAPTER_TITLES.get(chapter, chapter)}", fmt=None)
        for quiz in quizzes:
            for q in quiz.questions:
                _moodle_question(root, q, kind)
    ET.indent(root)
    return ET.tostring(root, encoding="utf-8", xml_declaration=True)


# ----------------------------------------------------------------------------------------------
def by_chapter(bank: dict[str, Quiz]) -> dict[str, list[Quiz]]:
    groups: dict[str, list[Quiz]] = {}
    for quiz in bank.values():
        groups.setdefault(quiz.chapter, []).append(quiz)
    return dict(sorted(groups.items()))


def kinds(bank: dict[str, Quiz]) -> dict[str, dict[str, list[Quiz]]]:
    """``{"practice": chapters of the shown quizzes, "graded": chapters of the held-out ones}``."""
    return {PRACTICE: by_chapter({n: q for n, q in bank.items() if not q.held_out}),
            GRADED: by_chapter({n: q for n, q in bank.items() if q.held_out})}


def answer_key(groups: dict[str, list[Quiz]]) -> str:
    """The graded quizzes' answers and explanations, as Markdown, for the instructor."""
    lines = ["# Graded quizzes: answer key (for the instructor; do not upload)", "",
             "The options are shuffled for each student, so the answer is given by its text. Publish this only",
             "after the quiz has closed, if at all: the same questions may be reused next term.", ""]
    for chapter, quizzes in groups.items():
        lines += [f"## {CHAPTER_TITLES.get(chapter, chapter)}", ""]
        for quiz in quizzes:
            for q in quiz.questions:
                lines += [f"**{q.id}.** {plain(q.question)}", "", f"- Answer: {plain(q.options[q.answer])}",
                          f"- Why: {plain(q.explanation)}", ""]
    return "\n".join(lines)


def export(out: Path, bank: dict[str, Quiz] | None = None) -> list[Path]:
    """Write every export into ``out`` (``practice/`` and ``graded/``); returns the files written."""
    written = []
    out.mkdir(parents=True, exist_ok=True)
    # stale files must not be mistaken for this export: the folders it writes, and the old layout's (qti/, moodle/)
    for old in (PRACTICE, GRADED, "qti", "moodle"):
        shutil.rmtree(out / old, ignore_errors=True)
    (out / "README.txt").write_text(README, encoding="utf-8")
    written.append(out / "README.txt")
    for kind, groups in kinds(load_bank() if bank is None else bank).items():
        folder = out / kind
        for chapter, quizzes in groups.items():
            written.append(write_qti(chapter, quizzes, folder / "qti" / f"{chapter}.zip", kind))
            moodle = folder / "moodle" / f"{chapter}.xml"
            moodle.parent.mkdir(parents=True, exist_ok=True)
            moodle.write_bytes(moodle_xml({chapter: quizzes}, kind))
            written.append(moodle)
        if groups:
            everything = folder / "moodle" / "all.xml"
            everything.write_bytes(moodle_xml(groups, kind))
            written.append(everything)
        if kind == GRADED and groups:
            key = folder / "answer-key.md"
            key.write_text(answer_key(groups), encoding="utf-8")
            written.append(key)
    return written


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "quizzes")
    args = parser.parse_args(argv)
    bank = load_bank()
    written = export(args.out, bank)
    for path in written:
        print(f"quizzes: {path.relative_to(args.out.parent) if path.is_relative_to(args.out.parent) else path}")
    for kind, groups in kinds(bank).items():
        count = sum(len(quiz.questions) for quizzes in groups.values() for quiz in quizzes)
        files = sum(len(quizzes) for quizzes in groups.values())
        print(f"quizzes: {kind}: {count} questions from {files} files in {len(groups)} chapters")
    return 0


if __name__ == "__main__":
    sys.exit(main())
