"""The brain regions and functional networks the course names, and where they are.

A region is a plain key (``"hippocampus"``) defined by labels of one packaged atlas at a
stated probability threshold; its mask and centroid are computed from the atlas, never
typed in. Networks are sets of ROI centres from the Seitzman et al. (2020) coordinates
that nilearn bundles.
"""

from __future__ import annotations

import functools
from dataclasses import dataclass

import nibabel as nib
import numpy as np
import pandas as pd

from ._docs import fill_doc
from ._validation import HEMISPHERES, check_bool, check_choice, check_hemisphere, check_number, check_xyz
from .atlases import atlas_info, course_grid, list_atlases, load_atlas

__all__ = [
    "HEMISPHERES",
    "Network",
    "Region",
    "list_networks",
    "list_regions",
    "locate",
    "network_coords",
    "network_info",
    "region_centroid",
    "region_info",
    "region_mask",
    "region_overlap",
    "region_volume",
    "regions_table",
]


#: The threshold (percentage of brains) at which probabilistic maps become masks: FSL's
#: "maxprob-thr25" convention keeps voxels that belong to the label in >= 25 % of brains.
DEFAULT_THRESHOLD = 25


@dataclass(frozen=True)
class Region:
    """A region the course names.

    Attributes
    ----------
    key : str
        The plain key (``"dlpfc"``).
    name : str
        Its name in words (``"Dorsolateral prefrontal cortex"``).
    atlas : str
        The atlas whose labels define it.
    labels : tuple of str
        Those labels without their side (``"Middle_Frontal_Gyrus"``); see :meth:`atlas_labels`.
    why : str
        In plain words, why these labels stand for the region, and the limits of that choice.
    chapters : tuple of str
        The chapters that use it ("1", "2.2", ...).
    colour : str
        Its colour in every figure (hex), from colour-blind-safe palettes (Okabe-Ito, Tol).

    Examples
    --------
    >>> region_info("amygdala").atlas_labels("left")
    ('Left_Amygdala',)
    """

    key: str
    name: str
    atlas: str
    labels: tuple[str, ...]
    why: str
    chapters: tuple[str, ...]
    colour: str

    @fill_doc
    def atlas_labels(self, hemisphere: str = "both") -> tuple[str, ...]:
        """Return the atlas's own label names for one hemisphere or both.

        Parameters
        ----------
        %(hemisphere)s

        Returns
        -------
        tuple of str
            The labels as the atlas spells them, left side first for ``"both"``.

        Raises
        ------
        TypeError
            If ``hemisphere`` is not a string.
        ValueError
            If ``hemisphere`` is not "left", "right" or "both".

        Examples
        --------
        >>> region_info("hippocampus").atlas_labels("left")
        ('Left_Hippocampus',)
        """
        hemisphere = check_hemisphere(hemisphere)
        sides = ("left", "right") if hemisphere == "both" else (hemisphere,)
        return tuple(_side_label(self.atlas, label, side) for side in sides for label in self.labels)


def _side_label(atlas: str, label: str, side: str) -> str:
    if atlas == "juelich":
        return f"{label}_{side[0].upper()}"
    return f"{side.capitalize()}_{label}"


_HO = "harvard_oxford"

_REGIONS: dict[str, Region] = {
    r.key: r
    for r in [
        Region(
            "hippocampus", "Hippocampus", _HO, ("Hippocampus",),
            "The Harvard-Oxford subcortical label of the same name: the seahorse-shaped structure "
            "in the medial temporal lobe that supports learning and memory.",
            ("1", "2.2", "2.3", "3.3"), "#0072B2",
        ),
        Region(
            "dentate_gyrus", "Dentate gyrus", "juelich", ("GM_Hippocampus_dentate_gyrus",),
            "The Juelich cytoarchitectonic map of the dentate gyrus, a subfield of the hippocampus "
            "defined under the microscope; it is where adult neurogenesis is studied.",
            ("2.2",), "#CC79A7",
        ),
        Region(
            "amygdala", "Amygdala", _HO, ("Amygdala",),
            "The Harvard-Oxford subcortical label: the almond-shaped group of nuclei in front of "
            "the hippocampus, central to threat detection and emotional learning.",
            ("1", "2.3", "2.4", "3.1", "3.3"), "#D55E00",
        ),
        Region(
            "dlpfc", "Dorsolateral prefrontal cortex", _HO, ("Middle_Frontal_Gyrus",),
            "An anatomical stand-in: the dorsolateral prefrontal cortex is conventionally defined by its "
            "cytoarchitecture (Brodmann areas 9 and 46) and has no atlas label; the middle frontal gyrus "
            "is its usual anatomical proxy.",
            ("3.1",), "#009E73",
        ),
        Region(
            "vmpfc", "Ventromedial prefrontal cortex", _HO, ("Frontal_Medial_Cortex",),
            "Harvard-Oxford's 'frontal medial cortex', the lower middle surface of the frontal "
            "lobes; studies draw the vmPFC's borders differently.",
            ("3.1", "3.3"), "#E69F00",
        ),
        Region(
            "ofc", "Orbitofrontal cortex", _HO, ("Frontal_Orbital_Cortex",),
            "Harvard-Oxford's 'frontal orbital cortex': the underside of the frontal lobes, above "
            "the eye sockets.",
            ("3.1",), "#56B4E9",
        ),
        Region(
            "acc", "Anterior cingulate cortex", _HO, ("Cingulate_Gyrus_anterior_division",),
            "The anterior division of Harvard-Oxford's cingulate gyrus, wrapping the front of the "
            "corpus callosum.",
            ("3.1", "3.2"), "#F0E442",
        ),
        Region(
            "subcallosal_cingulate", "Subcallosal cingulate cortex", _HO, ("Subcallosal_Cortex",),
            "Harvard-Oxford's 'subcallosal cortex', below the front of the corpus callosum; studied "
            "as a candidate marker for choosing between treatments.",
            ("4",), "#332288",
        ),
        Region(
            "pcc", "Posterior cingulate cortex", _HO, ("Cingulate_Gyrus_posterior_division",),
            "The posterior division of Harvard-Oxford's cingulate gyrus: a core hub of the default "
            "mode network.",
            ("3.2", "3.3"), "#EE6677",
        ),
        Region(
            "precuneus", "Precuneus", _HO, ("Precuneous_Cortex",),
            "Harvard-Oxford's 'precuneous cortex', on the inner surface of the parietal lobe, behind "
            "the PCC: a default mode network hub.",
            ("3.3",), "#44AA99",
        ),
        Region(
            "angular_gyrus", "Angular gyrus", _HO, ("Angular_Gyrus",),
            "The Harvard-Oxford label of the same name, in the lower parietal lobe: the lateral "
            "node of the default mode network.",
            ("3.3",), "#AA4499",
        ),
        Region(
            "insula", "Insula", _HO, ("Insular_Cortex",),
            "Harvard-Oxford's 'insular cortex', folded inside the lateral sulcus; involved in "
            "sensing the body's internal state.",
            ("3.2", "4"), "#999933",
        ),
        Region(
            "prefrontal_cortex", "Prefrontal cortex", _HO,
            (
                "Frontal_Pole", "Superior_Frontal_Gyrus", "Middle_Frontal_Gyrus",
                "Inferior_Frontal_Gyrus_pars_triangularis", "Inferior_Frontal_Gyrus_pars_opercularis",
                "Frontal_Medial_Cortex", "Frontal_Orbital_Cortex", "Paracingulate_Gyrus",
            ),
            "The union of the Harvard-Oxford frontal labels in front of the motor areas: frontal "
            "pole, superior, middle and inferior frontal gyri, frontal medial and orbital cortex, and "
            "paracingulate gyrus. The precentral gyrus and supplementary motor cortex are left out; "
            "the back of the superior frontal gyrus is premotor, so the border is approximate.",
            ("1", "2.3", "3.1", "3.2"), "#88CCEE",
        ),
    ]
}


@dataclass(frozen=True)
class Network:
    """A functional network of the Seitzman et al. (2020) coordinate set.

    Attributes
    ----------
    key : str
        The plain key (``"default_mode"``).
    name : str
        Its name in words.
    seitzman_label : str
        The network label in the coordinate file (``"DefaultMode"``).
    why : str
        What the network is associated with, in plain words.
    colour : str
        Its colour in figures (hex).

    Examples
    --------
    >>> network_info("dmn").seitzman_label
    'DefaultMode'
    """

    key: str
    name: str
    seitzman_label: str
    why: str
    colour: str


_NETWORKS: dict[str, Network] = {
    n.key: n
    for n in [
        Network("default_mode", "Default mode network", "DefaultMode",
                "Most active at wakeful rest; self-referential thought, remembering, imagining.", "#882255"),
        Network("frontoparietal", "Fronto-parietal network", "FrontoParietal",
                "Flexible, goal-directed control of attention and action.", "#228833"),
        Network("salience", "Salience network", "Salience",
                "Noticing what matters now, inside the body and outside.", "#EE7733"),
        Network("medial_temporal_lobe", "Medial temporal lobe network", "MedialTemporalLobe",
                "Hippocampus and neighbours: memory.", "#4477AA"),
        Network("cingulo_opercular", "Cingulo-opercular network", "CinguloOpercular",
                "Keeping a task set over time.", "#BBCC33"),
        Network("dorsal_attention", "Dorsal attention network", "DorsalAttention",
                "Directing attention in space on purpose.", "#33BBEE"),
        Network("ventral_attention", "Ventral attention network", "VentralAttention",
                "Re-orienting to unexpected events.", "#FFAABB"),
        Network("reward", "Reward network", "Reward",
                "Valuing outcomes (basal ganglia, amygdala, orbitofrontal regions).", "#AA3377"),
        Network("parieto_medial", "Parieto-medial network", "ParietoMedial",
                "A small set on the medial parietal surface (precuneus, posterior cingulate) that this "
                "parcellation assigns to a network of its own, apart from its default mode network.",
                "#009988"),
        Network("visual", "Visual network", "Visual", "Seeing.", "#EE3377"),
        Network("auditory", "Auditory network", "Auditory", "Hearing.", "#77AADD"),
        Network("somatomotor_dorsal", "Dorsal somatomotor network", "SomatomotorDorsal",
                "Moving and feeling the body (hands, feet).", "#DDAA33"),
        Network("somatomotor_lateral", "Lateral somatomotor network", "SomatomotorLateral",
                "Moving and feeling the face and mouth.", "#DDCC77"),
    ]
}


#: Short names students type, accepted everywhere a region is named.
REGION_ALIASES = {
    "pfc": "prefrontal_cortex", "dg": "dentate_gyrus", "dentate": "dentate_gyrus",
    "sgacc": "subcallosal_cingulate", "scc": "subcallosal_cingulate", "ag": "angular_gyrus",
    "hc": "hippocampus", "hpc": "hippocampus", "amy": "amygdala",
}

#: Short names of networks, as papers abbreviate them.
NETWORK_ALIASES = {
    "dmn": "default_mode", "fpn": "frontoparietal", "cen": "frontoparietal", "sn": "salience",
    "mtl": "medial_temporal_lobe", "con": "cingulo_opercular", "dan": "dorsal_attention",
    "van": "ventral_attention", "smn": "somatomotor_dorsal",
}


def list_regions() -> list[str]:
    """Return the keys of the course's regions.

    Returns
    -------
    list of str
        The keys, in the order of the course (hippocampus first).

    Examples
    --------
    >>> "dentate_gyrus" in list_regions()
    True
    """
    return list(_REGIONS)


@fill_doc
def region_info(name: str) -> Region:
    """Return a region's definition: atlas, labels, plain-words reason, chapters, colour.

    Parameters
    ----------
    %(region_name)s

    Returns
    -------
    Region
        The region's definition.

    Raises
    ------
    TypeError
        If ``name`` is not a string.
    ValueError
        If ``name`` is not a course region; the message names the closest one and all valid ones.

    Examples
    --------
    >>> region_info("dlpfc").atlas
    'harvard_oxford'
    """
    return _REGIONS[check_choice(name, _REGIONS, "region", aliases=REGION_ALIASES)]


def regions_table() -> pd.DataFrame:
    """Return one row per region: key, name, atlas, labels, threshold, reason, chapters.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``key``, with the columns ``name``, ``atlas``, ``labels``, ``threshold (%)``,
        ``why`` and ``chapters``.

    Examples
    --------
    >>> regions_table().loc["amygdala", "atlas"]
    'harvard_oxford'
    """
    rows = [
        {
            "key": r.key,
            "name": r.name,
            "atlas": r.atlas,
            "labels": ", ".join(r.labels),
            "threshold (%)": DEFAULT_THRESHOLD,
            "why": r.why,
            "chapters": ", ".join(r.chapters),
        }
        for r in _REGIONS.values()
    ]
    return pd.DataFrame(rows).set_index("key")


@fill_doc
def region_mask(
    name: str, hemisphere: str = "both", threshold: int = DEFAULT_THRESHOLD, crop: bool = False
) -> nib.Nifti1Image:
    """Return a region's mask (0/1, uint8) on the course's 1 mm MNI152 grid.

    A voxel is in the mask when the region's atlas gives it at least ``threshold`` percent
    for any of the region's labels (left or right). ``"left"`` then keeps the voxels with
    x < 0 mm, ``"right"`` those with x > 0 mm, and ``"both"`` keeps all, the midline included.

    Parameters
    ----------
    %(region_name)s
    %(hemisphere)s
    %(threshold)s
    crop : bool, default=False
        If True, return only the box around the mask (plus one empty voxel on each side) with
        the same voxel size and an affine that puts it in place: the same mask in a few hundred
        kB instead of 8.7 MB, and much faster to draw.

    Returns
    -------
    nibabel.Nifti1Image
        The mask: uint8, 1 inside the region and 0 outside.

    Raises
    ------
    TypeError
        If ``name`` or ``hemisphere`` is not a string, ``threshold`` not a number, or ``crop`` not True or False.
    ValueError
        For an unknown region or hemisphere, or a threshold that is not a whole number from 1 to 100.

    Examples
    --------
    >>> mask = region_mask("hippocampus", "left")
    >>> int(mask.get_fdata().sum()) > 1000
    True
    """
    region = region_info(name)
    hemisphere = check_hemisphere(hemisphere)
    threshold = check_number(threshold, "threshold", 1, 100, integer=True)
    crop = check_bool(crop, "crop")
    if crop:
        values, corner = _mask_crop(region.key, hemisphere, int(threshold))
        affine = course_grid()[1].copy()
        affine[:3, 3] += affine[:3, :3] @ (np.array(corner) - 1)
        return nib.Nifti1Image(np.pad(values, 1).astype(np.uint8), affine)
    return nib.Nifti1Image(_mask_array(region.key, hemisphere, int(threshold)), course_grid()[1])


def _mask_array(key: str, hemisphere: str, threshold: int) -> np.ndarray:
    """The region's mask on the whole course grid (uint8 0/1)."""
    crop, corner = _mask_crop(key, hemisphere, threshold)
    shape, _ = course_grid()
    out = np.zeros(shape, dtype=np.uint8)
    out[tuple(slice(c, c + n) for c, n in zip(corner, crop.shape))] = crop
    return out


@functools.lru_cache(maxsize=64)
def _mask_crop(key: str, hemisphere: str, threshold: int) -> tuple[np.ndarray, tuple[int, int, int]]:
    """The region's mask inside the box around its labels (read-only bool array, corner on the grid).

    Cached small: a whole-grid mask is 8.7 MB, a region's box a few hundred kB.
    """
    region = _REGIONS[key]
    atlas = load_atlas(region.atlas)
    crops = [atlas.label_crop(label) for label in region.atlas_labels("both")]
    low = np.min([corner for _, corner in crops], axis=0)
    high = np.max([np.add(corner, values.shape) for values, corner in crops], axis=0)
    mask = np.zeros(high - low, dtype=bool)
    # Both sides' labels, then the half-space: near the midline a "Left_" label can spill over x = 0.
    for values, corner in crops:
        mask[tuple(slice(c - a, c - a + n) for c, a, n in zip(corner, low, values.shape))] |= values >= threshold
    if hemisphere != "both":
        _, affine = course_grid()
        x = affine[0, 0] * np.arange(low[0], high[0]) + affine[0, 3]
        mask &= (x < 0 if hemisphere == "left" else x > 0)[:, None, None]
    mask.flags.writeable = False
    return mask, (int(low[0]), int(low[1]), int(low[2]))


def _in_mask(key: str, ijk: tuple[int, int, int]) -> bool:
    crop, corner = _mask_crop(key, "both", DEFAULT_THRESHOLD)
    local = tuple(i - c for i, c in zip(ijk, corner))
    return all(0 <= v < n for v, n in zip(local, crop.shape)) and bool(crop[local])


@fill_doc
def region_volume(name: str, hemisphere: str = "both", threshold: int = DEFAULT_THRESHOLD) -> float:
    """Return the volume of a region's mask in cubic centimetres (1 voxel of the course grid = 1 mm³).

    This is the volume of the *mask*: the voxels that at least ``threshold`` percent of the
    atlas's reference brains put in the region. A probabilistic mask at 25 % is larger than
    the structure in any one brain, because it pools brains whose borders differ.

    Parameters
    ----------
    %(region_name)s
    %(hemisphere)s
    %(threshold)s

    Returns
    -------
    float
        Cubic centimetres (millilitres), to 0.001 cm³ (one voxel).

    Raises
    ------
    TypeError
        If ``name`` or ``hemisphere`` is not a string, or ``threshold`` not a number.
    ValueError
        For an unknown region or hemisphere (the message lists the valid ones), or a threshold that
        is not a whole number from 1 to 100.

    Examples
    --------
    >>> region_volume("hippocampus", "left") > region_volume("hippocampus", "left", threshold=75)
    True
    """
    region = region_info(name)
    hemisphere = check_hemisphere(hemisphere)
    threshold = check_number(threshold, "threshold", 1, 100, integer=True)
    crop, _ = _mask_crop(region.key, hemisphere, int(threshold))
    return int(crop.sum()) / 1000


@fill_doc
def region_overlap(
    name: str, other: str, hemisphere: str = "both", threshold: int = DEFAULT_THRESHOLD
) -> float:
    """Return the fraction of one region's mask that lies inside another region's mask.

    Parameters
    ----------
    %(region_name)s
        Its voxels are counted (for example ``"dentate_gyrus"``).
    other : str
        The course region they may lie in (key, name or short name, for example ``"hippocampus"``),
        at the default 25 % threshold.
    %(hemisphere)s
    %(threshold)s
        It applies to ``name``'s mask.

    Returns
    -------
    float
        From 0 (no voxel of ``name`` inside ``other``) to 1 (all of them).

    Raises
    ------
    TypeError
        If a name or ``hemisphere`` is not a string, or ``threshold`` not a number.
    ValueError
        For an unknown region or hemisphere (the message lists the valid ones), or a threshold that
        is not a whole number from 1 to 100.

    Examples
    --------
    >>> 0.5 < region_overlap("dentate_gyrus", "hippocampus", "left") <= 1
    True
    """
    first, second = region_info(name), region_info(other)
    hemisphere = check_hemisphere(hemisphere)
    threshold = check_number(threshold, "threshold", 1, 100, integer=True)
    a, a_corner = _mask_crop(first.key, hemisphere, int(threshold))
    b, b_corner = _mask_crop(second.key, hemisphere, DEFAULT_THRESHOLD)
    total = int(a.sum())
    if total == 0:
        return 0.0
    low = np.maximum(a_corner, b_corner)
    high = np.minimum(np.add(a_corner, a.shape), np.add(b_corner, b.shape))
    if np.any(high <= low):
        return 0.0
    in_a = a[tuple(slice(lo - c, hi - c) for lo, hi, c in zip(low, high, a_corner))]
    in_b = b[tuple(slice(lo - c, hi - c) for lo, hi, c in zip(low, high, b_corner))]
    return int((in_a & in_b).sum()) / total


@fill_doc
def region_centroid(name: str, hemisphere: str = "both") -> tuple[float, float, float]:
    """Return the centre of mass of a region's mask, in MNI millimetres (rounded to 0.1 mm).

    For ``"both"``, the centroid of a paired region lies near the midline, between the two
    halves; ask for one hemisphere to get a point inside the region.

    Parameters
    ----------
    %(region_name)s
    %(hemisphere)s

    Returns
    -------
    tuple of float
        ``(x, y, z)`` in MNI millimetres.

    Raises
    ------
    TypeError
        If ``name`` or ``hemisphere`` is not a string.
    ValueError
        For an unknown region or hemisphere (the message lists the valid ones).

    Examples
    --------
    >>> x, y, z = region_centroid("hippocampus", "left")
    >>> x < 0
    True
    """
    region = region_info(name)
    hemisphere = check_hemisphere(hemisphere)
    crop, corner = _mask_crop(region.key, hemisphere, DEFAULT_THRESHOLD)
    ijk = np.argwhere(crop).mean(axis=0) + np.array(corner)
    _, affine = course_grid()
    xyz = affine[:3, :3] @ ijk + affine[:3, 3]
    return tuple(round(float(v), 1) for v in xyz)


def list_networks() -> list[str]:
    """Return the keys of the functional networks (Seitzman et al. 2020 labels).

    Returns
    -------
    list of str
        The keys (``"default_mode"``, ``"frontoparietal"``, ...).

    Examples
    --------
    >>> "default_mode" in list_networks()
    True
    """
    return list(_NETWORKS)


@fill_doc
def network_info(name: str) -> Network:
    """Return a network's definition (name, Seitzman label, description, colour).

    Parameters
    ----------
    %(network_name)s

    Returns
    -------
    Network
        The network's definition.

    Raises
    ------
    TypeError
        If ``name`` is not a string.
    ValueError
        If ``name`` is not a network; the message names the closest one and all valid ones.

    Examples
    --------
    >>> network_info("salience").seitzman_label
    'Salience'
    """
    return _NETWORKS[check_choice(name, _NETWORKS, "network", aliases=NETWORK_ALIASES)]


@fill_doc
def network_coords(name: str) -> pd.DataFrame:
    """Return the ROI centres of a network: columns ``x, y, z`` (MNI mm), ``anatomy``, ``radius``.

    The coordinates are those of the Seitzman et al. (2020) 300-ROI set bundled with nilearn.

    Parameters
    ----------
    %(network_name)s

    Returns
    -------
    pandas.DataFrame
        One row per ROI centre: ``x``, ``y``, ``z`` (MNI mm), ``anatomy`` and ``radius`` (mm).

    Raises
    ------
    TypeError
        If ``name`` is not a string.
    ValueError
        If ``name`` is not a network; the message names the closest one and all valid ones.

    Examples
    --------
    >>> dmn = network_coords("default_mode")
    >>> list(dmn.columns)
    ['x', 'y', 'z', 'anatomy', 'radius']
    """
    network = network_info(name)
    coords = load_atlas("seitzman_2018").coords
    assert coords is not None
    rows = coords[coords["network"] == network.seitzman_label]
    return rows[["x", "y", "z", "anatomy", "radius"]].reset_index(drop=True)


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
    template = np.asarray(load_atlas("mni152").template.dataobj)
    inside = bool(template[key] > 0)
    found = [r for r in _REGIONS if _in_mask(r, key)]
    labels = load_atlas(chosen).values_at(key) if inside else {}
    side = "midline" if point[0] == 0 else ("left" if point[0] < 0 else "right")
    return {
        "xyz": tuple(float(v) for v in point),
        "inside_brain": inside,
        "hemisphere": side,
        "regions": found,
        "labels": dict(sorted(labels.items(), key=lambda kv: -kv[1])),
    }
