"""scripts/check_wheels.py (run by `make lint`, against the package index): its reading of the
requirements files and of pip's report, offline."""

import pytest

from conftest import ROOT
from scripts import check_wheels as cw


def _write(folder, name, text):
    (folder / name).write_text(text, encoding="utf-8")
    return folder / name


def test_pins_follow_includes_and_skip_the_editable_package(tmp_path):
    _write(tmp_path, "base.txt",
           "# what the notebooks need\nnilearn==0.14.1\n\n-e .\nscikit_image[data]==0.26.0  # x\n")
    dev = _write(tmp_path, "dev.txt", "-r base.txt\npytest==9.2.0   # tests\nfoo==1.0; python_version < '3.13'\n")
    pins = cw.read_pins(dev)
    assert [(p.name, p.version, p.source) for p in pins] == [
        ("nilearn", "0.14.1", "base.txt:2"), ("scikit_image", "0.26.0", "base.txt:5"),
        ("pytest", "9.2.0", "dev.txt:2"), ("foo", "1.0", "dev.txt:3")]
    assert pins[1].key == "scikit-image" and pins[3].line == "foo==1.0; python_version < '3.13'"


@pytest.mark.parametrize(("line", "message"), [
    ("numpy>=2", "is not pinned"),
    ("numpy", "is not pinned"),
    ("--index-url https://example.org/simple", "this option would change what pip installs"),
    ("-c constraints.txt", "this option would change what pip installs"),
])
def test_anything_but_a_pin_is_refused_with_its_line(tmp_path, line, message):
    path = _write(tmp_path, "requirements.txt", f"nibabel==5.4.2\n{line}\n")
    with pytest.raises(ValueError, match=message) as error:
        cw.read_pins(path)
    assert "requirements.txt:2" in str(error.value)


def test_a_package_pinned_twice_differently_is_an_error():
    a = cw.Pin("numpy", "2.4.6", "numpy==2.4.6", "requirements.txt:4")
    b = cw.Pin("NumPy", "2.4.5", "NumPy==2.4.5", "requirements-dev.txt:9")
    with pytest.raises(ValueError, match="requirements.txt:4 pins numpy==2.4.6 but requirements-dev.txt:9"):
        cw.unique_pins([a, b])


def _wheel(name, version, url=None):
    return {"metadata": {"name": name, "version": version},
            "download_info": {"url": url or f"https://files.example/{name}-{version}-py3-none-any.whl"}}


def test_the_report_check_finds_a_missing_pin_a_wrong_version_and_a_source_archive():
    pins = [cw.Pin("numpy", "2.4.6", "numpy==2.4.6", "r:1"), cw.Pin("jupyter_book", "1.0.4.post1",
                                                                    "jupyter_book==1.0.4.post1", "r:2")]
    assert cw.check_report(pins, {"install": [_wheel("numpy", "2.4.6"), _wheel("jupyter-book", "1.0.4.post1")]}) == []
    problems = cw.check_report(pins, {"install": [_wheel("numpy", "2.4.5"),
                                                  _wheel("six", "1.17", "https://files.example/six-1.17.tar.gz")]})
    assert problems == ["six 1.17 is not a wheel: https://files.example/six-1.17.tar.gz",
                        "r:1: numpy==2.4.6 resolved to 2.4.5",
                        "r:2: jupyter_book==1.0.4.post1 is not in the resolution"]


def test_the_repositorys_requirements_are_all_pins_and_every_supported_python_is_checked():
    pins = cw.unique_pins([p for path in cw.REQUIREMENTS for p in cw.read_pins(path)])
    names = {p.key for p in pins}
    assert {"nilearn", "jupyterlab", "jupyter-book", "pytest", "check-jsonschema"} <= names
    written = [line for path in cw.REQUIREMENTS for line in path.read_text().splitlines()
               if line.strip() and not line.startswith(("#", "-e", "-r"))]
    assert len(pins) == len(written)  # every requirement line is a checked pin
    assert cw.supported_versions() == ["3.11", "3.12", "3.13", "3.14"]
    command = cw.pip_command("3.14", ROOT / "pins.txt", ROOT / "t", ROOT / "r.json")
    assert {"--dry-run", "--ignore-installed", "--target"} <= set(command) and "--no-deps" not in command
    assert command[command.index("--only-binary") + 1] == ":all:"


def test_the_cache_is_per_version_and_per_set_of_pins(tmp_path, monkeypatch):
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path))
    pins = [cw.Pin("numpy", "2.4.6", "numpy==2.4.6", "r:1")]
    other = [cw.Pin("numpy", "2.4.5", "numpy==2.4.5", "r:1")]
    files = {cw._cache_file("3.13", pins), cw._cache_file("3.14", pins), cw._cache_file("3.14", other)}
    assert len(files) == 3 and all(f.is_relative_to(tmp_path) for f in files)
    cw._cache_file("3.14", pins).parent.mkdir(parents=True)
    cw._cache_file("3.14", pins).write_text("{}")
    assert cw.check(["3.14"], pins) == {"3.14": []}  # cached: pip is not run, nothing is asked
