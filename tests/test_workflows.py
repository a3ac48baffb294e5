"""The GitHub workflows (which cannot run here; `make lint` checks them against GitHub's schema) test what
the Makefile supports: every Python 3.11-3.14 on pull requests, Binder's version (runtime.txt) for the site."""

import re
import shutil
import subprocess

import pytest
import yaml

from conftest import ROOT

WORKFLOWS = ROOT / ".github" / "workflows"


def _supported() -> list[str]:
    """The versions scripts/find-python.sh accepts (the Makefile's default Python)."""
    match = re.search(r'^SUPPORTED="([^"]+)"', (ROOT / "scripts" / "find-python.sh").read_text(), re.M)
    return sorted(match.group(1).split())


def _steps(workflow: str, job: str) -> list[dict]:
    return yaml.safe_load((WORKFLOWS / workflow).read_text())["jobs"][job]["steps"]


def _makefile_accepts(version: tuple[int, int]) -> bool:
    """Whether the Makefile's SUPPORTED test passes for a Python of this version."""
    from types import SimpleNamespace

    expression = re.search(r"^SUPPORTED := (.+)$", (ROOT / "Makefile").read_text(), re.M).group(1)
    return eval(expression, {"sys": SimpleNamespace(version_info=(*version, 0, "final", 0))})


def test_the_makefile_and_find_python_agree():
    assert _supported() == ["3.11", "3.12", "3.13", "3.14"]
    accepted = [f"3.{minor}" for minor in range(8, 20) if _makefile_accepts((3, minor))]
    assert accepted == _supported()
    assert not _makefile_accepts((3, 15))  # refused, with a message naming the supported versions:
    refusal = (ROOT / "Makefile").read_text()
    assert "Python 3.11, 3.12, 3.13 or 3.14 is required" in refusal and "PYTHON=/path/to/python3.14" in refusal


def test_pull_requests_run_the_suite_on_every_supported_python():
    job = yaml.safe_load((WORKFLOWS / "pr.yml").read_text())["jobs"]["test"]
    assert sorted(job["strategy"]["matrix"]["python-version"]) == _supported()
    assert not job["strategy"]["fail-fast"]  # one version's failure does not hide the others'
    runs = [step["run"] for step in job["steps"] if "run" in step]
    assert runs[-1] == "make test PYTHON=python${{ matrix.python-version }}"
    assert all("make" not in run for run in runs[:-1])   # before it: only the runner's settings
    assert job["env"]["REQUIRE_BROWSER"] == "1" and job["env"]["REQUIRE_SANDBOX"] == "1"


def test_the_site_is_built_with_binders_python():
    runtime = (ROOT / "runtime.txt").read_text().strip()
    assert re.fullmatch(r"python-3\.\d+", runtime) and runtime.removeprefix("python-") in _supported()
    steps = _steps("deploy.yml", "build")
    read = next(step for step in steps if step.get("id") == "runtime")
    version = subprocess.run(["bash", "-c", read["run"].replace('>> "$GITHUB_OUTPUT"', "")],
                             capture_output=True, text=True, cwd=ROOT, check=True).stdout.strip()
    assert version == f"python={runtime.removeprefix('python-')}"
    setup = next(step for step in steps if step.get("uses", "").startswith("actions/setup-python"))
    assert setup["with"]["python-version"] == "${{ steps.runtime.outputs.python }}"
    assert "make test PYTHON=python${{ steps.runtime.outputs.python }}" in [s.get("run") for s in steps]


def _fake_python(folder, name: str, version: str | None) -> None:
    """An executable NAME that answers like Python VERSION (None: a pyenv shim that does not run)."""
    path = folder / name
    path.write_text(f"#!/bin/sh\necho {version}\n" if version else "#!/bin/sh\necho 'not selected' >&2\nexit 127\n")
    path.chmod(0o755)


@pytest.mark.parametrize(("pythons", "chosen"), [
    ({"python3.11": "3.11", "python3.12": "3.12", "python3": "3.11"}, "python3.12"),
    ({"python3.13": None, "python3.12": "3.12", "python3.11": "3.11"}, "python3.12"),  # a shim that does not run
    ({"python3": "3.13"}, "python3"),
    ({"python3.14": "3.14", "python3.13": "3.13", "python3": "3.11"}, "python3.14"),
    ({"python3": "3.15", "python3.11": "3.11"}, "python3.11"),  # not yet supported: not chosen
])
def test_find_python_chooses_the_newest_supported(tmp_path, pythons, chosen):
    for name, version in pythons.items():
        _fake_python(tmp_path, name, version)
    result = subprocess.run([shutil.which("bash"), str(ROOT / "scripts" / "find-python.sh")],
                            capture_output=True, text=True, env={"PATH": str(tmp_path)})
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == str(tmp_path / chosen)


def test_find_python_says_what_it_found_when_none_is_supported(tmp_path):
    _fake_python(tmp_path, "python3", "3.10")
    result = subprocess.run([shutil.which("bash"), str(ROOT / "scripts" / "find-python.sh")],
                            capture_output=True, text=True, env={"PATH": str(tmp_path)})
    assert result.returncode == 1 and not result.stdout
    assert "no Python 3.14, 3.13, 3.12, 3.11 found (found: python3=3.10)" in result.stderr
    assert "PYTHON=" in result.stderr
