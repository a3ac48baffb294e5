"""Region meshes for the 3-D view: the surface of a region's mask as triangles in MNI millimetres.

The mask is smoothed as a volume (scipy's Gaussian filter, ``SMOOTHING_MM``) and its 0.5 iso-surface
is found by scikit-image's marching cubes (Lewiner's method) on a ``step``-voxel lattice: no
staircase of voxel faces, a closed surface with outward normals, and a shape that keeps its volume
(a blurred step crosses 0.5 where the step was).

Examples
--------
>>> verts, faces = region_surface("amygdala", "left")
>>> verts.shape[1], faces.shape[1], bool(verts[:, 0].max() < 0)
(3, 3, True)
"""

from __future__ import annotations

import functools

import numpy as np

from ..atlases import course_grid
from ._common import _cropped

__all__ = ["SMOOTHING_MM", "region_surface"]

#: The Gaussian's standard deviation (mm, one voxel of the course grid) that rounds a mask off before
#: its surface is found: enough to hide single voxels, too little to merge a region's folds.
SMOOTHING_MM = 1.0


@functools.lru_cache(maxsize=64)
def region_surface(key: str, hemisphere: str, step: int = 2) -> tuple[np.ndarray, np.ndarray]:
    """The surface of a region's mask as a triangle mesh in MNI mm (float32 vertices, int32 faces).

    Parameters
    ----------
    key : str
        A region key (checked by the caller).
    hemisphere : {"left", "right", "both"}
        The hemisphere's mask (checked by the caller).
    step : int, default=2
        The marching cubes' lattice, in voxels (1 mm each): 2 keeps about a quarter of the triangles.

    Returns
    -------
    verts : numpy.ndarray
        (n, 3) vertices in MNI millimetres.
    faces : numpy.ndarray
        (m, 3) vertex indices of each triangle, counter-clockwise seen from outside.

    Examples
    --------
    >>> verts, faces = region_surface("hippocampus", "left")
    >>> int(faces.max()) < len(verts)
    True
    """
    from scipy import ndimage
    from skimage import measure

    values, corner = _cropped(key, hemisphere)  # the mask in its box, one empty voxel around it
    margin = 3  # room for the blur: the field is ~0 three voxels (3 sigma) outside the mask
    field = ndimage.gaussian_filter(np.pad(values, margin).astype(np.float32), sigma=SMOOTHING_MM)
    verts, faces, _, _ = measure.marching_cubes(field, level=0.5, step_size=step, allow_degenerate=False)
    affine = course_grid()[1]
    ijk = verts + np.array(corner) - margin  # voxel coordinates on the course grid
    # marching_cubes orders each triangle clockwise seen from the higher values (inside): reversed, the
    # triangles face outward for plotly's lighting.
    return (ijk @ affine[:3, :3].T + affine[:3, 3]).astype(np.float32), faces[:, ::-1].astype(np.int32)
