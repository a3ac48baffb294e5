"""The pictures of the explorer's canvas, from cached arrays: each slice or glass-brain panel as an RGB(A)
image over its extent in MNI mm, with the network's marks, the cursor and the panel's labels.

Plain numpy (no nilearn display), fast enough to follow a slider; :mod:`therapybrain.plotting.canvas`
lays the panels out and draws them.

Examples
--------
>>> panel = _slice_panel("z", [], "both", np.empty((0, 3)), (0.0, 0.0, 10.0), 2)
>>> panel.direction, panel.image.ndim, panel.labels[0][2]
('z', 3, 'z = 10')
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import numpy as np

from ..atlases import course_grid, load_atlas
from ..regions import network_coords, region_info
from ._common import _cropped

#: ROI centres within this distance (mm) of a slice are drawn on it as dots, the others as rings
#: projected onto it, so that a chosen network is always visible.
_NEAR_MM = 8.0
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


@functools.lru_cache(maxsize=1)
def _volume_frame():
    """The course grid's mm coordinates per axis, its template, the template's value drawn white, and the
    brain's box (mm).

    The template is its file's values (8.7 MB of bytes, kept with the frame): a slice is scaled to 0-1 only when
    it is drawn (as nilearn scales the template, then by :func:`_scaled`), and the box is found one slab at
    a time, so no full-brain temporary is made.
    """
    shape, affine = course_grid()
    template = load_atlas("mni152")._template_values()
    white = np.percentile(template.unit(template.values[template.values > 0]), 99.5)
    axes = tuple(affine[i, i] * np.arange(shape[i]) + affine[i, 3] for i in range(3))
    seen = [np.zeros(n, dtype=bool) for n in shape]
    for k in range(0, shape[2], 16):
        inside = _scaled(template.unit(template.values[:, :, k:k + 16]), white) > 0.05
        seen[0] |= inside.any(axis=(1, 2))
        seen[1] |= inside.any(axis=(0, 2))
        seen[2][k:k + 16] |= inside.any(axis=(0, 1))
    low = np.array([axes[i][np.flatnonzero(seen[i])[0]] - 3 for i in range(3)])
    high = np.array([axes[i][np.flatnonzero(seen[i])[-1]] + 3 for i in range(3)])
    return axes, template, white, low, high


def _scaled(values: np.ndarray, white) -> np.ndarray:
    """Template values scaled to 0-1, ``white`` and above drawn white (float32, as the template)."""
    return np.clip(np.asarray(values, dtype=np.float32) / white, 0, 1)


def _extent(axes, h: int, v: int, keep_h=slice(None), keep_v=slice(None)) -> tuple[float, float, float, float]:
    """The mm extent of an image whose columns sample ``axes[h][keep_h]`` and rows ``axes[v][keep_v]``."""
    ah, av = axes[h][keep_h], axes[v][keep_v]
    dh, dv = abs(axes[h][1] - axes[h][0]) / 2, abs(axes[v][1] - axes[v][0]) / 2
    return (ah[0] - dh, ah[-1] + dh, av[0] - dv, av[-1] + dv)


def _slice_panel(direction, chosen, hemisphere, coords, cut_coords, step) -> _Panel:
    axes, template, white, low, high = _volume_frame()
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
    grey = _scaled(template.unit(template.values[tuple(cut)]), white).T  # rows run along the vertical axis
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
    axes, _, _, low, high = _volume_frame()
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
