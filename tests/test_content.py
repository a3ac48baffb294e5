"""The course's content rules: each lesson has its parts; citations and glossary terms are all real and used."""

import json
import re
from pathlib import Path

import pytest

from conftest import ROOT, notebooks

CHAPTERS = ROOT / "chapters"
BIB = ROOT / "assets" / "references.bib"
TOC = ROOT / "_toc.yml"

# Lesson pages: the pages of the article's chapters and sections (not overviews, not back matter).
LESSONS = sorted(
    p for p in CHAPTERS.glob("0[1-5]-*/*.md")
    if not (p.name == "index.md" and any(q.name != "index.md" for q in p.parent.glob("*.md")))
)


def _text(path: Path) -> str:
    if path.suffix == ".ipynb":
        return "\n".join("".join(c["source"]) for c in json.loads(path.read_text())["cells"])
    return path.read_text()


def _all_sources() -> list[Path]:
    """The book's own pages (not README or CONTRIBUTING, which show example syntax)."""
    return [ROOT / "index.md", *sorted(CHAPTERS.rglob("*.md")), *notebooks()]


def _cited_keys() -> set[str]:
    keys = set()
    for path in _all_sources():
        for match in re.finditer(r"\{cite(?::[a-z]+)?\}`([^`]+)`", _text(path)):
            keys |= {k.strip() for k in match.group(1).split(",")}
    return keys


def _bib_keys() -> set[str]:
    return set(re.findall(r"@\w+\s*\{\s*([^,\s]+)\s*,", BIB.read_text()))


def test_there_are_lessons_for_every_chapter():
    folders = {p.parent.name for p in LESSONS}
    assert {"01-plasticity", "02-mechanisms", "03-therapies", "04-future", "05-conclusion"} <= folders


@pytest.mark.parametrize("page", LESSONS, ids=[str(p.relative_to(CHAPTERS)) for p in LESSONS])
def test_lesson_has_objectives_takeaways_exercises_quiz_and_evidence(page):
    text = page.read_text()
    assert re.search(r"\{admonition\} Learning objectives", text), "learning objectives box"
    assert re.search(r"\{admonition\} Key takeaways", text), "key takeaways box"
    assert text.index("Learning objectives") < text.index("Key takeaways")
    exercises = re.findall(r"```\{exercise\}[^\n]*\n:label: ([\w-]+)", text)
    solutions = re.findall(r"```\{solution\} ([\w-]+)", text)
    assert len(exercises) >= 2, "at least two exercises"
    assert set(exercises) <= set(solutions), "every exercise has a solution"
    assert re.search(r"## Self-check quiz\n\n```\{quiz\} [\w-]+\n```", text), "a self-check quiz from the quiz bank"
    if page.parent.name != "05-conclusion" or "evidence-check" in text:
        assert ":class: evidence-check" in text, "an evidence check box"
        assert re.search(r"Evidence grade:\*\*\s*(Established|Emerging|Speculative|Contested|Not supported)", text)


def test_every_lesson_has_a_notebook_with_a_coding_exercise():
    for folder in {p.parent for p in LESSONS}:
        lab_notebooks = list(folder.glob("*.ipynb"))
        assert lab_notebooks, f"{folder.name} has no notebook"
        # a coding exercise (gated: its text and starter cells) and its solution (a box with the code inside,
        # run by tests/test_grading.py, which grades each lab with its solutions inserted)
        assert any("exercise-start" in _text(nb) and re.search(r"`{3,}\{solution\}", _text(nb))
                   for nb in lab_notebooks), folder


def test_every_cited_key_is_in_the_bibliography():
    missing = _cited_keys() - _bib_keys()
    assert not missing, f"cited but not in assets/references.bib: {sorted(missing)}"


def test_every_bibliography_entry_is_cited():
    uncited = _bib_keys() - _cited_keys()
    assert not uncited, f"in the bibliography but never cited: {sorted(uncited)}"


def _glossary_terms() -> set[str]:
    terms = set()
    for path in (CHAPTERS / "back").rglob("*.md"):
        for block in re.findall(r":::\{glossary\}\n(.*?)\n:::", path.read_text(), flags=re.S):
            for line in block.splitlines():
                if line.strip() and not line.startswith((" ", "\t", ":")):
                    terms.add(line.strip())
    return terms


def test_glossary_has_terms():
    assert len(_glossary_terms()) >= 20


def test_every_glossary_term_is_referenced():
    used = set()
    for path in _all_sources():
        for match in re.finditer(r"\{term\}`([^`]+)`", _text(path)):
            target = match.group(1)
            inner = re.search(r"<([^>]+)>$", target)
            used.add((inner.group(1) if inner else target).strip().lower())
    unused = {t for t in _glossary_terms() if t.lower() not in used}
    assert not unused, f"glossary terms never linked with {{term}}: {sorted(unused)}"


@pytest.mark.parametrize("path", notebooks(), ids=[str(p.relative_to(CHAPTERS)) for p in notebooks()])
def test_figures_have_alt_text_and_captions(path):
    for cell in json.loads(path.read_text())["cells"]:
        source = "".join(cell["source"])
        if cell["cell_type"] == "code" and re.search(r"\.plot_\w+\(", source) and source.rstrip().endswith(";"):
            options = cell["metadata"].get("mystnb", {})
            assert options.get("image", {}).get("alt"), f"no alt text: {source[:60]}"
            assert options.get("figure", {}).get("caption"), f"no caption: {source[:60]}"


# The simulations whose figures show made-up data: their plots are titled "SIMULATED ..." by the package
# (therapybrain/_figures.py's simulated_title; tests/test_figures.py). headlines is not one: it reads real atlases.
# A model's figures may live in its own module (prediction_plots.py), re-exported by the model's module, which is
# the name the notebooks call them by (prediction.plot_...).
SIMULATED_MODULES = sorted({p.stem.removesuffix("_plots") for p in (ROOT / "therapybrain" / "simulations").glob("*.py")
                            if "simulated_title(" in p.read_text(encoding="utf-8")})


def _simulated_figures(path: Path) -> list[dict]:
    """The code cells of a notebook that draw a figure of simulated data: they call a plot function of a simulation
    module, or draw what one made (``t_map, summary = morphometry.simulate_vbm_study(...)``, then ``...(t_map)``)."""
    modules = "|".join(SIMULATED_MODULES)
    made: set[str] = set()
    found = []
    for cell in json.loads(path.read_text())["cells"]:
        if cell["cell_type"] != "code":
            continue
        source = "".join(cell["source"])
        for match in re.finditer(rf"^([\w, ()]+?)\s*=\s*(?:{modules})\.\w+\(", source, flags=re.M):
            made |= {name.strip("() ") for name in match.group(1).split(",")} - {"_", ""}
        if not re.search(r"\bplot_\w+\(", source):
            continue
        if re.search(rf"\b(?:{modules})\.plot_\w+\(", source) or any(re.search(rf"\b{re.escape(name)}\b", source)
                                                                      for name in made):
            found.append(cell)
    return found


def test_the_simulated_figures_are_found():
    assert SIMULATED_MODULES == ["learning", "morphometry", "prediction"]
    assert sum(len(_simulated_figures(path)) for path in notebooks()) >= 10


@pytest.mark.parametrize("path", notebooks(), ids=[str(p.relative_to(CHAPTERS)) for p in notebooks()])
def test_figures_of_simulated_data_say_so_in_caption_and_alt_text(path):
    """Each figure drawn from simulated data says "simulated" where a reader sees it first: its caption (the
    book) and its alt text (a screen reader); its title says so too (the package's simulated_title)."""
    for cell in _simulated_figures(path):
        source = "".join(cell["source"])[:70]
        options = cell["metadata"].get("mystnb", {})
        caption, alt = options.get("figure", {}).get("caption", ""), options.get("image", {}).get("alt", "")
        assert re.search(r"\bsimulated\b", caption, flags=re.I), f"the caption does not say SIMULATED: {source}"
        assert re.search(r"\bsimulated\b", alt, flags=re.I), f"the alt text does not say SIMULATED: {source}"
        for title in re.findall(r"\btitle=(f?\"[^\"]*\"|f?'[^']*')", "".join(cell["source"])):
            assert "simulated" in title.lower(), f"a title that hides the simulation: {title}"


@pytest.mark.parametrize("path", notebooks(), ids=[str(p.relative_to(CHAPTERS)) for p in notebooks()])
def test_region_notebooks_end_with_the_explorer(path):
    text = _text(path)
    if re.search(r"tb\.(plot|view)_(region|regions|network)\(", text):
        assert "Explore it yourself" in text and "tb.region_explorer(" in text


def test_pages_are_all_in_the_toc():
    toc = TOC.read_text()
    for path in list(CHAPTERS.rglob("*.md")) + notebooks():
        if "glossary" in path.parts and path.parent.name == "glossary":
            continue  # glossary fragments are included into the glossary page
        assert str(path.relative_to(ROOT).with_suffix("")) in toc, f"{path} is not in _toc.yml"
