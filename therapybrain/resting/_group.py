"""The HCP group connectivity of the course's seeds, on the Schaefer parcellation, beside the person's.

Part of :mod:`therapybrain.resting` (its docstring says where the data come from).
"""

from __future__ import annotations

import functools
from pathlib import Path

import numpy as np
import pandas as pd

from .._validation import check_bool, check_int
from ._data import GROUP_SCALES, _wheel_folder, load_run
from ._maps import _check_seed, _locating_coords, seed_map, seed_vertices

# ----------------------------------------------------------------------------- the group (HCP)


def _group_files(scale: int) -> tuple[Path, Path, Path, Path]:
    folder = _wheel_folder()
    return (folder / "matrices" / "main_group" / f"schaefer_{scale}_mean_connectivity_matrix.csv",
            folder / "parcellations" / f"schaefer_{scale}_conte69.csv",
            folder / "surfaces" / "conte69_32k_lh.gii", folder / "surfaces" / "conte69_32k_rh.gii")


@functools.lru_cache(maxsize=2)
def _group(scale: int) -> tuple[np.ndarray, np.ndarray, np.ndarray, np.ndarray, int]:
    import nibabel as nib

    matrix_file, labels_file, lh, rh = _group_files(scale)
    matrix = np.loadtxt(matrix_file, delimiter=",", dtype=np.float32)
    labels = np.loadtxt(labels_file, dtype=np.int32)
    parts = [nib.load(p) for p in (lh, rh)]
    coords = [p.agg_data("NIFTI_INTENT_POINTSET") for p in parts]
    faces = [p.agg_data("NIFTI_INTENT_TRIANGLE") for p in parts]
    n_left = len(coords[0])
    return (matrix, labels, np.vstack(coords).astype(np.float64),
            np.vstack([faces[0], faces[1] + n_left]), n_left)


def _check_scale(scale: object) -> int:
    scale = check_int(scale, "scale")
    if scale not in GROUP_SCALES:
        raise ValueError(f"scale must be one of {', '.join(map(str, GROUP_SCALES))} (Schaefer parcels), got {scale}")
    return scale


@functools.lru_cache(maxsize=2)
def _vertex_parcels(scale: int) -> np.ndarray:
    """The Schaefer parcel (1-based; 0: none) of each fsaverage5 vertex: that of the nearest conte69 vertex.

    Both surfaces lie in MNI space, so the nearest point is a few millimetres off at most; a
    parcel's border is therefore approximate on fsaverage5.
    """
    from scipy.spatial import cKDTree

    _, labels, coords, _, n_left = _group(scale)
    points = _locating_coords()
    n = len(points) // 2
    out = np.zeros(len(points), dtype=np.int32)
    for side, mesh in ((slice(0, n), slice(0, n_left)), (slice(n, None), slice(n_left, None))):
        _, nearest = cKDTree(coords[mesh]).query(points[side])
        out[side] = labels[mesh][nearest]
    out[~load_run().valid] = 0
    out.flags.writeable = False
    return out


def _seed_weights(key: str, scale: int) -> np.ndarray:
    """How many of the seed's vertices fall in each Schaefer parcel (length = scale)."""
    parcels = _vertex_parcels(scale)[seed_vertices(key)]
    return np.bincount(parcels[parcels > 0], minlength=scale + 1)[1:].astype(np.float64)


def group_seed_map(seed: str, scale: int = 400) -> np.ndarray:
    """The HCP group's seed map: the group matrix's rows of the seed's Schaefer parcels, averaged.

    Each parcel's row is weighted by the number of the seed's vertices in it (as the seed's time
    series is an average over its vertices).

    Parameters
    ----------
    seed : str
        A key of ``SEEDS``.
    scale : int, default=400
        Number of Schaefer parcels: 100, 200, 300 or 400.

    Returns
    -------
    numpy.ndarray
        One value per parcel (length ``scale``), in the parcellation's order.

    Raises
    ------
    ValueError
        For an unknown seed (the message names the valid ones) or a scale not in ``GROUP_SCALES``.

    Examples
    --------
    >>> group_seed_map("pcc").shape
    (400,)
    """
    key = _check_seed(seed)
    scale = _check_scale(scale)
    matrix = _group(scale)[0]
    weights = _seed_weights(key, scale)
    return (weights @ matrix / weights.sum()).astype(np.float32)


def person_parcel_map(seed: str, scale: int = 400, global_signal: bool = False) -> np.ndarray:
    """This person's seed map averaged inside each Schaefer parcel (NaN for a parcel with no vertex).

    Parameters
    ----------
    seed : str
        A key of ``SEEDS``.
    scale : int, default=400
        Number of Schaefer parcels: 100, 200, 300 or 400.
    global_signal : bool, default=False
        See ``seed_map``.

    Returns
    -------
    numpy.ndarray
        One value per parcel (length ``scale``).

    Raises
    ------
    ValueError
        For an unknown seed (the message names the valid ones) or a scale not in ``GROUP_SCALES``.

    Examples
    --------
    >>> person_parcel_map("pcc").shape
    (400,)
    """
    key = _check_seed(seed)
    scale = _check_scale(scale)
    values = np.nan_to_num(seed_map(key, check_bool(global_signal, "global_signal")))
    parcels = _vertex_parcels(scale)
    counts = np.bincount(parcels, minlength=scale + 1)[1:]
    sums = np.bincount(parcels, weights=values, minlength=scale + 1)[1:]
    with np.errstate(invalid="ignore", divide="ignore"):
        return np.where(counts > 0, sums / counts, np.nan).astype(np.float32)


def compare_with_group(seed: str = "pcc", scale: int = 400) -> pd.DataFrame:
    """Parcel by parcel: this person's seed map against the HCP group's, the seed's own parcels left out.

    Parameters
    ----------
    seed : str, default="pcc"
        A key of ``SEEDS``.
    scale : int, default=400
        Number of Schaefer parcels: 100, 200, 300 or 400.

    Raises
    ------
    ValueError
        For an unknown seed (the message names the valid ones) or a scale not in ``GROUP_SCALES``.

    Returns
    -------
    pandas.DataFrame
        One row per Schaefer parcel (``parcel``, 1-based) with ``person`` and ``group`` r.

    Examples
    --------
    >>> table = compare_with_group("pcc")
    >>> bool(table[["person", "group"]].corr().iloc[0, 1] > 0.2)
    True
    """
    key = _check_seed(seed)
    scale = _check_scale(scale)
    table = pd.DataFrame({"parcel": np.arange(1, scale + 1), "person": person_parcel_map(key, scale),
                          "group": group_seed_map(key, scale)})
    keep = (_seed_weights(key, scale) == 0) & table["person"].notna().to_numpy()
    return table[keep].reset_index(drop=True)


