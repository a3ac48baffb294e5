"""A submitted notebook read as data in the grader's process: its cells named the student's way, its written answers.

Nothing here runs a cell. The file is parsed as JSON (size-capped) and only its text is read: what a student
finds in JupyterLab when a message names a cell (``cell_names``: "code cell 9, which starts ``x = ...``"), and
the answer under each question graded by hand (``written_answers``: the cells between the question's locked
cell and the next locked cell, otter's ``<!-- END QUESTION -->``), with blank answers flagged (``is_blank``).

Example:

>>> nb = {"cells": [
...     {"cell_type": "markdown", "source": "# Lab"},
...     {"cell_type": "code", "source": ["# Your answer:\\n", "x = 1 / 0"]},
...     {"cell_type": "markdown", "source": "<!-- BEGIN QUESTION -->\\n\\n**Question `why`** (2 points, read by ..."},
...     {"cell_type": "markdown", "source": "_Type your answer here, replacing this text._"},
...     {"cell_type": "markdown", "source": "<!-- END QUESTION -->"}]}
>>> cell_names(nb)[2]
'code cell 1 ("x = 1 / 0")'
>>> answer = written_answers(nb, ["why"])["why"]
>>> answer.blank, answer.text
(True, '_Type your answer here, replacing this text._')
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from pathlib import Path

#: A submission larger than this is not read (no lab notebook comes near it).
MAX_NOTEBOOK = 50_000_000
#: The text otter assign puts in a written answer's cell, for the student to replace.
PLACEHOLDER = "_Type your answer here, replacing this text._"
#: Characters of a cell's first line quoted in a message.
QUOTE = 50
#: Cells after a question read as its answer at most (when its closing cell is missing).
MAX_ANSWER_CELLS = 20
_END = "<!-- END QUESTION -->"
_BEGIN = "<!-- BEGIN QUESTION -->"
_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f]")


def read(path: Path) -> dict:
    """The notebook at ``path`` as JSON data (ValueError: too large, not JSON, not a notebook)."""
    if path.stat().st_size > MAX_NOTEBOOK:
        raise ValueError(f"{path.name} is larger than {MAX_NOTEBOOK // 1_000_000} MB: not a lab notebook")
    try:
        nb = json.loads(path.read_text(encoding="utf-8"))
    except (ValueError, UnicodeDecodeError, RecursionError) as error:
        raise ValueError(f"not a Jupyter notebook (a .ipynb file saved by Jupyter is expected): {path.name}") \
            from error
    if not isinstance(nb, dict) or not isinstance(nb.get("cells"), list):
        raise ValueError(f"not a Jupyter notebook (a .ipynb file saved by Jupyter is expected): {path.name}")
    return nb


def source(cell: object) -> str:
    """A cell's text (``""`` for anything that is not a cell with text)."""
    if not isinstance(cell, dict):
        return ""
    text = cell.get("source", "")
    if isinstance(text, list):
        return "".join(part for part in text if isinstance(part, str))
    return text if isinstance(text, str) else ""


def first_line(code: str) -> str:
    """The line of a cell a student recognises: its first line that is neither blank nor a comment, shortened.

    >>> first_line("# Your answer: replace ... with it\\nweekly_stable = float(table.loc['weekly', 'stable'])")
    "weekly_stable = float(table.loc['weekly', 'stable…"
    """
    lines = [line.strip() for line in code.splitlines() if line.strip()]
    line = next((x for x in lines if not x.startswith("#")), lines[0] if lines else "")
    line = _CONTROL.sub(" ", line).replace('"', "'")
    return line if len(line) <= QUOTE else line[:QUOTE - 1].rstrip() + "…"


def cell_names(nb: dict) -> dict[int, str]:
    """How to name each code cell to its student, by the runner's number (every cell counted from 1).

    JupyterLab numbers no cell, and a lab has many text cells between its code cells: a message names the
    code cell by its place among the code cells (the ``[ ]`` prompts down the left) and quotes its first line.

    >>> cell_names({"cells": [{"cell_type": "markdown", "source": "# Title"},
    ...                       {"cell_type": "code", "source": "\\n\\nwhile True:\\n    pass"}]})
    {2: 'code cell 1 ("while True:")'}
    """
    names, code = {}, 0
    for number, cell in enumerate(nb.get("cells", []), start=1):
        if isinstance(cell, dict) and cell.get("cell_type") == "code":
            code += 1
            line = first_line(source(cell))
            names[number] = f'code cell {code} ("{line}")' if line else f"code cell {code} (empty)"
    return names


def is_blank(text: str) -> bool:
    """Whether a written answer says nothing: empty, only whitespace, or the placeholder left as it was.

    >>> is_blank("  \\n"), is_blank(PLACEHOLDER), is_blank("Type your answer here, replacing this text."), is_blank("A")
    (True, True, True, False)
    """
    rest = text.replace(PLACEHOLDER, "").replace(PLACEHOLDER.strip("_"), "")
    return not re.sub(r"<!--.*?-->", "", rest, flags=re.S).strip()


@dataclass(frozen=True)
class WrittenAnswer:
    """A student's answer to one question graded by hand, as text (Markdown, and code cells' code fenced)."""

    question: str
    text: str = ""
    blank: bool = True
    found: bool = True     #: False: the notebook has no cell for this question (deleted, or another notebook)

    @property
    def why_blank(self) -> str:
        """Why it counts as blank, for the gradebook and the feedback ('' when it is not blank)."""
        if not self.blank:
            return ""
        if not self.found:
            return "its question's cell is not in the notebook"
        return "the placeholder was left as it was" if PLACEHOLDER.strip("_") in self.text else "nothing written"


def _question_cell(text: str, name: str) -> bool:
    return f"**Question `{name}`**" in text


def _locked(cell: dict) -> bool:
    metadata = cell.get("metadata") if isinstance(cell.get("metadata"), dict) else {}
    return metadata.get("deletable") is False and metadata.get("editable") is False


def written_answers(nb: dict, questions: list[str]) -> dict[str, WrittenAnswer]:
    """The answer under each question of ``questions`` (names of questions graded by hand).

    An answer is every cell after the question's own cell, up to the next cell that closes it (otter's
    ``<!-- END QUESTION -->``, another question, or a cell the student cannot edit): the placeholder cell,
    and any cell the student added there. Markdown is kept as typed; a code cell's code is fenced.
    """
    cells = [c for c in nb.get("cells", []) if isinstance(c, dict)]
    found: dict[str, WrittenAnswer] = {}
    for name in questions:
        at = next((i for i, c in enumerate(cells) if c.get("cell_type") == "markdown"
                   and _question_cell(source(c), name)), None)
        if at is None:
            found[name] = WrittenAnswer(name, found=False)
            continue
        parts = []
        for cell in cells[at + 1:at + 1 + MAX_ANSWER_CELLS]:
            text = source(cell)
            if (_END in text or _BEGIN in text or "**Question `" in text or _locked(cell)):
                break
            if cell.get("cell_type") == "code":
                if text.strip():
                    parts.append("```python\n" + text.strip("\n") + "\n```")
            else:
                parts.append(text.strip("\n"))
        text = "\n\n".join(p for p in parts if p.strip())
        found[name] = WrittenAnswer(name, text, is_blank(text))
    return found
