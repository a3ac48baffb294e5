"""What the plotting modules share: the static views, size and region checks, the atlas note, and the
point inside a region where every view opens.

Examples
--------
>>> _check_size(None, "width") is None, _check_size(600, "width")
(True, 600)
"""

from __future__ import annotations

import functools

import numpy as np

from .._validation import check_choices, check_hemisphere, check_int
from ..atlases import course_grid, load_atlas
from ..regions import DEFAULT_THRESHOLD, REGION_ALIASES, list_regions, region_centroid, region_info
from ..regions.masks import _mask_crop

#: The static views, orthogonal slices through a point or a transparent "glass" brain.
VIEWS = ("slices", "glass")


def _check_size(value: object, name: str) -> int | None:
    """None, or a frame's width or height in whole pixels (>= 1)."""
    return None if value is None else check_int(value, name, 1)


def _check_regions(names: object, allow_empty: bool = True) -> tuple[str, ...]:
    """Region keys from one name or a list of names (aliases allowed), checked before anything is drawn."""
    return check_choices(names, list_regions(), "region", aliases=REGION_ALIASES, allow_empty=allow_empty)


def _atlas_note(regions) -> str:
    atlases = sorted({load_atlas(r.atlas).info.title.split(" (")[0].split(" cortical")[0] for r in regions})
    return "Atlas: " + "; ".join(atlases)


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
