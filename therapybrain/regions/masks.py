"""The masks of the course's regions, computed from their atlas at a probability threshold.

A region's mask is never stored: it is the voxels where any of its atlas labels reaches the
threshold, computed inside the box around those labels and cached (a few hundred kB a region,
where the whole course grid is 8.7 MB).

Examples
--------
>>> crop, corner = _mask_crop("amygdala", "left", DEFAULT_THRESHOLD)
>>> crop.dtype.name, len(corner)
('bool', 3)
"""

from __future__ import annotations

import functools

import nibabel as nib
import numpy as np

from .._docs import fill_doc
from .._validation import check_bool, check_hemisphere, check_number
from ..atlases import course_grid, load_atlas
from .catalogue import DEFAULT_THRESHOLD, catalogue, region_info

__all__ = ["region_mask"]


@fill_doc
def region_mask(
    name: str, hemisphere: str = "both", threshold: int = DEFAULT_THRESHOLD, crop: bool = False
) -> nib.Nifti1Image:
    """Return a region's mask (0/1, uint8) on the course's 1 mm MNI152 grid.

    A voxel is in the mask when the region's atlas gives it at least ``threshold`` percent
    for any of the region's labels (left or right). ``"left"`` then keeps the voxels with
    x < 0 mm, ``"right"`` those with x > 0 mm, and ``"both"`` keeps all, the midline included.

    Parameters
    ----------
    %(region_name)s
    %(hemisphere)s
    %(threshold)s
    crop : bool, default=False
        If True, return only the box around the mask (plus one empty voxel on each side) with
        the same voxel size and an affine that puts it in place: the same mask in a few hundred
        kB instead of 8.7 MB, and much faster to draw.

    Returns
    -------
    nibabel.Nifti1Image
        The mask: uint8, 1 inside the region and 0 outside.

    Raises
    ------
    TypeError
        If ``name`` or ``hemisphere`` is not a string, ``threshold`` not a number, or ``crop`` not True or False.
    ValueError
        For an unknown region or hemisphere, or a threshold that is not a whole number from 1 to 100.

    Examples
    --------
    >>> mask = region_mask("hippocampus", "left")
    >>> int(mask.get_fdata().sum()) > 1000
    True
    """
    key, hemisphere, threshold = check_mask_args(name, hemisphere, threshold)
    crop = check_bool(crop, "crop")
    if crop:
        values, corner = _mask_crop(key, hemisphere, threshold)
        affine = course_grid()[1].copy()
        affine[:3, 3] += affine[:3, :3] @ (np.array(corner) - 1)
        return nib.Nifti1Image(np.pad(values, 1).astype(np.uint8), affine)
    return nib.Nifti1Image(_mask_array(key, hemisphere, threshold), course_grid()[1])


def check_mask_args(name: object, hemisphere: object, threshold: object) -> tuple[str, str, int]:
    """A region, a hemisphere and a threshold checked, in that order: ``(key, hemisphere, threshold)``.

    Examples
    --------
    >>> check_mask_args("Dentate Gyrus", "Left", 25.0)
    ('dentate_gyrus', 'left', 25)
    """
    key = region_info(name).key  # type: ignore[arg-type]
    hemisphere = check_hemisphere(hemisphere)
    return key, hemisphere, int(check_number(threshold, "threshold", 1, 100, integer=True))


def _mask_array(key: str, hemisphere: str, threshold: int) -> np.ndarray:
    """The region's mask on the whole course grid (uint8 0/1)."""
    crop, corner = _mask_crop(key, hemisphere, threshold)
    shape, _ = course_grid()
    out = np.zeros(shape, dtype=np.uint8)
    out[tuple(slice(c, c + n) for c, n in zip(corner, crop.shape))] = crop
    return out


@functools.lru_cache(maxsize=64)
def _mask_crop(key: str, hemisphere: str, threshold: int) -> tuple[np.ndarray, tuple[int, int, int]]:
    """The region's mask inside the box around its labels (read-only bool array, corner on the grid).

    Cached small: a whole-grid mask is 8.7 MB, a region's box a few hundred kB.
    """
    region = catalogue().regions[key]
    atlas = load_atlas(region.atlas)
    crops = [atlas.label_crop(label) for label in region.atlas_labels("both")]
    low = np.min([corner for _, corner in crops], axis=0)
    high = np.max([np.add(corner, values.shape) for values, corner in crops], axis=0)
    mask = np.zeros(high - low, dtype=bool)
    # Both sides' labels, then the half-space: near the midline a "Left_" label can spill over x = 0.
    for values, corner in crops:
        mask[tuple(slice(c - a, c - a + n) for c, a, n in zip(corner, low, values.shape))] |= values >= threshold
    if hemisphere != "both":
        _, affine = course_grid()
        x = affine[0, 0] * np.arange(low[0], high[0]) + affine[0, 3]
        mask &= (x < 0 if hemisphere == "left" else x > 0)[:, None, None]
    mask.flags.writeable = False
    return mask, (int(low[0]), int(low[1]), int(low[2]))


def _in_mask(key: str, ijk: tuple[int, int, int]) -> bool:
    """Whether a course-grid voxel is in the region's mask (both hemispheres, default threshold)."""
    crop, corner = _mask_crop(key, "both", DEFAULT_THRESHOLD)
    local = tuple(i - c for i, c in zip(ijk, corner))
    return all(0 <= v < n for v, n in zip(local, crop.shape)) and bool(crop[local])
