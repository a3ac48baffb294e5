"""The front page: the source article named, what the course adds, and a figure the package draws at build time."""

import os
import subprocess
import sys

import pytest
from bs4 import BeautifulSoup
from PIL import Image

from _ext import front_figure
from conftest import ROOT, build_book

INDEX = ROOT / "index.md"


def test_the_front_page_names_its_source_and_what_the_course_adds():
    text = INDEX.read_text(encoding="utf-8")
    assert '"Psychotherapy and the Brain: Understanding\nTherapeutic Change"' in text
    assert "names no author, gives no date" in text  # as far as the article itself goes
    for added in ("evidence grade for every claim", "**labs**", "self-check quizzes"):
        assert added in text


def test_the_package_draws_the_headline_regions(tmp_path):
    path = front_figure.draw(tmp_path / "regions.png")
    with Image.open(path) as image:
        assert image.format == "PNG" and image.width > 800 and image.height > 300
        colours = image.convert("RGB").getcolors(maxcolors=1 << 20)
    assert len(colours) > 50, "an empty figure"
    assert front_figure.REGIONS == ("prefrontal_cortex", "hippocampus", "amygdala")


@pytest.mark.slow
def test_the_built_front_page_shows_the_figure_with_alt_text():
    html = build_book(ROOT)
    soup = BeautifulSoup((html / "index.html").read_text(encoding="utf-8"), "html.parser")
    figure = soup.select_one("figure#fig-front-regions")
    assert figure is not None, "no front-page figure"
    img = figure.find("img")
    alt = img.get("alt", "")
    assert all(word in alt for word in ("prefrontal cortex", "hippocampus", "amygdala")), alt
    assert (html / img["src"]).is_file()
    assert "headline regions" in figure.find("figcaption").get_text()


def test_the_book_loads_its_extensions_as_the_package_ext(tmp_path):
    """jupyter-book reads _config.yml's ``local_extensions`` as Sphinx will: every extension is ``_ext.<name>``,
    importable with no path edit but the book's root (the path it names), and so are the scripts they read."""
    code = """if True:
        import importlib, sys
        from pathlib import Path
        from jupyter_book.config import get_final_config
        root = Path(sys.argv[1])
        assert str(root) not in sys.path
        config, _ = get_final_config(user_yaml=root / "_config.yml", sourcedir=root, validate=True,
                                     raise_on_invalid=True, cli_config={"latex_individualpages": False})
        local = [name for name in config["extensions"] if name.startswith("_ext")]
        for name in local:
            assert callable(importlib.import_module(name).setup), name
        importlib.import_module("scripts.editions")   # what the grading table reads when its page is built
        print(" ".join(local))
    """
    done = subprocess.run([sys.executable, "-c", code, str(ROOT)], capture_output=True, text=True, cwd=tmp_path,
                          env={k: v for k, v in os.environ.items() if k != "PYTHONPATH"})
    assert done.returncode == 0, done.stderr[-3000:]
    names = {p.stem for p in (ROOT / "_ext").glob("*.py")} - {"__init__", "quiz_bank"}
    assert set(done.stdout.split()) == {f"_ext.{name}" for name in names}
