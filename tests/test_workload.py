"""The guide's week table states the workload computed from the course (scripts/workload.py).

assets/instructor/workload.json holds what `python -m scripts.workload --write` computed; the guide's
table must show exactly those numbers, and a fresh count of the built site must still agree with the file
(words within 10 %: prose edits move them a little; the labs' run times within the bounds of RUN_FACTOR and
RUN_SLACK_S below, as machines differ). When a test here fails, re-run the script with --write and update the table.
"""

import json
import math
import re

import pytest

from conftest import ROOT, build_book
from scripts import workload

# The labs' run times: what the build's executor measured for each notebook (scripts/execute_parallel.py, several
# at once) against the saved ones (a quiet machine: 5-18 s a lab). On a loaded 2-core machine the build measured
# 1.5-3 times those (neurogenesis 4.6 -> 14 s, brain-structure 18 -> 29 s): a lab may take 2.5 times its saved time
# plus 20 s, and a week's labs together at most one minute more than the guide's table says. A real regression,
# e.g. a lab loading a whole 4-D atlas again (tens of seconds) or a simulation grown tenfold, breaks both; the old
# bound (3 times plus a minute: 80 s for a 7 s lab) let a lab grow tenfold unnoticed.
RUN_FACTOR, RUN_SLACK_S = 2.5, 20

SAVED = json.loads((ROOT / "assets" / "instructor" / "workload.json").read_text(encoding="utf-8"))
GUIDE = (ROOT / "chapters" / "instructor" / "index.md").read_text(encoding="utf-8")


def test_the_guide_shows_the_computed_table():
    assert workload.table(SAVED) in GUIDE, "the guide's workload table differs from assets/instructor/workload.json"
    assert f"**{SAVED['words_per_minute']} words per minute**" in GUIDE
    assert (f"**{SAVED['written_exercise_min']} minutes per written exercise, {SAVED['coding_exercise_min']} "
            f"per coding\nexercise and {SAVED['quiz_question_min']} per quiz question**") in GUIDE
    totals = [w["total_min"] for w in SAVED["weeks"]]
    assert re.search(rf"between {min(totals)} and {max(totals)} minutes", GUIDE)


def test_the_weeks_cover_the_course():
    from scripts.book import toc_docnames

    planned = [page for pages in workload.WEEKS.values() for page in pages]
    assert len(planned) == len(set(planned))
    course = [d for d in toc_docnames() if re.match(r"chapters/0\d-", d)]
    assert sorted(planned) == sorted(course), set(course) ^ set(planned)


@pytest.mark.slow
def test_the_saved_workload_matches_the_built_course():
    html = build_book(ROOT)
    fresh = workload.compute(html, ROOT / "_build" / ".jupyter_cache" / "durations.json")
    for old, new in zip(SAVED["weeks"], fresh["weeks"], strict=True):
        for a, b in zip(old["pages"], new["pages"], strict=True):
            assert a["page"] == b["page"]
            assert abs(a["words"] - b["words"]) <= 0.1 * a["words"], (a, b)
            assert (a["written_exercises"], a["coding_exercises"], a["quiz_questions"]) == (
                b["written_exercises"], b["coding_exercises"], b["quiz_questions"]), (a, b)
            if a["run_seconds"] is not None:
                assert a["run_seconds"] / 3 <= b["run_seconds"] <= RUN_FACTOR * a["run_seconds"] + RUN_SLACK_S, (a, b)
        # what the guide shows: the week's run time in whole minutes
        assert math.ceil(sum(p["run_seconds"] or 0 for p in new["pages"]) / 60) <= old["run_min"] + 1, (old, new)
