"""SIMULATED voxel-based morphometry (VBM) studies, for learning to read grey-matter findings.

Nothing here is data. The functions build toy "therapy versus control" studies from random
numbers so that a reader can see what a thresholded t-map is, how often noise alone gives
"significant" clusters, and how sample size changes what a study can find.

How a simulated study is built
------------------------------
Each simulated person has one *change map*: the change in grey-matter signal from before to
after the study period, on a 4 mm copy of the course's MNI152 grid, inside nilearn's bundled
MNI152 grey-matter mask. The change map is smooth random noise (Gaussian noise smoothed with a
Gaussian kernel of ``fwhm_mm``, scaled back to unit standard deviation), as after the smoothing
step of a real VBM analysis. People in the therapy group get ``effect_size`` added inside one
course region (weighted by how much of each 4 mm voxel the region covers); people in the control
group do not. A two-sample t-test at every voxel compares the two groups' changes, which is the
group-by-time interaction of a pre/post design with a control group.

``effect_size`` is therefore a standardised difference (Cohen's *d*) at each voxel of the region:
the difference between the groups' mean change, in units of the between-person standard
deviation of that change. Its size is the user's choice, not an estimate from any study.

Examples
--------
>>> from therapybrain.simulations import morphometry
>>> t_map, summary = morphometry.simulate_vbm_study("insula", n_per_group=16, effect_size=0.0, seed=0)
>>> summary["simulated"], summary["n_per_group"]
(True, 16)
"""

from __future__ import annotations

import numbers
from collections.abc import Iterator

import nibabel as nib
import numpy as np
import pandas as pd
from scipy import stats

from .._docs import fill_doc
from .._validation import (
    MAX_SEED,
    check_choice,
    check_hemisphere,
    check_int,
    check_keywords,
    check_number,
    check_numbers,
)
from ..regions import region_info
from ._vbm import GRID_MM as GRID_MM  # the grid's voxel size, importable from here as before
from ._vbm import _affine, _clusters, _effect_weights, _grey_matter, _smooth_noise, _two_sample_t
from .morphometry_plots import THRESHOLDS as THRESHOLDS  # the figures, importable from here as before
from .morphometry_plots import plot_detection_by_sample_size, plot_false_positives, plot_simulated_tmap

__all__ = [
    "CORRECTIONS",
    "THRESHOLDS",
    "false_positive_rate",
    "plot_detection_by_sample_size",
    "plot_false_positives",
    "plot_simulated_tmap",
    "simulate_vbm_study",
    "detection_by_sample_size",
]

#: How the whole-brain ("corrected") threshold is set.
CORRECTIONS = ("bonferroni", "permutation")


@fill_doc
def simulate_vbm_study(
    region: str = "insula",
    n_per_group: int = 16,
    effect_size: float = 0.0,
    seed: int = 0,
    hemisphere: str = "both",
    fwhm_mm: float = 8.0,
    alpha_uncorrected: float = 0.001,
    alpha_corrected: float = 0.05,
    correction: str = "bonferroni",
    n_permutations: int = 200,
) -> tuple[nib.Nifti1Image, dict]:
    """Simulate one small pre/post VBM study (therapy group vs control group) and test it.

    Parameters
    ----------
    region : str, default="insula"
        The course region where the therapy group's change is put: its key (see
        :func:`therapybrain.list_regions`), name or short name. With ``effect_size=0`` it only
        marks where one would look.
    %(n_per_group)s
    %(effect_size)s
    %(seed)s
    %(vbm_options)s

    Returns
    -------
    t_map : nibabel.Nifti1Image
        Voxel-wise t-values (therapy minus control) on the 4 mm grid; 0 outside the grey-matter mask.
    summary : dict
        ``simulated`` (always True), the inputs, ``df`` (degrees of freedom), ``n_voxels`` (tests
        done), the two thresholds ``t_uncorrected`` and ``t_corrected``, and for each threshold the
        number of suprathreshold voxels (``voxels_uncorrected``, ``voxels_corrected``) and clusters
        (``clusters_uncorrected``, ``clusters_corrected``), the corrected clusters that lie
        entirely outside the region (``clusters_corrected_outside``), whether any corrected voxel lies
        inside the region (``detected``), and the peak (``peak_t``, ``peak_mni`` in mm).

    Raises
    ------
    TypeError
        For a name that is not a string, a number that is not a number, or a count or seed that is
        not an int.
    ValueError
        For an unknown region, hemisphere or correction (the message names the valid ones), or a
        number out of its range.

    Examples
    --------
    >>> t_map, summary = simulate_vbm_study("amygdala", n_per_group=20, effect_size=2.0, seed=1)
    >>> summary["detected"]
    True
    >>> t_map.shape == simulate_vbm_study("amygdala", 20, 2.0, seed=1)[0].shape
    True
    """
    study = _check_study(region, n_per_group, effect_size, seed, hemisphere, fwhm_mm, alpha_uncorrected,
                         alpha_corrected, correction, n_permutations)
    key, n_per_group, effect_size, seed, hemisphere, fwhm_mm = (
        study[k] for k in ("region", "n_per_group", "effect_size", "seed", "hemisphere", "fwhm_mm"))
    alpha_uncorrected, alpha_corrected, correction, n_permutations = (
        study[k] for k in ("alpha_uncorrected", "alpha_corrected", "correction", "n_permutations"))

    rng = np.random.default_rng(seed)
    brain = _grey_matter()
    weights = _effect_weights(key, hemisphere)[brain]
    changes = _smooth_noise(rng, 2 * n_per_group, fwhm_mm)  # (subjects, grey-matter voxels)
    changes[:n_per_group] += effect_size * weights
    groups = np.repeat([True, False], n_per_group)  # True: therapy group
    t = _two_sample_t(changes, groups)
    df = 2 * n_per_group - 2

    t_unc = float(stats.t.isf(alpha_uncorrected / 2, df))
    if correction == "bonferroni":
        t_cor = float(stats.t.isf(alpha_corrected / (2 * t.size), df))
    else:
        maxima = [np.abs(_two_sample_t(changes, rng.permutation(groups))).max() for _ in range(n_permutations)]
        t_cor = float(np.quantile(maxima, 1 - alpha_corrected))

    volume = np.zeros(brain.shape, dtype=np.float32)
    volume[brain] = t
    inside = np.zeros(brain.shape, dtype=bool)
    inside[brain] = weights >= 0.5
    peak = np.unravel_index(np.argmax(np.abs(volume)), volume.shape)
    peak_mni = tuple(round(float(v), 1) for v in _affine()[:3, :3] @ np.array(peak) + _affine()[:3, 3])
    summary = {
        "simulated": True,
        "region": key,
        "hemisphere": hemisphere,
        "n_per_group": n_per_group,
        "effect_size": effect_size,
        "seed": seed,
        "fwhm_mm": fwhm_mm,
        "correction": correction,
        "df": df,
        "n_voxels": int(t.size),
        "voxel_mm": GRID_MM,
        "alpha_uncorrected": alpha_uncorrected,
        "alpha_corrected": alpha_corrected,
        "t_uncorrected": round(t_unc, 3),
        "t_corrected": round(t_cor, 3),
    }
    for name, threshold in (("uncorrected", t_unc), ("corrected", t_cor)):
        labels, n_clusters = _clusters(volume, threshold)
        summary[f"voxels_{name}"] = int((labels > 0).sum())
        summary[f"clusters_{name}"] = n_clusters
        if name == "corrected":
            touching = set(np.unique(labels[inside & (labels > 0)]).tolist())
            summary["clusters_corrected_outside"] = n_clusters - len(touching)
            summary["detected"] = bool(touching)
    summary["peak_t"] = round(float(volume[peak]), 2)
    summary["peak_mni"] = peak_mni
    return nib.Nifti1Image(volume, _affine()), summary


@fill_doc
def false_positive_rate(
    n_studies: int = 20,
    n_per_group: int = 16,
    region: str = "insula",
    seed: int = 0,
    **options,
) -> pd.DataFrame:
    """Simulate studies of a therapy that does nothing and count their "significant" clusters.

    Parameters
    ----------
    n_studies : int, default=20
        How many null studies, a whole number from 1 to 500; study ``i`` uses seed ``seed + i``.
    %(n_per_group)s
    region : str, default="insula"
        The course region one would have looked at (key, name or short name; it gets no effect).
    seed : int, default=0
        Seed of the first study, a whole number from 0 to 2**32 - 1 - ``n_studies``.
    %(vbm_more)s
        ``effect_size`` is not allowed here, as it is always 0.

    Returns
    -------
    pandas.DataFrame
        One row per SIMULATED study: ``seed``, ``clusters_uncorrected``, ``clusters_corrected``,
        ``any_uncorrected`` and ``any_corrected`` (at least one cluster), and ``peak_t``.

    Raises
    ------
    TypeError
        For a count or seed that is not an int, an option of the wrong type, or an unknown option.
    ValueError
        For a number out of its range, an unknown region or choice, or an ``effect_size`` option.

    Examples
    --------
    >>> table = false_positive_rate(n_studies=3, n_per_group=10)
    >>> list(table.columns)
    ['seed', 'clusters_uncorrected', 'clusters_corrected', 'any_uncorrected', 'any_corrected', 'peak_t']
    """
    n_studies = check_int(n_studies, "n_studies", 1, 500)
    seed = check_int(seed, "seed", 0, MAX_SEED - n_studies)
    if "effect_size" in options:
        raise ValueError("false_positive_rate() simulates no effect; use detection_by_sample_size() for effects")
    options = check_keywords(options, _STUDY_OPTIONS, "false_positive_rate")
    study = _check_study(region, n_per_group, 0.0, seed, **options)
    return pd.DataFrame([{"seed": s["seed"], "clusters_uncorrected": s["clusters_uncorrected"],
                          "clusters_corrected": s["clusters_corrected"],
                          "any_uncorrected": s["clusters_uncorrected"] > 0,
                          "any_corrected": s["clusters_corrected"] > 0, "peak_t": s["peak_t"]}
                         for s in _summaries(study, n_studies)])


@fill_doc
def detection_by_sample_size(
    sample_sizes: tuple[int, ...] = (8, 16, 32, 64),
    effect_size: float = 0.8,
    n_studies: int = 5,
    region: str = "insula",
    seed: int = 0,
    **options,
) -> pd.DataFrame:
    """Simulate studies of the same true effect at several group sizes and record what each finds.

    Parameters
    ----------
    sample_sizes : int or sequence of int, default=(8, 16, 32, 64)
        People per group to try (at least one size), each a whole number from 3 to 500.
    effect_size : float, default=0.8
        The true standardised effect inside the region (Cohen's *d*, from -5 to 5; the user's
        choice, not a published value).
    n_studies : int, default=5
        SIMULATED studies per sample size, a whole number from 1 to 200.
    region : str, default="insula"
        The course region that gets the effect (key, name or short name).
    seed : int, default=0
        Seed of the first study of each size, a whole number from 0 to 2**32 - 1 - ``n_studies``;
        study ``i`` of each size uses seed ``seed + i``.
    %(vbm_more)s

    Returns
    -------
    pandas.DataFrame
        One row per SIMULATED study: ``n_per_group``, ``effect_size``, ``seed``, ``detected`` (a corrected cluster
        inside the region), ``voxels_corrected``, ``clusters_corrected_outside`` and ``peak_t``.

    Raises
    ------
    TypeError
        For sizes, a count or a seed that are not ints, an option of the wrong type, or an unknown option.
    ValueError
        For an empty ``sample_sizes``, a number out of its range, or an unknown region or choice.

    Examples
    --------
    >>> table = detection_by_sample_size((8, 32), effect_size=1.0, n_studies=2)
    >>> sorted(set(table["n_per_group"]))
    [8, 32]
    """
    if isinstance(sample_sizes, numbers.Integral) and not isinstance(sample_sizes, bool):
        sample_sizes = (sample_sizes,)
    sizes = [int(n) for n in check_numbers(sample_sizes, "sample_sizes", 3, 500, integer=True)]
    n_studies = check_int(n_studies, "n_studies", 1, 200)
    seed = check_int(seed, "seed", 0, MAX_SEED - n_studies)
    options = check_keywords(options, _STUDY_OPTIONS, "detection_by_sample_size")
    study = _check_study(region, sizes[0], effect_size, seed, **options)
    return pd.DataFrame([{"n_per_group": s["n_per_group"], "effect_size": s["effect_size"], "seed": s["seed"],
                          "detected": s["detected"], "voxels_corrected": s["voxels_corrected"],
                          "clusters_corrected_outside": s["clusters_corrected_outside"], "peak_t": s["peak_t"]}
                         for s in _summaries(study, n_studies, tuple(sizes))])


def _summaries(study: dict, n_studies: int, sizes: tuple[int, ...] = ()) -> Iterator[dict]:
    """The summaries of ``n_studies`` studies at each group size (``()``: the study's own), seeds ``seed + i``."""
    for n in sizes or (study["n_per_group"],):
        for i in range(n_studies):
            yield simulate_vbm_study(**{**study, "n_per_group": n, "seed": study["seed"] + i})[1]


# The settings of simulate_vbm_study that false_positive_rate and detection_by_sample_size pass on.
_STUDY_OPTIONS = ("hemisphere", "fwhm_mm", "alpha_uncorrected", "alpha_corrected", "correction", "n_permutations")

def _check_study(region, n_per_group, effect_size, seed, hemisphere="both", fwhm_mm=8.0, alpha_uncorrected=0.001,
                 alpha_corrected=0.05, correction="bonferroni", n_permutations=200) -> dict:
    """The settings of one simulated study, checked and normalised, as :func:`simulate_vbm_study` takes them."""
    return {
        "region": region_info(region).key,
        "n_per_group": check_int(n_per_group, "n_per_group", 3, 500),
        "effect_size": check_number(effect_size, "effect_size", -5, 5),
        "seed": check_int(seed, "seed", 0, MAX_SEED),
        "hemisphere": check_hemisphere(hemisphere),
        "fwhm_mm": check_number(fwhm_mm, "fwhm_mm", 0, 20),
        "alpha_uncorrected": check_number(alpha_uncorrected, "alpha_uncorrected", 0, 0.5, low_open=True),
        "alpha_corrected": check_number(alpha_corrected, "alpha_corrected", 0, 0.5, low_open=True),
        "correction": check_choice(correction, CORRECTIONS, "correction"),
        "n_permutations": check_int(n_permutations, "n_permutations", 20, 10_000),
    }

