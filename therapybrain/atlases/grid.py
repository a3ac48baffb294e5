"""Bringing an atlas's maps onto the course grid, label by label, as crops (the store's content).

An atlas file's voxel grid is mapped onto the course grid by whole-voxel steps when it can be (FSL's
1 mm maps), else the small label image is resampled once (AAL's 2 mm grid). Each label becomes a
crop: its values inside the box around them, and the box's corner on the course grid.

Examples
--------
>>> values, low = _crop_nonzero(np.pad(np.ones((2, 2, 2), dtype=np.uint8), 1))
>>> values.shape, low.tolist()
((2, 2, 2), [1, 1, 1])
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import nibabel as nib
import numpy as np
import pandas as pd
from scipy import ndimage

from .._grid import course_grid
from .._store import Crop, iter_volumes
from .catalogue import AtlasInfo

__all__: list[str] = []


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

