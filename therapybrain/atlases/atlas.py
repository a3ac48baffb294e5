"""A loaded atlas: its labels and, for image atlases, its maps on the course grid.

Examples
--------
>>> from therapybrain.atlases import load_atlas
>>> isinstance(load_atlas("aal"), Atlas)
True
"""

from __future__ import annotations

import functools
from dataclasses import dataclass, field
from pathlib import Path

import nibabel as nib
import numpy as np
import pandas as pd

from .._docs import fill_doc
from .._grid import course_grid
from .._store import Store
from .._validation import check_choice, check_numbers
from .catalogue import AtlasInfo

__all__ = ["Atlas"]


@dataclass(frozen=True)
class _TemplateValues:
    """A template's values as its file stores them (nilearn's 1 mm MNI152: 8.7 MB of bytes), read when
    asked for; :meth:`unit` scales some of them to 0-1 as nilearn's ``load_mni152_template`` scales the
    template (float32, divided by the maximum), the same numbers bit for bit."""

    values: np.ndarray
    affine: np.ndarray
    peak: np.float32

    def unit(self, values: np.ndarray) -> np.ndarray:
        """Some of the template's values (a slice, a slab, a selection) scaled to 0-1, as nilearn scales them."""
        out = np.asarray(values).astype("float32")
        out /= self.peak
        return out


@dataclass(frozen=True)
class _TemplateFile:
    """A template kept as its file: nothing of it stays in memory between uses.

    As nilearn's ``load_mni152_template`` gives it (float32, 0-1), the 1 mm template is 35 MB; a figure
    makes it when it draws (:meth:`image`) and lets it go, and reading the file takes about 40 ms.
    """

    path: Path
    peak: np.float32

    def _read(self) -> tuple[nib.Nifti1Image, np.ndarray]:
        from nilearn.image import get_data, load_img

        source = load_img(self.path)  # as load_mni152_template reads it
        return source, get_data(source)

    def load(self) -> _TemplateValues:
        """The file's values, in memory for as long as the caller keeps them."""
        source, values = self._read()
        return _TemplateValues(values=values, affine=source.affine, peak=self.peak)

    def image(self) -> nib.Nifti1Image:
        """The whole template scaled to 0-1: nilearn's ``load_mni152_template(resolution=1)``, made anew."""
        from nilearn.image import new_img_like

        source, values = self._read()
        return new_img_like(source, _TemplateValues(values, source.affine, self.peak).unit(values))


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
    >>> from therapybrain.atlases import load_atlas
    >>> load_atlas("juelich").info.kind
    'probabilistic'
    """

    info: AtlasInfo
    labels: tuple[str, ...]
    coords: pd.DataFrame | None = None
    _template: _TemplateFile | None = field(default=None, repr=False)
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
        %(raises_atlas_label)s

        Examples
        --------
        >>> from therapybrain.atlases import load_atlas
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
        %(raises_atlas_label)s

        Examples
        --------
        >>> from therapybrain.atlases import load_atlas
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
        >>> from therapybrain.atlases import load_atlas
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
        """The template image (only for the ``mni152`` atlas): nilearn's 1 mm MNI152 template, float32, 0 to 1.

        Each use reads the template's file (about 40 ms) and makes this image (35 MB), which is freed when
        it is no longer used: nothing of the template stays in memory between figures. Keep the image
        while you need it.

        Examples
        --------
        >>> from therapybrain.atlases import load_atlas
        >>> template = load_atlas("mni152").template
        >>> template.shape, str(template.dataobj.dtype), float(template.dataobj.max())
        ((197, 233, 189), 'float32', 1.0)
        """
        return self._template_file().image()

    def _template_file(self) -> _TemplateFile:
        if self._template is None:
            raise ValueError(f"atlas '{self.name}' is a {self.info.kind}, not a template")
        return self._template

    def _template_values(self) -> _TemplateValues:
        """The template's values as its file stores them, read now (the figures scale what they draw)."""
        return self._template_file().load()

    @functools.cached_property
    def _index(self) -> dict[str, int]:
        return {label: i for i, label in enumerate(self.labels)}

    def _check_maps(self) -> None:
        if self._store is None:
            raise ValueError(f"atlas '{self.name}' is a {self.info.kind}, it has no label maps")

