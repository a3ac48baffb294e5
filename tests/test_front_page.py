"""The front page: the source article named, what the course adds, and a figure the package draws at build time."""

import sys

import pytest
from bs4 import BeautifulSoup
from PIL import Image

from conftest import ROOT, build_book

sys.path.insert(0, str(ROOT / "_ext"))
import front_figure  # noqa: E402  (_ext/ is where Sphinx finds the course's extensions)

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
@pytest.mark.xdist_group("book")
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
