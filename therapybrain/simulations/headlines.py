"""Tools for checking a news headline's brain claim: which regions it names, and how atlases draw them.

The conclusion of the course uses them on a *fictional* headline; they work on any text.

Examples
--------
>>> from therapybrain.simulations import headlines
>>> headlines.find_regions("Therapy calms the amygdala, study says")
['amygdala']
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import pandas as pd
from matplotlib.lines import Line2D
from matplotlib.patches import Patch

from .._docs import fill_doc
from .._figures import legend_below, plot_anat_background
from .._validation import check_choices, check_hemisphere, check_optional_text, check_text, check_xyz
from ..atlases import course_grid, load_atlas
from ..regions import DEFAULT_THRESHOLD, list_regions, region_centroid, region_info, region_mask

__all__ = [
    "AAL_LABELS",
    "CHECKLIST",
    "ChecklistItem",
    "checklist_table",
    "compare_atlases",
    "find_regions",
    "plot_atlas_comparison",
]


@dataclass(frozen=True)
class ChecklistItem:
    """One question to ask of a "therapy rewires the brain" headline.

    Attributes
    ----------
    key : str
        A short name (``"control_group"``).
    question : str
        The question, in plain words.
    why : str
        Why the answer matters.

    Examples
    --------
    >>> CHECKLIST[0].key
    'sample_size'
    """

    key: str
    question: str
    why: str


#: The course's checklist for reading a headline about therapy and the brain.
CHECKLIST: tuple[ChecklistItem, ...] = (
    ChecklistItem("sample_size", "How many people were scanned, in each group?",
                  "Small samples give imprecise estimates, which can miss the true effect in either "
                  "direction; a surprising result from a few dozen people needs a larger study."),
    ChecklistItem("control_group", "Was there a control group, and was it active (another treatment) or a waitlist?",
                  "Without controls, change over time (repeated scanning, natural recovery, "
                  "regression to the mean) cannot be told apart from the effect of therapy."),
    ChecklistItem("pre_post_vs_causal", "Does the study only compare before with after, or test a cause?",
                  "A pre/post difference shows that the brain changed during therapy, not that therapy "
                  "caused the change, nor that the change caused the improvement."),
    ChecklistItem("group_vs_individual", "Is the result an average over a group, or shown in individuals?",
                  "A group average can hide people who changed in the opposite direction; it does not "
                  "license a brain scan as a test for one patient."),
    ChecklistItem("region_naming", "Which region exactly, defined how (atlas, coordinates, threshold)?",
                  "The same name is drawn differently by different atlases and studies; a name alone "
                  "cannot be checked."),
    ChecklistItem("replication", "Has an independent study found the same thing?",
                  "A single study, especially a small one, is a lead, not a finding; larger or later "
                  "studies sometimes disagree."),
    ChecklistItem("correlation_vs_mediation",
                  "Did brain change track symptom change, and was it tested as a mediator?",
                  "A correlation between brain change and improvement does not show that the brain change "
                  "is how therapy works; mediation needs a design that can test it."),
)

#: AAL (version 2) label stems standing for some course regions; ``_L``/``_R`` is added per side.
AAL_LABELS: dict[str, tuple[str, ...]] = {
    "hippocampus": ("Hippocampus",),
    "amygdala": ("Amygdala",),
    "insula": ("Insula",),
    "acc": ("Cingulate_Ant",),
    "pcc": ("Cingulate_Post",),
    "precuneus": ("Precuneus",),
    "angular_gyrus": ("Angular",),
    "dlpfc": ("Frontal_Mid_2",),
}

# Words a headline may use for a course region, besides its key and its name.
_SYNONYMS: dict[str, tuple[str, ...]] = {
    "hippocampus": ("hippocampal", "hippocampi"),
    "amygdala": ("amygdalae", "amygdalas"),
    "prefrontal_cortex": ("PFC", "prefrontal"),
    "dlpfc": ("dlPFC", "dorsolateral prefrontal"),
    "vmpfc": ("vmPFC", "ventromedial prefrontal"),
    "ofc": ("OFC", "orbitofrontal"),
    "acc": ("ACC", "anterior cingulate"),
    "pcc": ("PCC", "posterior cingulate"),
    "subcallosal_cingulate": ("subgenual cingulate", "subcallosal"),
    "insula": ("insular",),
    "dentate_gyrus": ("dentate",),
}

_HO_COLOUR, _AAL_COLOUR = "#0072B2", "#E69F00"  # Okabe-Ito blue and orange


def checklist_table() -> pd.DataFrame:
    """Return the headline checklist as a table: one row per question, with why it matters.

    Returns
    -------
    pandas.DataFrame
        Indexed by ``key`` (see :data:`CHECKLIST`), with the columns ``question`` and ``why it matters``.

    Examples
    --------
    >>> table = checklist_table()
    >>> "control_group" in table.index
    True
    """
    table = pd.DataFrame([{"key": c.key, "question": c.question, "why it matters": c.why} for c in CHECKLIST])
    return table.set_index("key")


def find_regions(text: str) -> list[str]:
    """Return the course regions a piece of text names (keys, in order of first mention).

    Matching ignores case and looks for whole words: a region's key, its name, or a common
    variant ("hippocampal", "dlPFC", "anterior cingulate"). A more specific name wins over
    a general one inside it: "dorsolateral prefrontal cortex" gives ``"dlpfc"`` only.

    Parameters
    ----------
    text : str
        A headline, a press release, an abstract.

    Returns
    -------
    list of str
        Region keys, usable with :func:`therapybrain.region_info` and the plotting functions.

    Raises
    ------
    TypeError
        If ``text`` is not a string.

    Examples
    --------
    >>> find_regions("CBT boosts the dorsolateral prefrontal cortex and quiets the amygdala")
    ['dlpfc', 'amygdala']
    >>> find_regions("Hippocampal growth after trauma therapy")
    ['hippocampus']
    """
    text = check_text(text, "text (a headline)")
    found: list[tuple[int, int, str]] = []  # (start, end, key)
    for key in list_regions():
        words = {key.replace("_", " "), region_info(key).name, *_SYNONYMS.get(key, ())}
        for word in sorted(words, key=len, reverse=True):
            for match in re.finditer(rf"\b{re.escape(word)}\b", text, flags=re.IGNORECASE):
                found.append((match.start(), match.end(), key))
    # Keep the longest match at each place; drop matches lying inside a longer one.
    found.sort(key=lambda m: (m[0], -(m[1] - m[0])))
    kept: list[tuple[int, int, str]] = []
    for start, end, key in found:
        if any(s <= start and end <= e for s, e, _ in kept):
            continue
        kept.append((start, end, key))
    return list(dict.fromkeys(key for _, _, key in sorted(kept)))


@fill_doc
def compare_atlases(
    region: str,
    hemisphere: str = "left",
    aal_labels: Sequence[str] | None = None,
) -> pd.DataFrame:
    """Compare how the course's atlas (Harvard-Oxford) and AAL draw the same region.

    Both masks are put on the course's 1 mm MNI152 grid, so one voxel is 1 mm³.

    Parameters
    ----------
    %(region)s
    %(hemisphere_left)s
    %(aal_labels)s

    Returns
    -------
    pandas.DataFrame
        Two rows (``harvard_oxford``, ``aal``) with columns ``labels``, ``volume_mm3``,
        ``x``, ``y``, ``z`` (centroid, MNI mm) and ``pct_inside_other`` (the share of this
        atlas's region that the other atlas's region also covers, in %).

    Raises
    ------
    TypeError
        If ``region``, ``hemisphere`` or an AAL label is not a string.
    ValueError
        For an unknown region or hemisphere; for a region without default AAL labels when
        ``aal_labels`` is not given (the message lists the regions that have them); for an
        unknown AAL label (the message names the closest one), or an empty ``aal_labels``.

    Examples
    --------
    >>> table = compare_atlases("hippocampus", "left")
    >>> list(table.index)
    ['harvard_oxford', 'aal']
    >>> bool(table.loc["aal", "x"] < 0)
    True
    """
    key = region_info(region).key
    hemisphere = check_hemisphere(hemisphere)
    labels = _aal_labels(key, hemisphere, aal_labels)
    ho = np.asarray(region_mask(key, hemisphere).dataobj) > 0
    aal = _aal_mask(labels)
    affine = region_mask(key, hemisphere).affine
    rows = {}
    for name, mask, other, used in (
        ("harvard_oxford", ho, aal, region_info(key).atlas_labels(hemisphere)),
        ("aal", aal, ho, labels),
    ):
        volume = int(mask.sum())
        if volume:
            ijk = np.argwhere(mask).mean(axis=0)
            x, y, z = (round(float(v), 1) for v in affine[:3, :3] @ ijk + affine[:3, 3])
        else:
            x = y = z = np.nan
        rows[name] = {
            "labels": ", ".join(used),
            "volume_mm3": volume,
            "x": x, "y": y, "z": z,
            "pct_inside_other": round(100 * float((mask & other).sum()) / volume, 1) if volume else np.nan,
        }
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "atlas"
    return table


@fill_doc
def plot_atlas_comparison(
    region: str,
    hemisphere: str = "left",
    aal_labels: Sequence[str] | None = None,
    title: str | None = None,
    cut_coords: tuple[float, float, float] | None = None,
):
    """Draw a region as Harvard-Oxford (filled, blue) and AAL (dashed outline, orange) draw it.

    Parameters
    ----------
    %(region)s
    %(hemisphere_left)s
    %(aal_labels)s
    title : str or None, default=None
        The figure's title; None gives the region's name, side and "two atlases".
    cut_coords : (x, y, z) or None, default=None
        Where the slices cross, in MNI millimetres (three finite numbers inside the course grid).
        None puts them at the centroid of the course region's mask (on the left side when
        ``hemisphere`` is ``"both"``).

    Returns
    -------
    nilearn.plotting.displays.OrthoSlicer
        The nilearn display, with a legend under the brain.

    Raises
    ------
    TypeError
        If ``region``, ``hemisphere``, an AAL label or ``title`` is not a string, or ``cut_coords``
        not a sequence of numbers.
    ValueError
        For an unknown region or hemisphere; for a region without default AAL labels when
        ``aal_labels`` is not given; for an unknown AAL label (the message names the closest one) or
        an empty ``aal_labels``; for ``cut_coords`` that are not three finite numbers inside the
        course grid.

    Examples
    --------
    >>> display = plot_atlas_comparison("amygdala", "left")
    >>> [text.get_text() for text in display.frame_axes.figure.legends[0].get_texts()][1]
    'AAL2: Amygdala_L'
    """
    info = region_info(region)
    hemisphere = check_hemisphere(hemisphere)
    title = check_optional_text(title, "title")
    cut_coords = None if cut_coords is None else check_xyz(cut_coords, "cut_coords")
    labels = _aal_labels(info.key, hemisphere, aal_labels)
    # Each outline from its box (padded by a voxel), not the whole grid: nilearn's contours of a whole-grid
    # mask cost about 100 MB at their peak; the outlines are the same shapes.
    ho = region_mask(info.key, hemisphere, crop=True)
    aal = _boxed(_aal_mask(labels))
    if cut_coords is None:
        cut_coords = region_centroid(info.key, "left" if hemisphere == "both" else hemisphere)
    if title is None:
        side = "" if hemisphere == "both" else f", {hemisphere}"
        title = f"{info.name}{side}: two atlases"
    display = plot_anat_background(cut_coords, title)
    display.add_contours(ho, filled=True, levels=[0.5], vmin=0, vmax=1, colors=[_HO_COLOUR], transparency=0.85)
    display.add_contours(aal, levels=[0.5], vmin=0, vmax=1, colors=[_AAL_COLOUR], linewidths=2.0, linestyles="dashed")
    handles = [
        Patch(facecolor=_HO_COLOUR, edgecolor="black",
              label=f"Harvard-Oxford ({DEFAULT_THRESHOLD} % threshold): the course's {info.key}"),
        Line2D([], [], color=_AAL_COLOUR, linestyle="--", linewidth=2, label=f"AAL2: {', '.join(labels)}"),
    ]
    legend_below(display, handles, ncol=1)
    return display


def _aal_labels(key: str, hemisphere: str, aal_labels: Sequence[str] | None) -> tuple[str, ...]:
    atlas = load_atlas("aal")
    if aal_labels is None:
        if key not in AAL_LABELS:
            have = ", ".join(f"'{k}'" for k in AAL_LABELS)
            raise ValueError(f"no default AAL labels for region '{key}'; pass aal_labels=[...] "
                             f"(see therapybrain.load_atlas('aal').labels) or use one of: {have}")
        sides = {"left": ("L",), "right": ("R",), "both": ("L", "R")}[hemisphere]
        return tuple(f"{stem}_{side}" for stem in AAL_LABELS[key] for side in sides)
    return check_choices(aal_labels, atlas.labels, "AAL label", allow_empty=False)


def _boxed(mask: np.ndarray):
    """A course-grid mask as a uint8 image of the box around its voxels, padded by one voxel of zeros
    (as :func:`therapybrain.region_mask` with ``crop=True``); the whole grid if it is empty."""
    import nibabel as nib

    affine = course_grid()[1]
    used = np.argwhere(mask)
    if not used.size:
        return nib.Nifti1Image(mask.astype(np.uint8), affine)
    low, high = used.min(axis=0), used.max(axis=0) + 1
    boxed = affine.copy()
    boxed[:3, 3] += affine[:3, :3] @ (low - 1)
    values = mask[tuple(slice(a, b) for a, b in zip(low, high))]
    return nib.Nifti1Image(np.pad(values, 1).astype(np.uint8), boxed)


def _aal_mask(labels: Sequence[str]) -> np.ndarray:
    atlas = load_atlas("aal")
    mask = np.zeros(np.asarray(atlas.label_map(labels[0]).dataobj).shape, dtype=bool)
    for label in labels:
        mask |= np.asarray(atlas.label_map(label).dataobj) > 0
    return mask
