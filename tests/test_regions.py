"""Course regions and networks, computed from the real atlas data."""

import re
from pathlib import Path

import numpy as np
import pytest

import therapybrain as tb

REQUIRED = {
    "hippocampus", "dentate_gyrus", "amygdala", "dlpfc", "vmpfc", "ofc", "acc", "pcc",
    "precuneus", "angular_gyrus", "insula", "prefrontal_cortex",
}


def _voxels(image):
    return np.asarray(image.dataobj).astype(bool)


def _x_of_voxels(image):
    ijk = np.argwhere(np.asarray(image.dataobj))
    return image.affine[0, 0] * ijk[:, 0] + image.affine[0, 3]


def test_required_regions_exist_with_reasons_and_chapters():
    assert REQUIRED <= set(tb.list_regions())
    for key in tb.list_regions():
        region = tb.region_info(key)
        assert region.why and region.chapters and region.colour.startswith("#")
        assert set(region.atlas_labels()) <= set(tb.load_atlas(region.atlas).labels)


@pytest.mark.parametrize("key", sorted(REQUIRED))
def test_masks_are_binary_nonempty_and_in_their_hemisphere(key):
    left, right, both = (tb.region_mask(key, h) for h in ("left", "right", "both"))
    for image in (left, right, both):
        assert image.shape == tb.course_grid()[0]
        assert set(np.unique(np.asarray(image.dataobj))) == {0, 1}
    assert _voxels(left).sum() > 500 and _voxels(right).sum() > 500
    assert (_x_of_voxels(left) < 0).all() and (_x_of_voxels(right) > 0).all()
    # the two halves make up the whole but for the midline plane x = 0
    halves = _voxels(left) | _voxels(right)
    assert not (_voxels(left) & _voxels(right)).any()
    assert not (halves & ~_voxels(both)).any()
    rest = both.__class__((_voxels(both) & ~halves).astype("uint8"), both.affine)
    assert (_x_of_voxels(rest) == 0).all()


@pytest.mark.parametrize("key", sorted(REQUIRED))
def test_left_and_right_centroids_mirror(key):
    xl, yl, zl = tb.region_centroid(key, "left")
    xr, yr, zr = tb.region_centroid(key, "right")
    assert xl < 0 < xr
    assert abs(yl - yr) < 10 and abs(zl - zr) < 10


def test_centroids_come_from_the_mask():
    mask = tb.region_mask("amygdala", "right")
    ijk = np.argwhere(np.asarray(mask.dataobj)).mean(axis=0)
    expected = mask.affine[:3, :3] @ ijk + mask.affine[:3, 3]
    assert np.allclose(tb.region_centroid("amygdala", "right"), expected, atol=0.05)


def test_anatomy_is_where_textbooks_put_it():
    hippocampus = tb.region_centroid("hippocampus", "left")
    amygdala = tb.region_centroid("amygdala", "left")
    pcc = tb.region_centroid("pcc", "left")
    acc = tb.region_centroid("acc", "left")
    assert amygdala[1] > hippocampus[1]  # the amygdala lies in front of the hippocampus
    assert acc[1] > pcc[1]
    assert tb.region_centroid("dlpfc", "right")[2] > tb.region_centroid("ofc", "right")[2]


def test_dentate_gyrus_lies_inside_the_hippocampus():
    for side in ("left", "right"):
        dentate = _voxels(tb.region_mask("dentate_gyrus", side))
        hippocampus = _voxels(tb.region_mask("hippocampus", side))
        assert (dentate & hippocampus).sum() / dentate.sum() > 0.8
        assert dentate.sum() < hippocampus.sum()


def test_prefrontal_cortex_contains_its_parts():
    pfc = _voxels(tb.region_mask("prefrontal_cortex"))
    for part in ("dlpfc", "vmpfc", "ofc"):
        assert _voxels(tb.region_mask(part))[~pfc].sum() == 0
    assert not (pfc & _voxels(tb.region_mask("hippocampus"))).any()


def test_higher_threshold_gives_a_smaller_core():
    assert _voxels(tb.region_mask("insula", threshold=50)).sum() < _voxels(tb.region_mask("insula")).sum()


def test_changing_a_returned_mask_cannot_change_the_cache():
    data = np.asarray(tb.region_mask("pcc").dataobj)
    data[:] = 1
    assert np.asarray(tb.region_mask("pcc").dataobj).sum() < data.size / 50


def test_network_aliases_are_accepted():
    assert tb.network_coords("DMN").equals(tb.network_coords("default_mode"))
    assert tb.network_info("fpn").key == "frontoparietal"


@pytest.mark.parametrize("key", ["default_mode", "frontoparietal", "salience", "medial_temporal_lobe"])
def test_networks_have_coordinates_in_the_brain(key):
    coords = tb.network_coords(key)
    assert len(coords) >= 4
    assert coords[["x", "y", "z"]].abs().max().max() < 110


def test_default_mode_network_has_midline_hubs_front_and_back():
    coords = tb.network_coords("default_mode")
    medial = coords[coords["x"].abs() < 12]
    assert (medial["y"] > 30).any() and (medial["y"] < -40).any()


def test_locate_reads_out_region_and_label():
    found = tb.locate((-25, -22, -14))
    assert found["inside_brain"] and found["hemisphere"] == "left"
    assert "hippocampus" in found["regions"]
    assert next(iter(found["labels"])) == "Left_Hippocampus"
    outside = tb.locate((0, 0, 85))
    assert not outside["inside_brain"] and outside["regions"] == [] and outside["labels"] == {}


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: tb.region_mask("hipocampus"), "did you mean 'hippocampus'"),
        (lambda: tb.region_mask("hippocampus", "lft"), "did you mean 'left'"),
        (lambda: tb.region_centroid("amygdale", "left"), "did you mean 'amygdala'"),
        (lambda: tb.region_mask("insula", threshold=0), "threshold must be"),
        (lambda: tb.region_mask("insula", threshold=25.5), "threshold must be"),
        (lambda: tb.network_coords("default mode netwrk"), "did you mean 'default_mode'"),
        (lambda: tb.network_coords("DNM"), "did you mean 'default_mode'"),
        (lambda: tb.locate((1, 2)), "three numbers"),
        (lambda: tb.locate((500, 0, 0)), "outside the MNI152 grid"),
    ],
)
def test_bad_input_gets_a_clear_value_error(call, message):
    with pytest.raises(ValueError, match=message):
        call()


@pytest.mark.parametrize(("key", "other", "hemisphere", "threshold"),
                         [("dentate_gyrus", "hippocampus", "left", 25), ("dentate_gyrus", "hippocampus", "right", 50),
                          ("amygdala", "hippocampus", "both", 25), ("pcc", "precuneus", "both", 10),
                          ("hippocampus", "ofc", "left", 25)])
def test_volume_and_overlap_equal_the_whole_grid_computation(key, other, hemisphere, threshold):
    a = np.asarray(tb.region_mask(key, hemisphere, threshold=threshold).dataobj) > 0
    b = np.asarray(tb.region_mask(other, hemisphere).dataobj) > 0
    assert tb.region_volume(key, hemisphere, threshold) == a.sum() / 1000
    assert tb.region_overlap(key, other, hemisphere, threshold) == pytest.approx((a & b).sum() / a.sum())


def test_parieto_medial_centres_lie_in_the_default_mode_hub_masks():
    # The psychodynamic lab and the atlases page say every ParietoMedial centre lies in the course's
    # precuneus or pcc mask, although the Seitzman set keeps them out of its default mode network.
    pm = tb.network_coords("parieto_medial")
    assert len(pm) >= 1
    for x, y, z in zip(pm.x, pm.y, pm.z):
        assert {"precuneus", "pcc"} & set(tb.locate((x, y, z))["regions"]), (x, y, z)
    dmn = tb.network_coords("default_mode")
    assert not set(zip(pm.x, pm.y, pm.z)) & set(zip(dmn.x, dmn.y, dmn.z))


def test_parieto_medial_label_is_named_the_parietal_memory_network():
    # Seitzman's file spells the label "ParietoMedial"; the network is the parietal memory network
    # (gilmore2015), and the course names it so wherever it lists it (issue 28, item 15).
    import json
    nets = json.loads((Path(tb.__file__).parent / "regions" / "catalogue.json").read_text())
    found = [n for group in nets.values() if isinstance(group, list) for n in group
             if isinstance(n, dict) and n.get("seitzman_label") == "ParietoMedial"]
    assert len(found) == 1 and found[0]["name"] == "Parietal memory network"
    assert "gilmore" in found[0]["why"].lower()
    root = Path(tb.__file__).resolve().parents[1]
    for page in ("chapters/back/atlases-and-methods.md", "chapters/03-therapies/psychodynamic-lab.ipynb"):
        text = (root / page).read_text(encoding="utf-8")
        assert "parietal memory network" in text and "gilmore2015" in text, page


def test_no_page_says_a_coordinate_marks_the_same_place_in_every_paper():
    # Issue 28, item 14: MNI templates (MNI305, ICBM152 linear and non-linear) and registration
    # methods differ, so a shared template gives shared axes and units, not the same spot everywhere.
    root = Path(tb.__file__).resolve().parents[1]
    overstated = re.compile(r"coordinates? means? the same place|settles? where a point is|same place in every paper",
                            re.IGNORECASE)
    files = [*(root / "chapters").rglob("*.md"), *(root / "chapters").rglob("*.ipynb"),
             *(root / "assets").rglob("*.yml")]
    found = [str(f.relative_to(root)) for f in files if overstated.search(re.sub(r"\s+", " ", f.read_text()))]
    assert not found, found
    for page in ("chapters/back/atlases-and-methods.md", "chapters/back/glossary/found.md"):
        text = (root / page).read_text(encoding="utf-8")
        assert "lancaster2007" in text and "MNI305" in text.replace("-", ""), page


def test_dentate_gyrus_mask_is_more_than_half_the_hippocampus_mask():
    # The neurogenesis chapter and lab say so at the course's 25 % threshold (left hemisphere).
    ratio = tb.region_volume("dentate_gyrus", "left") / tb.region_volume("hippocampus", "left")
    assert 0.5 < ratio < 1
