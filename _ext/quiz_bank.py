"""The course's quiz bank: every self-check question, once, in ``assets/quizzes/*.yml``.

One YAML file per page that shows a quiz (``01-plasticity.yml`` for ``chapters/01-plasticity/index``)::

    chapter: 01-plasticity            # the chapter folder: the exports group the questions by it
    page: chapters/01-plasticity/index
    questions:
      - question: What did Kandel (1998) argue about psychotherapy?   # MyST (roles, *emphasis*)
        options: [That it works only with medication., "That, insofar as ...", ...]
        answer: b                     # the letter of the right option
        explanation: Kandel's framework makes a conditional argument ...   # MyST, shown after a check

The page renders the file with the ``{quiz}`` directive (``_ext/quizzes.py``); ``make quizzes``
(``scripts/quizzes.py``) exports the same questions to QTI (Canvas) and Moodle XML. Each question's
id is ``<file>-<number>`` (``01-plasticity-2``): the exports and the page's anchors use it.

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
BANK = ROOT / "assets" / "quizzes"
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
    return Quiz(name=path.stem, chapter=str(data["chapter"]), page=str(data["page"]), questions=tuple(questions),
                path=path)


def load_bank(folder: Path = BANK) -> dict[str, Quiz]:
    """Every quiz of the bank by name (the file's stem), in file-name order (chapter order)."""
    return {path.stem: load_quiz(path) for path in sorted(Path(folder).glob("*.yml"))}


def quiz_path(name: str, folder: Path = BANK) -> Path:
    """The file of the quiz ``name``; a clear error naming the valid quizzes when there is none."""
    path = Path(folder) / f"{name}.yml"
    if not path.is_file():
        valid = ", ".join(sorted(p.stem for p in Path(folder).glob("*.yml")))
        raise QuizBankError(f"no quiz {name!r} in {folder}; valid quizzes: {valid}")
    return path
