"""The course's quiz bank: every quiz question, once, in one YAML file per quiz, in two folders.

- ``assets/quizzes/<page>.yml``: the chapters' self-check quizzes, shown on the pages with their answers
  (students see them);
- ``assets/instructor/quizzes/``: what only instructors see (the student edition leaves out
  ``assets/instructor/``): ``instructor-ch<N>.yml``, the instructor guide's discussion questions (shown on
  ``chapters/instructor/ch<N>.md``), and ``held-out-<chapter>.yml``, the **held-out** questions of the
  graded quizzes, shown on no page and used only by ``make quizzes`` (their ``page`` is empty).

One YAML file per quiz (``01-plasticity.yml`` for ``chapters/01-plasticity/index``)::

    chapter: 01-plasticity            # the chapter folder: the exports group the questions by it
    page: chapters/01-plasticity/index
    questions:
      - question: What did Kandel (1998) argue about psychotherapy?   # MyST (roles, *emphasis*)
        options: [That it works only with medication., "That, insofar as ...", ...]
        answer: b                     # the letter of the right option
        explanation: Kandel's framework makes a conditional argument ...   # MyST, shown after a check

The page renders the file with the ``{quiz}`` directive (``_ext/quizzes.py``); ``make quizzes``
(``scripts/quizzes.py``) exports them to QTI (Canvas) and Moodle XML: the shown questions as practice
quizzes, the held-out ones as graded quizzes. Each question's id is ``<file>-<number>``
(``01-plasticity-2``, ``held-out-01-plasticity-3``): the exports and the page's anchors use it.

Standard library and PyYAML only: both the Sphinx extension and the export script import it.

Examples
--------
>>> bank = load_bank()
>>> bank["01-plasticity"].questions[0].id
'01-plasticity-1'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
BANK = ROOT / "assets" / "quizzes"                          # the self-checks (public)
INSTRUCTOR_BANK = ROOT / "assets" / "instructor" / "quizzes"  # instructor-*.yml and held-out-*.yml
FOLDERS = (BANK, INSTRUCTOR_BANK)
HELD_OUT = "held-out-"
LETTERS = "abcdef"
KEYS = {"question", "options", "answer", "explanation"}


class QuizBankError(ValueError):
    """A quiz file that does not follow the bank's format (the message names the file and question)."""


@dataclass(frozen=True)
class Question:
    """One multiple-choice question: MyST text, options, the index of the right one, the explanation."""

    id: str
    number: int
    question: str
    options: tuple[str, ...]
    answer: int
    explanation: str

    @property
    def letter(self) -> str:
        """The right option's letter (``"b"``)."""
        return LETTERS[self.answer]


@dataclass(frozen=True)
class Quiz:
    """The questions of one page (one file of the bank)."""

    name: str
    chapter: str
    page: str
    questions: tuple[Question, ...]
    path: Path

    @property
    def held_out(self) -> bool:
        """A held-out quiz: exported for graded quizzes only, shown on no page."""
        return self.name.startswith(HELD_OUT)


def load_quiz(path: Path) -> Quiz:
    """Read and check one file of the bank.

    Raises
    ------
    QuizBankError
        When a key is missing or unknown, an option list is too short, or the answer is not one of the
        options' letters.
    """
    path = Path(path)
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8"))
    except yaml.YAMLError as why:
        raise QuizBankError(f"{path.name}: not valid YAML ({why})") from None
    if not isinstance(data, dict) or not {"chapter", "page", "questions"} <= set(data):
        raise QuizBankError(f"{path.name}: needs the keys chapter, page and questions")
    questions = []
    for number, item in enumerate(data["questions"] or [], start=1):
        where = f"{path.name}, question {number}"
        if not isinstance(item, dict) or set(item) != KEYS:
            found = sorted(item) if isinstance(item, dict) else type(item).__name__
            raise QuizBankError(f"{where}: needs exactly the keys {sorted(KEYS)}, has {found}")
        options = item["options"]
        if not isinstance(options, list) or not 2 <= len(options) <= len(LETTERS):
            raise QuizBankError(f"{where}: options must be a list of 2 to {len(LETTERS)} texts")
        valid = LETTERS[: len(options)]
        letter = str(item["answer"]).strip().lower()
        if len(letter) != 1 or letter not in valid:
            raise QuizBankError(f"{where}: answer {item['answer']!r} is not one of {', '.join(valid)}")
        texts = [str(item["question"]), *map(str, options), str(item["explanation"])]
        if not all(t.strip() for t in texts):
            raise QuizBankError(f"{where}: an empty question, option or explanation")
        if len(set(map(str, options))) != len(options):
            raise QuizBankError(f"{where}: two options are the same")
        questions.append(Question(id=f"{path.stem}-{number}", number=number, question=str(item["question"]).strip(),
                                  options=tuple(str(o).strip() for o in options), answer=valid.index(letter),
                                  explanation=str(item["explanation"]).strip()))
    if not questions:
        raise QuizBankError(f"{path.name}: no questions")
    if not re.fullmatch(r"0\d-[\w-]+", str(data["chapter"])):
        raise QuizBankError(f"{path.name}: chapter {data['chapter']!r} is not a chapter folder such as 01-plasticity")
    page = str(data["page"] or "").strip()
    if path.stem.startswith(HELD_OUT) and page:
        raise QuizBankError(f"{path.name}: a held-out quiz is shown on no page; its page must be empty, not {page!r}")
    if not path.stem.startswith(HELD_OUT) and not page:
        raise QuizBankError(f"{path.name}: needs the page that shows it (only held-out-*.yml have none)")
    return Quiz(name=path.stem, chapter=str(data["chapter"]), page=page, questions=tuple(questions), path=path)


def _files(folders) -> list[Path]:
    if isinstance(folders, (str, Path)):
        folders = (folders,)
    files = [path for folder in folders for path in Path(folder).glob("*.yml")]
    seen: dict[str, Path] = {}
    for path in files:
        if path.stem in seen:
            raise QuizBankError(f"two quizzes named {path.stem!r}: {seen[path.stem]} and {path}")
        seen[path.stem] = path
    return sorted(files, key=lambda p: p.stem)


def load_bank(folders: Path | tuple[Path, ...] = FOLDERS) -> dict[str, Quiz]:
    """Every quiz of the bank (both folders) by name (the file's stem), in file-name order.

    ``quiz.held_out`` tells the graded quizzes' questions from the shown ones.
    """
    return {path.stem: load_quiz(path) for path in _files(folders)}


def quiz_path(name: str, folders: Path | tuple[Path, ...] = FOLDERS) -> Path:
    """The file of the shown quiz ``name``; a clear error naming the valid quizzes when there is none.

    A held-out quiz is refused: its questions must never be shown on a page.
    """
    files = _files(folders)
    if name.startswith(HELD_OUT):
        raise QuizBankError(f"{name!r} is held out for the graded quizzes (make quizzes): no page may show it")
    for path in files:
        if path.stem == name:
            return path
    valid = ", ".join(p.stem for p in files if not p.stem.startswith(HELD_OUT))
    raise QuizBankError(f"no quiz {name!r} in the bank; valid quizzes: {valid}")
