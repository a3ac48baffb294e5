"""The machinery of the SIMULATED VBM studies: the 4 mm grid, smooth noise, the voxel-wise t-test, clusters.

:mod:`therapybrain.simulations.morphometry` builds its studies from these pieces (see there for how a
study is built); nothing here is data.

Examples
--------
>>> _coarse(np.ones((8, 8, 9), dtype=bool)).shape  # whole 4 mm blocks only
(2, 2, 2)
"""

from __future__ import annotations

import functools

import numpy as np
from scipy import ndimage, stats
from skimage.measure import block_reduce

from ..atlases import course_grid
from ..regions import region_mask

__all__ = ["GRID_MM"]

#: Voxel size (mm) of the simulation grid: 4 mm keeps one simulated study well under a second.
GRID_MM = 4

_CLUSTER_STRUCTURE = np.ones((3, 3, 3), dtype=bool)  # voxels touching by a face, edge or corner


def _affine() -> np.ndarray:
    """Affine of the 4 mm grid: blocks of 4 x 4 x 4 voxels of the 1 mm course grid."""
    affine = course_grid()[1]
    block = np.diag([GRID_MM, GRID_MM, GRID_MM, 1.0])
    block[:3, 3] = (GRID_MM - 1) / 2  # the centre of each block
    return affine @ block



def _coarse(data: np.ndarray) -> np.ndarray:
    """Average a 1 mm course-grid volume over 4 x 4 x 4 blocks (the fraction covered, for a mask).

    Only whole blocks count: the last voxels of an axis that do not fill a block are left out. One slab
    of blocks at a time: a float32 copy of the whole volume would cost 35 MB (a mask's averages, sums
    of 0s and 1s, are exact either way).
    """
    g = GRID_MM
    nx, ny, nz = (s // g for s in data.shape[:3])
    out = np.empty((nx, ny, nz), dtype=np.float32)
    for i in range(nx):
        slab = np.asarray(data[i * g:(i + 1) * g, :ny * g, :nz * g], dtype=np.float32)
        out[i] = block_reduce(slab, (g, g, g), np.mean)[0]
    return out


@functools.lru_cache(maxsize=1)
def _grey_matter() -> np.ndarray:
    from nilearn.datasets import load_mni152_gm_mask

    mask = load_mni152_gm_mask(resolution=1)  # bundled with nilearn, on the course grid
    out = _coarse(np.asarray(mask.dataobj) > 0) >= 0.5
    out.flags.writeable = False
    return out


@functools.lru_cache(maxsize=64)
def _effect_weights(key: str, hemisphere: str) -> np.ndarray:
    out = _coarse(np.asarray(region_mask(key, hemisphere).dataobj))
    out.flags.writeable = False
    return out


def _smooth_noise(rng: np.random.Generator, n: int, fwhm_mm: float) -> np.ndarray:
    """``n`` volumes of Gaussian noise smoothed to ``fwhm_mm`` and rescaled to unit variance, at the
    grey-matter mask's voxels: an array of (n, voxels of the mask), float32.

    Only the mask's bounding box, padded by the kernel's reach, is simulated (it is what the test needs,
    and it halves the work). One volume at a time: the numbers are those of drawing and smoothing all
    ``n`` boxes at once (the generator's stream runs on, and no smoothing crosses volumes), without
    holding them (50 MB for 64 per group).
    """
    sigma = fwhm_mm / GRID_MM / np.sqrt(8 * np.log(2))
    box = _bounding_box(int(np.ceil(3 * sigma)) + 1)
    shape = tuple(s.stop - s.start for s in box)
    inside = _grey_matter()[box]
    norm = _kernel_norm(round(float(sigma), 6)) if sigma >= 1e-6 else None
    out = np.empty((n, int(inside.sum())), dtype=np.float32)
    for i in range(n):
        volume = rng.standard_normal(shape, dtype=np.float32)
        if norm is not None:
            volume = ndimage.gaussian_filter(volume, sigma=sigma, mode="constant", truncate=3.0)
            volume /= norm
        out[i] = volume[inside]
    return out


@functools.lru_cache(maxsize=16)
def _bounding_box(margin: int) -> tuple[slice, ...]:
    brain = _grey_matter()
    box = ndimage.find_objects(brain.astype(np.int8))[0]
    return tuple(slice(max(s.start - margin, 0), min(s.stop + margin, n)) for s, n in zip(box, brain.shape))


@functools.lru_cache(maxsize=16)
def _kernel_norm(sigma: float) -> float:
    """Standard deviation of unit white noise after the smoothing: the kernel's root sum of squares."""
    size = 2 * int(np.ceil(3 * sigma)) + 3
    delta = np.zeros((size, size, size), dtype=np.float64)
    delta[size // 2, size // 2, size // 2] = 1.0
    kernel = ndimage.gaussian_filter(delta, sigma=sigma, mode="constant", truncate=3.0)
    return float(np.sqrt((kernel**2).sum()))



def _two_sample_t(values: np.ndarray, groups: np.ndarray) -> np.ndarray:
    """Student's t (equal variances) of group ``True`` minus group ``False`` at every column."""
    return stats.ttest_ind(values[groups], values[~groups], axis=0).statistic


def _clusters(volume: np.ndarray, threshold: float) -> tuple[np.ndarray, int]:
    """Label the clusters of |t| > threshold, positive and negative separately."""
    positive, n_pos = ndimage.label(volume > threshold, structure=_CLUSTER_STRUCTURE)
    negative, n_neg = ndimage.label(volume < -threshold, structure=_CLUSTER_STRUCTURE)
    labels = positive + np.where(negative > 0, negative + n_pos, 0)
    return labels, int(n_pos + n_neg)

