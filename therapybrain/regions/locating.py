"""What lies at a point of the brain: the course regions whose mask holds it, an atlas's labels there.

Examples
--------
>>> locate((25, -22, -14))["hemisphere"]
'right'
"""

from __future__ import annotations

import numpy as np

from .._docs import fill_doc
from .._validation import check_choice, check_xyz
from ..atlases import atlas_info, course_grid, list_atlases, load_atlas
from .catalogue import catalogue
from .masks import _in_mask

__all__ = ["locate"]


@fill_doc
def locate(xyz: tuple[float, float, float], atlas: str = "harvard_oxford") -> dict[str, object]:
    """Say what lies at an MNI coordinate: course regions, atlas labels, hemisphere.

    Parameters
    ----------
    %(xyz)s
    %(atlas)s

    Returns
    -------
    dict
        ``{"xyz": ..., "inside_brain": bool, "hemisphere": "left"|"right"|"midline",
        "regions": [course region keys whose mask contains the point],
        "labels": {atlas label: percentage}}``.

    Raises
    ------
    TypeError
        If ``xyz`` is not a sequence of numbers, or ``atlas`` not a name.
    ValueError
        If ``xyz`` is not three finite numbers inside the course grid, or ``atlas`` is not an
        atlas with labels (checked first, before anything is loaded).

    Examples
    --------
    >>> locate((-25, -22, -14))["regions"]
    ['hippocampus', 'dentate_gyrus']
    """
    with_maps = [a for a in list_atlases() if atlas_info(a).kind in ("probabilistic", "labels")]
    chosen = check_choice(atlas, list_atlases(), "atlas", plural="atlases")
    if chosen not in with_maps:
        raise ValueError(f"atlas '{chosen}' is a {atlas_info(chosen).kind} atlas: it has no labels to read "
                         f"at a point. Atlases with labels: {', '.join(repr(a) for a in with_maps)}.")
    point = np.array(check_xyz(xyz))
    shape, affine = course_grid()
    ijk = np.round(np.linalg.inv(affine) @ np.append(point, 1))[:3].astype(int)
    key = tuple(int(v) for v in ijk)
    inside = bool(load_atlas("mni152")._template_values().values[key] > 0)  # the file's values: no 35 MB image
    found = [r for r in catalogue().regions if _in_mask(r, key)]
    labels = load_atlas(chosen).values_at(key) if inside else {}
    side = "midline" if point[0] == 0 else ("left" if point[0] < 0 else "right")
    return {
        "xyz": tuple(float(v) for v in point),
        "inside_brain": inside,
        "hemisphere": side,
        "regions": found,
        "labels": dict(sorted(labels.items(), key=lambda kv: -kv[1])),
    }
