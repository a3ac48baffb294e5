"""The instructor guide's answer tables are the ones generated from the chapter pages (scripts/answers.py)."""

from __future__ import annotations

import pytest

from scripts import answers


@pytest.mark.parametrize("guide", sorted(answers.GUIDES))
def test_answer_table_matches_the_pages(guide):
    assert not answers.update(guide, write=False), (
        f"{guide}: the answer table disagrees with the chapter pages; run `python -m scripts.answers`")


def test_every_exercise_of_a_chapter_is_in_its_table():
    for guide, folder in answers.GUIDES.items():
        table = answers.table(folder)
        for docname in answers.chapters()[folder]:
            for _, label, _ in answers.exercises(docname):
                assert f"<{label}>`" in table, (guide, label)
        assert table.count("| {ref}`") >= 2, guide


def test_kind_is_read_from_the_solution():
    assert answers.kind("Reading a headline", False, "text only", ".md").startswith("written")
    coded = answers.kind("X", False, "```python\nprint(1)\n```", ".md")
    assert coded == "coding (solution code and answer in a dropdown)"
    assert answers.kind("A network (coding)", False, "text", ".md").endswith("the solution code is in the lab)")
    assert answers.kind("Anything", False, "text", ".ipynb") == "coding (solution code in a dropdown)"
