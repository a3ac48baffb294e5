"""Figures of the course's regions and networks: static (matplotlib) and interactive (HTML).

Every function takes plain region or network keys, draws each region in its own
colour-blind-safe colour with a legend (so colour is never the only cue), and returns
the nilearn object, which a notebook shows by ending the cell with ``;`` (static) or by
leaving the view as the cell's last value (interactive).
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from html import escape

import matplotlib.pyplot as plt
import nibabel as nib
import numpy as np
from matplotlib.colors import ListedColormap
from matplotlib.patches import Patch
from nilearn.plotting.html_stat_map import StatMapView

from ._choices import check_choice
from .atlases import load_atlas
from .regions import (
    DEFAULT_THRESHOLD,
    network_coords,
    network_info,
    region_centroid,
    region_info,
    region_mask,
)

__all__ = [
    "VIEWS",
    "BrainView",
    "plot_network",
    "plot_selection",
    "plot_region",
    "plot_regions",
    "view_network",
    "view_region",
    "view_regions",
]

#: The static views: orthogonal slices through a point, or a transparent "glass" brain.
VIEWS = ("slices", "glass")


class BrainView(StatMapView):
    """nilearn's interactive slice view, whose ``<iframe>`` carries a descriptive ``title``.

    Screen readers announce an inline frame by its title (WCAG 4.1.2, axe rule ``frame-title``);
    nilearn's own iframe has none. Everything else (``save_as_html``, ``open_in_browser``,
    ``resize``) is nilearn's.

    Examples
    --------
    >>> view = view_region("amygdala")
    >>> view.frame_title
    'Interactive slice view: Amygdala (both hemispheres)'
    """

    def __init__(self, view: StatMapView, frame_title: str) -> None:
        self.__dict__.update(view.__dict__)
        self.frame_title = frame_title

    def get_iframe(self, width: int | None = None, height: int | None = None) -> str:
        """The view in an ``<iframe>`` with a ``title`` attribute."""
        html = super().get_iframe(width, height)
        return html.replace("<iframe ", f'<iframe title="{escape(self.frame_title, quote=True)}" ', 1)


def plot_region(
    name: str,
    hemisphere: str = "both",
    view: str = "slices",
    title: str | None = None,
    cut_coords: tuple[float, float, float] | None = None,
    figure: plt.Figure | None = None,
    axes: plt.Axes | None = None,
):
    """Draw one region on the MNI152 template, in the region's colour.

    Parameters
    ----------
    name : str
        A region key (see :func:`therapybrain.list_regions`).
    hemisphere : {"both", "left", "right"}
    view : {"slices", "glass"}
        Orthogonal slices through the region's centroid, or a glass brain.
    title : str, optional
        Defaults to the region's name, hemisphere, atlas and threshold.
    cut_coords : (x, y, z), optional
        Where the slices cross; defaults to the centroid of the region (left one for "both").
    figure, axes : matplotlib objects, optional
        Where to draw.

    Returns
    -------
    nilearn display

    Examples
    --------
    >>> display = plot_region("hippocampus", hemisphere="left")
    """
    return plot_regions([name], hemisphere=hemisphere, view=view, title=title,
                        cut_coords=cut_coords, figure=figure, axes=axes)


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

    Parameters
    ----------
    names : sequence of str
        Region keys; drawn in this order, so later regions lie on top.
    hemisphere, view, title, cut_coords, figure, axes
        As in :func:`plot_region`.
    legend : bool
        Add a legend naming each colour (default True).

    Returns
    -------
    nilearn display

    Examples
    --------
    >>> display = plot_regions(["hippocampus", "amygdala"], view="glass")
    """
    from nilearn import plotting

    if isinstance(names, str):
        names = [names]
    regions = [region_info(n) for n in names]
    if not regions:
        raise ValueError("names must list at least one region; see therapybrain.list_regions()")
    view = check_choice(view, VIEWS, "view")
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
            first = "left" if hemisphere == "both" else hemisphere
            cut_coords = region_centroid(regions[0].key, first)
        display = plotting.plot_anat(_template(), display_mode="ortho", cut_coords=cut_coords,
                                     title=title, figure=figure, axes=axes, draw_cross=False,
                                     dim=-0.3, annotate=True, colorbar=False, black_bg=False)
    for region, mask in zip(regions, masks):
        _draw_mask(display, mask, region.colour)
    if legend:
        _legend(display, [(r.name, r.colour) for r in regions],
                note=f"{_atlas_note(regions)}, {DEFAULT_THRESHOLD} % threshold")
    return display


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
    an empty selection (the bare template), and the slices cross at ``cut_coords``.

    Parameters
    ----------
    regions : sequence of str
        Region keys (may be empty).
    network : str, optional
        A network key whose ROI centres are added as dots.
    hemisphere : {"both", "left", "right"}
    view : {"slices", "glass"}
    cut_coords : (x, y, z)
        Where the slices cross, in MNI mm (ignored by the glass brain).
    title : str, optional
        Defaults to a description of the selection.
    resolution : {1, 2}
        Voxel size (mm) of the template and masks drawn; 2 draws about three times faster.

    Returns
    -------
    nilearn display

    Examples
    --------
    >>> display = plot_selection(["amygdala"], network="salience", cut_coords=(-22, -4, -18))
    """
    from nilearn import plotting

    if isinstance(regions, str):
        regions = [regions]
    chosen = [region_info(r) for r in regions]
    net = network_info(network) if network is not None else None
    view = check_choice(view, VIEWS, "view")
    if resolution not in (1, 2):
        raise ValueError(f"resolution must be 1 or 2 (mm), not {resolution!r}")
    if title is None:
        parts = [r.name for r in chosen] + ([net.name] if net else [])
        title = ", ".join(parts) if parts else "MNI152 template"
        if len(title) > 60:
            title = f"{parts[0]} + {len(parts) - 1} more"
    if view == "glass":
        display = plotting.plot_glass_brain(None, display_mode="lzry", title=title, figure=figure)
    else:
        display = plotting.plot_anat(_template(resolution), display_mode="ortho", cut_coords=tuple(cut_coords),
                                     title=title, figure=figure, draw_cross=True, dim=-0.3,
                                     annotate=True, colorbar=False, black_bg=False)
    for region in chosen:
        _draw_mask(display, _coarse_mask(region.key, hemisphere, resolution), region.colour)
    entries = [(r.name, r.colour) for r in chosen]
    if net is not None:
        coords = network_coords(net.key)[["x", "y", "z"]].to_numpy()
        display.add_markers(coords, marker_color=net.colour, marker_size=25, edgecolors="black", linewidths=0.5)
        entries.append((f"{net.name} (dots)", net.colour))
    if entries:
        _legend(display, entries, note=f"Regions: {DEFAULT_THRESHOLD} % threshold; dots: Seitzman et al. (2020)")
    return display


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
    name : str
        A network key (see :func:`therapybrain.list_networks`).
    view : {"glass", "slices"}
        ``"glass"`` shows four projections (left, front, right, top);
        ``"slices"`` shows the dots on orthogonal template slices.
    title : str, optional
        Defaults to the network's name and its number of ROIs.

    Returns
    -------
    nilearn display

    Examples
    --------
    >>> display = plot_network("default_mode")
    """
    from nilearn import plotting

    network = network_info(name)
    view = check_choice(view, VIEWS, "view")
    coords = network_coords(network.key)[["x", "y", "z"]].to_numpy()
    if title is None:
        title = f"{network.name} ({len(coords)} ROI centres)"
    if view == "glass":
        display = plotting.plot_glass_brain(None, display_mode="lzry", title=title, figure=figure, axes=axes)
    else:
        display = plotting.plot_anat(_template(), display_mode="ortho", title=title, figure=figure,
                                     axes=axes, draw_cross=False, dim=-0.3, colorbar=False, black_bg=False,
                                     cut_coords=tuple(float(v) for v in np.median(coords, axis=0)))
    display.add_markers(coords, marker_color=network.colour, marker_size=node_size,
                        edgecolors="black", linewidths=0.5)
    _legend(display, [(network.name, network.colour)], note="ROI centres: Seitzman et al. (2020)", marker=True)
    return display


def view_region(name: str, hemisphere: str = "both", resolution: int = 2):
    """Open an interactive 3-D slice viewer of one region (nilearn's ``view_img``).

    The view works offline: its scripts are inlined in the HTML. The mask is shown at
    ``resolution`` mm (2 mm keeps a book page light).

    Examples
    --------
    >>> view = view_region("amygdala")
    """
    return view_regions([name], hemisphere=hemisphere, resolution=resolution)


def view_regions(names: Sequence[str], hemisphere: str = "both", resolution: int = 2):
    """Open an interactive viewer of several regions, each a number on a qualitative colour map.

    Examples
    --------
    >>> view = view_regions(["pcc", "precuneus"])
    """
    from nilearn import plotting
    from nilearn.image import resample_img

    if isinstance(names, str):
        names = [names]
    regions = [region_info(n) for n in names]
    if not regions:
        raise ValueError("names must list at least one region; see therapybrain.list_regions()")
    if resolution not in (1, 2, 3, 4):
        raise ValueError(f"resolution must be 1, 2, 3 or 4 (mm), not {resolution!r}")
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
    centre = region_centroid(regions[0].key, "left" if hemisphere == "both" else hemisphere)
    view = plotting.view_img(
        image, bg_img=_template(resolution), cmap=cmap, symmetric_cmap=False, vmin=0,
        vmax=len(regions), threshold=0.5, colorbar=len(regions) > 1, title=title,
        cut_coords=centre, resampling_interpolation="nearest", black_bg=False, opacity=0.85,
    )
    side = "both hemispheres" if hemisphere == "both" else f"{hemisphere} hemisphere"
    return BrainView(view, f"Interactive slice view: {title} ({side})")


def view_network(name: str, radius: float = 5.0, resolution: int = 2):
    """Open an interactive slice viewer of a network's ROIs, drawn as small spheres (nilearn's ``view_img``).

    Each ROI centre of the Seitzman et al. (2020) set becomes a sphere of ``radius`` mm in
    the network's colour; click in the viewer to move through the slices. This keeps a
    book page light (about 0.7 MB): nilearn's ``view_markers`` would inline plotly.js
    (about 2.8 MB) in every page.

    Examples
    --------
    >>> view = view_network("default_mode")
    """
    from nilearn import plotting

    network = network_info(name)
    if not 1 <= radius <= 15:
        raise ValueError(f"radius must be between 1 and 15 mm, not {radius!r}")
    if resolution not in (1, 2, 3, 4):
        raise ValueError(f"resolution must be 1, 2, 3 or 4 (mm), not {resolution!r}")
    template = _template(resolution)
    shape, affine = template.shape[:3], template.affine
    grid = np.stack(np.meshgrid(*[np.arange(n) for n in shape], indexing="ij"), axis=-1).reshape(-1, 3)
    world = grid @ affine[:3, :3].T + affine[:3, 3]
    spheres = np.zeros(len(world), dtype=np.float32)
    for centre in network_coords(network.key)[["x", "y", "z"]].to_numpy():
        spheres[np.sum((world - centre) ** 2, axis=1) <= radius**2] = 1
    image = nib.Nifti1Image(spheres.reshape(shape), affine)
    first = network_coords(network.key)[["x", "y", "z"]].to_numpy()[0]
    title = f"{network.name}: {len(network_coords(network.key))} ROI centres (Seitzman et al. 2020)"
    view = plotting.view_img(
        image, bg_img=template, cmap=ListedColormap(["#000000", network.colour]), symmetric_cmap=False,
        vmin=0, vmax=1, threshold=0.5, colorbar=False, black_bg=False, opacity=0.9,
        title=title, cut_coords=tuple(float(v) for v in first), resampling_interpolation="nearest",
    )
    return BrainView(view, f"Interactive slice view: {title}")


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
    if resolution == 1:
        return load_atlas("mni152").template
    from nilearn.datasets import load_mni152_template

    return load_mni152_template(resolution=resolution)


def _atlas_note(regions) -> str:
    atlases = sorted({load_atlas(r.atlas).info.title.split(" (")[0].split(" cortical")[0] for r in regions})
    return "Atlas: " + "; ".join(atlases)


def _legend(display, entries: list[tuple[str, str]], note: str, marker: bool = False) -> None:
    """Put a legend below the brain: one patch (or dot) and name per colour, plus a source note."""
    figure = display.frame_axes.figure
    if marker:
        handles = [plt.Line2D([], [], marker="o", linestyle="", markerfacecolor=c, markeredgecolor="black",
                              markersize=8, label=n) for n, c in entries]
    else:
        handles = [Patch(facecolor=c, edgecolor="black", label=n) for n, c in entries]
    figure.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.02),
                  ncol=min(len(handles), 4), frameon=False, fontsize=9, title=note, title_fontsize=8)
