"""Interactive slice views for the static book: nilearn's ``view_img`` (brainsprite, inlined in the page),
with a title, a legend of the colours and a frame title for screen readers.

A notebook shows a view when it is a cell's last value; the page works offline.

Examples
--------
>>> view_network("salience").frame_title.startswith("Interactive slice view: Salience network")
True
"""

from __future__ import annotations

import functools
from collections.abc import Sequence
from html import escape

import nibabel as nib
import numpy as np
from matplotlib.colors import ListedColormap
from nilearn.plotting.html_stat_map import StatMapView

from .._docs import fill_doc
from .._validation import check_hemisphere, check_number, check_resolution
from ..atlases import course_grid, load_atlas
from ..regions import DEFAULT_THRESHOLD, network_coords, network_info, region_info
from ..regions.masks import _mask_crop
from ._common import TitledFrame, _atlas_note, _check_regions, _inside_point

__all__ = ["BrainView", "network_hub", "view_network", "view_region", "view_regions"]


class BrainView(TitledFrame, StatMapView):
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

    get_iframe = TitledFrame.get_iframe  # listed on the class's reference (see TitledFrame)

    def _untitled_iframe(self, width: int | None, height: int | None) -> str:
        return StatMapView.get_iframe(self, width, height)


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
    %(returns_brain_view)s

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
    %(returns_brain_view)s

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
    # The regions' numbers on the 1 mm grid as bytes (8.7 MB, not 35 MB of float32), each region written
    # from its box; nearest-neighbour resampling picks the same numbers, then float32 as view_img had them.
    shape, affine = course_grid()
    labelled = np.zeros(shape, dtype=np.uint8)
    for number, region in enumerate(regions, start=1):
        values, corner = _mask_crop(region.key, hemisphere, DEFAULT_THRESHOLD)
        labelled[tuple(slice(c, c + n) for c, n in zip(corner, values.shape))][values] = number
    image = nib.Nifti1Image(labelled, affine)
    if resolution != 1:
        image = resample_img(image, target_affine=np.diag([resolution] * 3), interpolation="nearest",
                             force_resample=True, copy_header=True)
    image = nib.Nifti1Image(np.asarray(image.dataobj, dtype=np.float32), image.affine)
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
    %(returns_brain_view)s

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
    spheres = np.zeros(shape, dtype=np.float32)
    for centre in network_coords(network.key)[["x", "y", "z"]].to_numpy():
        _add_sphere(spheres, affine, centre, radius)
    image = nib.Nifti1Image(spheres, affine)
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


def _add_sphere(volume: np.ndarray, affine: np.ndarray, centre: np.ndarray, radius: float) -> None:
    """Set to 1 the voxels of ``volume`` whose centre lies within ``radius`` mm of ``centre`` (MNI mm).

    Only the voxels of a box around the sphere are measured, not the whole grid (a grid of
    coordinates would be 50 MB at 2 mm).
    """
    ijk = np.linalg.solve(affine[:3, :3], np.asarray(centre, dtype=float) - affine[:3, 3])
    reach = radius / np.abs(np.diag(affine)[:3]) + 2
    box = tuple(slice(max(int(np.floor(c - r)), 0), max(min(int(np.ceil(c + r)) + 1, n), 0))
                for c, r, n in zip(ijk, reach, volume.shape))
    grid = np.stack(np.meshgrid(*[np.arange(b.start, b.stop) for b in box], indexing="ij"), axis=-1)
    world = grid.reshape(-1, 3) @ affine[:3, :3].T + affine[:3, 3]
    inside = (np.sum((world - centre) ** 2, axis=1) <= radius**2).reshape(grid.shape[:3])
    volume[box][inside] = 1


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


def _template(resolution: int = 1) -> nib.Nifti1Image:
    """The MNI152 template at 1 mm (made anew: the atlas keeps only its bytes), or averaged over
    ``resolution``-mm cubes (cached).
    """
    if resolution == 1:
        return load_atlas("mni152").template
    return _averaged_template(int(resolution))


@functools.lru_cache(maxsize=3)
def _averaged_template(r: int) -> nib.Nifti1Image:
    """The 1 mm template averaged over ``r``-mm cubes, one slab of ``r`` planes at a time.

    Each slab is scaled to 0-1 as the 1 mm template is, padded with zeros to whole blocks and averaged
    (float32): a few MB, where the whole template scaled and padded would be 70 MB; nilearn's
    ``load_mni152_template(resolution=2)`` resamples it with spline interpolation (+110 MB, 1.3 s).
    """
    template = load_atlas("mni152")._template_values()
    data = template.values
    nx, ny, nz = (-(-n // r) for n in data.shape)
    averaged = np.empty((nx, ny, nz), dtype=np.float32)
    for i in range(nx):
        slab = np.ascontiguousarray(template.unit(data[i * r:(i + 1) * r]))  # C order: the sum's order
        padded = np.pad(slab, [(0, r - slab.shape[0]), (0, ny * r - slab.shape[1]), (0, nz * r - slab.shape[2])])
        averaged[i] = padded.reshape(1, r, ny, r, nz, r).mean(axis=(1, 3, 5), dtype=np.float32)[0]
    affine = template.affine.copy()
    affine[:3, 3] += affine[:3, :3] @ np.full(3, (r - 1) / 2)  # the centre of each block
    affine[:3, :3] *= r
    return nib.Nifti1Image(averaged, affine)
