"""SIMULATED VBM studies: noise alone rarely passes a corrected threshold, a large effect is found
where it was put, the same seed gives the same map, and bad input names the valid choices."""

import numpy as np
import pytest

import therapybrain as tb
from therapybrain.simulations import morphometry


def _mni_of_voxels(image, selected):
    ijk = np.argwhere(selected)
    return ijk @ image.affine[:3, :3].T + image.affine[:3, 3]


def test_map_is_on_a_4mm_mni_grid_and_summary_is_marked_simulated():
    t_map, summary = morphometry.simulate_vbm_study("insula", n_per_group=16, effect_size=0.0, seed=0)
    assert np.allclose(np.abs(np.diag(t_map.affine)[:3]), 4)
    assert summary["simulated"] is True
    assert summary["df"] == 30
    assert summary["n_voxels"] == int(np.count_nonzero(np.asarray(t_map.dataobj)))
    assert summary["t_corrected"] > summary["t_uncorrected"] > 3


def test_no_effect_gives_uncorrected_blobs_but_few_corrected_false_positives():
    table = morphometry.false_positive_rate(n_studies=10, n_per_group=16, seed=0)
    assert len(table) == 10
    # Thousands of tests at p < 0.001 each: noise alone gives "clusters" in nearly every study.
    assert table["any_uncorrected"].mean() >= 0.8
    # A whole-brain (family-wise) threshold at 5 % lets noise through in few studies.
    assert table["any_corrected"].mean() <= 0.2


def test_large_effect_is_detected_inside_its_region():
    t_map, summary = morphometry.simulate_vbm_study("amygdala", n_per_group=20, effect_size=2.5, seed=3)
    assert summary["detected"]
    assert summary["peak_t"] > summary["t_corrected"]
    # The peak lies in or next to the amygdala (within one 4 mm voxel's reach of its mask).
    located = tb.locate(summary["peak_mni"])
    mask = np.asarray(tb.region_mask("amygdala").dataobj) > 0
    voxel = np.round(np.linalg.inv(tb.course_grid()[1]) @ (*summary["peak_mni"], 1))[:3].astype(int)
    near = mask[tuple(slice(v - 4, v + 5) for v in voxel)].any()
    assert near, located
    assert summary["clusters_corrected_outside"] <= 1


def test_negative_effect_gives_negative_t_and_one_hemisphere_stays_on_its_side():
    t_map, summary = morphometry.simulate_vbm_study("insula", 24, effect_size=-2.5, seed=1, hemisphere="left")
    data = np.asarray(t_map.dataobj)
    assert summary["peak_t"] < 0
    strong = data < -summary["t_corrected"]
    assert strong.any()
    assert (_mni_of_voxels(t_map, strong)[:, 0] < 0).mean() > 0.9


def test_bigger_groups_detect_the_same_effect_more_often():
    table = morphometry.detection_by_sample_size((8, 64), effect_size=0.8, n_studies=3, seed=0)
    share = table.groupby("n_per_group")["detected"].mean()
    assert share[64] > share[8]


def test_same_seed_same_map_other_seed_other_map():
    a, sa = morphometry.simulate_vbm_study("hippocampus", 10, 0.5, seed=7)
    b, sb = morphometry.simulate_vbm_study("hippocampus", 10, 0.5, seed=7)
    c, _ = morphometry.simulate_vbm_study("hippocampus", 10, 0.5, seed=8)
    assert np.array_equal(np.asarray(a.dataobj), np.asarray(b.dataobj)) and sa == sb
    assert not np.array_equal(np.asarray(a.dataobj), np.asarray(c.dataobj))


def test_permutation_threshold_is_a_whole_brain_threshold():
    _, summary = morphometry.simulate_vbm_study("insula", 8, 0.0, seed=0, correction="permutation",
                                                n_permutations=50)
    assert summary["correction"] == "permutation"
    assert summary["t_corrected"] > summary["t_uncorrected"]


@pytest.mark.parametrize("threshold", ["uncorrected", "corrected"])
@pytest.mark.parametrize("view", ["slices", "glass"])
def test_figures_say_simulated(threshold, view):
    t_map, summary = morphometry.simulate_vbm_study("insula", 16, 1.0, seed=0)
    display = morphometry.plot_simulated_tmap(t_map, summary, threshold=threshold, view=view)
    figure = display.frame_axes.figure
    texts = [t.get_text() for ax in figure.axes for t in ax.texts]
    texts += [legend.get_title().get_text() for legend in figure.legends]
    assert any(t.startswith("SIMULATED") for t in texts)
    assert any("SIMULATED data, not a study" in t for t in texts)


def test_own_title_gets_the_simulated_label():
    t_map, summary = morphometry.simulate_vbm_study("insula", 8, 0.0, seed=0)
    display = morphometry.plot_simulated_tmap(t_map, summary, title="Noise only")
    texts = [t.get_text() for ax in display.frame_axes.figure.axes for t in ax.texts]
    assert "SIMULATED: Noise only" in texts


def test_summary_charts_say_simulated():
    ax = morphometry.plot_false_positives(morphometry.false_positive_rate(n_studies=2, n_per_group=8))
    assert ax.get_title().startswith("SIMULATED")
    ax = morphometry.plot_detection_by_sample_size(morphometry.detection_by_sample_size((8, 16), 1.0, 1))
    assert ax.get_title().startswith("SIMULATED")


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"region": "insular"}, "did you mean 'insula'"),
        ({"hemisphere": "middle"}, "Valid hemispheres"),
        ({"correction": "fdr"}, "'bonferroni', 'permutation'"),
        ({"n_per_group": 2}, "n_per_group"),
        ({"effect_size": float("nan")}, "effect_size"),
        ({"fwhm_mm": -1}, "fwhm_mm"),
        ({"alpha_corrected": 0}, "alpha_corrected"),
        ({"seed": -1}, "seed"),
    ],
)
def test_bad_input_names_the_problem(kwargs, message):
    with pytest.raises(ValueError, match=message):
        morphometry.simulate_vbm_study(**kwargs)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"n_per_group": 16.0}, "n_per_group"),
        ({"effect_size": "large"}, "effect_size"),
    ],
)
def test_wrong_types_name_the_problem(kwargs, message):
    with pytest.raises(TypeError, match=message):
        morphometry.simulate_vbm_study(**kwargs)


def test_bad_input_to_helpers():
    t_map, summary = morphometry.simulate_vbm_study("insula", 8, 0.0, seed=0)
    with pytest.raises(ValueError, match="Valid thresholds"):
        morphometry.plot_simulated_tmap(t_map, summary, threshold="p<0.05")
    with pytest.raises(ValueError, match="simulate_vbm_study"):
        morphometry.plot_simulated_tmap(t_map, {"region": "insula"})
    with pytest.raises(ValueError, match="no effect"):
        morphometry.false_positive_rate(n_studies=2, effect_size=1.0)
    with pytest.raises(ValueError, match="sample_sizes"):
        morphometry.detection_by_sample_size(())
    with pytest.raises(TypeError, match="false_positive_rate"):
        morphometry.plot_false_positives(None)
