"""Figures of the SIMULATED VBM studies: a thresholded t-map, and the share of studies that find something.

Examples
--------
>>> import pandas as pd
>>> ax = plot_false_positives(pd.DataFrame({"any_uncorrected": [True, False], "any_corrected": [False, False]}))
>>> [float(bar.get_height()) for bar in ax.patches]
[0.5, 0.0]
"""

from __future__ import annotations

import warnings

import matplotlib.pyplot as plt
import nibabel as nib
import numpy as np
import pandas as pd
from matplotlib.colors import LinearSegmentedColormap
from matplotlib.lines import Line2D

from .._docs import fill_doc
from .._figures import ANAT_STYLE, legend_below, simulated_title
from .._validation import check_axes, check_choice, check_dataframe, check_figure, check_optional_text
from ..regions import region_centroid, region_info, region_mask
from ._vbm import GRID_MM

__all__ = ["THRESHOLDS", "plot_detection_by_sample_size", "plot_false_positives", "plot_simulated_tmap"]

#: Which threshold a figure shows.
THRESHOLDS = ("uncorrected", "corrected")

# Okabe-Ito colours: blue for decreases, vermillion for increases, orange and sky blue for bars.
_BLUE, _VERMILLION, _ORANGE, _SKY, _GREEN = "#0072B2", "#D55E00", "#E69F00", "#56B4E9", "#009E73"
_CMAP = LinearSegmentedColormap.from_list("okabe_ito_diverging", [_BLUE, "#FFFFFF", _VERMILLION])

# What plot_simulated_tmap reads from a summary.
_SUMMARY_KEYS = ("region", "hemisphere", "n_per_group", "effect_size", "alpha_uncorrected", "alpha_corrected",
                 "correction", "t_uncorrected", "t_corrected", "voxels_uncorrected", "voxels_corrected",
                 "clusters_uncorrected", "clusters_corrected")


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
    >>> from therapybrain.simulations.morphometry import simulate_vbm_study
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
    display.add_contours(region_mask(region.key, summary["hemisphere"], crop=True), levels=[0.5], vmin=0, vmax=1,
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



def _table_axes(table: object, columns: tuple[str, ...], source: str, ax: object) -> tuple[pd.DataFrame, plt.Axes]:
    """A table from ``source`` with ``columns``, checked, and the axes to draw in (new ones for None)."""
    table = check_dataframe(table, "table", columns, source)
    ax = check_axes(ax, "ax", rect=False)
    if ax is None:
        _, ax = plt.subplots(figsize=(6, 3.5))
    return table, ax


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
    %(returns_ax)s

    Raises
    ------
    %(raises_table_ax)s

    Examples
    --------
    >>> from therapybrain.simulations.morphometry import false_positive_rate
    >>> ax = plot_false_positives(false_positive_rate(n_studies=2, n_per_group=8))
    >>> ax.get_title()
    'SIMULATED: 2 studies of a therapy with no effect'
    """
    table, ax = _table_axes(table, ("any_uncorrected", "any_corrected"), "false_positive_rate()", ax)
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
    %(returns_ax)s

    Raises
    ------
    %(raises_table_ax)s

    Examples
    --------
    >>> from therapybrain.simulations.morphometry import detection_by_sample_size
    >>> ax = plot_detection_by_sample_size(detection_by_sample_size((8, 16), 1.0, n_studies=2))
    >>> ax.get_xlabel()
    'people per group'
    """
    table, ax = _table_axes(table, ("n_per_group", "detected"), "detection_by_sample_size()", ax)
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
