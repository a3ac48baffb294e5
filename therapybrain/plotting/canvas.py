"""The region explorer's picture: any selection (no region, some, a network) with slices crossing at a
point, drawn with plain matplotlib and updated in place, and turned into PNG bytes with blitting.

The pictures themselves come from :mod:`therapybrain.plotting.panels`; this module lays them out,
keeps the figure's artists between changes and draws only what changed.

Examples
--------
>>> figure = plot_selection(["hippocampus"], view="glass")
>>> _selection_png(figure)[1:4]
b'PNG'
"""

from __future__ import annotations

import functools
import io
import json
from collections.abc import Sequence

import matplotlib.pyplot as plt
import numpy as np
from matplotlib.figure import Figure
from matplotlib.patches import Patch, PathPatch

from .._docs import fill_doc
from .._validation import check_choice, check_hemisphere, check_optional_text, check_resolution, check_xyz
from ..regions import DEFAULT_THRESHOLD, network_info, region_info
from ._common import VIEWS, _check_regions
from .panels import _GLASS_PANELS, _NEAR_MM, _glass_panel, _network_xyz, _Panel, _slice_panel

__all__ = ["plot_selection"]

_FIGURE_WIDTH = 7.6  # inches


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
