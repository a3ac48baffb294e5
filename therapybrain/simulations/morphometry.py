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

import functools
import numbers
import warnings

import matplotlib.pyplot as plt
import nibabel as nib
import numpy as np
import pandas as pd
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.lines import Line2D
from scipy import ndimage, stats

from .._docs import fill_doc
from .._figures import ANAT_STYLE, legend_below, simulated_title
from .._validation import (
    MAX_SEED,
    check_axes,
    check_choice,
    check_dataframe,
    check_figure,
    check_hemisphere,
    check_int,
    check_keywords,
    check_number,
    check_numbers,
    check_optional_text,
)
from ..atlases import course_grid
from ..regions import region_centroid, region_info, region_mask

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

#: Voxel size (mm) of the simulation grid: 4 mm keeps one simulated study well under a second.
GRID_MM = 4

#: How the whole-brain ("corrected") threshold is set.
CORRECTIONS = ("bonferroni", "permutation")

#: Which threshold a figure shows.
THRESHOLDS = ("uncorrected", "corrected")

# Okabe-Ito colours: blue for decreases, vermillion for increases, orange and sky blue for bars.
_BLUE, _VERMILLION, _ORANGE, _SKY, _GREEN = "#0072B2", "#D55E00", "#E69F00", "#56B4E9", "#009E73"
_CMAP = LinearSegmentedColormap.from_list("okabe_ito_diverging", [_BLUE, "#FFFFFF", _VERMILLION])
_CLUSTER_STRUCTURE = np.ones((3, 3, 3), dtype=bool)  # voxels touching by a face, edge or corner


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
    noise, box = _smooth_noise(rng, 2 * n_per_group, fwhm_mm)
    changes = noise[:, brain[box]]
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
def plot_simulated_tmap(
    t_map: nib.Nifti1Image,
    summary: dict,
    threshold: str = "uncorrected",
    view: str = "slices",
    title: str | None = None,
    figure: plt.Figure | None = None,
    axes: plt.Axes | None = None,
):
    """Draw a SIMULATED t-map at one of its two thresholds, with the region that got the effect outlined.

    Parameters
    ----------
    t_map : nibabel.Nifti1Image
        The t-map returned by :func:`simulate_vbm_study`.
    summary : dict
        The summary returned with it.
    threshold : {"uncorrected", "corrected"}, default="uncorrected"
        Show voxels beyond the per-voxel threshold or beyond the whole-brain threshold.
    %(view)s
    %(title_simulated)s
    %(figure)s
    %(axes)s

    Returns
    -------
    nilearn.plotting.displays.OrthoSlicer or nilearn.plotting.displays.LZRYProjector
        The nilearn display (slices, or the glass brain), its legend under the brain.

    Raises
    ------
    TypeError
        If ``t_map`` is not an image, ``summary`` not a dict, a name or ``title`` not a string, or
        ``figure``/``axes`` not matplotlib objects.
    ValueError
        For an unknown threshold or view, or a summary that is not from :func:`simulate_vbm_study`.

    Examples
    --------
    >>> t_map, summary = simulate_vbm_study("insula", 16, 0.0, seed=0)
    >>> display = plot_simulated_tmap(t_map, summary, threshold="corrected")
    >>> figure = display.frame_axes.figure
    >>> any(text.get_text().startswith("SIMULATED") for ax in figure.axes for text in ax.texts)
    True
    """
    from nilearn import plotting

    t_map, summary = _check_result(t_map, summary)
    threshold = check_choice(threshold, THRESHOLDS, "threshold")
    view = check_choice(view, ("slices", "glass"), "view")
    title = check_optional_text(title, "title")
    figure = check_figure(figure)
    axes = check_axes(axes)
    cut = summary[f"t_{threshold}"]
    region = region_info(summary["region"])
    label = "p < %g per voxel" % summary["alpha_uncorrected"] if threshold == "uncorrected" else (
        "%s, whole brain" % summary["correction"].capitalize())
    # short enough for the slice view's title bar; the region and the threshold are in the legend below
    title = simulated_title(title, f"SIMULATED: {summary['n_per_group']} vs {summary['n_per_group']}, "
                                   f"d = {summary['effect_size']:g}; {label}")
    vmax = max(float(np.abs(np.asarray(t_map.dataobj)).max()), cut + 0.5)
    common = dict(threshold=cut, vmax=vmax, cmap=_CMAP, title=title, figure=figure, axes=axes,
                  colorbar=True)
    with warnings.catch_warnings():  # nothing above threshold is a result worth showing, not a problem
        warnings.filterwarnings("ignore", message="empty mask")
        if view == "glass":
            display = plotting.plot_glass_brain(t_map, display_mode="lzry", plot_abs=False, **common)
        else:
            side = "left" if summary["hemisphere"] == "both" else summary["hemisphere"]
            display = plotting.plot_stat_map(t_map, cut_coords=region_centroid(region.key, side), **ANAT_STYLE,
                                             **common)
    display.add_contours(region_mask(region.key, summary["hemisphere"]), levels=[0.5], vmin=0, vmax=1,
                         colors=["black"], linewidths=1.0, linestyles="dashed")
    n_shown, n_clusters = summary[f"voxels_{threshold}"], summary[f"clusters_{threshold}"]
    handles = [
        Line2D([], [], color="black", linestyle="--", label=f"{region.name}: where the simulated effect was put"),
        Line2D([], [], color=_VERMILLION, linewidth=6, label="therapy > control"),
        Line2D([], [], color=_BLUE, linewidth=6, label="therapy < control"),
    ]
    which = "p < %g per voxel" % summary["alpha_uncorrected"] if threshold == "uncorrected" else (
        "%s over the whole brain, FWE %g" % (summary["correction"], summary["alpha_corrected"]))
    note = (f"SIMULATED data, not a study. |t| > {cut:.2f} ({which}): {n_shown} voxel{'s' * (n_shown != 1)} "
            f"of {GRID_MM} mm in {n_clusters} cluster{'s' * (n_clusters != 1)}")
    legend_below(display, handles, title=note, ncol=3, fontsize=8)
    return display


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
    rows = []
    for i in range(n_studies):
        _, s = simulate_vbm_study(**{**study, "seed": seed + i})
        rows.append({"seed": s["seed"], "clusters_uncorrected": s["clusters_uncorrected"],
                     "clusters_corrected": s["clusters_corrected"],
                     "any_uncorrected": s["clusters_uncorrected"] > 0,
                     "any_corrected": s["clusters_corrected"] > 0, "peak_t": s["peak_t"]})
    return pd.DataFrame(rows)


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
    rows = []
    for n in sizes:
        for i in range(n_studies):
            _, s = simulate_vbm_study(**{**study, "n_per_group": n, "seed": seed + i})
            rows.append({"n_per_group": n, "effect_size": s["effect_size"], "seed": s["seed"],
                         "detected": s["detected"],
                         "voxels_corrected": s["voxels_corrected"],
                         "clusters_corrected_outside": s["clusters_corrected_outside"], "peak_t": s["peak_t"]})
    return pd.DataFrame(rows)


@fill_doc
def plot_false_positives(table: pd.DataFrame, ax: plt.Axes | None = None) -> plt.Axes:
    """Bar chart: share of SIMULATED null studies with at least one cluster, per threshold.

    Parameters
    ----------
    table : pandas.DataFrame
        The output of :func:`false_positive_rate` (not empty).
    %(ax)s

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn in.

    Raises
    ------
    TypeError
        If ``table`` is not a DataFrame or ``ax`` not matplotlib Axes.
    ValueError
        If ``table`` is empty or lacks the columns of :func:`false_positive_rate`.

    Examples
    --------
    >>> ax = plot_false_positives(false_positive_rate(n_studies=2, n_per_group=8))
    >>> ax.get_title()
    'SIMULATED: 2 studies of a therapy with no effect'
    """
    table = check_dataframe(table, "table", ("any_uncorrected", "any_corrected"), "false_positive_rate()")
    ax = check_axes(ax, "ax", rect=False)
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 3.5))
    shares = [table["any_uncorrected"].mean(), table["any_corrected"].mean()]
    bars = ax.bar(["per-voxel threshold\n(uncorrected)", "whole-brain threshold\n(corrected)"], shares,
                  color=[_ORANGE, _SKY], edgecolor="black")
    for bar, share in zip(bars, shares):
        ax.annotate(f"{share:.0%}", (bar.get_x() + bar.get_width() / 2, share), ha="center", va="bottom")
    ax.set_ylim(0, 1.1)
    ax.set_ylabel("share of studies with ≥ 1 'significant' cluster")
    ax.set_title(f"SIMULATED: {len(table)} studies of a therapy with no effect")
    ax.spines[["top", "right"]].set_visible(False)
    return ax


@fill_doc
def plot_detection_by_sample_size(table: pd.DataFrame, ax: plt.Axes | None = None) -> plt.Axes:
    """Line chart: share of SIMULATED studies that detect the true effect, by group size.

    Parameters
    ----------
    table : pandas.DataFrame
        The output of :func:`detection_by_sample_size` (not empty).
    %(ax)s

    Returns
    -------
    matplotlib.axes.Axes
        The axes drawn in.

    Raises
    ------
    TypeError
        If ``table`` is not a DataFrame or ``ax`` not matplotlib Axes.
    ValueError
        If ``table`` is empty or lacks the columns of :func:`detection_by_sample_size`.

    Examples
    --------
    >>> ax = plot_detection_by_sample_size(detection_by_sample_size((8, 16), 1.0, n_studies=2))
    >>> ax.get_xlabel()
    'people per group'
    """
    table = check_dataframe(table, "table", ("n_per_group", "detected"), "detection_by_sample_size()")
    ax = check_axes(ax, "ax", rect=False)
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 3.5))
    share = table.groupby("n_per_group")["detected"].mean()
    ax.plot(share.index, share.to_numpy(), marker="o", color=_GREEN, markeredgecolor="black", linewidth=2)
    ax.set_xscale("log", base=2)
    ax.set_xticks(share.index, [str(n) for n in share.index])
    ax.set_ylim(-0.05, 1.05)
    ax.set_xlabel("people per group")
    ax.set_ylabel("share of studies that detect it")
    per_size = table.groupby("n_per_group").size().iloc[0]
    effect = f"d = {table['effect_size'].iloc[0]:g}" if "effect_size" in table else "the same true effect"
    ax.set_title(f"SIMULATED: {effect} in every study, {per_size} studies per group size")
    ax.grid(alpha=0.3)
    ax.spines[["top", "right"]].set_visible(False)
    return ax


# ----------------------------------------------------------------------------- helpers


def _affine() -> np.ndarray:
    """Affine of the 4 mm grid: blocks of 4 x 4 x 4 voxels of the 1 mm course grid."""
    affine = course_grid()[1]
    block = np.diag([GRID_MM, GRID_MM, GRID_MM, 1.0])
    block[:3, 3] = (GRID_MM - 1) / 2  # the centre of each block
    return affine @ block


def _coarse(data: np.ndarray) -> np.ndarray:
    """Average a 1 mm course-grid volume over 4 x 4 x 4 blocks (the fraction covered, for a mask)."""
    g = GRID_MM
    nx, ny, nz = (s // g for s in data.shape[:3])
    cropped = np.asarray(data[: nx * g, : ny * g, : nz * g], dtype=np.float32)
    return cropped.reshape(nx, g, ny, g, nz, g).mean(axis=(1, 3, 5))


@functools.lru_cache(maxsize=1)
def _grey_matter() -> np.ndarray:
    from nilearn.datasets import load_mni152_gm_mask

    mask = load_mni152_gm_mask(resolution=1)  # bundled with nilearn, on the course grid
    out = _coarse(np.asarray(mask.dataobj) > 0) >= 0.5
    out.flags.writeable = False
    return out


@functools.lru_cache(maxsize=64)
def _effect_weights(key: str, hemisphere: str) -> np.ndarray:
    out = _coarse(np.asarray(region_mask(key, hemisphere).dataobj))
    out.flags.writeable = False
    return out


def _smooth_noise(rng: np.random.Generator, n: int, fwhm_mm: float) -> tuple[np.ndarray, tuple[slice, ...]]:
    """``n`` volumes of Gaussian noise smoothed to ``fwhm_mm`` and rescaled to unit variance.

    Only the grey-matter mask's bounding box, padded by the kernel's reach, is simulated (it is
    what the test needs, and it halves the work); the box is returned with the noise.
    """
    sigma = fwhm_mm / GRID_MM / np.sqrt(8 * np.log(2))
    box = _bounding_box(int(np.ceil(3 * sigma)) + 1)
    shape = tuple(s.stop - s.start for s in box)
    noise = rng.standard_normal((n, *shape), dtype=np.float32)
    if sigma < 1e-6:
        return noise, box
    noise = ndimage.gaussian_filter(noise, sigma=(0, sigma, sigma, sigma), mode="constant", truncate=3.0)
    return noise / _kernel_norm(round(float(sigma), 6)), box


@functools.lru_cache(maxsize=16)
def _bounding_box(margin: int) -> tuple[slice, ...]:
    brain = _grey_matter()
    box = ndimage.find_objects(brain.astype(np.int8))[0]
    return tuple(slice(max(s.start - margin, 0), min(s.stop + margin, n)) for s, n in zip(box, brain.shape))


@functools.lru_cache(maxsize=16)
def _kernel_norm(sigma: float) -> float:
    """Standard deviation of unit white noise after the smoothing: the kernel's root sum of squares."""
    size = 2 * int(np.ceil(3 * sigma)) + 3
    delta = np.zeros((size, size, size), dtype=np.float64)
    delta[size // 2, size // 2, size // 2] = 1.0
    kernel = ndimage.gaussian_filter(delta, sigma=sigma, mode="constant", truncate=3.0)
    return float(np.sqrt((kernel**2).sum()))


def _two_sample_t(values: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Student's t (equal variances) of group ``True`` minus group ``False`` at every column."""
    a, b = values[groups], values[~groups]
    na, nb = len(a), len(b)
    pooled = ((na - 1) * a.var(axis=0, ddof=1) + (nb - 1) * b.var(axis=0, ddof=1)) / (na + nb - 2)
    return (a.mean(axis=0) - b.mean(axis=0)) / np.sqrt(pooled * (1 / na + 1 / nb))


def _clusters(volume: np.ndarray, threshold: float) -> tuple[np.ndarray, int]:
    """Label the clusters of |t| > threshold, positive and negative separately."""
    positive, n_pos = ndimage.label(volume > threshold, structure=_CLUSTER_STRUCTURE)
    negative, n_neg = ndimage.label(volume < -threshold, structure=_CLUSTER_STRUCTURE)
    labels = positive + np.where(negative > 0, negative + n_pos, 0)
    return labels, int(n_pos + n_neg)


# The settings of simulate_vbm_study that false_positive_rate and detection_by_sample_size pass on.
_STUDY_OPTIONS = ("hemisphere", "fwhm_mm", "alpha_uncorrected", "alpha_corrected", "correction", "n_permutations")

# What plot_simulated_tmap reads from a summary.
_SUMMARY_KEYS = ("region", "hemisphere", "n_per_group", "effect_size", "alpha_uncorrected", "alpha_corrected",
                 "correction", "t_uncorrected", "t_corrected", "voxels_uncorrected", "voxels_corrected",
                 "clusters_uncorrected", "clusters_corrected")


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


def _check_result(t_map: object, summary: object) -> tuple[nib.Nifti1Image, dict]:
    """The two outputs of :func:`simulate_vbm_study`, as :func:`plot_simulated_tmap` takes them."""
    if not isinstance(t_map, nib.spatialimages.SpatialImage):
        raise TypeError(f"t_map must be the image returned by simulate_vbm_study(), not a {type(t_map).__name__}")
    if not isinstance(summary, dict):
        raise TypeError(f"summary must be the dict returned by simulate_vbm_study(), not a {type(summary).__name__}")
    missing = [k for k in _SUMMARY_KEYS if k not in summary]
    if summary.get("simulated") is not True or missing:
        raise ValueError("summary must be the dict returned by simulate_vbm_study()"
                         + (f"; it lacks {', '.join(missing)}" if missing else ""))
    return t_map, summary
