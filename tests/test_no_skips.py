"""tests/no_skips.py: with NO_SKIPS set a run with a skipped test fails, naming it; without it, it passes."""

import os
import subprocess
import sys
from pathlib import Path

import pytest

TESTS = Path(__file__).parent
SAMPLE = """
import pytest

def test_runs():
    pass

def test_cannot_run():
    pytest.skip("no browser here")
"""


@pytest.mark.parametrize("workers", [[], ["-n", "2"]], ids=["serial", "xdist"])
def test_a_skip_fails_the_run_only_with_no_skips(tmp_path, workers):
    (tmp_path / "test_sample.py").write_text(SAMPLE)
    command = [sys.executable, "-m", "pytest", "-p", "no_skips", "-p", "no:cacheprovider", "-q", *workers,
               "--rootdir", str(tmp_path), "-c", os.devnull, str(tmp_path / "test_sample.py")]
    base = {k: v for k, v in os.environ.items() if k != "NO_SKIPS"} | {"PYTHONPATH": str(TESTS)}
    strict = subprocess.run(command, env=base | {"NO_SKIPS": "1"}, capture_output=True, text=True, cwd=tmp_path)
    assert strict.returncode == pytest.ExitCode.TESTS_FAILED, strict.stdout[-2000:] + strict.stderr[-2000:]
    assert "test_sample.py::test_cannot_run: Skipped: no browser here" in strict.stdout, strict.stdout[-2000:]
    assert "1 passed, 1 skipped" in strict.stdout
    lenient = subprocess.run(command, env=base, capture_output=True, text=True, cwd=tmp_path)
    assert lenient.returncode == pytest.ExitCode.OK, lenient.stdout[-2000:]
