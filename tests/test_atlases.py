"""The packaged atlases load offline, land on the course grid, and know their credits."""

import re
from pathlib import Path

import numpy as np
import pytest

import therapybrain as tb

BIB = Path(__file__).resolve().parents[1] / "assets" / "references.bib"


def test_required_atlases_are_listed():
    assert {"harvard_oxford", "juelich", "aal", "mni152", "seitzman_2018"} <= set(tb.list_atlases())


@pytest.mark.parametrize("name", tb.list_atlases())
def test_every_atlas_has_citation_licence_and_known_bibkeys(name):
    info = tb.atlas_info(name)
    assert info.citation and info.licence and info.description
    keys = set(re.findall(r"@\w+\{([^,]+),", BIB.read_text()))
    assert set(info.bibkeys) <= keys


def test_loading_is_cached():
    assert tb.load_atlas("harvard_oxford") is tb.load_atlas("Harvard-Oxford")


def test_course_grid_is_the_1mm_mni_template():
    shape, affine = tb.course_grid()
    assert shape == (197, 233, 189)
    assert np.allclose(np.diag(affine)[:3], 1)


@pytest.mark.parametrize(
    ("atlas", "n_labels", "label"),
    [
        ("harvard_oxford", 113, "Left_Hippocampus"),
        ("juelich", 121, "GM_Hippocampus_dentate_gyrus_R"),
        ("aal", 120, "Hippocampus_L"),
    ],
)
def test_label_maps_are_percentages_on_the_course_grid(atlas, n_labels, label):
    loaded = tb.load_atlas(atlas)
    assert len(loaded.labels) == n_labels
    image = loaded.label_map(label)
    data = np.asarray(image.dataobj)
    assert image.shape == tb.course_grid()[0]
    assert 0 < data.max() <= 100
    # left labels lie at negative x once placed on the RAS course grid (the files are x-flipped)
    ijk = np.argwhere(data >= 25).mean(axis=0)
    x = image.affine[0, 0] * ijk[0] + image.affine[0, 3]
    assert (x < 0) == label.endswith(("_L", "Left_Hippocampus"))


def test_two_atlases_agree_on_the_hippocampus():
    ho = np.asarray(tb.load_atlas("harvard_oxford").label_map("Left_Hippocampus").dataobj) >= 25
    aal = np.asarray(tb.load_atlas("aal").label_map("Hippocampus_L").dataobj) > 0
    dice = 2 * (ho & aal).sum() / (ho.sum() + aal.sum())
    assert dice > 0.6


def test_values_at_reads_the_probabilities_under_a_voxel():
    ho = tb.load_atlas("harvard_oxford")
    shape, affine = tb.course_grid()
    ijk = tuple(int(v) for v in np.round(np.linalg.inv(affine) @ [-25, -22, -14, 1])[:3])
    values = ho.values_at(ijk)
    assert max(values, key=values.get) == "Left_Hippocampus"
    assert ho.values_at((0, 0, 0)) == {}


def test_coordinate_sets_have_networks():
    seitzman = tb.load_atlas("seitzman_2018")
    assert len(seitzman.coords) == 300
    assert "DefaultMode" in set(seitzman.coords["network"])
    assert set(tb.load_atlas("dosenbach_2010").coords.columns) >= {"x", "y", "z", "network"}


def test_template_only_on_template_atlas():
    assert tb.load_atlas("mni152").template.shape == (197, 233, 189)
    with pytest.raises(ValueError, match="not a template"):
        tb.load_atlas("seitzman_2018").template
    with pytest.raises(ValueError, match="has no label maps"):
        tb.load_atlas("mni152").label_map("x")


@pytest.mark.parametrize("bad", ["harvard", "julich", ""])
def test_unknown_atlas_names_the_choices(bad):
    with pytest.raises(ValueError, match="unknown atlas.*Valid atlases: 'harvard_oxford'"):
        tb.load_atlas(bad)


@pytest.mark.parametrize("bad", [None, 3, ["aal"]])
def test_atlas_name_of_the_wrong_type_is_a_type_error_naming_the_choices(bad):
    with pytest.raises(TypeError, match="atlas must be a name.*Valid atlases: 'harvard_oxford'"):
        tb.load_atlas(bad)


def test_unknown_label_suggests_the_closest():
    with pytest.raises(ValueError, match="did you mean 'Left_Hippocampus'"):
        tb.load_atlas("harvard_oxford").label_map("Left_Hipocampus")
