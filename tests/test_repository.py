"""The repository's address has one source of truth, _config.yml; every copy agrees (scripts/repository.py)."""

import shutil
import subprocess
import sys

import pytest
import yaml

from conftest import ROOT, notebooks
from scripts import repository


def test_every_copy_of_the_address_agrees_with_config():
    url = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]["url"]
    assert repository.configured() == url
    assert not repository.disagreeing(), "run `make set-repository URL=...` (or `make book`) to write them"


def test_every_notebook_and_document_holds_a_copy():
    files = {path for path, _ in repository.copies()}
    assert set(notebooks()) <= files  # every notebook's Colab cell installs from this repository
    for name in ("CITATION.cff", "CONTRIBUTING.md", "LICENSE-CONTENT.md", "chapters/00-welcome/how-to-use.md"):
        assert ROOT / name in files


@pytest.fixture
def book_copy(tmp_path):
    """The files that hold the address, copied into tmp_path."""
    shutil.copy2(ROOT / "_config.yml", tmp_path / "_config.yml")
    for path, _ in repository.copies():
        target = tmp_path / path.relative_to(ROOT)
        target.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(path, target)
    return tmp_path


def test_set_repository_writes_config_and_every_copy_and_nothing_else(book_copy):
    old = repository.configured()
    fork = "https://github.com/someone/their-fork"
    changed = repository.set_repository(fork + ".git/", book_copy)
    assert yaml.safe_load((book_copy / "_config.yml").read_text())["repository"]["url"] == fork
    assert {path for path, _ in repository.copies(book_copy)} | {book_copy / "_config.yml"} == set(changed)
    assert not repository.disagreeing(book_copy)
    for path in changed:  # only the address changed, byte for byte
        original = ROOT / path.relative_to(book_copy)
        assert path.read_text().replace(fork, old) == original.read_text(), path
    assert repository.set_repository(fork, book_copy) == []  # nothing left to write


def test_a_stale_copy_is_reported_and_the_build_step_rewrites_it(book_copy):
    notebook = next(p for p, _ in repository.copies(book_copy) if p.suffix == ".ipynb")
    old = repository.configured()
    notebook.write_text(notebook.read_text().replace(old, "https://github.com/someone/else"))
    check = [sys.executable, "-m", "scripts.repository", "--root", str(book_copy)]
    result = subprocess.run([*check, "--check"], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 1 and notebook.name in result.stderr and "someone/else" in result.stderr
    assert subprocess.run(check, capture_output=True, text=True, cwd=ROOT).returncode == 0  # what make book runs
    assert not repository.disagreeing(book_copy)


@pytest.mark.parametrize("bad", ["", "github.com/x/y", "https://github.com/x/y with space", "git@github.com:x/y"])
def test_only_a_web_address_is_accepted(bad):
    with pytest.raises(ValueError, match="not a web address"):
        repository.normalise(bad)
