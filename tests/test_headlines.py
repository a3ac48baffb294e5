"""Headline tools: finding named regions in text, comparing two atlases' versions of a region, the checklist."""

import numpy as np
import pytest

import therapybrain as tb
from therapybrain.simulations import headlines


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Therapy calms the AMYGDALA", ["amygdala"]),
        ("Hippocampal growth after trauma therapy", ["hippocampus"]),
        ("CBT boosts the dorsolateral prefrontal cortex and quiets the amygdala", ["dlpfc", "amygdala"]),
        ("the prefrontal cortex and the dlPFC", ["prefrontal_cortex", "dlpfc"]),
        ("anterior cingulate, posterior cingulate cortex and insula", ["acc", "pcc", "insula"]),
        ("Talk therapy rewires the brain", []),
        ("amygdalar? no: hippocampusX is not a word", []),
    ],
)
def test_find_regions(text, expected):
    assert headlines.find_regions(text) == expected


def test_find_regions_gives_usable_keys():
    for key in headlines.find_regions("amygdala, hippocampus, vmPFC, orbitofrontal cortex, subgenual cingulate"):
        assert key in tb.list_regions()


def test_find_regions_rejects_non_text():
    with pytest.raises(TypeError, match="must be a string"):
        headlines.find_regions(["amygdala"])


def test_checklist_has_the_seven_questions():
    table = headlines.checklist_table()
    assert list(table.index) == ["sample_size", "control_group", "pre_post_vs_causal", "group_vs_individual",
                                 "region_naming", "replication", "correlation_vs_mediation"]
    assert table["question"].str.endswith("?").all()
    assert (table["why it matters"].str.len() > 40).all()


def test_compare_atlases_hippocampus_left():
    table = headlines.compare_atlases("hippocampus", "left")
    assert list(table.index) == ["harvard_oxford", "aal"]
    assert table.loc["aal", "labels"] == "Hippocampus_L"
    assert table.loc["harvard_oxford", "labels"] == "Left_Hippocampus"
    assert (table["x"] < 0).all()
    # the two atlases overlap a lot, but not completely
    assert (table["pct_inside_other"] > 50).all() and (table["pct_inside_other"] < 100).all()
    # the course's mask is the one tb.region_mask gives
    mask = np.asarray(tb.region_mask("hippocampus", "left").dataobj)
    assert table.loc["harvard_oxford", "volume_mm3"] == int(mask.sum())
    ho = tb.region_centroid("hippocampus", "left")
    assert tuple(table.loc["harvard_oxford", ["x", "y", "z"]]) == pytest.approx(ho, abs=0.11)


def test_compare_atlases_both_sides_and_explicit_labels():
    both = headlines.compare_atlases("amygdala", "both")
    assert both.loc["aal", "labels"] == "Amygdala_L, Amygdala_R"
    left = headlines.compare_atlases("amygdala", "left")
    assert both.loc["aal", "volume_mm3"] > left.loc["aal", "volume_mm3"]
    explicit = headlines.compare_atlases("vmpfc", "left", aal_labels=["Frontal_Med_Orb_L"])
    assert explicit.loc["aal", "labels"] == "Frontal_Med_Orb_L"
    assert explicit.loc["aal", "volume_mm3"] > 0


def test_compare_atlases_rejects_bad_input():
    with pytest.raises(ValueError, match="did you mean 'hippocampus'"):
        headlines.compare_atlases("hipocampus")
    with pytest.raises(ValueError, match="unknown hemisphere"):
        headlines.compare_atlases("hippocampus", "middle")
    with pytest.raises(ValueError, match="no default AAL labels for region 'vmpfc'.*'hippocampus'"):
        headlines.compare_atlases("vmpfc")
    with pytest.raises(ValueError, match="did you mean 'Hippocampus_L'"):
        headlines.compare_atlases("hippocampus", aal_labels=["Hipocampus_L"])
    with pytest.raises(ValueError, match="at least one"):
        headlines.compare_atlases("hippocampus", aal_labels=[])


def test_plot_atlas_comparison_has_title_and_legend():
    display = headlines.plot_atlas_comparison("hippocampus", "left")
    figure = display.frame_axes.figure
    texts = [t.get_text() for ax in figure.axes for t in ax.texts]
    assert "Hippocampus, left: two atlases" in texts
    legend = [t.get_text() for lg in figure.legends for t in lg.get_texts()]
    assert legend[0].startswith("Harvard-Oxford") and legend[1] == "AAL2: Hippocampus_L"
    with pytest.raises(ValueError, match="no default AAL labels"):
        headlines.plot_atlas_comparison("ofc")
