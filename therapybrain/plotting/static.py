"""Static figures (matplotlib, through nilearn's displays): regions and networks on the MNI152 template.

Each region is filled in its colour-blind-safe colour and outlined in black, with a legend under the
brain naming it (so colour is never the only cue). A notebook shows the figure by ending the cell
with ``;``.

Examples
--------
>>> display = plot_region("amygdala", view="glass")
>>> type(display).__name__
'LZRYProjector'
"""

from __future__ import annotations

import functools
from collections.abc import Sequence

import matplotlib.pyplot as plt
import nibabel as nib
import numpy as np
from matplotlib.patches import Patch

from .._docs import fill_doc
from .._figures import legend_below, plot_anat_background
from .._validation import (
    check_axes,
    check_bool,
    check_choice,
    check_figure,
    check_hemisphere,
    check_number,
    check_optional_text,
    check_xyz,
)
from ..regions import DEFAULT_THRESHOLD, network_coords, network_info, region_info, region_mask
from ._common import VIEWS, _atlas_note, _check_regions, _inside_point

__all__ = ["VIEWS", "plot_network", "plot_region", "plot_regions"]


@fill_doc
def plot_region(
    name: str,
    hemisphere: str = "both",
    view: str = "slices",
    title: str | None = None,
    cut_coords: tuple[float, float, float] | None = None,
    figure: plt.Figure | None = None,
    axes: plt.Axes | None = None,
):
    """Draw one region on the MNI152 template, in the region's colour, with a legend under the brain.

    The region is filled in its colour and outlined in black; the legend names it and gives the
    atlas and threshold. The glass brain shows the whole region from four sides, so ``cut_coords``
    applies to the slices only.

    Parameters
    ----------
    %(region_name)s
    %(hemisphere)s
    %(view)s
    %(title)s
    %(cut_coords)s
    %(figure)s
    %(axes)s

    Returns
    -------
    %(returns_display)s

    Raises
    ------
    TypeError
        If ``name``, ``hemisphere`` or ``view`` is not a string, ``title`` not a string or None,
        ``cut_coords`` not three numbers, ``figure`` not a Figure, an int or None, or ``axes`` not an
        Axes, four numbers or None.
    ValueError
        For an unknown region, hemisphere or view (the message names the closest valid one), for
        ``cut_coords`` not finite or outside the course grid, or an ``axes`` box not of four numbers.

    See Also
    --------
    plot_regions : several regions on one brain.
    view_region : an interactive slice view to click through.
    view_3d : a 3-D view to turn with the mouse.

    Examples
    --------
    >>> display = plot_region("hippocampus", hemisphere="left")
    >>> [text.get_text() for text in display.frame_axes.figure.legends[0].get_texts()]
    ['Hippocampus']
    """
    return plot_regions([name], hemisphere=hemisphere, view=view, title=title,
                        cut_coords=cut_coords, figure=figure, axes=axes)


@fill_doc
def plot_regions(
    names: Sequence[str],
    hemisphere: str = "both",
    view: str = "slices",
    title: str | None = None,
    cut_coords: tuple[float, float, float] | None = None,
    figure: plt.Figure | None = None,
    axes: plt.Axes | None = None,
    legend: bool = True,
):
    """Draw several regions on one brain, each in its colour, with a legend.

    The regions are drawn in the order given, so later ones lie on top. The glass brain shows
    each whole region from four sides, so ``cut_coords`` applies to the slices only.

    Parameters
    ----------
    %(region_names)s
    %(hemisphere)s
    %(view)s
    %(title)s
    %(cut_coords)s
    %(figure)s
    %(axes)s
    %(legend)s

    Returns
    -------
    %(returns_display)s

    Raises
    ------
    TypeError
        If ``names`` is not a name or a list of them, a name, ``hemisphere`` or ``view`` is not a
        string, ``title`` not a string or None, ``cut_coords`` not three numbers, ``figure`` not a
        Figure, an int or None, ``axes`` not an Axes, four numbers or None, or ``legend`` not True or False.
    ValueError
        For no region, an unknown region, hemisphere or view (the message names the closest valid one),
        for ``cut_coords`` not finite or outside the course grid, or an ``axes`` box not of four numbers.

    See Also
    --------
    view_regions : an interactive slice view to click through.
    view_3d : a 3-D view to turn with the mouse.

    Examples
    --------
    >>> display = plot_regions(["hippocampus", "amygdala"], view="glass")
    >>> [text.get_text() for text in display.frame_axes.figure.legends[0].get_texts()]
    ['Hippocampus', 'Amygdala']
    """
    from nilearn import plotting

    regions = [region_info(k) for k in _check_regions(names, allow_empty=False)]
    hemisphere = check_hemisphere(hemisphere)
    view = check_choice(view, VIEWS, "view")
    title = check_optional_text(title, "title")
    cut_coords = None if cut_coords is None else check_xyz(cut_coords, "cut_coords")
    figure = check_figure(figure)
    axes = check_axes(axes)
    legend = check_bool(legend, "legend")
    masks = [_coarse_mask(r.key, hemisphere, 1) for r in regions]
    if title is None:
        side = "" if hemisphere == "both" else f", {hemisphere}"
        what = regions[0].name if len(regions) == 1 else f"{len(regions)} course regions"
        title = f"{what}{side}"
    if view == "glass":
        display = plotting.plot_glass_brain(None, display_mode="lzry", title=title,
                                            figure=figure, axes=axes)
    else:
        if cut_coords is None:
            cut_coords = _inside_point(regions[0].key, hemisphere)
        display = plot_anat_background(cut_coords, title, figure=figure, axes=axes)
    for region, mask in zip(regions, masks):
        _draw_mask(display, mask, region.colour)
    if legend:
        _legend(display, [(r.name, r.colour) for r in regions],
                note=f"{_atlas_note(regions)}, {DEFAULT_THRESHOLD} % threshold")
    return display


@fill_doc
def plot_network(
    name: str,
    view: str = "glass",
    title: str | None = None,
    figure: plt.Figure | None = None,
    axes: plt.Axes | None = None,
    node_size: float = 30,
):
    """Draw a functional network's ROI centres (Seitzman et al. 2020) as dots on a glass brain.

    Parameters
    ----------
    %(network_name)s
    view : {"glass", "slices"}, default="glass"
        ``"glass"``: a transparent "glass" brain seen from the left, from above, from the right and
        from the back, every ROI centre shown; ``"slices"``: three orthogonal template slices crossing
        at the median of the ROI centres, with the dots projected onto them.
    %(title)s
    %(figure)s
    %(axes)s
    %(node_size)s

    Returns
    -------
    nilearn.plotting.displays.LZRYProjector or nilearn.plotting.displays.OrthoSlicer
        The nilearn display (glass brain or slices), with a legend under the brain; end the cell
        with ``;`` to show only the figure.

    Raises
    ------
    TypeError
        If ``name`` or ``view`` is not a string, ``title`` not a string or None, ``figure`` not a
        Figure, an int or None, ``axes`` not an Axes, four numbers or None, or ``node_size`` not a number.
    ValueError
        For an unknown network or view (the message names the closest valid one), an ``axes`` box not
        of four numbers, or ``node_size`` not above 0 and at most 1000.

    See Also
    --------
    view_network : an interactive slice view to click through.
    view_3d : a 3-D view to turn with the mouse.

    Examples
    --------
    >>> display = plot_network("default_mode")
    >>> [text.get_text() for text in display.frame_axes.figure.legends[0].get_texts()]
    ['Default mode network']
    """
    from nilearn import plotting

    network = network_info(name)
    view = check_choice(view, VIEWS, "view")
    title = check_optional_text(title, "title")
    figure = check_figure(figure)
    axes = check_axes(axes)
    node_size = check_number(node_size, "node_size (points squared)", 0, 1000, low_open=True)
    coords = network_coords(network.key)[["x", "y", "z"]].to_numpy()
    if title is None:
        title = f"{network.name} ({len(coords)} ROI centres)"
    if view == "glass":
        display = plotting.plot_glass_brain(None, display_mode="lzry", title=title, figure=figure, axes=axes)
    else:
        display = plot_anat_background(tuple(float(v) for v in np.median(coords, axis=0)), title,
                                       figure=figure, axes=axes)
    display.add_markers(coords, marker_color=network.colour, marker_size=node_size,
                        edgecolors="black", linewidths=0.5)
    _legend(display, [(network.name, network.colour)], note="ROI centres: Seitzman et al. (2020)", marker=True)
    return display


def _draw_mask(display, mask: nib.Nifti1Image, colour: str) -> None:
    """A region filled in its colour, outlined in black. vmin/vmax are fixed because nilearn takes them
    from the cut slices otherwise, and a region outside one of them makes numpy warn on every page."""
    display.add_contours(mask, filled=True, levels=[0.5], vmin=0, vmax=1, colors=[colour], transparency=0.85)
    display.add_contours(mask, levels=[0.5], vmin=0, vmax=1, colors=["black"], linewidths=0.4)


@functools.lru_cache(maxsize=64)
def _coarse_mask(key: str, hemisphere: str, step: int) -> nib.Nifti1Image:
    """A region mask keeping every ``step``-th voxel (nearest neighbour): cheap to contour."""
    mask = region_mask(key, hemisphere, crop=True)  # the region's box only: 1/20 of the memory and time
    if step == 1:
        return mask
    data = np.asarray(mask.dataobj)[::step, ::step, ::step]
    affine = mask.affine.copy()
    affine[:3, :3] *= step
    return nib.Nifti1Image(np.ascontiguousarray(data), affine)


def _legend(display, entries: list[tuple[str, str]], note: str, marker: bool = False) -> None:
    """Put a legend below the brain: one patch (or dot) and name per colour, plus a source note."""
    if marker:
        handles = [plt.Line2D([], [], marker="o", linestyle="", markerfacecolor=c, markeredgecolor="black",
                              markersize=8, label=n) for n, c in entries]
    else:
        handles = [Patch(facecolor=c, edgecolor="black", label=n) for n, c in entries]
    legend_below(display, handles, title=note)
