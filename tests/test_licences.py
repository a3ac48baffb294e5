"""The two licences, as the repository uses them: CC BY 4.0 for text and figures, MIT for code."""

import yaml

from conftest import ROOT


def test_citation_names_both_licences():
    citation = yaml.safe_load((ROOT / "CITATION.cff").read_text(encoding="utf-8"))
    assert citation["cff-version"] == "1.2.0"
    assert sorted(citation["license"]) == ["CC-BY-4.0", "MIT"]  # SPDX identifiers, a list as CFF 1.2.0 allows
    text = (ROOT / "CITATION.cff").read_text(encoding="utf-8")
    assert "CC BY 4.0 for the text and figures" in text and "MIT for the code" in text


def test_each_licence_file_says_what_it_covers_and_points_to_the_other():
    code = (ROOT / "LICENSE").read_text(encoding="utf-8")
    content = (ROOT / "LICENSE-CONTENT.md").read_text(encoding="utf-8")
    assert code.startswith("MIT License") and "What this licence covers: the code" in code
    assert "CC BY 4.0" in code and "LICENSE-CONTENT.md" in code
    assert "**text and figures**" in content and "(CC BY 4.0)" in content
    assert "**MIT licence**" in content and "(LICENSE)" in content
    footer = yaml.safe_load((ROOT / "_config.yml").read_text(encoding="utf-8"))["html"]["extra_footer"]
    assert "Text and figures: CC BY 4.0" in footer and "Code: MIT" in footer
