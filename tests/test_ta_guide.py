"""The TA guide's ten errors are real: each example, run as a student would, ends with the message the page shows."""

import re
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import ROOT

PAGE = ROOT / "chapters" / "instructor" / "ta-guide.md"
ENTRY = re.compile(r"### (\d+)\. ([^\n]+)\n\n```python\n(.*?)\n```\n\n```text\n(.*?)\n```", re.S)
ENTRIES = ENTRY.findall(PAGE.read_text(encoding="utf-8"))
# A fresh interpreter, as a student's kernel is: the package imported as `tb` (the notebooks' Setup cell),
# except for the errors of a kernel that never ran it (NameError) or of a Python without the package.
PRELUDE = "import matplotlib\nmatplotlib.use('Agg')\nimport therapybrain as tb\n"


def test_the_guide_has_ten_numbered_errors():
    assert [int(n) for n, *_ in ENTRIES] == list(range(1, 11)), [e[:2] for e in ENTRIES]


def _base_python() -> str:
    """The interpreter the course's environment was made from: it has not the course's package."""
    for candidate in (Path(sys.base_prefix) / "bin" / "python3", Path(sys.base_prefix) / "bin" / "python"):
        if candidate.is_file():
            return str(candidate)
    pytest.skip("no base interpreter beside the virtual environment")


@pytest.mark.parametrize("number, title, code, message", ENTRIES, ids=[e[1] for e in ENTRIES])
def test_each_error_is_what_the_code_prints(number, title, code, message, tmp_path):
    if message.startswith("ModuleNotFoundError"):
        command = [_base_python(), "-I", "-c", code]
    elif message.startswith("NameError"):
        command = [sys.executable, "-c", code]
    else:
        command = [sys.executable, "-c", PRELUDE + code]
    result = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path, timeout=300)
    assert result.returncode != 0, f"{title}: the example ran without an error"
    last = result.stderr.strip().splitlines()[-1]
    shown = message.removesuffix("...").rstrip()
    assert last.startswith(shown), f"{title}:\n  page:  {message}\n  code:  {last}"
