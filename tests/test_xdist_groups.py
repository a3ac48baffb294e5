"""``make test`` runs the suite on two workers with ``--dist loadgroup``: the tests of one ``xdist_group`` (those
that write ``_build``, the class graded once, the Binder environment, JupyterLab) must run on one worker, one
after the other, sharing their module fixtures. pytest-xdist marks a group by renaming the test's node id, which
pytest 9 no longer reads: there every group was silently split (the class was graded twice, two workers built
the same Binder environment at once). This runs pytest on a small sample and holds that a group stays whole."""

import os
import subprocess
import sys

import pytest

SAMPLE = r"""
import os
import pytest

@pytest.mark.parametrize("n", range(6))
@pytest.mark.xdist_group("together")
def test_grouped(n):
    with open(os.path.join(os.path.dirname(__file__), "workers.txt"), "a") as f:
        f.write(os.environ["PYTEST_XDIST_WORKER"] + "\n")

@pytest.mark.parametrize("n", range(6))
def test_free(n):
    pass
"""


def test_an_xdist_group_runs_on_one_worker(tmp_path):
    (tmp_path / "test_sample.py").write_text(SAMPLE)
    command = [sys.executable, "-m", "pytest", "-n", "2", "--dist", "loadgroup", "-p", "no:cacheprovider", "-q",
               "--rootdir", str(tmp_path), "-c", os.devnull, str(tmp_path / "test_sample.py")]
    done = subprocess.run(command, capture_output=True, text=True, cwd=tmp_path)
    assert done.returncode == pytest.ExitCode.OK, done.stdout[-2000:] + done.stderr[-2000:]
    workers = (tmp_path / "workers.txt").read_text().split()
    assert len(workers) == 6, done.stdout[-2000:]
    assert len(set(workers)) == 1, f"the group ran on {sorted(set(workers))}"
