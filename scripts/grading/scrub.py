"""Messages a student reads, in the student's terms: no traceback, no path of the grading machine.

An error's message can carry where it happened on the machine that ran it: a library's file under
``site-packages``, the grader's own folders (``/work/...``), a temporary folder (``/tmp/tb-grade-...``), the
sandbox's home. ``scrub`` keeps what failed and drops where: a traceback becomes its last line, a library's
path becomes the module's own (``pandas/core/frame.py``), a file in the student's folder its name there, and
any other absolute path just its file name.

Example:

>>> scrub('Traceback (most recent call last):\\n  File "/work/main/x.py", line 3, in <module>\\n'
...       "FileNotFoundError: [Errno 2] No such file or directory: '/tmp/tb-grade-x1/home/data.csv'")
"FileNotFoundError: [Errno 2] No such file or directory: '…/data.csv'"
"""

from __future__ import annotations

import re

_ANSI = re.compile(r"\x1b\[[0-9;]*[A-Za-z]")
_PATH = re.compile(r"(?<![\w.:/~-])/(?:[^\s'\"(),:;<>\[\]{}]+/)*[^\s'\"(),:;<>\[\]{}]*")
_LIBRARY = re.compile(r"/(?:site|dist)-packages/(.+)$")
_STDLIB = re.compile(r"/lib/python\d+(?:\.\d+)?/(.+)$")
_HOME = "/home/student/"


def _path(match: re.Match) -> str:
    path = match.group(0)
    if path.count("/") < 2 or len(path) < 3:   # "/", "a/b" fractions, "/s": not a machine's path
        return path
    for pattern in (_LIBRARY, _STDLIB):
        found = pattern.search(path)
        if found:
            return found.group(1)
    if path.startswith(_HOME):
        return path[len(_HOME):] or "your folder"
    if path.startswith("/grader/"):
        return "the grader"
    name = path.rstrip("/").rsplit("/", 1)[-1]
    return f"…/{name}" if name else "…"


def scrub(text: str) -> str:
    """``text`` without tracebacks, terminal colours and the machine's paths (see the module's docstring).

    >>> scrub("ValueError: bad value (/work/main/.venv/lib/python3.12/site-packages/numpy/core/fromnumeric.py)")
    'ValueError: bad value (numpy/core/fromnumeric.py)'
    >>> scrub("a ratio of 1/2 and km/h stays; so does /")
    'a ratio of 1/2 and km/h stays; so does /'
    """
    text = _ANSI.sub("", str(text))
    if "Traceback (most recent call last)" in text or re.search(r'(?m)^\s*File "[^"]+", line \d+', text):
        lines = [line for line in text.splitlines() if line.strip()]
        text = lines[-1].strip() if lines else ""
    return _PATH.sub(_path, text)
