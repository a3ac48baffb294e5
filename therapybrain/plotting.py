"""Figures of the course's regions and networks: static (matplotlib) and interactive (HTML).

Every function takes plain region or network keys, draws each region in its own
colour-blind-safe colour with a legend (so colour is never the only cue), and returns
the nilearn object, which a notebook shows by ending the cell with ``;`` (static) or by
leaving the view as the cell's last value (interactive).
"""

from __future__ import annotations

import functools
import io
import json
from collections.abc import Sequence
from dataclasses import dataclass
from html import escape

import matplotlib.pyplot as plt
import nibabel as nib
import numpy as np
from matplotlib.colors import ListedColormap
from matplotlib.figure import Figure
from matplotlib.patches import Patch, PathPatch
from nilearn.plotting.html_stat_map import StatMapView

from ._docs import fill_doc
from ._figures import legend_below, plot_anat_background
from ._validation import (
    check_axes,
    check_bool,
    check_choice,
    check_choices,
    check_figure,
    check_hemisphere,
    check_int,
    check_number,
    check_optional_text,
    check_resolution,
    check_xyz,
)
from .atlases import course_grid, load_atlas
from .regions import (
    DEFAULT_THRESHOLD,
    REGION_ALIASES,
    _mask_crop,
    list_regions,
    network_coords,
    network_info,
    region_centroid,
    region_info,
    region_mask,
)

__all__ = [
    "VIEWS",
    "Brain3DView",
    "BrainView",
    "plot_network",
    "plot_selection",
    "plot_region",
    "plot_regions",
    "network_hub",
    "view_network",
    "view_region",
    "view_regions",
    "view_3d",
]

#: The static views: orthogonal slices through a point, or a transparent "glass" brain.
VIEWS = ("slices", "glass")


class BrainView(StatMapView):
    """nilearn's interactive slice view, whose ``<iframe>`` carries a descriptive ``title``.

    Screen readers announce an inline frame by its title (WCAG 4.1.2, axe rule ``frame-title``);
    nilearn's own iframe has none. Everything else (``save_as_html``, ``open_in_browser``,
    ``resize``) is nilearn's. :func:`view_region`, :func:`view_regions` and :func:`view_network`
    make one; a notebook shows it when it is a cell's last value.

    Parameters
    ----------
    view : nilearn.plotting.html_stat_map.StatMapView
        The view made by nilearn's ``view_img``; its page, width and height are taken over.
    frame_title : str
        What the view shows, as screen readers announce the frame ("Interactive slice view: ...").

    Examples
    --------
    >>> view = view_region("amygdala")
    >>> view.frame_title
    'Interactive slice view: Amygdala (both hemispheres)'
    """

    # nilearn's iframe has no title: an upstream ``title=`` option for the iframe of ``view_img``
    # (nilearn.plotting.html_document.HTMLDocument.get_iframe) would remove this subclass, which
    # takes over a view by copying its ``__dict__``.
    def __init__(self, view: StatMapView, frame_title: str) -> None:
        self.__dict__.update(view.__dict__)
        self.frame_title = frame_title

    def get_iframe(self, width: int | None = None, height: int | None = None) -> str:
        """The view in an ``<iframe srcdoc=...>`` with a ``title`` attribute, for an HTML page.

        Parameters
        ----------
        width, height : int or None, default=None
            The frame's size in pixels (whole numbers >= 1); None keeps the view's own.

        Returns
        -------
        str
            The ``<iframe>`` element, the whole page inlined in its ``srcdoc``.

        Raises
        ------
        TypeError
            If ``width`` or ``height`` is not an int or None.
        ValueError
            If ``width`` or ``height`` is below 1.

        Examples
        --------
        >>> frame = view_region("amygdala").get_iframe(width=600)
        >>> frame.startswith('<iframe title="Interactive slice view: Amygdala'), 'width="600"' in frame
        (True, True)
        """
        width, height = _check_size(width, "width"), _check_size(height, "height")
        html = super().get_iframe(width, height)
        return html.replace("<iframe ", f'<iframe title="{escape(self.frame_title, quote=True)}" ', 1)


def _check_size(value: object, name: str) -> int | None:
    """None, or a frame's width or height in whole pixels (>= 1)."""
    return None if value is None else check_int(value, name, 1)


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
    nilearn.plotting.displays.OrthoSlicer or nilearn.plotting.displays.LZRYProjector
        The nilearn display (slices or glass brain); end the cell with ``;`` to show only the figure.

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
    nilearn.plotting.displays.OrthoSlicer or nilearn.plotting.displays.LZRYProjector
        The nilearn display (slices or glass brain); end the cell with ``;`` to show only the figure.

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
def plot_selection(
    regions: Sequence[str] = (),
    network: str | None = None,
    hemisphere: str = "both",
    view: str = "slices",
    cut_coords: tuple[float, float, float] = (0.0, 0.0, 0.0),
    title: str | None = None,
    figure: plt.Figure | None = None,
    resolution: int = 1,
):
    """Draw any selection (no region, some regions, a network, or both) with slices crossing at a point.

    This is the drawing behind the region explorer: unlike :func:`plot_regions` it accepts
    an empty selection (the bare template), the slices cross at ``cut_coords`` (a cross marks
    it, also on the glass brain), and it is drawn with plain matplotlib from cached arrays, fast
    enough to follow a slider. A network's ROI centres near a slice (within 8 mm) are dots;
    the others are rings projected onto it, so a chosen network is always visible.

    Parameters
    ----------
    %(regions)s
    %(network)s
    %(hemisphere)s
    %(view)s
    cut_coords : (x, y, z), default=(0, 0, 0)
        Where the slices cross, in MNI millimetres (three finite numbers inside the course grid);
        on the glass brain a cross marks the point.
    %(title)s
    figure : matplotlib Figure or None, default=None
        The figure to draw in: a figure this function drew before is updated in place (only what
        changed is redrawn), any other is cleared first; it is resized to fit the legend. None makes
        a new pyplot figure.
    resolution : {1, 2}, default=1
        Voxel size, in whole millimetres, of the slices drawn: 2 draws a quarter of the pixels.

    Returns
    -------
    matplotlib.figure.Figure
        ``figure``, or the new figure, with the selection drawn and a legend under the brain.

    Raises
    ------
    TypeError
        If ``regions`` is not a name or a list of them, a name, ``network``, ``hemisphere`` or
        ``view`` is not a string, ``cut_coords`` not three numbers, ``title`` not a string or None,
        or ``resolution`` not an int.
    ValueError
        For an unknown region, network, hemisphere or view (the message names the closest valid one),
        for ``cut_coords`` not finite or outside the course grid, or a ``resolution`` other than 1 or 2.

    Examples
    --------
    >>> figure = plot_selection(["amygdala"], network="salience", cut_coords=(-22, -4, -18))
    >>> [text.get_text() for text in figure.legends[0].get_texts()]
    ['Amygdala', 'Salience network (ROI centres)']
    """
    chosen = [region_info(k) for k in _check_regions(regions)]
    net = network_info(network) if network is not None else None
    hemisphere = check_hemisphere(hemisphere)
    view = check_choice(view, VIEWS, "view")
    cut_coords = check_xyz(cut_coords, "cut_coords")
    title = check_optional_text(title, "title")
    resolution = check_resolution(resolution, (1, 2))
    if figure is not None and not isinstance(figure, Figure):
        raise TypeError(f"figure must be a matplotlib Figure (one this function drew before) or None, "
                        f"not {figure!r} (a {type(figure).__name__}).")
    if title is None:
        parts = [r.name for r in chosen] + ([net.name] if net else [])
        title = ", ".join(parts) if parts else "MNI152 template"
        if len(title) > 60:
            title = f"{parts[0]} + {len(parts) - 1} more"
    if figure is None:
        figure = plt.figure(figsize=(_FIGURE_WIDTH, 3.5))
    _draw_selection(figure, chosen, net, hemisphere, view, tuple(cut_coords), title, resolution)
    return figure


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


@fill_doc
def view_region(name: str, hemisphere: str = "both", resolution: int = 2) -> BrainView:
    """Open an interactive slice view of one region (nilearn's ``view_img``): click or drag to move the slices.

    It opens at the region's voxel nearest its centroid, with the title and a legend above
    the slices. The view works offline: its scripts are inlined in the HTML. The mask is
    shown at ``resolution`` mm (2 mm keeps a book page light). For a view to turn with the
    mouse, see :func:`view_3d`.

    Parameters
    ----------
    %(region_name)s
    %(hemisphere)s
    %(resolution)s

    Returns
    -------
    BrainView
        The view; a notebook shows it when it is the cell's last value (``save_as_html`` writes it
        to a file).

    Raises
    ------
    TypeError
        If ``name`` or ``hemisphere`` is not a string, or ``resolution`` not an int.
    ValueError
        For an unknown region or hemisphere (the message names the closest valid one), or a
        ``resolution`` other than 1, 2, 3 or 4.

    See Also
    --------
    plot_region : the same region as a static figure.

    Examples
    --------
    >>> view = view_region("amygdala")
    >>> view.frame_title
    'Interactive slice view: Amygdala (both hemispheres)'
    """
    return view_regions([name], hemisphere=hemisphere, resolution=resolution)


@fill_doc
def view_regions(names: Sequence[str], hemisphere: str = "both", resolution: int = 2) -> BrainView:
    """Open an interactive slice view of several regions, each in its colour: click or drag to move the slices.

    It opens at the first region's voxel nearest its centroid, with the title and a legend of
    the colours above the slices; where regions overlap, the later one shows. The view works
    offline: its scripts are inlined in the HTML. For a view to turn with the mouse, see
    :func:`view_3d`.

    Parameters
    ----------
    %(region_names)s
    %(hemisphere)s
    %(resolution)s

    Returns
    -------
    BrainView
        The view; a notebook shows it when it is the cell's last value (``save_as_html`` writes it
        to a file).

    Raises
    ------
    TypeError
        If ``names`` is not a name or a list of them, a name or ``hemisphere`` is not a string, or
        ``resolution`` not an int.
    ValueError
        For no region, an unknown region or hemisphere (the message names the closest valid one), or a
        ``resolution`` other than 1, 2, 3 or 4.

    Examples
    --------
    >>> view = view_regions(["pcc", "precuneus"])
    >>> view.frame_title
    'Interactive slice view: Posterior cingulate cortex + Precuneus (both hemispheres)'
    """
    from nilearn import plotting
    from nilearn.image import resample_img

    regions = [region_info(k) for k in _check_regions(names, allow_empty=False)]
    hemisphere = check_hemisphere(hemisphere)
    resolution = check_resolution(resolution, (1, 2, 3, 4))
    template = _template()
    labelled = np.zeros(template.shape, dtype=np.float32)
    for number, region in enumerate(regions, start=1):
        labelled[np.asarray(region_mask(region.key, hemisphere).dataobj) > 0] = number
    image = nib.Nifti1Image(labelled, template.affine)
    if resolution != 1:
        image = resample_img(image, target_affine=np.diag([resolution] * 3), interpolation="nearest",
                             force_resample=True, copy_header=True)
    colours = ["#000000"] + [r.colour for r in regions]
    cmap = ListedColormap(colours)
    title = " + ".join(r.name for r in regions)
    centre = _inside_point(regions[0].key, hemisphere)
    # No title or colour bar inside the slices (nilearn cuts a long title at the first slice and
    # numbers the regions 0-n): both go above them, in HTML, with a legend of the colours.
    view = plotting.view_img(
        image, bg_img=_template(resolution), cmap=cmap, symmetric_cmap=False, vmin=0,
        vmax=len(regions), threshold=0.5, colorbar=False, title=None,
        cut_coords=centre, resampling_interpolation="nearest", black_bg=False, opacity=0.85,
    )
    side = "both hemispheres" if hemisphere == "both" else f"{hemisphere} hemisphere"
    _add_header(view, f"{title} ({side})", [(r.name, r.colour) for r in regions],
                f"{_atlas_note(regions)}, {DEFAULT_THRESHOLD} % threshold")
    return BrainView(view, f"Interactive slice view: {title} ({side})")


@fill_doc
def view_network(name: str, radius: float = 5.0, resolution: int = 2) -> BrainView:
    """Open an interactive slice view of a network's ROIs, drawn as small spheres (nilearn's ``view_img``).

    Each ROI centre of the Seitzman et al. (2020) set becomes a sphere of ``radius`` mm in
    the network's colour; click or drag in the viewer to move through the slices. The view
    opens at the network's hub: the ROI centre with the most others within 25 mm (for the
    default mode network, the medial prefrontal cortex). This keeps a
    book page light (about 0.7 MB): nilearn's ``view_markers`` would inline plotly.js
    (about 2.8 MB) in every page.

    Parameters
    ----------
    %(network_name)s
    %(radius)s
    %(resolution)s

    Returns
    -------
    BrainView
        The view; a notebook shows it when it is the cell's last value (``save_as_html`` writes it
        to a file).

    Raises
    ------
    TypeError
        If ``name`` is not a string, ``radius`` not a number, or ``resolution`` not an int.
    ValueError
        For an unknown network (the message names the closest valid one), a ``radius`` outside 1 to
        15 mm, or a ``resolution`` other than 1, 2, 3 or 4.

    See Also
    --------
    plot_network : the same network as a static figure.
    network_hub : where the view opens.

    Examples
    --------
    >>> view = view_network("default_mode")
    >>> view.frame_title
    'Interactive slice view: Default mode network: 67 ROI centres (Seitzman et al. 2020)'
    """
    from nilearn import plotting

    network = network_info(name)
    radius = check_number(radius, "radius (mm)", 1, 15)
    resolution = check_resolution(resolution, (1, 2, 3, 4))
    template = _template(resolution)
    shape, affine = template.shape[:3], template.affine
    grid = np.stack(np.meshgrid(*[np.arange(n) for n in shape], indexing="ij"), axis=-1).reshape(-1, 3)
    world = grid @ affine[:3, :3].T + affine[:3, 3]
    spheres = np.zeros(len(world), dtype=np.float32)
    for centre in network_coords(network.key)[["x", "y", "z"]].to_numpy():
        spheres[np.sum((world - centre) ** 2, axis=1) <= radius**2] = 1
    image = nib.Nifti1Image(spheres.reshape(shape), affine)
    title = f"{network.name}: {len(network_coords(network.key))} ROI centres (Seitzman et al. 2020)"
    view = plotting.view_img(
        image, bg_img=template, cmap=ListedColormap(["#000000", network.colour]), symmetric_cmap=False,
        vmin=0, vmax=1, threshold=0.5, colorbar=False, black_bg=False, opacity=0.9,
        title=None, cut_coords=network_hub(network.key), resampling_interpolation="nearest",
    )
    _add_header(view, title, [(f"{network.name} (spheres of {radius:g} mm)", network.colour)], "")
    return BrainView(view, f"Interactive slice view: {title}")


@fill_doc
def network_hub(name: str) -> tuple[float, float, float]:
    """The ROI centre of a network with the most other centres within 25 mm: where its views open (MNI mm).

    Parameters
    ----------
    %(network_name)s

    Returns
    -------
    tuple of float
        The hub's (x, y, z) in MNI millimetres, rounded to 0.01 mm; one of the network's ROI centres.

    Raises
    ------
    TypeError
        If ``name`` is not a string.
    ValueError
        For an unknown network (the message names the closest valid one).

    Examples
    --------
    >>> network_hub("default_mode")  # medial prefrontal cortex
    (-7.55, 48.08, 23.18)
    """
    coords = network_coords(network_info(name).key)[["x", "y", "z"]].to_numpy(dtype=float)
    distances = np.sqrt(((coords[:, None] - coords[None]) ** 2).sum(axis=-1))
    return tuple(round(float(v), 2) for v in coords[np.argmax((distances < 25).sum(axis=1))])


def _add_header(view, title: str, entries: list[tuple[str, str]], source: str) -> None:
    """Put the title, a legend of colours and how to use the view above nilearn's slices (in the HTML)."""
    # Edits nilearn's page text (its "<body>" and "<title>"): an upstream option of ``view_img`` for a
    # page title and HTML above the slices would remove it.
    chips = " ".join(
        f"<span style='white-space:nowrap;margin-right:12px'><span aria-hidden='true' style='display:inline-block;"
        f"width:12px;height:12px;background:{c};border:1px solid #000;vertical-align:-1px'></span> {escape(n)}</span>"
        for n, c in entries
    )
    how = "Interactive slice view: click or drag on a slice to move through the brain."
    header = (f"<div style='font-family:sans-serif;font-size:14px;line-height:1.4;margin:0 0 4px 2px;color:#000'>"
              f"<div style='font-weight:bold;font-size:15px'>{escape(title)}</div><div>{chips}</div>"
              f"<div style='font-size:13px'>{escape(how)}{' ' + escape(source) + '.' if source else ''}</div></div>")
    view.html = view.html.replace("<body>", "<body>" + header, 1)
    view.html = view.html.replace("<title>Nilearn - Slice viewer</title>", f"<title>{escape(title)}</title>", 1)
    view.height = view.height + 24 * (3 + -(-len(entries) // 3))


def _check_regions(names: object, allow_empty: bool = True) -> tuple[str, ...]:
    """Region keys from one name or a list of names (aliases allowed), checked before anything is drawn."""
    return check_choices(names, list_regions(), "region", aliases=REGION_ALIASES, allow_empty=allow_empty)


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


@functools.lru_cache(maxsize=4)
def _template(resolution: int = 1) -> nib.Nifti1Image:
    """The MNI152 template at 1 mm, or averaged over ``resolution``-mm cubes.

    Averaging blocks of the cached 1 mm template costs a few MB; nilearn's
    ``load_mni152_template(resolution=2)`` resamples it with spline interpolation (+110 MB, 1.3 s).
    """
    template = load_atlas("mni152").template
    if resolution == 1:
        return template
    data = np.asarray(template.dataobj, dtype=np.float32)
    r = int(resolution)
    padded = np.pad(data, [(0, -n % r) for n in data.shape])
    blocks = padded.reshape(padded.shape[0] // r, r, padded.shape[1] // r, r, padded.shape[2] // r, r)
    affine = template.affine.copy()
    affine[:3, 3] += affine[:3, :3] @ np.full(3, (r - 1) / 2)  # the centre of each block
    affine[:3, :3] *= r
    return nib.Nifti1Image(blocks.mean(axis=(1, 3, 5), dtype=np.float32), affine)


def _atlas_note(regions) -> str:
    atlases = sorted({load_atlas(r.atlas).info.title.split(" (")[0].split(" cortical")[0] for r in regions})
    return "Atlas: " + "; ".join(atlases)


def _legend(display, entries: list[tuple[str, str]], note: str, marker: bool = False) -> None:
    """Put a legend below the brain: one patch (or dot) and name per colour, plus a source note."""
    if marker:
        handles = [plt.Line2D([], [], marker="o", linestyle="", markerfacecolor=c, markeredgecolor="black",
                              markersize=8, label=n) for n, c in entries]
    else:
        handles = [Patch(facecolor=c, edgecolor="black", label=n) for n, c in entries]
    legend_below(display, handles, title=note)


# --- the explorer's picture: plain matplotlib from cached arrays, fast enough to follow a slider ---------

#: ROI centres within this distance (mm) of a slice are drawn on it as dots, the others as rings
#: projected onto it, so that a chosen network is always visible.
_NEAR_MM = 8.0
_FIGURE_WIDTH = 7.6  # inches
_GLASS_PANELS = ("l", "z", "r", "y")  # nilearn's "lzry": from the left, the top, the right, the back
_PANEL_NAMES = {"l": "left", "r": "right", "y": "back", "z": "top"}
_PLANE = {"x": (1, 2), "y": (0, 2), "z": (0, 1), "l": (1, 2), "r": (1, 2)}  # mm axes shown across, up


@dataclass
class _Panel:
    """One square of the picture: an RGB(A) image over a mm extent, network marks, the cursor, labels."""

    direction: str
    image: np.ndarray
    image_extent: tuple[float, float, float, float]
    limits: tuple[float, float, float, float]
    dots: np.ndarray
    rings: np.ndarray
    cursor: tuple[float, float] | None
    labels: list[tuple[float, float, str, str]]


def _draw_selection(figure, chosen, net, hemisphere: str, view: str, cut_coords, title: str, step: int) -> None:
    """Draw a selection into ``figure``: three slices through ``cut_coords`` or a glass brain.

    Each view's axes are made once and then kept (hidden while the other view shows); any
    change only replaces the pictures, marks, title and legend, and moves the axes when the
    legend needs another row.
    """
    coords = _network_xyz(net.key) if net is not None else np.empty((0, 3))
    if view == "glass":
        panels = [_glass_panel(p, chosen, hemisphere, coords, cut_coords) for p in _GLASS_PANELS]
    else:
        panels = [_slice_panel(p, chosen, hemisphere, coords, cut_coords, step) for p in "xyz"]
    entries = [(r.name, r.colour, "patch") for r in chosen]
    if net is not None:
        entries.append((f"{net.name} (ROI centres)", net.colour, "dot"))
    note = f"Regions: {DEFAULT_THRESHOLD} % threshold"
    if net is not None:
        note += ("\nDots: ROI centres (Seitzman et al. 2020) within "
                 f"{_NEAR_MM:g} mm of the slice; rings: further away" if view == "slices"
                 else "; dots: ROI centres (Seitzman et al. 2020)")
    columns = 1 if len(entries) < 2 else 2
    rows = (-(-len(entries) // columns) + note.count("\n")) if entries else -1
    state = getattr(figure, "_therapybrain", None)
    if state is None or state["title"].figure is not figure:
        figure.clear()
        figure.patch.set_facecolor("white")
        state = {"title": figure.text(0.012, 1, "", ha="left", va="top", fontsize=12, fontweight="bold"),
                 "views": {}, "placed": None, "entries": None}
        figure._therapybrain = state
    if view not in state["views"]:
        state["views"][view] = [_layout_panel(figure.add_axes((0, 0, 1, 1)), panel, view) for panel in panels]
    for shown, drawn in state["views"].items():
        for artists in drawn:
            artists[0].set_visible(shown == view)
    if state["placed"] != (view, rows):
        _place_panels(figure, state, [artists[0] for artists in state["views"][view]], panels, rows)
        state["placed"] = (view, rows)
    state["title"].set_text(title)
    state["shown"] = view
    state["static"] = (view, rows, title, tuple(entries), note)  # what _selection_png draws only when it changes
    if state["entries"] != (entries, note):
        for legend in list(figure.legends):
            legend.remove()
        if entries:
            _selection_legend(figure, entries, note, columns)
        state["entries"] = (entries, note)
    colour = net.colour if net is not None else "black"
    for (_, image, rings, dots, lines, texts), panel in zip(state["views"][view], panels):
        image.set_data(panel.image)
        image.set_extent(panel.image_extent)
        rings.set_offsets(panel.rings)
        rings.set_edgecolor(colour)
        dots.set_offsets(panel.dots)
        dots.set_facecolor(colour)
        cursor = panel.cursor if panel.cursor is not None else (np.nan, np.nan)
        if view == "slices":
            lines[0].set_xdata([cursor[0]] * 2)
            lines[1].set_ydata([cursor[1]] * 2)
        else:
            lines[0].set_data([cursor[0]], [cursor[1]])
        for text, (_, _, words, _) in zip(texts, panel.labels):
            text.set_text(words)


def _selection_png(figure, dpi: int = 100) -> bytes:
    """The figure drawn by :func:`plot_selection` as PNG bytes, quickly: Agg on its own canvas, with blitting.

    The title, legend, glass outlines and empty axes are drawn once per selection and kept as a
    background; each later picture restores it and draws only the images, marks, cursor and labels.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from PIL import Image

    state = figure._therapybrain
    if not isinstance(figure.canvas, FigureCanvasAgg):
        FigureCanvasAgg(figure)
    canvas = figure.canvas
    dynamic = [artist for (_, image, rings, dots, lines, texts) in state["views"][state["shown"]]
               for artist in (image, rings, dots, *lines, *texts)]
    key = (state["static"], dpi, tuple(figure.get_size_inches()))
    if state.get("background_key") != key:
        figure.set_dpi(dpi)
        for artist in dynamic:
            artist.set_animated(True)
        try:
            canvas.draw()
        finally:
            for artist in dynamic:
                artist.set_animated(False)
        state["background"], state["background_key"] = canvas.copy_from_bbox(figure.bbox), key
    else:
        canvas.restore_region(state["background"])
    for artist in dynamic:  # in z-order: image, rings, dots, cursor, labels
        figure.draw_artist(artist)
    width, height = canvas.get_width_height()
    picture = Image.frombuffer("RGBA", (width, height), canvas.buffer_rgba(), "raw", "RGBA", 0, 1).convert("RGB")
    buffer = io.BytesIO()
    picture.save(buffer, format="png", compress_level=1)  # fast to encode; level 9 saves only 7 %
    return buffer.getvalue()


def _place_panels(figure, state: dict, axes: list, panels: list[_Panel], rows: int) -> None:
    """Size the figure for the legend's rows and put the title and the panels (true mm scale, centred) in it."""
    title_h, brain_h, row_h = 0.36, 2.5, 0.23
    legend_h = (rows * row_h + 0.3) if rows >= 0 else 0.05
    height = title_h + brain_h + legend_h
    figure.set_size_inches(_FIGURE_WIDTH, height)
    state["title"].set_y(1 - 0.06 / height)
    gap = 0.08  # inches between panels
    widths = [p.limits[1] - p.limits[0] for p in panels]
    tallest = max(p.limits[3] - p.limits[2] for p in panels)
    scale = min((_FIGURE_WIDTH - 0.1 - gap * (len(panels) - 1)) / sum(widths), brain_h / tallest)  # inches per mm
    x0 = (_FIGURE_WIDTH - scale * sum(widths) - gap * (len(panels) - 1)) / 2
    for ax, panel in zip(axes, panels):
        w = (panel.limits[1] - panel.limits[0]) * scale
        h = (panel.limits[3] - panel.limits[2]) * scale
        ax.set_position((x0 / _FIGURE_WIDTH, (legend_h + (brain_h - h) / 2) / height, w / _FIGURE_WIDTH, h / height))
        x0 += w + gap


def _selection_legend(figure, entries, note: str, columns: int) -> None:
    """The legend under the brain: a patch per region, a dot for the network, the sources as its title."""
    handles = [
        Patch(facecolor=c, edgecolor="black", label=n) if kind == "patch" else
        plt.Line2D([], [], marker="o", linestyle="", markerfacecolor=c, markeredgecolor="black", markersize=9,
                   label=n)
        for n, c, kind in entries
    ]
    figure.legend(handles=handles, loc="lower left", bbox_to_anchor=(0.005, 0.0), ncol=columns,
                  frameon=False, fontsize=10, title=note, title_fontsize=10, alignment="left",
                  handlelength=1.3, columnspacing=1.5, borderaxespad=0.15, labelspacing=0.3)


def _layout_panel(ax, panel: _Panel, view: str):
    """One panel's axes and artists (image, rings, dots, cursor, labels), to be updated in place."""
    ax.set_axis_off()
    ink = "white" if view == "slices" else "black"
    if view == "glass":
        _glass_outline(ax, panel.direction)
    image = ax.imshow(panel.image, extent=panel.image_extent, origin="lower", interpolation="nearest", zorder=2)
    empty = np.empty((0, 2))
    rings = ax.scatter(empty[:, 0], empty[:, 1], s=24, facecolors="none", edgecolors="black", linewidths=1.5,
                       zorder=3)
    dots = ax.scatter(empty[:, 0], empty[:, 1], s=48, c="black", edgecolors="black", linewidths=0.7, zorder=4)
    if view == "slices":
        lines = [ax.axvline(0, color=ink, linewidth=0.7, zorder=5), ax.axhline(0, color=ink, linewidth=0.7, zorder=5)]
    else:
        lines = ax.plot([np.nan], [np.nan], marker="+", markersize=12, markeredgewidth=1.8, color=ink, zorder=5)
    ax.set_xlim(panel.limits[0], panel.limits[1])
    ax.set_ylim(panel.limits[2], panel.limits[3])
    if panel.direction == "l":
        ax.invert_xaxis()
    texts = [ax.text(x, y, words, transform=ax.transAxes, ha=ha, va="bottom" if y >= 0 else "top", fontsize=10,
                     color=ink, zorder=6) for x, y, words, ha in panel.labels]
    return ax, image, rings, dots, lines, texts


@functools.lru_cache(maxsize=1)
def _volume_frame():
    """The course grid's mm coordinates per axis, its template scaled to 0-1, and the brain's box (mm)."""
    shape, affine = course_grid()
    template = np.asarray(load_atlas("mni152").template.dataobj, dtype=np.float32)
    template = np.clip(template / np.percentile(template[template > 0], 99.5), 0, 1)
    axes = tuple(affine[i, i] * np.arange(shape[i]) + affine[i, 3] for i in range(3))
    inside = np.argwhere(template > 0.05)
    low = np.array([axes[i][inside[:, i].min()] - 3 for i in range(3)])
    high = np.array([axes[i][inside[:, i].max()] + 3 for i in range(3)])
    return axes, template, low, high


def _extent(axes, h: int, v: int, keep_h=slice(None), keep_v=slice(None)) -> tuple[float, float, float, float]:
    """The mm extent of an image whose columns sample ``axes[h][keep_h]`` and rows ``axes[v][keep_v]``."""
    ah, av = axes[h][keep_h], axes[v][keep_v]
    dh, dv = abs(axes[h][1] - axes[h][0]) / 2, abs(axes[v][1] - axes[v][0]) / 2
    return (ah[0] - dh, ah[-1] + dh, av[0] - dv, av[-1] + dv)


def _slice_panel(direction, chosen, hemisphere, coords, cut_coords, step) -> _Panel:
    axes, template, low, high = _volume_frame()
    normal = "xyz".index(direction)
    h, v = _PLANE[direction]
    index = int(np.clip(np.round((cut_coords[normal] - axes[normal][0]) / (axes[normal][1] - axes[normal][0])),
                        0, len(axes[normal]) - 1))
    keep_h = np.flatnonzero((axes[h] >= low[h]) & (axes[h] <= high[h]))
    keep_v = np.flatnonzero((axes[v] >= low[v]) & (axes[v] <= high[v]))
    keep_h, keep_v = slice(keep_h[0], keep_h[-1] + 1, step), slice(keep_v[0], keep_v[-1] + 1, step)
    cut: list = [slice(None)] * 3
    cut[normal] = index
    cut[h], cut[v] = keep_h, keep_v
    grey = template[tuple(cut)].T  # rows run along the vertical axis
    rgb = np.repeat((0.1 + 0.9 * grey)[..., None], 3, axis=2)
    for region in chosen:
        mask = _grid_plane(region.key, hemisphere, normal, index)[keep_h, keep_v].T
        if mask.any():
            _paint(rgb, mask, region.colour, alpha=0.85)
    near = np.abs(coords[:, normal] - cut_coords[normal]) <= _NEAR_MM
    labels = [(0.02, 0.01, f"{direction} = {cut_coords[normal]:g}", "left")]
    if direction != "x":
        labels += [(0.02, 0.9, "L", "left"), (0.98, 0.9, "R", "right")]
    extent = _extent(axes, h, v, keep_h, keep_v)
    return _Panel(direction, rgb, extent, extent, coords[near][:, [h, v]], coords[~near][:, [h, v]],
                  (cut_coords[h], cut_coords[v]), labels)


def _paint(rgb: np.ndarray, mask: np.ndarray, colour: str, alpha: float) -> None:
    """Fill ``mask`` in ``colour`` over the RGB image ``rgb`` (in place) and outline it in black."""
    from matplotlib.colors import to_rgb

    rgb[mask] = (1 - alpha) * rgb[mask] + alpha * np.array(to_rgb(colour), dtype=rgb.dtype)
    inner = mask.copy()
    inner[1:, :] &= mask[:-1, :]
    inner[:-1, :] &= mask[1:, :]
    inner[:, 1:] &= mask[:, :-1]
    inner[:, :-1] &= mask[:, 1:]
    rgb[mask & ~inner] = 0.0


def _inside_point(name: str, hemisphere: str = "both") -> tuple[float, float, float]:
    """A point inside a region where views open: its mask's voxel nearest to the centroid (MNI mm).

    A curved region's centroid can lie outside it (the left posterior cingulate cortex's, the
    prefrontal cortex's); this point never does. For ``"both"`` it is in the left hemisphere.

    Examples
    --------
    >>> from therapybrain.regions import locate
    >>> "pcc" in locate(_inside_point("pcc"))["regions"]
    True
    """
    region = region_info(name)
    side = "left" if check_hemisphere(hemisphere) == "both" else hemisphere
    values, corner = _cropped(region.key, side)
    affine = course_grid()[1]
    target = np.linalg.solve(affine, np.append(region_centroid(region.key, side), 1))[:3]
    voxels = np.argwhere(values) + corner
    nearest = voxels[np.argmin(((voxels - target) ** 2).sum(axis=1))]
    return tuple(float(v) for v in affine[:3, :3] @ nearest + affine[:3, 3])


@functools.lru_cache(maxsize=64)
def _cropped(key: str, hemisphere: str) -> tuple[np.ndarray, tuple[int, int, int]]:
    """A region's mask in its box with one empty voxel around it (bool), and the box's first voxel on
    the course grid: the regions module's cached crop, padded (no detour through a NIfTI image)."""
    values, corner = _mask_crop(key, hemisphere, DEFAULT_THRESHOLD)
    padded = np.pad(values, 1)
    padded.flags.writeable = False
    return padded, tuple(c - 1 for c in corner)


def _grid_plane(key: str, hemisphere: str, normal: int, index: int) -> np.ndarray:
    """One plane of a region's mask on the whole course grid (the grid's two other axes, in order)."""
    values, corner = _cropped(key, hemisphere)
    shape = course_grid()[0]
    others = [i for i in range(3) if i != normal]
    plane = np.zeros([shape[i] for i in others], dtype=bool)
    local = index - corner[normal]
    if 0 <= local < values.shape[normal]:
        box = tuple(slice(corner[i], corner[i] + values.shape[i]) for i in others)
        plane[box] = np.take(values, local, axis=normal)
    return plane


@functools.lru_cache(maxsize=128)
def _projections(key: str, hemisphere: str) -> dict[str, np.ndarray]:
    """A region seen through the glass brain: its mask's maximum projection on each panel (rows: vertical)."""
    axes, *_ = _volume_frame()
    values, corner = _cropped(key, hemisphere)
    shape = course_grid()[0]
    left = axes[0][corner[0]:corner[0] + values.shape[0]] < 0
    box = [slice(c, c + n) for c, n in zip(corner, values.shape)]
    out = {}
    for panel, part, normal in (("l", values[left], 0), ("r", values[~left], 0), ("y", values, 1), ("z", values, 2)):
        others = [i for i in range(3) if i != normal]
        plane = np.zeros([shape[i] for i in others], dtype=bool)
        plane[box[others[0]], box[others[1]]] = part.any(axis=normal)
        out[panel] = plane.T
    return out


def _glass_panel(direction, chosen, hemisphere, coords, cut_coords) -> _Panel:
    axes, _, low, high = _volume_frame()
    h, v = _PLANE[direction]
    image = _glass_image(direction, tuple(r.key for r in chosen), hemisphere)
    shown = {"l": coords[:, 0] <= 0, "r": coords[:, 0] >= 0}.get(direction, np.ones(len(coords), dtype=bool))
    on_side = {"l": cut_coords[0] <= 0, "r": cut_coords[0] >= 0}.get(direction, True)
    labels = [(0.5, -0.01, _PANEL_NAMES[direction], "center")]
    if direction in "yz":
        labels += [(0.02, 0.9, "L", "left"), (0.98, 0.9, "R", "right")]
    return _Panel(direction, image, _extent(axes, h, v), (low[h], high[h], low[v], high[v]),
                  coords[shown][:, [h, v]], np.empty((0, 2)),
                  (cut_coords[h], cut_coords[v]) if on_side else None, labels)


@functools.lru_cache(maxsize=16)
def _glass_image(direction: str, keys: tuple[str, ...], hemisphere: str) -> np.ndarray:
    """The regions seen through the glass brain from one side (RGBA; see-through where no region is).

    Cached: moving the cursor on the glass brain changes only the cross.
    """
    axes, *_ = _volume_frame()
    h, v = _PLANE[direction]
    image = np.zeros((len(axes[v]), len(axes[h]), 4), dtype=np.float32)
    for key in keys:
        mask = _projections(key, hemisphere)[direction]
        if mask.any():
            _paint(image[..., :3], mask, region_info(key).colour, alpha=1.0)
            image[mask, 3] = 0.8
    image.flags.writeable = False
    return image


@functools.lru_cache(maxsize=16)
def _network_xyz(key: str) -> np.ndarray:
    """A network's ROI centres as an (n, 3) array of MNI mm (read once)."""
    xyz = network_coords(key)[["x", "y", "z"]].to_numpy(dtype=float)
    xyz.flags.writeable = False
    return xyz


def _glass_outline(ax, direction: str) -> None:
    """nilearn's glass-brain schematic (the brain's outline seen from one side) in grey, as one patch."""
    ax.add_artist(PathPatch(_outline_path("x" if direction in "lr" else direction), facecolor="none",
                            edgecolor="#7f7f7f", linewidth=0.6, zorder=1))


@functools.lru_cache(maxsize=3)
def _outline_path(direction: str):
    """nilearn's glass-brain schematic for one direction, joined into one path in MNI mm (read once)."""
    from matplotlib.path import Path

    # nilearn's private glass-brain readers: a public accessor of the outline (in MNI mm) would remove them.
    from nilearn.plotting.glass_brain import _get_json_and_transform, _get_mpl_patches

    filename, transform = _get_json_and_transform(direction)
    with filename.open() as f:
        patches = _get_mpl_patches(json.load(f))
    return transform.transform_path(Path.make_compound_path(*(p.get_path() for p in patches)))


# --- a real 3-D view: plotly.js (nilearn bundles it) inlined in the page, so it works offline -------------


class Brain3DView:
    """An interactive 3-D view of the brain (turn it with the mouse, scroll to zoom), in an ``<iframe>``.

    The page is self-contained: plotly.js (bundled with nilearn) and the meshes are inlined,
    and the frame carries a descriptive ``title`` for screen readers. :func:`view_3d` makes one;
    a notebook shows it when it is a cell's last value.

    Parameters
    ----------
    html : str
        The whole web page of the view.
    frame_title : str
        What the view shows, as screen readers announce the frame ("Interactive 3-D view: ...").
    width, height : int, default=720 and 460
        The frame's size in pixels.

    Examples
    --------
    >>> view = view_3d(["hippocampus"], network="medial_temporal_lobe")
    >>> view.frame_title
    'Interactive 3-D view: Hippocampus, Medial temporal lobe network'
    """

    def __init__(self, html: str, frame_title: str, width: int = 720, height: int = 460) -> None:
        self.html, self.frame_title, self.width, self.height = html, frame_title, width, height

    def get_iframe(self, width: int | None = None, height: int | None = None) -> str:
        """The view in an ``<iframe srcdoc=...>`` with a ``title`` attribute, for an HTML page.

        Parameters
        ----------
        width, height : int or None, default=None
            The frame's size in pixels (whole numbers >= 1); None keeps the view's own.

        Returns
        -------
        str
            The ``<iframe>`` element, the whole page inlined in its ``srcdoc``.

        Raises
        ------
        TypeError
            If ``width`` or ``height`` is not an int or None.
        ValueError
            If ``width`` or ``height`` is below 1.

        Examples
        --------
        >>> frame = view_3d(["amygdala"]).get_iframe(width=600)
        >>> frame.startswith('<iframe title="Interactive 3-D view: Amygdala"'), 'width="600"' in frame
        (True, True)
        """
        width, height = _check_size(width, "width"), _check_size(height, "height")
        return (f'<iframe title="{escape(self.frame_title, quote=True)}" srcdoc="{escape(self.html, quote=True)}" '
                f'width="{width or self.width}" height="{height or self.height}" frameBorder="0" '
                f'style="max-width:100%"></iframe>')

    def _repr_html_(self) -> str:
        return self.get_iframe()

    def save_as_html(self, path) -> None:
        """Write the view as a standalone web page (it works offline: everything is inlined).

        Parameters
        ----------
        path : str or path-like
            The file to write (UTF-8); an existing file is replaced.

        Raises
        ------
        TypeError
            If ``path`` is not a string or path-like object.
        OSError
            If the file cannot be written (no such folder, no permission).

        Examples
        --------
        >>> import pathlib, tempfile
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "amygdala.html"
        >>> view_3d(["amygdala"]).save_as_html(path)
        >>> path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
        True
        """
        with open(path, "w", encoding="utf-8") as f:
            f.write(self.html)


@fill_doc
def view_3d(
    regions: Sequence[str] = (),
    network: str | None = None,
    hemisphere: str = "both",
    cursor: tuple[float, float, float] | None = None,
    title: str | None = None,
) -> Brain3DView:
    """Open a 3-D view: regions as solid shapes inside a see-through cortex, a network's ROI centres as dots.

    The cortex is nilearn's bundled fsaverage5 pial surface (about MNI space); each region is
    the surface of its mask (25 % threshold, smoothed), so deep regions such as the hippocampus
    show too. Turn the brain with the mouse; scroll to zoom.

    Parameters
    ----------
    %(regions)s
    %(network)s
    %(hemisphere)s
    cursor : (x, y, z) or None, default=None
        A point in MNI millimetres (three finite numbers inside the course grid) marked with a black
        cross; None marks none.
    %(title)s

    Returns
    -------
    Brain3DView
        The view; a notebook shows it when it is the cell's last value (``save_as_html`` writes it
        to a file).

    Raises
    ------
    TypeError
        If ``regions`` is not a name or a list of them, a name, ``network`` or ``hemisphere`` is not a
        string, ``cursor`` not three numbers, or ``title`` not a string or None.
    ValueError
        For an unknown region, network or hemisphere (the message names the closest valid one), or a
        ``cursor`` not finite or outside the course grid.

    See Also
    --------
    view_regions, view_network : interactive slice views to click through.

    Examples
    --------
    >>> view = view_3d(["pcc", "precuneus"], network="default_mode", cursor=(-5, -38, 30))
    >>> view.frame_title
    'Interactive 3-D view: Posterior cingulate cortex, Precuneus, Default mode network'
    """
    chosen = [region_info(k) for k in _check_regions(regions)]
    net = network_info(network) if network is not None else None
    hemisphere = check_hemisphere(hemisphere)
    cursor = None if cursor is None else check_xyz(cursor, "cursor")
    title = check_optional_text(title, "title")
    names = [r.name for r in chosen] + ([net.name] if net is not None else [])
    if title is None:
        title = ", ".join(names) if names else "The cortex"
    traces = [_cortex_trace()]
    for region in chosen:
        verts, faces = _region_surface(region.key, hemisphere)
        traces.append({"type": "mesh3d", "name": region.name, "color": region.colour, "opacity": 1.0,
                       "hoverinfo": "name", "lighting": {"ambient": 0.55, "diffuse": 0.7, "specular": 0.1},
                       **{axis: _b64(verts[:, n], "float32") for n, axis in enumerate("xyz")},
                       **{axis: _b64(faces[:, n], "int32") for n, axis in enumerate("ijk")}})
        # plotly.js 1.50 lists no mesh in the legend: a square at a voxel inside the region (hidden in it) does
        centre = list(_inside_point(region.key, hemisphere))
        traces.append({"type": "scatter3d", "mode": "markers", "name": region.name, "hoverinfo": "skip",
                       "x": centre[:1], "y": centre[1:2], "z": centre[2:],
                       "marker": {"size": 1, "symbol": "square", "color": region.colour,
                                  "line": {"color": "black", "width": 1}}})
    if net is not None:
        coords = network_coords(net.key)[["x", "y", "z"]].to_numpy(dtype=float)
        traces.append({"type": "scatter3d", "mode": "markers", "name": f"{net.name} (ROI centres)",
                       "x": coords[:, 0].tolist(), "y": coords[:, 1].tolist(), "z": coords[:, 2].tolist(),
                       "marker": {"size": 6, "color": net.colour, "line": {"color": "black", "width": 1}},
                       "hoverinfo": "name"})
    if cursor is not None:
        x, y, z = cursor
        arm = 14.0
        traces.append({"type": "scatter3d", "mode": "lines", "name": f"Cursor ({x:g}, {y:g}, {z:g})",
                       "x": [x - arm, x + arm, None, x, x, None, x, x],
                       "y": [y, y, None, y - arm, y + arm, None, y, y],
                       "z": [z, z, None, z, z, None, z - arm, z + arm],
                       "line": {"color": "black", "width": 6}, "hoverinfo": "name"})
    side = "" if hemisphere == "both" else f" ({hemisphere} hemisphere)"
    html = _PAGE_3D.format(
        title=escape(title), plotly=_plotly_js(),
        spec=json.dumps({"traces": traces, "title": title + side}).replace("</", "<\\/"),
        note=escape("Turn the brain with the mouse, scroll to zoom. Cortex: fsaverage5 pial surface (nilearn); "
                    f"regions: Harvard-Oxford / Juelich masks at {DEFAULT_THRESHOLD} %; "
                    "dots: Seitzman et al. (2020) ROI centres."),
    )
    return Brain3DView(html, f"Interactive 3-D view: {', '.join(names) if names else 'the cortex'}{side}")


_PAGE_3D = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>html,body{{margin:0;height:100%;font-family:sans-serif;background:#fff;color:#222}}
#brain{{width:100%;height:calc(100% - 2.4em)}}p{{margin:0.2em 0.5em;font-size:13px}}</style>
<script>{plotly}</script></head>
<body><div id="brain" role="img" aria-label="{title}"></div><p>{note}</p>
<script>
(function () {{
  const spec = {spec};
  function decode (field) {{
    if (!field || typeof field !== "object" || !field.b64) return field;
    const raw = atob(field.b64), bytes = new Uint8Array(raw.length);
    for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return field.dtype === "int32" ? new Int32Array(bytes.buffer) : new Float32Array(bytes.buffer);
  }}
  const traces = spec.traces.map(function (t) {{
    ["x", "y", "z", "i", "j", "k"].forEach(function (a) {{ t[a] = decode(t[a]); }});
    return t;
  }});
  const hidden = {{visible: false, showgrid: false, zeroline: false, showticklabels: false, title: ""}};
  let camera = {{eye: {{x: -1.25, y: 0.5, z: 0.4}}, up: {{x: 0, y: 0, z: 1}}}};
  try {{ const saved = sessionStorage.getItem("therapybrain-3d-camera"); if (saved) camera = JSON.parse(saved); }}
  catch (e) {{}}
  const layout = {{
    title: {{text: spec.title, font: {{size: 15}}, x: 0.01, xanchor: "left"}},
    margin: {{l: 0, r: 0, t: 36, b: 0}}, paper_bgcolor: "#fff", showlegend: true,
    legend: {{orientation: "h", x: 0, y: 0, yanchor: "top", font: {{size: 13}}, itemsizing: "constant"}},
    scene: {{xaxis: hidden, yaxis: hidden, zaxis: hidden, aspectmode: "data", camera: camera}}
  }};
  Plotly.newPlot("brain", traces, layout, {{displaylogo: false, responsive: true,
    modeBarButtonsToRemove: ["toImage", "hoverClosest3d"]}}).then(function (plot) {{
    plot.on("plotly_relayout", function (change) {{
      try {{ if (change["scene.camera"]) sessionStorage.setItem("therapybrain-3d-camera",
        JSON.stringify(change["scene.camera"])); }} catch (e) {{}}
    }});
  }});
}})();
</script></body></html>
"""


def _b64(values: np.ndarray, dtype: str) -> dict[str, str]:
    import base64

    return {"b64": base64.b64encode(np.ascontiguousarray(values, dtype="<" + dtype[0] + "4").tobytes()).decode(),
            "dtype": dtype}


@functools.lru_cache(maxsize=1)
def _plotly_js() -> str:
    """plotly.js (gl3d build) as nilearn bundles it: the 3-D view needs nothing from the network."""
    # Reads nilearn's private asset nilearn/_assets/js/plotly-gl3d-latest.min.js: a public accessor of the
    # bundled plotly.js in nilearn would remove this.
    from pathlib import Path

    import nilearn

    return (Path(nilearn.__file__).parent / "_assets" / "js" / "plotly-gl3d-latest.min.js").read_text()


@functools.lru_cache(maxsize=1)
def _cortex_trace() -> dict:
    """Both hemispheres of nilearn's bundled fsaverage5 pial surface, one see-through grey mesh."""
    from nilearn.datasets import load_fsaverage

    pial = load_fsaverage("fsaverage5")["pial"]
    verts, faces, offset = [], [], 0
    for part in ("left", "right"):
        mesh = pial.parts[part]
        verts.append(np.asarray(mesh.coordinates, dtype=np.float32))
        faces.append(np.asarray(mesh.faces, dtype=np.int32) + offset)
        offset += len(mesh.coordinates)
    verts, faces = np.concatenate(verts), np.concatenate(faces)
    return {"type": "mesh3d", "name": "Cortex (fsaverage5)", "color": "#b0b0b0", "opacity": 0.13,
            "hoverinfo": "skip", "showlegend": False,
            **{axis: _b64(verts[:, n], "float32") for n, axis in enumerate("xyz")},
            **{axis: _b64(faces[:, n], "int32") for n, axis in enumerate("ijk")}}


@functools.lru_cache(maxsize=64)
def _region_surface(key: str, hemisphere: str, step: int = 2) -> tuple[np.ndarray, np.ndarray]:
    """The surface of a region's mask as a triangle mesh (MNI mm): voxel faces at ``step`` mm, smoothed.

    The mask is resampled to ``step`` mm blocks (a block is in when a third of its voxels are),
    every block face between inside and outside becomes two triangles (outward), and Taubin
    smoothing rounds the blocks off without shrinking the shape.
    """
    from scipy import sparse

    values, corner = _cropped(key, hemisphere)
    pad = [(0, -n % step) for n in values.shape]
    shape = [(n + p[1]) // step for n, p in zip(values.shape, pad)]
    blocks = np.pad(values, pad).reshape(shape[0], step, shape[1], step, shape[2], step).mean(axis=(1, 3, 5))
    occupied = np.pad(blocks >= 1 / 3, 1)
    quads = []
    for a in range(3):
        b, c = (a + 1) % 3, (a + 2) % 3
        for sign in (1, -1):
            ahead = np.roll(occupied, -sign, axis=a)
            cells = np.argwhere(occupied & ~ahead)
            base = cells.copy()
            if sign == 1:
                base[:, a] += 1
            ub, uc = np.eye(3, dtype=int)[b], np.eye(3, dtype=int)[c]
            corners = [base, base + ub, base + ub + uc, base + uc]
            quads.append(np.stack(corners if sign == 1 else corners[::-1], axis=1))
    quads = np.concatenate(quads)  # (n, 4, 3) corner indices on the padded block grid
    points, index = np.unique(quads.reshape(-1, 3), axis=0, return_inverse=True)
    index = index.reshape(-1, 4)
    faces = np.concatenate([index[:, [0, 1, 2]], index[:, [0, 2, 3]]]).astype(np.int32)
    verts = points.astype(np.float64)
    edges = np.concatenate([faces[:, [0, 1]], faces[:, [1, 2]], faces[:, [2, 0]]])
    adjacency = sparse.coo_matrix((np.ones(len(edges)), (edges[:, 0], edges[:, 1])), shape=(len(verts),) * 2)
    adjacency = ((adjacency + adjacency.T) > 0).astype(float).tocsr()
    average = sparse.diags(1 / np.maximum(adjacency.sum(axis=1).A1, 1)) @ adjacency
    for _ in range(12):
        for factor in (0.5, -0.53):  # Taubin: smooth, then inflate back
            verts = verts + factor * (average @ verts - verts)
    affine = course_grid()[1]
    ijk = (verts - 1) * step + np.array(corner) - 0.5  # padded block corner -> 1 mm voxel coordinate
    return (ijk @ affine[:3, :3].T + affine[:3, 3]).astype(np.float32), faces
