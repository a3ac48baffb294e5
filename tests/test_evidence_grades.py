"""No claim is graded above or beside the evidence, and the course uses its own grading words the same way everywhere.

The course's evidence table (the editors' ``evidence.md``) gives each of the article's claims its
grades. ``GRADES`` below is that table as the course now states it, and every evidence-check box
(found by the article sentence it quotes) and the summary tables of chapters 2 and 5 must give
exactly these grades: no more, none fewer. The scale (``chapters/00-welcome/course-guide.md``):
Established = replicated, broadly accepted; Emerging = replicated in part, small or heterogeneous
samples, direction or specificity unsettled; Speculative = plausible, little or no direct evidence
in humans; Contested = high-quality studies disagree; Not supported = the evidence contradicts the
claim (studies able to test it found no effect or the opposite one). A causal claim (therapy
*causes* a change; a change is *how* therapy works) with no study of a causal design behind it is
Speculative, however often the association has been seen (issue 28, item 13).

The reasons, claim by claim:

- 1 ("This neuroplasticity is the key"): that successful therapy is *accompanied by* brain change is
  Emerging (small group-level studies, heterogeneous in location and direction; issue 18, item 15).
  "The key" is causal: the only causal test the course cites is one small mediation analysis in a
  randomised trial (mansson2016), unreplicated, so the causal part is Speculative (it was "Emerging at
  best").
- 2a (synapses, serotonin and dopamine *production*): no psychotherapy study measured synapses or
  transmitter production; the receptor and transporter studies (karlsson2010, lehto2008, joensuu2016,
  cervenka2012) are small, have no untreated control group, measure different markers and
  point different ways. Speculative throughout (serotonin was "Emerging at best": one unreplicated
  letter is not "replicated in part", and it is not production).
- 2b (neurogenesis): adult human neurogenesis itself is Contested (tissue studies disagree); that therapy
  stimulates it is untested, Speculative.
- 2c (gene expression): DNA methylation in peripheral cells changes alongside therapy in small studies
  without untreated controls, with inconsistent genes and directions: Emerging for the association.
  That therapy *causes* changes in gene expression and, through them, in brain function is causal and
  untested (methylation did not track expression or protein): Speculative.
- 2d (grey matter): "increased gray matter volume" is Not supported: the largest trial (kral2022, two
  combined randomised trials, n = 218, active and waitlist controls) found no structural change from
  MBSR, and the one randomised CBT study with a structural result found a *decrease* (mansson2016); the
  only increase comes from a small waitlist-controlled study (holzel2011). That therapy changes brain
  structure at all stays Contested: controlled studies disagree (a change in mansson2016 and
  holzel2011, none in kral2022).
- 3 (CBT strengthens prefrontal connections, leading to better emotion regulation): that CBT is
  accompanied by changes in fronto-limbic activity is Emerging (meta-analyses pool small pre/post
  studies; the changes are mainly decreases). "Strengthening ... leading to" is causal, connectivity was
  rarely measured and no study tested the chain: Speculative (it was "Contested (direction)", but
  small studies that disagree on direction are the scale's Emerging, not high-quality disagreement).
- 4 (mindfulness enhances activity in self-awareness, regulation, compassion regions): activity changes
  with mindfulness training are Emerging (tang2015: mechanisms "remain unclear"); "enhance" in patients
  having mindfulness-based *therapy*, and compassion regions, lack actively controlled tests (only
  compassion training in healthy volunteers): Speculative; the structural reading (grey-matter
  increases from MBSR) is Not supported, as in 2d.
- 5 (psychodynamic therapy and the default mode network): Speculative (one uncontrolled study of 9
  patients with healthy controls only, amiri2023, measured it; no controlled test).
- 6a (biomarkers): candidate markers are Emerging; that choosing therapy by brain profile improves
  outcomes (the article's "tailoring") is causal and untested: Speculative.
- 6b (objective measures of progress): Speculative.
- the conclusion's box: Emerging for the starting point, Speculative for the promise of better
  outcomes, and the specific claims range down to Not supported.

No sentence anywhere grades therapy-related brain change Established.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
CHAPTERS = ROOT / "chapters"
WORDS = ("Established", "Emerging", "Speculative", "Contested", "Not supported")

# claim -> (a phrase of the article sentence its box quotes, the grades it is given)
GRADES: dict[str, tuple[str, frozenset[str]]] = {
    "1": ("This neuroplasticity is the key", frozenset({"Emerging", "Speculative"})),
    "2a": ("production of neurotransmitters", frozenset({"Speculative"})),
    "2b": ("stimulate neurogenesis", frozenset({"Contested", "Speculative"})),
    "2c": ("Therapy can influence gene expression", frozenset({"Emerging", "Speculative"})),
    "2d": ("observable changes in brain structure", frozenset({"Not supported", "Contested"})),
    "3": ("strengthening connections in prefrontal", frozenset({"Emerging", "Speculative"})),
    "4": ("enhance activity in brain regions", frozenset({"Emerging", "Speculative", "Not supported"})),
    "5": ("default mode network", frozenset({"Speculative"})),
    "6a": ("Neuroscientific biomarkers could help", frozenset({"Emerging", "Speculative"})),
    "6b": ("objective measures of", frozenset({"Speculative"})),
    # the conclusion's box grades the article's closing promise by the claims above
    "5-conclusion": ("By unraveling the brain's response", frozenset({"Emerging", "Speculative", "Not supported"})),
}
# claims whose causal part has no causal design behind it: their grades must include Speculative
CAUSAL_UNTESTED = {"1", "2a", "2b", "2c", "3", "4", "6a", "5-conclusion"}


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
def test_box_grades_are_the_evidence_tables(page, quote, grade):
    used = grades_in(grade.split("(see the course")[0])
    allowed = GRADES[claim_of(quote)][1]
    assert used, f"{page.name}: no grade word in {grade!r}"
    assert used <= allowed, f"{page.name}: graded {sorted(used - allowed)}; the evidence allows {sorted(allowed)}"
    assert used == allowed, f"{page.name}: leaves out {sorted(allowed - used)} of the claim's grades {sorted(allowed)}"


def test_every_causal_claim_without_a_causal_design_is_speculative():
    for claim in CAUSAL_UNTESTED:
        assert "Speculative" in GRADES[claim][1], claim


def _table_rows(text: str) -> list[list[str]]:
    return [[cell.strip() for cell in line.strip().strip("|").split("|")]
            for line in text.splitlines() if line.startswith("| ") and not line.startswith("|---")]


def test_conclusion_table_grades_do_not_exceed_the_evidence():
    rows = [r for r in _table_rows((CHAPTERS / "05-conclusion" / "index.md").read_text()) if r[0] in GRADES]
    assert {r[0] for r in rows} == {c for c in GRADES if c[0].isdigit() and "-" not in c}
    for claim, _, grade, *_ in rows:
        assert grades_in(grade) == GRADES[claim][1], (claim, grade)


def test_chapter_2_table_grades_do_not_exceed_the_evidence():
    table = _table_rows((CHAPTERS / "02-mechanisms" / "index.md").read_text())
    rows = [r for r in table if r[0].startswith("{doc}`2.")]
    claims = {"2.1": "2a", "2.2": "2b", "2.3": "2c", "2.4": "2d"}
    assert len(rows) == 4
    for row in rows:
        claim = claims[re.search(r"`(2\.\d)", row[0]).group(1)]
        assert grades_in(row[-1]) == GRADES[claim][1], (claim, row[-1])


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


def test_the_check_would_catch_the_grades_of_issue_28():
    """The grades before issue 28 graded causal parts Emerging and the grey-matter increase Contested."""
    old = {"1": "Emerging (accompanied); Emerging at best (causes or mediates improvement)",
           "2a": "Speculative (synapses, dopamine); Emerging at best (serotonin)",
           "2d": "Contested",
           "3": "Contested (direction); Emerging (that CBT alters fronto-limbic activity)",
           "4": "Emerging (function); Contested (structure)"}
    for claim, grade in old.items():
        assert grades_in(grade) != GRADES[claim][1], claim


# --- the scale itself, where the course states it ------------------------------------------------------------

SCALE_PAGES = {
    "course guide": CHAPTERS / "00-welcome" / "course-guide.md",
    "glossary": CHAPTERS / "back" / "glossary" / "found.md",
}


@pytest.mark.parametrize("where", SCALE_PAGES)
def test_the_scale_defines_every_grade_and_the_causal_rule(where):
    text = re.sub(r"\s+", " ", SCALE_PAGES[where].read_text(encoding="utf-8"))
    assert grades_in(text) == set(WORDS), f"{where} does not define {sorted(set(WORDS) - grades_in(text))}"
    assert re.search(r"Not supported\W+\(?(the )?evidence contradicts", text, re.IGNORECASE), where
    assert re.search(r"causal claim[^.]*\bSpeculative\b", text, re.IGNORECASE), f"{where}: the causal-design rule"


def test_the_course_guides_table_has_a_row_per_grade():
    rows = [r[0].strip("* ") for r in _table_rows(SCALE_PAGES["course guide"].read_text())]
    assert [w for w in WORDS if w in rows] == list(WORDS), rows


def test_no_page_counts_four_grades():
    stale = re.compile(r"\bfour (evidence )?grades\b|the four grades|lower three grades", re.IGNORECASE)
    found = []
    for path in [*PAGES, *(ROOT / "assets").rglob("*.yml"), ROOT / "README.md", ROOT / "index.md",
                 ROOT / "CONTRIBUTING.md"]:
        text = markdown(path) if path.suffix in {".md", ".ipynb"} else path.read_text(encoding="utf-8")
        found += [f"{path.relative_to(ROOT)}: {m.group(0)}" for m in stale.finditer(re.sub(r"\s+", " ", text))]
    assert not found, "the scale has five grades:\n" + "\n".join(found)


# --- quiz keys that state a grade -----------------------------------------------------------------------------

def _quiz(name: str) -> list[dict]:
    import yaml
    return yaml.safe_load((ROOT / "assets" / "quizzes" / f"{name}.yml").read_text(encoding="utf-8"))["questions"]


def _key(question: dict) -> str:
    return question["options"]["abcdef".index(question["answer"])]


def test_quiz_keys_follow_the_grades():
    causal = next(q for q in _quiz("01-plasticity") if "how therapy produces improvement" in q["question"])
    assert grades_in(_key(causal)) == {"Speculative"}, _key(causal)
    cbt = [q for q in _quiz("03-therapies-cbt") if grades_in(q["question"])]
    assert cbt and all("contested" not in q["question"].lower() for q in cbt), [q["question"] for q in cbt]
