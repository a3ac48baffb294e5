"""The surface, the seeds' vertices, time series, seed-correlation maps and the r at a region or network.

Part of :mod:`therapybrain.resting` (its docstring says where the data come from).
"""

from __future__ import annotations

import functools

import numpy as np
import pandas as pd

from .._docs import fill_doc
from .._validation import check_bool, check_choice, check_int, check_xyz
from ..atlases import course_grid, load_atlas
from ..regions import network_coords, network_info, region_info, region_mask
from ._data import _DISC_MM, SEED_ALIASES, SEEDS, Seed, load_run

# ----------------------------------------------------------------------------- the surface


@functools.cache
def _mesh(kind: str) -> tuple[np.ndarray, np.ndarray, int]:
    """fsaverage5's vertices (both hemispheres stacked) and faces, from nilearn's bundled files."""
    from nilearn import datasets

    mesh = datasets.load_fsaverage("fsaverage5")[kind]
    left, right = mesh.parts["left"], mesh.parts["right"]
    coords = np.vstack([left.coordinates, right.coordinates]).astype(np.float64)
    faces = np.vstack([left.faces, right.faces + len(left.coordinates)])
    return coords, faces, len(left.coordinates)


def _locating_coords() -> np.ndarray:
    """Mid-thickness vertices (halfway between pial and white surfaces): where grey matter is."""
    pial, _, _ = _mesh("pial")
    white, _, _ = _mesh("white_matter")
    return (pial + white) / 2


def _check_seed(seed: object) -> str:
    return check_choice(seed, SEEDS, "seed", aliases=SEED_ALIASES)


def seed_info(seed: str) -> Seed:
    """Return a seed's definition.

    Parameters
    ----------
    seed : str
        One of ``SEEDS`` (``"pcc"``, ``"mpfc"``, ``"motor"``, ``"visual"``; ``"vmpfc"``, ``"v1"``,
        ``"m1"`` are accepted too).

    Returns
    -------
    Seed

    Raises
    ------
    ValueError
        For an unknown seed; the message names the valid ones.

    Examples
    --------
    >>> seed_info("PCC").name
    'Posterior cingulate cortex'
    """
    return SEEDS[_check_seed(seed)]


@functools.cache
def _seed_vertices(key: str) -> np.ndarray:
    seed = SEEDS[key]
    return _vertices_in(seed.region, seed.atlas, () if seed.region else seed.labels)


@functools.cache
def _vertices_in(region: str | None, atlas: str, labels: tuple[str, ...]) -> np.ndarray:
    """The valid vertices whose mid-thickness point lies in a course region's mask or in atlas labels (25 %)."""
    _, affine = course_grid()
    points = _locating_coords()
    ijk = np.rint(np.c_[points, np.ones(len(points))] @ np.linalg.inv(affine).T)[:, :3].astype(int)
    inside = np.zeros(len(ijk), dtype=bool)
    if region is not None:
        image = region_mask(region, "both", crop=True)
        corner = np.rint(np.linalg.inv(affine) @ image.affine[:, 3])[:3].astype(int)
        inside |= _lookup(np.asarray(image.dataobj) > 0, corner, ijk)
    for label in labels:
        values, corner = load_atlas(atlas).label_crop(label)
        inside |= _lookup(np.asarray(values) >= 25, np.array(corner), ijk)
    inside &= load_run().valid
    vertices = np.flatnonzero(inside)
    vertices.flags.writeable = False
    return vertices


def _lookup(mask: np.ndarray, corner: np.ndarray, ijk: np.ndarray) -> np.ndarray:
    local = ijk - corner
    ok = np.all((local >= 0) & (local < mask.shape), axis=1)
    out = np.zeros(len(ijk), dtype=bool)
    out[ok] = mask[tuple(local[ok].T)]
    return out


@fill_doc
def seed_vertices(seed: str) -> np.ndarray:
    """The fsaverage5 vertices of a seed: those whose mid-thickness point lies in its atlas labels.

    Parameters
    ----------
    seed : str
        A key of ``SEEDS``.

    Returns
    -------
    numpy.ndarray
        Vertex indices (left hemisphere ``0..10241``, right ``10242..20483``), sorted.

    Raises
    ------
    %(raises_seed_name)s

    Examples
    --------
    >>> len(seed_vertices("pcc")) > 50
    True
    """
    return _seed_vertices(_check_seed(seed))


def vertex_timeseries(vertex: int, cleaned: bool = True) -> np.ndarray:
    """One vertex's time series (float32): cleaned and z-scored, or as it comes in the file.

    Parameters
    ----------
    vertex : int
        A vertex index, 0 to 20483.
    cleaned : bool, default=True
        False: the time series before confound removal.

    Returns
    -------
    numpy.ndarray
        652 values (float32).

    Raises
    ------
    TypeError
        If ``vertex`` is not an int or ``cleaned`` not True or False.
    ValueError
        For a vertex outside 0 to 20483.

    Examples
    --------
    >>> vertex_timeseries(int(seed_vertices("pcc")[0])).shape
    (652,)
    """
    run = load_run()
    vertex = check_int(vertex, "vertex", 0, len(run.clean) - 1)
    cleaned = check_bool(cleaned, "cleaned")
    return np.array(run.clean[vertex]) if cleaned else run.raw(vertex)


@fill_doc
def seed_timeseries(seed: str, cleaned: bool = True) -> np.ndarray:
    """A seed's time series: the mean over its vertices (cleaned and z-scored, or raw).

    Parameters
    ----------
    seed : str
        A key of ``SEEDS``.
    cleaned : bool, default=True
        False: the mean of the uncleaned time series.

    Returns
    -------
    numpy.ndarray
        652 values (float32).

    Raises
    ------
    %(raises_seed_name)s

    Examples
    --------
    >>> round(float(seed_timeseries("pcc").std()), 3)
    1.0
    """
    run = load_run()
    vertices = seed_vertices(seed)
    cleaned = check_bool(cleaned, "cleaned")
    rows = run.clean[vertices] if cleaned else run.raw(vertices)
    series = np.asarray(rows, dtype=np.float64).mean(axis=0)
    if cleaned:
        series = (series - series.mean()) / series.std()
    return series.astype(np.float32)


@functools.cache
def _global_signal() -> np.ndarray:
    run = load_run()
    weights = run.valid.astype(np.float32) / float(run.valid.sum())
    g = (weights @ run.clean).astype(np.float64)  # the mean over valid vertices, without a copy of the run
    return ((g - g.mean()) / g.std()).astype(np.float32)


@functools.cache
def _global_r() -> np.ndarray:
    run = load_run()
    return (run.clean @ _global_signal()) / run.n_times


def _raw_seed_map(key: str) -> np.ndarray:
    """r with the uncleaned run, read in blocks of vertices (only one block in memory at a time)."""
    run = load_run()
    s = seed_timeseries(key, cleaned=False).astype(np.float64)
    s = (s - s.mean()) / s.std()
    n = len(run.clean)
    r = np.zeros(n)
    for start in range(0, n, 2048):
        block = run.raw(slice(start, min(start + 2048, n))).astype(np.float64)
        sd = block.std(axis=1)
        # sum(s) = 0, so the block's means drop out of the covariance
        r[start:start + len(block)] = np.divide(block @ s, run.n_times * sd, out=np.zeros(len(block)), where=sd > 0)
    return r


@functools.lru_cache(maxsize=16)
def _seed_map(key: str, global_signal: bool, cleaned: bool = True) -> np.ndarray:
    run = load_run()
    if not cleaned:
        r = _raw_seed_map(key)
        r = np.clip(r, -1, 1).astype(np.float32)
        r[~run.valid] = np.nan
        r.flags.writeable = False
        return r
    s = seed_timeseries(key)
    r = (run.clean @ s) / run.n_times
    if global_signal:  # partial correlation given the global signal: what regressing it out does
        g = _global_signal()
        r_sg = float(s @ g) / run.n_times
        r_vg = _global_r()
        r = (r - r_vg * r_sg) / np.sqrt(np.clip((1 - r_vg**2) * (1 - r_sg**2), 1e-12, None))
    r = np.clip(r, -1, 1).astype(np.float32)
    r[~run.valid] = np.nan
    r.flags.writeable = False
    return r


def seed_map(seed: str, global_signal: bool = False, cleaned: bool = True) -> np.ndarray:
    """The seed's correlation map: Pearson r between its time series and every vertex's.

    Parameters
    ----------
    seed : str
        A key of ``SEEDS``.
    global_signal : bool, default=False
        True: the mean signal of the whole cortex is regressed out first (a partial correlation).
        Analyses make this choice differently; in this run it lowers every r and makes some negative.
    cleaned : bool, default=True
        False: the map from the run as it comes, before the confounds are removed (to compare).

    Returns
    -------
    numpy.ndarray
        float32, one r per vertex (20,484); NaN on the medial wall.

    Raises
    ------
    ValueError
        For an unknown seed; the message names the valid ones.

    Examples
    --------
    >>> r = seed_map("pcc")
    >>> float(np.nanmax(r)) <= 1.0
    True
    """
    global_signal = check_bool(global_signal, "global_signal")
    cleaned = check_bool(cleaned, "cleaned")
    if global_signal and not cleaned:
        raise ValueError("global_signal=True needs cleaned=True (the global signal is taken from the cleaned run)")
    return _seed_map(_check_seed(seed), global_signal, cleaned)


def mean_r(values: np.ndarray) -> float:
    """A map's mean over the cortex (the medial wall left out), to three decimals.

    Parameters
    ----------
    values : numpy.ndarray
        A map from ``seed_map``.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        If ``values`` is not one value per fsaverage5 vertex.

    Examples
    --------
    >>> -1 <= mean_r(seed_map("pcc")) <= 1
    True
    """
    return round(float(np.nanmean(_check_map(values))), 3)


def _check_map(values: object) -> np.ndarray:
    n = 2 * load_run().n_left
    array = np.asarray(values, dtype=np.float64) if not isinstance(values, str) else None
    if array is None or array.shape != (n,):
        raise ValueError(f"expected a map of {n} values (one per fsaverage5 vertex, as seed_map returns), "
                         f"got {type(values).__name__}{'' if array is None else ' of shape ' + str(array.shape)}")
    return array


def nearest_vertex(xyz: tuple[float, float, float]) -> int:
    """The fsaverage5 vertex nearest to an MNI point (mid-thickness surface, in the point's hemisphere).

    Parameters
    ----------
    xyz : tuple of 3 floats
        MNI coordinates in mm; x < 0 is the left hemisphere.

    Returns
    -------
    int
        A vertex index (left ``0..10241``, right ``10242..20483``).

    Raises
    ------
    TypeError
        If ``xyz`` is not three numbers.
    ValueError
        For a point outside the MNI152 grid.

    Examples
    --------
    >>> nearest_vertex((-40.0, -70.0, 30.0)) < 10242
    True
    """
    xyz = check_xyz(xyz, "xyz")
    coords = _locating_coords()
    n_left = len(coords) // 2
    offset = 0 if xyz[0] < 0 else n_left
    part = coords[offset:offset + n_left]
    return int(np.argmin(((part - xyz) ** 2).sum(axis=1))) + offset


def _disc(xyz: tuple[float, float, float], radius: float = _DISC_MM) -> np.ndarray:
    """The vertices within ``radius`` mm of the vertex nearest to ``xyz`` (in the point's hemisphere)."""
    coords = _locating_coords()
    n_left = len(coords) // 2
    centre = nearest_vertex(xyz)
    offset = 0 if centre < n_left else n_left
    part = coords[offset:offset + n_left]
    return np.flatnonzero(((part - coords[centre]) ** 2).sum(axis=1) <= radius**2) + offset


def value_at(values: np.ndarray, where: object) -> float:
    """The mean of a map over a course region's vertices or a 6 mm patch around an MNI point.

    Parameters
    ----------
    values : numpy.ndarray
        A map from ``seed_map``.
    where : str or tuple of 3 floats
        A seed key (``"mpfc"``), a course region with surface vertices (``"angular_gyrus"``), or an
        MNI coordinate in mm: the surface patch within 6 mm of the nearest vertex.

    Returns
    -------
    float

    Raises
    ------
    ValueError
        For a map of the wrong length, an unknown seed or region (the message names the valid
        ones), a region without cortical vertices, or a point outside the MNI152 grid.

    Examples
    --------
    >>> value_at(seed_map("pcc"), "angular_gyrus") > value_at(seed_map("pcc"), "visual")
    True
    """
    array = _check_map(values)
    if isinstance(where, str):
        vertices = _named_vertices(where)
    else:
        vertices = _disc(check_xyz(where, "where"))
    return float(np.nanmean(array[vertices]))


def _named_vertices(name: str) -> np.ndarray:
    if name.strip().lower().replace(" ", "_").replace("-", "_") in (*SEEDS, *SEED_ALIASES):
        return seed_vertices(name)
    region = region_info(name).key  # raises, naming the regions, for an unknown name
    vertices = _vertices_in(region, region_info(region).atlas, ())
    if not len(vertices):
        raise ValueError(f"the course region {region!r} has no fsaverage5 cortical vertices (it is not on the "
                         f"cortical surface); use a seed ({', '.join(SEEDS)}) or a cortical region")
    return vertices


def network_values(values: np.ndarray, network: str = "default_mode") -> pd.DataFrame:
    """A map's mean over the surface patch at each cortical coordinate of a network.

    Parameters
    ----------
    values : numpy.ndarray
        A map from ``seed_map``.
    network : str, default="default_mode"
        A network key (``tb.list_networks()``; aliases such as ``"dmn"`` work).

    Returns
    -------
    pandas.DataFrame
        The network's cortical coordinates (``x``, ``y``, ``z``, ``anatomy``) and ``r``.

    Raises
    ------
    ValueError
        For a map of the wrong length or an unknown network (the message names the valid ones).

    Examples
    --------
    >>> table = network_values(seed_map("pcc"), "dmn")
    >>> bool(table["r"].notna().all())
    True
    """
    array = _check_map(values)
    coords = _cortical(network)
    coords["r"] = [float(np.nanmean(array[_disc((x, y, z))])) for x, y, z in zip(coords.x, coords.y, coords.z)]
    return coords


def _cortical(network: str) -> pd.DataFrame:
    coords = network_coords(network)
    return coords[coords["anatomy"].astype(str).str.startswith("cortex")][["x", "y", "z", "anatomy"]].reset_index(
        drop=True)


def inside_outside(values: np.ndarray, network: str = "default_mode", exclude: str | None = None
                   ) -> tuple[float, float]:
    """The mean r on the patches at a network's cortical coordinates, and over the rest of the cortex.

    Parameters
    ----------
    values : numpy.ndarray
        A map from ``seed_map``.
    network : str, default="default_mode"
        A network key.
    exclude : str, optional
        A seed whose own vertices are left out of both means (a seed correlates perfectly with
        itself: leaving it out keeps that from counting as evidence).

    Returns
    -------
    tuple of float
        (inside, outside).

    Raises
    ------
    ValueError
        For a map of the wrong length, an unknown network or seed (the message names the valid ones).

    Examples
    --------
    >>> inside, outside = inside_outside(seed_map("pcc"), "dmn", exclude="pcc")
    >>> inside > outside
    True
    """
    array = _check_map(values).copy()
    if exclude is not None:
        array[seed_vertices(exclude)] = np.nan
    inside = _network_rois(network_info(network).key).astype(bool)
    return float(np.nanmean(array[inside])), float(np.nanmean(array[~inside]))


@functools.lru_cache(maxsize=16)
def _network_rois(network: str | None) -> np.ndarray | None:
    """1 on the 6 mm patches at a network's cortical coordinates, 0 elsewhere (None for no network)."""
    if network is None:
        return None
    roi = np.zeros(2 * load_run().n_left, dtype=int)
    coords = _cortical(network)
    for x, y, z in zip(coords.x, coords.y, coords.z):
        roi[_disc((x, y, z))] = 1
    roi.flags.writeable = False
    return roi
