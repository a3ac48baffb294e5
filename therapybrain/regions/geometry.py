"""Where the course's regions and networks are, and how large: volumes, overlaps, centroids, ROI centres.

Every number here is computed from a region's mask (:mod:`therapybrain.regions.masks`) or read
from the network coordinates that nilearn bundles; none is typed in.

Examples
--------
>>> region_volume("amygdala", "left") > 1
True
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from .._docs import fill_doc
from ..atlases import course_grid, load_atlas
from .catalogue import DEFAULT_THRESHOLD, network_info, region_info
from .masks import _mask_crop, check_mask_args

__all__ = ["network_coords", "region_centroid", "region_overlap", "region_volume"]


@fill_doc
def region_volume(name: str, hemisphere: str = "both", threshold: int = DEFAULT_THRESHOLD) -> float:
    """Return the volume of a region's mask in cubic centimetres (1 voxel of the course grid = 1 mm³).

    This is the volume of the *mask*: the voxels that at least ``threshold`` percent of the
    atlas's reference brains put in the region. A probabilistic mask at 25 % is larger than
    the structure in any one brain, because it pools brains whose borders differ.

    Parameters
    ----------
    %(region_name)s
    %(hemisphere)s
    %(threshold)s

    Returns
    -------
    float
        Cubic centimetres (millilitres), to 0.001 cm³ (one voxel).

    Raises
    ------
    %(raises_region_threshold)s

    Examples
    --------
    >>> region_volume("hippocampus", "left") > region_volume("hippocampus", "left", threshold=75)
    True
    """
    crop, _ = _mask_crop(*check_mask_args(name, hemisphere, threshold))
    return int(crop.sum()) / 1000


@fill_doc
def region_overlap(
    name: str, other: str, hemisphere: str = "both", threshold: int = DEFAULT_THRESHOLD
) -> float:
    """Return the fraction of one region's mask that lies inside another region's mask.

    Parameters
    ----------
    %(region_name)s
        Its voxels are counted (for example ``"dentate_gyrus"``).
    other : str
        The course region they may lie in (key, name or short name, for example ``"hippocampus"``),
        at the default 25 % threshold.
    %(hemisphere)s
    %(threshold)s
        It applies to ``name``'s mask.

    Returns
    -------
    float
        From 0 (no voxel of ``name`` inside ``other``) to 1 (all of them).

    Raises
    ------
    %(raises_region_threshold)s

    Examples
    --------
    >>> 0.5 < region_overlap("dentate_gyrus", "hippocampus", "left") <= 1
    True
    """
    first, second = region_info(name), region_info(other)
    key, hemisphere, threshold = check_mask_args(first.key, hemisphere, threshold)
    a, a_corner = _mask_crop(key, hemisphere, threshold)
    b, b_corner = _mask_crop(second.key, hemisphere, DEFAULT_THRESHOLD)
    total = int(a.sum())
    if total == 0:
        return 0.0
    low = np.maximum(a_corner, b_corner)
    high = np.minimum(np.add(a_corner, a.shape), np.add(b_corner, b.shape))
    if np.any(high <= low):
        return 0.0
    in_a = a[tuple(slice(lo - c, hi - c) for lo, hi, c in zip(low, high, a_corner))]
    in_b = b[tuple(slice(lo - c, hi - c) for lo, hi, c in zip(low, high, b_corner))]
    return int((in_a & in_b).sum()) / total


@fill_doc
def region_centroid(name: str, hemisphere: str = "both") -> tuple[float, float, float]:
    """Return the centre of mass of a region's mask, in MNI millimetres (rounded to 0.1 mm).

    For ``"both"``, the centroid of a paired region lies near the midline, between the two
    halves; ask for one hemisphere to get a point inside the region.

    Parameters
    ----------
    %(region_name)s
    %(hemisphere)s

    Returns
    -------
    tuple of float
        ``(x, y, z)`` in MNI millimetres.

    Raises
    ------
    TypeError
        If ``name`` or ``hemisphere`` is not a string.
    ValueError
        For an unknown region or hemisphere (the message lists the valid ones).

    Examples
    --------
    >>> x, y, z = region_centroid("hippocampus", "left")
    >>> x < 0
    True
    """
    crop, corner = _mask_crop(*check_mask_args(name, hemisphere, DEFAULT_THRESHOLD))
    ijk = np.argwhere(crop).mean(axis=0) + np.array(corner)
    _, affine = course_grid()
    xyz = affine[:3, :3] @ ijk + affine[:3, 3]
    return tuple(round(float(v), 1) for v in xyz)


@fill_doc
def network_coords(name: str) -> pd.DataFrame:
    """Return the ROI centres of a network: columns ``x, y, z`` (MNI mm), ``anatomy``, ``radius``.

    The coordinates are those of the Seitzman et al. (2020) 300-ROI set bundled with nilearn.

    Parameters
    ----------
    %(network_name)s

    Returns
    -------
    pandas.DataFrame
        One row per ROI centre: ``x``, ``y``, ``z`` (MNI mm), ``anatomy`` and ``radius`` (mm).

    Raises
    ------
    %(raises_network_name)s

    Examples
    --------
    >>> dmn = network_coords("default_mode")
    >>> list(dmn.columns)
    ['x', 'y', 'z', 'anatomy', 'radius']
    """
    network = network_info(name)
    coords = load_atlas("seitzman_2018").coords
    assert coords is not None
    rows = coords[coords["network"] == network.seitzman_label]
    return rows[["x", "y", "z", "anatomy", "radius"]].reset_index(drop=True)
