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
        One of ``SEEDS`` (``"pcc"``, ``"mpfc"``, ``"pcc_atlas"``, ``"mpfc_atlas"``, ``"motor"``,
        ``"visual"``; ``"vmpfc"``, ``"v1"``, ``"m1"`` are accepted too).

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
    if seed.coords:  # 6 mm patches at published coordinates
        inside = np.zeros(2 * load_run().n_left, dtype=bool)
        for xyz in seed.coords:
            inside[_disc(xyz)] = True
        vertices = np.flatnonzero(inside & load_run().valid)
        vertices.flags.writeable = False
        return vertices
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
    """The fsaverage5 vertices of a seed: within 6 mm of its coordinates, or in its atlas labels.

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
    >>> len(seed_vertices("pcc")) < len(seed_vertices("pcc_atlas"))
    True
    """
    return _seed_vertices(_check_seed(seed))


def vertex_timeseries(vertex: int) -> np.ndarray:
    """One vertex's time series, z-scored (float32).

    Parameters
    ----------
    vertex : int
        A vertex index, 0 to 20483.

    Returns
    -------
    numpy.ndarray
        652 values (float32).

    Raises
    ------
    TypeError
        If ``vertex`` is not an int.
    ValueError
        For a vertex outside 0 to 20483.

    Examples
    --------
    >>> vertex_timeseries(int(seed_vertices("pcc")[0])).shape
    (652,)
    """
    run = load_run()
    vertex = check_int(vertex, "vertex", 0, len(run.clean) - 1)
    return np.array(run.clean[vertex])


@fill_doc
def seed_timeseries(seed: str) -> np.ndarray:
    """A seed's time series: the mean over its vertices, z-scored.

    Parameters
    ----------
    seed : str
        A key of ``SEEDS``.

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
    series = np.asarray(run.clean[vertices], dtype=np.float64).mean(axis=0)
    series = (series - series.mean()) / series.std()
    return series.astype(np.float32)


def power_spectrum(seed: str | None = "pcc", vertex: int | None = None, regress_again: bool = False
                   ) -> pd.DataFrame:
    """The power spectrum of a seed's (or a vertex's) time series as shipped, or with the confounds regressed again.

    Power is the squared magnitude of the discrete Fourier transform of the mean-removed series,
    at frequencies from 1 / (652 x 1.4 s) up to 1 / (2 x 1.4 s) = 0.357 Hz; the shares sum to 1.

    Parameters
    ----------
    seed : str or None, default="pcc"
        A key of ``SEEDS`` (the mean of its vertices), unless ``vertex`` is given.
    vertex : int, optional
        One vertex instead of a seed.
    regress_again : bool, default=False
        True: regress the run's 29 confounds out once more first (what a second cleaning would do).

    Returns
    -------
    pandas.DataFrame
        ``frequency`` (Hz) and ``share`` (of the total power).

    Raises
    ------
    ValueError
        For an unknown seed (the message names the valid ones) or a bad vertex.

    Examples
    --------
    >>> spectrum = power_spectrum("pcc")
    >>> float(spectrum.loc[spectrum.frequency > 0.1, "share"].sum()) < 0.05
    True
    """
    from ._data import regress_confounds

    regress_again = check_bool(regress_again, "regress_again")
    run = load_run()
    if vertex is None:
        if seed is None:
            raise ValueError("give a seed (one of " + ", ".join(SEEDS) + ") or a vertex (0 to 20483)")
        series = run.raw(seed_vertices(seed)).astype(np.float64).mean(axis=0)
    else:
        series = run.raw(check_int(vertex, "vertex", 0, len(run.clean) - 1)).astype(np.float64)
    if regress_again:
        series = regress_confounds(series)[0]
    frequency, power = _power(series[None, :])
    total = power.sum()
    share = power[0] / total if total > 0 else np.zeros(len(frequency))
    return pd.DataFrame({"frequency": frequency, "share": share})


def _power(rows: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Each row's power spectrum, its mean removed first: (frequencies in Hz, power), the 0 Hz term left out."""
    from ._data import TR

    rows = rows - rows.mean(axis=1, keepdims=True)
    power = np.abs(np.fft.rfft(rows, axis=1)) ** 2
    return np.fft.rfftfreq(rows.shape[1], TR)[1:], power[:, 1:]


def high_frequency_share(seed: str | None = None, regress_again: bool = False) -> float:
    """The percentage of a time series' power above 0.1 Hz: a seed's mean, or every vertex of the cortex together.

    Parameters
    ----------
    seed : str, optional
        A key of ``SEEDS``; None (the default): all the cortex's vertices, their power summed.
    regress_again : bool, default=False
        True: regress the run's 29 confounds out once more first.

    Returns
    -------
    float
        Percent of the power (the mean removed) at frequencies above 0.1 Hz, to two decimals.

    Raises
    ------
    ValueError
        For an unknown seed (the message names the valid ones).

    Examples
    --------
    >>> high_frequency_share() < 1
    True
    """
    from ._data import regress_confounds

    regress_again = check_bool(regress_again, "regress_again")
    if seed is not None:
        spectrum = power_spectrum(seed, regress_again=regress_again)
        return round(100 * float(spectrum.loc[spectrum.frequency > 0.1, "share"].sum()), 2)
    run = load_run()
    vertices = np.flatnonzero(run.valid)
    high = total = 0.0
    for start in range(0, len(vertices), 2048):
        block = run.raw(vertices[start:start + 2048]).astype(np.float64)
        if regress_again:
            block = regress_confounds(block)
        frequency, power = _power(block)
        high += float(power[:, frequency > 0.1].sum())
        total += float(power.sum())
    return round(100 * high / total, 2)


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


@functools.lru_cache(maxsize=16)
def _seed_map(key: str, global_signal: bool) -> np.ndarray:
    run = load_run()
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


def seed_map(seed: str, global_signal: bool = False) -> np.ndarray:
    """The seed's correlation map: Pearson r between its time series and every vertex's.

    Parameters
    ----------
    seed : str
        A key of ``SEEDS``.
    global_signal : bool, default=False
        True: the mean signal of the whole cortex is regressed out first (a partial correlation).
        Analyses make this choice differently, and it is debated. In this run it shifts the whole
        distribution of r down, centring it near zero: most r fall, some become negative, and a few
        rise (``gsr_effect`` measures it).

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
    return _seed_map(_check_seed(seed), global_signal)


def gsr_effect(seed: str = "pcc") -> dict[str, float]:
    """What regressing the global signal does to a seed's map, vertex by vertex (the seed's own vertices left out).

    Parameters
    ----------
    seed : str, default="pcc"
        A key of ``SEEDS``.

    Returns
    -------
    dict
        ``lowered`` and ``raised`` (shares of the vertices whose r falls or rises), ``positive_before``,
        ``negative_before`` and ``negative_after`` (shares with r > 0 before, r < 0 before and after),
        ``median_before`` and ``median_after`` (the distribution's centre), all rounded to three decimals.

    Raises
    ------
    ValueError
        For an unknown seed; the message names the valid ones.

    Examples
    --------
    >>> effect = gsr_effect("pcc")
    >>> effect["lowered"] + effect["raised"] <= 1.0
    True
    """
    key = _check_seed(seed)
    keep = load_run().valid.copy()
    keep[seed_vertices(key)] = False
    before, after = seed_map(key)[keep].astype(np.float64), seed_map(key, True)[keep].astype(np.float64)
    share = {"lowered": np.mean(after < before), "raised": np.mean(after > before),
             "positive_before": np.mean(before > 0), "negative_before": np.mean(before < 0),
             "negative_after": np.mean(after < 0), "median_before": np.median(before),
             "median_after": np.median(after)}
    return {k: round(float(v), 3) for k, v in share.items()}


def mean_r(values: np.ndarray) -> float:
    """A map's mean over the cortex (the medial wall left out), to three decimals.

    Parameters
    ----------
    values : numpy.ndarray
        A map from ``seed_map``: one r (-1 to 1, or NaN) per fsaverage5 vertex.

    Returns
    -------
    float

    Raises
    ------
    TypeError
        If ``values`` is not an array or list of numbers.
    ValueError
        If ``values`` is not one value per fsaverage5 vertex, holds a value outside -1 to 1, or is
        NaN everywhere.

    Examples
    --------
    >>> -1 <= mean_r(seed_map("pcc")) <= 1
    True
    """
    return round(_mean(_check_map(values), "the map"), 3)


def _mean(values: np.ndarray, where: str) -> float:
    """The mean of the values that are not NaN; an error, naming ``where``, when all are NaN."""
    values = values[~np.isnan(values)]
    if not len(values):
        raise ValueError(f"{where} has no value (it is NaN everywhere there: the medial wall, where the run has "
                         "no signal, or a map of NaN); give a map from seed_map and a place on the cortex")
    return float(values.mean())


def _check_map(values: object) -> np.ndarray:
    """A map: one r per fsaverage5 vertex, each from -1 to 1 or NaN; returned as float64."""
    n = 2 * load_run().n_left
    wanted = f"a map of {n} correlations (one per fsaverage5 vertex, each from -1 to 1 or NaN), as seed_map returns"
    if isinstance(values, (str, bytes, dict)) or not (hasattr(values, "__array__")
                                                      or isinstance(values, (list, tuple))):
        raise TypeError(f"expected {wanted}, not {type(values).__name__}")
    try:
        array = np.asarray(values, dtype=np.float64)
    except (TypeError, ValueError):
        raise TypeError(f"expected {wanted}; it holds something that is not a number") from None
    if array.shape != (n,):
        raise ValueError(f"expected {wanted}, got {type(values).__name__} of shape {array.shape}")
    bad = np.isinf(array) | (np.abs(np.nan_to_num(array)) > 1 + 1e-6)
    if bad.any():
        i = int(np.flatnonzero(bad)[0])
        raise ValueError(f"expected {wanted}; the value at vertex {i} is {array[i]:g}, outside -1 to 1 "
                         f"({int(bad.sum())} such values)")
    if np.isnan(array).all():
        raise ValueError(f"expected {wanted}; this one is NaN everywhere")
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
        For a map of the wrong length or with values outside -1 to 1, an unknown seed or region
        (the message names the valid ones), a region without cortical vertices, a point outside the
        MNI152 grid, or a place where the map is NaN everywhere (the medial wall).

    Examples
    --------
    >>> value_at(seed_map("pcc"), "angular_gyrus") > value_at(seed_map("pcc"), "visual")
    True
    """
    array = _check_map(values)
    if isinstance(where, str):
        vertices = _named_vertices(where)
        place = f"the map at {where!r}"
    else:
        where = check_xyz(where, "where")
        vertices = _disc(where)
        place = f"the map within {_DISC_MM:g} mm of {where}"
    return _mean(array[vertices], place)


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
    array, inside = _map_and_network(values, network, exclude)
    return _means_inside_outside(array, inside)


def _map_and_network(values: object, network: str, exclude: str | None) -> tuple[np.ndarray, np.ndarray]:
    """A checked copy of the map (``exclude``'s vertices set to NaN) and the network's patches as a mask."""
    array = _check_map(values).copy()
    if exclude is not None:
        array[seed_vertices(exclude)] = np.nan
    return array, _network_rois(network_info(network).key).astype(bool)


def _means_inside_outside(array: np.ndarray, inside: np.ndarray) -> tuple[float, float]:
    """The mean of a checked map on the network's patches (``inside``) and over the rest (NaN left out)."""
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
