"""The course grid: nilearn's 1 mm MNI152 template, from its file's header only (no image is loaded).

The lowest layer of the package, with the input checks (:mod:`therapybrain._validation`) above it:
it imports nothing of the package, so the checks of coordinates and the atlases both use it.

Examples
--------
>>> course_grid()[0]
(197, 233, 189)
"""

from __future__ import annotations

import functools

import nibabel as nib
import numpy as np

__all__ = ["course_grid", "grid_bounds"]


@functools.lru_cache(maxsize=1)
def course_grid() -> tuple[tuple[int, int, int], np.ndarray]:
    """Return ``(shape, affine)`` of the course grid: nilearn's 1 mm MNI152 template.

    Only the template file's header is read.

    Returns
    -------
    shape : tuple of int
        The number of voxels along x, y and z.
    affine : numpy.ndarray
        The 4 x 4 matrix from voxel indices to MNI millimetres (cached and shared: copy it before
        changing it).

    Examples
    --------
    >>> shape, affine = course_grid()
    >>> shape
    (197, 233, 189)
    """
    from nilearn.datasets.struct import MNI152_FILE_PATH

    header = nib.load(MNI152_FILE_PATH)
    return tuple(int(n) for n in header.shape[:3]), header.affine.copy()


def grid_bounds() -> tuple[tuple[float, float, float], tuple[float, float, float]]:
    """The lowest and highest MNI coordinate (mm) of the course grid along x, y and z.

    Examples
    --------
    >>> grid_bounds()[0]
    (-98.0, -134.0, -72.0)
    """
    shape, affine = course_grid()
    corners = np.array([affine[:3, 3], affine[:3, :3] @ (np.array(shape) - 1) + affine[:3, 3]])
    low, high = corners.min(axis=0), corners.max(axis=0)
    return tuple(float(v) for v in low), tuple(float(v) for v in high)
