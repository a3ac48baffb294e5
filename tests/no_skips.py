"""A pytest plugin: with ``NO_SKIPS`` set, a run in which any test skipped fails, listing them.

``make test`` (on Linux) and ``.ci/run`` set it: there a test that cannot run (no browser, no sandbox, no
built site) is a failure, not a pass. tests/conftest.py registers these hooks; tests/test_no_skips.py runs
pytest on a skipping test with and without it. Under pytest-xdist the workers' reports are replayed on the
controller, so the controller sees every skip.

Example (a shell)::

    NO_SKIPS=1 python -m pytest -p no_skips test_something.py   # exit 1 if a test of it skipped
"""

from __future__ import annotations

import os

import pytest

_SKIPPED: list[str] = []


def pytest_runtest_logreport(report: pytest.TestReport) -> None:
    """Collects the skipped tests (an expected failure, xfail, is not a skip)."""
    if report.skipped and not hasattr(report, "wasxfail"):
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else str(report.longrepr)
        _SKIPPED.append(f"{report.nodeid}: {reason}")


def pytest_sessionfinish(session: pytest.Session, exitstatus: int) -> None:
    """Fails a run that would have passed with skips in it."""
    if os.environ.get("NO_SKIPS") and _SKIPPED and exitstatus == pytest.ExitCode.OK:
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


def pytest_terminal_summary(terminalreporter, exitstatus: int, config: pytest.Config) -> None:
    """Names the skipped tests and says why the run fails."""
    if os.environ.get("NO_SKIPS") and _SKIPPED:
        terminalreporter.section("NO_SKIPS is set: these tests skipped, so the run fails", sep="=", red=True)
        for line in _SKIPPED:
            terminalreporter.write_line(line)
