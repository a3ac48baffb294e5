"""A compact, versioned store of each atlas's label maps, cropped to each label's box.

The packaged probabilistic atlases are 4-D files that decompress to about 500 MB each. They are
read once, one volume at a time, and each label's map is kept only inside its bounding box on
the course grid. The crops are written into one flat file per atlas in a user cache folder and
memory-mapped, so a kernel reads only the labels a call touches.

Where: ``$THERAPYBRAIN_CACHE`` if set, else ``$XDG_CACHE_HOME/therapybrain``, else
``~/.cache/therapybrain``. A store's name carries a hash of the source file, of the store format
and of the package version: a stale store is never read, it is rebuilt. Nothing is downloaded.
When the folder cannot be written (a read-only home), the store is built in memory instead.

Binder builds the stores while the image is built (the repository's ``postBuild`` runs
``python -m therapybrain.atlases --build``), so no student pays for it.
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import os
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path

import nibabel as nib
import numpy as np

#: Bump when the layout of a store changes.
FORMAT = 1

Crop = tuple[np.ndarray, tuple[int, int, int]]


@dataclass(frozen=True)
class Store:
    """The crops of one atlas: ``labels[i]``'s map is ``blob[offsets[i]:...]`` reshaped to ``shapes[i]``,
    placed on the course grid at ``corners[i]``."""

    labels: tuple[str, ...]
    corners: np.ndarray  # (n, 3) int
    shapes: np.ndarray  # (n, 3) int
    offsets: np.ndarray  # (n + 1,) int
    blob: np.ndarray  # flat uint8, usually a read-only memory map

    def crop(self, index: int) -> Crop:
        """Return label ``index``'s map (a read-only view, C order) and its corner on the course grid."""
        start, stop = int(self.offsets[index]), int(self.offsets[index + 1])
        values = self.blob[start:stop].reshape(tuple(int(n) for n in self.shapes[index]))
        return values, tuple(int(c) for c in self.corners[index])

    def containing(self, ijk: Iterable[int]) -> np.ndarray:
        """Indices of the labels whose box contains a course-grid voxel (no map is read)."""
        point = np.asarray(tuple(ijk), dtype=int)
        inside = np.all((self.corners <= point) & (point < self.corners + self.shapes), axis=1)
        return np.flatnonzero(inside)


def cache_dir() -> Path:
    """The folder that holds the stores (see the module docstring)."""
    if os.environ.get("THERAPYBRAIN_CACHE"):
        return Path(os.environ["THERAPYBRAIN_CACHE"]).expanduser()
    base = os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache"
    return Path(base).expanduser() / "therapybrain"


@functools.cache
def digest(*paths: Path) -> str:
    """A short hash of the source files' bytes, the store format and the package version."""
    from ._version import __version__

    sha = hashlib.sha256(f"format {FORMAT}; therapybrain {__version__}".encode())
    for path in paths:
        with open(path, "rb") as handle:
            for block in iter(lambda: handle.read(1 << 20), b""):
                sha.update(block)
    return sha.hexdigest()[:16]


def open_store(name: str, sources: tuple[Path, ...], build: Callable[[], Iterator[tuple[str, Crop]]]) -> Store:
    """Open atlas ``name``'s store, building it from ``sources`` with ``build()`` if missing or stale."""
    folder = cache_dir()
    stem = folder / f"{name}-{digest(*sources)}"
    index, blob = stem.with_suffix(".index.npz"), stem.with_suffix(".blob.npy")
    if index.exists() and blob.exists():
        try:
            return _read(index, blob)
        except (OSError, ValueError, KeyError):
            pass  # a damaged store (e.g. a disk that filled up): build it again
    labels, corners, shapes, pieces = [], [], [], []
    for label, (values, corner) in build():
        labels.append(label)
        corners.append(corner)
        shapes.append(values.shape)
        pieces.append(np.ascontiguousarray(values, dtype=np.uint8).ravel())
    offsets = np.concatenate([[0], np.cumsum([p.size for p in pieces])]).astype(np.int64)
    flat = np.concatenate(pieces) if pieces else np.zeros(0, np.uint8)
    store = Store(tuple(labels), np.array(corners, dtype=np.int64).reshape(-1, 3),
                  np.array(shapes, dtype=np.int64).reshape(-1, 3), offsets, flat)
    try:
        _write(store, index, blob)
        for old in folder.glob(f"{name}-*"):  # stores of older atlas files or package versions
            if not old.name.startswith(stem.name):
                old.unlink(missing_ok=True)
        return _read(index, blob)
    except OSError:
        return store  # read-only cache folder: keep the crops in memory for this kernel


def _read(index: Path, blob: Path) -> Store:
    with np.load(index, allow_pickle=False) as table:
        labels = tuple(str(label) for label in table["labels"])
        corners, shapes, offsets = table["corners"], table["shapes"], table["offsets"]
    data = np.load(blob, mmap_mode="r", allow_pickle=False)
    if data.dtype != np.uint8 or data.ndim != 1 or data.size != int(offsets[-1]) or len(labels) + 1 != len(offsets):
        raise ValueError(f"damaged atlas store {blob}")
    return Store(labels, corners, shapes, offsets, data)


def _write(store: Store, index: Path, blob: Path) -> None:
    """Write both files under temporary names, then rename them: readers never see half a store."""
    index.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.NamedTemporaryFile(dir=index.parent, suffix=".tmp.npy", delete=False) as handle:
        np.save(handle, store.blob)
    os.chmod(handle.name, 0o644)
    os.replace(handle.name, blob)
    with tempfile.NamedTemporaryFile(dir=index.parent, suffix=".tmp.npz", delete=False) as handle:
        np.savez(handle, labels=np.array(store.labels, dtype=str), corners=store.corners,
                 shapes=store.shapes, offsets=store.offsets)
    os.chmod(handle.name, 0o644)
    os.replace(handle.name, index)


def iter_volumes(path: Path) -> Iterator[tuple[int, np.ndarray]]:
    """Yield ``(t, volume)`` for each 3-D volume of a 4-D NIfTI file, reading it once, front to back.

    Memory stays at one volume (about 5 MB for the 1 mm atlases), instead of the whole
    decompressed file (about 500 MB). Scaling (``scl_slope``/``scl_inter``) is applied as
    nibabel applies it.
    """
    image = nib.load(path)
    header = image.header
    shape = image.shape
    if len(shape) != 4:
        raise ValueError(f"{path} is not a 4-D image")
    dtype = header.get_data_dtype()
    slope, inter = image.dataobj.slope, image.dataobj.inter
    count = int(np.prod(shape[:3]))
    opener = gzip.open if str(path).endswith(".gz") else open
    with opener(path, "rb") as handle:
        handle.seek(int(image.dataobj.offset))
        for t in range(shape[3]):
            raw = handle.read(count * dtype.itemsize)
            volume = np.frombuffer(raw, dtype=dtype).reshape(shape[:3], order="F")
            if (slope, inter) != (1.0, 0.0):
                volume = volume * slope + inter
            yield t, volume
