"""The answer checks of a student lab notebook, found whatever the notebook's file is called.

The student edition's labs check answers with otter-grader's ``grader.check("question")``; otter reads a
question's public tests from the notebook file's metadata, so it must know which file the notebook is.
A second download is called ``hebbian-lab (1).ipynb``, an LMS renames uploads, a student saves a copy
under their own name: :func:`load_checks` finds the lab's notebook by what it holds (its otter metadata
names the lab), not by its name.

Where the notebook's file cannot be read (Colab opens a notebook without its file; a notebook moved away
from its folder), the checks are a stand-in whose ``check`` says so in one line instead of failing: the
lab still runs, and the instructor's grading runs the checks on the handed-in notebook.

Example
-------
>>> import json, os, tempfile
>>> folder = tempfile.mkdtemp()
>>> nb = {"cells": [], "metadata": {"otter": {"assignment_name": "demo-lab", "tests": {}}},
...       "nbformat": 4, "nbformat_minor": 5}
>>> with open(os.path.join(folder, "demo-lab (1).ipynb"), "w") as f:
...     json.dump(nb, f)
>>> os.path.basename(find_notebook("demo-lab", folder))
'demo-lab (1).ipynb'
>>> find_notebook("other-lab", folder) is None
True
"""

from __future__ import annotations

import json
import os
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

__all__ = ["find_notebook", "load_checks", "MissingChecks"]


def _lab_of(path: Path) -> str | None:
    """The lab a notebook file is for (its ``metadata.otter.assignment_name``); None when unreadable."""
    try:
        with path.open(encoding="utf-8") as f:
            meta = json.load(f).get("metadata", {})
    except (OSError, ValueError, AttributeError):
        return None
    otter = meta.get("otter") if isinstance(meta, dict) else None
    name = otter.get("assignment_name") if isinstance(otter, dict) else None
    return name if isinstance(name, str) else None


def find_notebook(lab: str, folder: str | Path = ".") -> str | None:
    """The path of ``lab``'s student notebook: the running notebook's own file when Jupyter names it,
    else the most recently saved notebook of ``folder`` whose metadata names the lab; None if none does.

    Parameters
    ----------
    lab : str
        The lab's name, as its notebook's otter metadata gives it (``"hebbian-lab"``).
    folder : str or Path, optional
        Where to look (default: the working directory, where Jupyter starts a notebook's kernel).

    Returns
    -------
    str or None
        The notebook's path, or None when no notebook there is this lab's.

    Examples
    --------
    >>> find_notebook("hebbian-lab", "/nonexistent") is None
    True
    """
    folder = Path(folder)
    candidates: list[Path] = []
    session = os.environ.get("JPY_SESSION_NAME", "")   # Jupyter Server names the kernel's notebook here
    if session.endswith(".ipynb"):
        candidates.append(Path(session) if Path(session).is_absolute() else folder / Path(session).name)
    try:
        here = [p for p in folder.glob("*.ipynb") if p.is_file()]
    except OSError:
        here = []
    candidates += sorted(here, key=lambda p: p.stat().st_mtime, reverse=True)
    for path in candidates:
        if path.is_file() and _lab_of(path) == lab:
            return str(path)
    return None


@dataclass
class MissingChecks:
    """A stand-in for ``grader`` where the lab's checks cannot be loaded; ``check`` says why, once a call.

    Examples
    --------
    >>> MissingChecks("hebbian-lab", "not found").check("q1")
    q1 is not checked here (not found): answer it and hand in the notebook; your instructor's grading checks it.
    """

    lab: str
    reason: str

    def check(self, question: str, global_env: Any = None) -> None:
        """Print why ``question`` is not checked here."""
        print(f"{question} is not checked here ({self.reason}): answer it and hand in the notebook; "
              "your instructor's grading checks it.")


def load_checks(lab: str, folder: str | Path = ".") -> Any:
    """The lab's checks: otter-grader's ``Notebook`` for its notebook file, or a :class:`MissingChecks`.

    Parameters
    ----------
    lab : str
        The lab's name (``"hebbian-lab"``).
    folder : str or Path, optional
        The folder the notebook is in (default: the working directory).

    Returns
    -------
    otter.Notebook or MissingChecks
        Call ``.check("question")`` on it after answering.

    Examples
    --------
    >>> load_checks("hebbian-lab", "/nonexistent").reason
    "this lab's notebook file is not in /nonexistent"
    """
    if "google.colab" in sys.modules:
        return MissingChecks(lab, "Colab opens the notebook without its file, which holds the checks")
    path = find_notebook(lab, folder)
    if path is None:
        return MissingChecks(lab, f"this lab's notebook file is not in {Path(folder).resolve()}")
    try:
        import otter
    except ImportError:
        return MissingChecks(lab, "otter-grader is not installed: pip install otter-grader")
    return otter.Notebook(path)
