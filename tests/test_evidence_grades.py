"""No claim is graded above the evidence, and the course uses its own grading words the same way everywhere.

The course's evidence table (the editors' ``evidence.md``) gives each of the article's claims its
grades. ``GRADES`` below is that table as the course now states it: claim 1's first part, that
successful therapy is *accompanied by* brain change, was graded Established in the table and is
Emerging in the course (issue 18, item 15: the group-level studies are small and heterogeneous in
location and direction, which is the scale's definition of Emerging). Every evidence-check box,
found by the article sentence it quotes, may use only its claim's grades; the summary tables of
chapters 2 and 5 too; and no sentence anywhere grades therapy-related brain change Established.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = ROOT / "chapters"
WORDS = ("Established", "Emerging", "Speculative", "Contested")

# claim -> (a phrase of the article sentence its box quotes, the grades it may be given)
GRADES: dict[str, tuple[str, frozenset[str]]] = {
    "1": ("This neuroplasticity is the key", frozenset({"Emerging"})),
    "2a": ("production of neurotransmitters", frozenset({"Speculative", "Emerging"})),
    "2b": ("stimulate neurogenesis", frozenset({"Contested", "Speculative"})),
    "2c": ("Therapy can influence gene expression", frozenset({"Emerging"})),
    "2d": ("observable changes in brain structure", frozenset({"Contested"})),
    "3": ("strengthening connections in prefrontal", frozenset({"Contested", "Emerging"})),
    "4": ("enhance activity in brain regions", frozenset({"Emerging", "Contested"})),
    "5": ("default mode network", frozenset({"Speculative"})),
    "6a": ("Neuroscientific biomarkers could help", frozenset({"Emerging"})),
    "6b": ("objective measures of", frozenset({"Speculative"})),
    # the conclusion's box grades the article's closing promise by the claims above
    "5-conclusion": ("By unraveling the brain's response", frozenset({"Emerging", "Speculative", "Contested"})),
}


def markdown(path: Path) -> str:
    if path.suffix == ".ipynb":
        cells = json.loads(path.read_text(encoding="utf-8"))["cells"]
        return "\n".join("".join(c["source"]) for c in cells if c["cell_type"] == "markdown")
    return path.read_text(encoding="utf-8")


PAGES = sorted(p for p in CHAPTERS.rglob("*")
               if p.suffix in {".md", ".ipynb"} and ".ipynb_checkpoints" not in p.parts)
BOX = re.compile(r"(?s)\*\*The article says:\*\*(?P<quote>[^\n]*)\n.*?\*\*Evidence grade:\*\*(?P<grade>[^\n]*)")


def boxes() -> list[tuple[Path, str, str]]:
    return [(page, m.group("quote"), m.group("grade")) for page in PAGES for m in BOX.finditer(markdown(page))]


def claim_of(quote: str) -> str:
    found = [claim for claim, (phrase, _) in GRADES.items() if phrase in quote]
    assert len(found) == 1, f"no single claim of the evidence table matches the quote {quote[:80]!r}: {found}"
    return found[0]


def grades_in(text: str) -> set[str]:
    return {word for word in WORDS if re.search(rf"\b{word}\b", text, re.IGNORECASE)}


def test_there_are_evidence_boxes():
    assert len(boxes()) >= 20


@pytest.mark.parametrize("page, quote, grade", boxes(), ids=lambda v: v.name if isinstance(v, Path) else None)
def test_box_grades_do_not_exceed_the_evidence(page, quote, grade):
    used = grades_in(grade.split("(see the course")[0])
    allowed = GRADES[claim_of(quote)][1]
    assert used, f"{page.name}: no grade word in {grade!r}"
    assert used <= allowed, f"{page.name}: graded {sorted(used - allowed)}; the evidence allows {sorted(allowed)}"


def _table_rows(text: str) -> list[list[str]]:
    return [[cell.strip() for cell in line.strip().strip("|").split("|")]
            for line in text.splitlines() if line.startswith("| ") and not line.startswith("|---")]


def test_conclusion_table_grades_do_not_exceed_the_evidence():
    rows = [r for r in _table_rows((CHAPTERS / "05-conclusion" / "index.md").read_text()) if r[0] in GRADES]
    assert {r[0] for r in rows} == {c for c in GRADES if c[0].isdigit() and "-" not in c}
    for claim, _, grade, *_ in rows:
        assert grades_in(grade) <= GRADES[claim][1], (claim, grade)


def test_chapter_2_table_grades_do_not_exceed_the_evidence():
    table = _table_rows((CHAPTERS / "02-mechanisms" / "index.md").read_text())
    rows = [r for r in table if r[0].startswith("{doc}`2.")]
    claims = {"2.1": "2a", "2.2": "2b", "2.3": "2c", "2.4": "2d"}
    assert len(rows) == 4
    for row in rows:
        claim = claims[re.search(r"`(2\.\d)", row[0]).group(1)]
        assert grades_in(row[-1]) <= GRADES[claim][1], (claim, row[-1])


NEGATED = re.compile(r"\b(no|not|never|none|rather than|towards|nor)\b", re.IGNORECASE)
BRAIN_CHANGE = re.compile(r"accompan|brain change|changes? (in|of) the brain|rewir", re.IGNORECASE)
QUIZ_OPTION = re.compile(r"\b[a-d]\) Established\b")  # a quiz's wrong answer offers the grade; it gives none


def test_therapy_related_brain_change_is_never_graded_established():
    found = []
    for page in PAGES:
        text = re.sub(r"\s+", " ", markdown(page))
        for sentence in re.split(r"(?<=[.!?:;])\s|\|", text):
            if re.search(r"\bestablished\b", sentence, re.IGNORECASE) and BRAIN_CHANGE.search(sentence) \
                    and not NEGATED.search(sentence) and not QUIZ_OPTION.search(sentence):
                found.append(f"{page.relative_to(ROOT)}: {sentence.strip()[:140]}")
    assert not found, "therapy-related brain change graded Established:\n" + "\n".join(found)


def test_the_check_would_catch_the_old_grade():
    old = "**Evidence grade:** Established (therapy is accompanied by brain change); Emerging (causes)"
    assert re.search(r"\bestablished\b", old, re.IGNORECASE) and BRAIN_CHANGE.search(old) and not NEGATED.search(old)
    assert not grades_in(old) <= GRADES["1"][1]
