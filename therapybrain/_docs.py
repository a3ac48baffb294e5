"""Parameter texts written once and used in every docstring that needs them (the model is nilearn's ``_utils/docs.py``).

A docstring names an entry as ``%(hemisphere)s`` at the place of its Parameters section where the
entry goes; :func:`fill_doc` puts the entry's text there, indented like the docstring. So a parameter
that many functions share (a hemisphere, a region, a seed, a figure title) is described the same way,
completely, everywhere, and changing its text changes it everywhere.

Examples
--------
>>> @fill_doc
... def draw(hemisphere="both"):
...     '''Draw something.
...
...     Parameters
...     ----------
...     %(hemisphere)s
...     '''
>>> print(draw.__doc__.splitlines()[4].strip())
hemisphere : {"left", "right", "both"}, default="both"
"""

from __future__ import annotations

import re
import sys
from collections.abc import Callable
from typing import TypeVar

__all__ = ["docdict", "fill_doc"]

F = TypeVar("F", bound=Callable)

#: The shared entries, by name; each is a numpydoc parameter entry (``name : type`` and its description).
docdict: dict[str, str] = {}

# --------------------------------------------------------------------------- where in the brain

docdict["region"] = """
region : str
    A course region: its key (see :func:`therapybrain.list_regions`), its name in words, or a short
    name (``"hpc"``, ``"dg"``, ``"sgacc"`` ...). Case, blanks and hyphens do not matter.
"""

docdict["region_name"] = """
name : str
    A course region: its key (see :func:`therapybrain.list_regions`), its name in words, or a short
    name (``"hpc"``, ``"dg"``, ``"sgacc"`` ...). Case, blanks and hyphens do not matter.
"""

docdict["region_names"] = """
names : sequence of str
    Course regions (keys, names or short names, as for one region); at least one.
"""

docdict["regions"] = """
regions : sequence of str, default=()
    Course regions (keys, names or short names, as for one region); may be empty.
"""

docdict["network_name"] = """
name : str
    A functional network: its key (see :func:`therapybrain.list_networks`) or a short name
    (``"dmn"``, ``"fpn"``, ``"sn"`` ...). Case, blanks and hyphens do not matter.
"""

docdict["network"] = """
network : str or None, default=None
    A functional network (key or short name, see :func:`therapybrain.list_networks`) whose
    ROI centres are added; None adds none.
"""

docdict["hemisphere"] = """
hemisphere : {"left", "right", "both"}, default="both"
    Which side of the brain: ``"left"`` keeps x < 0 mm, ``"right"`` x > 0 mm, ``"both"`` everything
    (the midline included). Case does not matter.
"""

docdict["hemisphere_left"] = """
hemisphere : {"left", "right", "both"}, default="left"
    Which side of the brain: ``"left"`` keeps x < 0 mm, ``"right"`` x > 0 mm, ``"both"`` everything
    (the midline included). Case does not matter.
"""

docdict["xyz"] = """
xyz : (x, y, z)
    A point in MNI millimetres: three finite numbers (a tuple, list or array) inside the course's
    MNI152 grid (x -98 to 98, y -134 to 98, z -72 to 116 mm).
"""

docdict["cut_coords"] = """
cut_coords : (x, y, z) or None, default=None
    Where the slices cross, in MNI millimetres (three finite numbers inside the course grid).
    None puts them at the voxel of the (first) region's mask nearest its centroid, a point inside the
    region even where a curved region's centroid lies outside it; on the left side when ``hemisphere``
    is ``"both"``.
"""

docdict["threshold"] = """
threshold : int, default=25
    The percentage of brains (1 to 100) in which the atlas puts a voxel in one of the region's labels
    for it to count as inside. 25 is the threshold of FSL's "maxprob-thr25" atlases, but unlike
    them the course keeps every label at or above it instead of only the most probable one, so the
    masks of two regions can overlap.
"""

# --------------------------------------------------------------------------- atlases

docdict["atlas_name"] = """
name : str
    An atlas key (see :func:`therapybrain.list_atlases`), e.g. ``"harvard_oxford"``, ``"juelich"``,
    ``"aal"``, ``"mni152"``. Case, blanks and hyphens do not matter.
"""

docdict["atlas"] = """
atlas : str, default="harvard_oxford"
    The atlas whose labels are read: a key of :func:`therapybrain.list_atlases` whose atlas has labels
    (``"harvard_oxford"``, ``"juelich"``, ``"aal"``, ``"desikan_killiany"``).
"""

docdict["atlas_label"] = """
label : str
    One of the atlas's :attr:`labels`, as the atlas spells them (``"Left_Hippocampus"``); case, blanks
    and hyphens do not matter.
"""

docdict["aal_labels"] = """
aal_labels : sequence of str or None, default=None
    AAL labels to use, with their side (``"Hippocampus_L"``; see
    ``therapybrain.load_atlas("aal").labels``); at least one. None uses :data:`AAL_LABELS` for the
    region, on the chosen side(s).
"""

docdict["resolution"] = """
resolution : {1, 2, 3, 4}, default=2
    Voxel size, in whole millimetres, of the image shown: 2 keeps a book page light, 1 shows finer detail.
"""

# --------------------------------------------------------------------------- figures

docdict["view"] = """
view : {"slices", "glass"}, default="slices"
    ``"slices"``: three orthogonal slices (sagittal, coronal, axial) through one point;
    ``"glass"``: a transparent "glass" brain seen from the left, from above, from the right and from
    the back.
"""

docdict["title"] = """
title : str or None, default=None
    The figure's title; None gives a default that says what is shown.
"""

docdict["title_simulated"] = """
title : str or None, default=None
    The figure's title; None (or ``""``) gives a default that says what was simulated. It always
    starts with "SIMULATED": ``"SIMULATED: "`` is put in front of a title that does not.
"""

docdict["figure"] = """
figure : matplotlib Figure, int or None, default=None
    The figure to draw in (or its number); None makes a new one.
"""

docdict["axes"] = """
axes : matplotlib Axes, (left, bottom, width, height) or None, default=None
    Where in the figure to draw: an Axes, or a box in figure fractions; None uses the whole figure.
"""

docdict["ax"] = """
ax : matplotlib Axes or None, default=None
    The axes to draw in; None makes a new figure.
"""

docdict["legend"] = """
legend : bool, default=True
    Put a legend under the brain: each region's name in its colour, and the atlas and threshold.
"""

docdict["node_size"] = """
node_size : float, default=30
    Area of each ROI centre's dot, in points squared (above 0, at most 1000).
"""

docdict["radius"] = """
radius : float, default=5.0
    Radius, in millimetres (1 to 15), of the sphere drawn at each ROI centre.
"""

docdict["explorer_view"] = """
view : {"slices", "glass", "3d"}, default="slices"
    What the explorer shows first (its "View" buttons switch later, see :data:`EXPLORER_VIEWS`):
    ``"slices"``, three orthogonal slices crossing at the cursor; ``"glass"``, a see-through brain
    from four sides, the cursor a cross; ``"3d"``, a 3-D brain to turn with the mouse (as
    :func:`therapybrain.view_3d`).
"""

docdict["explorer_xyz"] = """
xyz : (x, y, z) or None, default=None
    Where the cursor starts, in MNI millimetres (three finite numbers inside the course grid, rounded
    to whole mm). None starts it inside the first region (its mask's voxel nearest its centroid, on the
    left side when ``hemisphere`` is ``"both"``), or at (0, 0, 0) when no region is chosen.
"""

# --------------------------------------------------------------------------- simulations

docdict["seed"] = """
seed : int, default=0
    Seed of the random numbers, a whole number from 0 to 2**32 - 1: the same seed and the same
    inputs give the same result.
"""

docdict["n_per_group"] = """
n_per_group : int, default=16
    People per group (therapy and control), a whole number from 3 to 500.
"""

docdict["effect_size"] = """
effect_size : float, default=0.0
    Standardised group difference in grey-matter change inside the region (Cohen's *d*, from -5
    to 5); the user's choice, not a published value. 0 simulates a therapy that changes nothing.
"""

docdict["vbm_options"] = """
hemisphere : {"left", "right", "both"}, default="both"
    Which side(s) of the region get the effect.
fwhm_mm : float, default=8.0
    Smoothing kernel width (full width at half maximum, mm), from 0 to 20.
alpha_uncorrected : float, default=0.001
    Two-sided p-value threshold applied at each voxel on its own, above 0 and at most 0.5.
alpha_corrected : float, default=0.05
    Family-wise error rate for the whole-brain threshold, above 0 and at most 0.5.
correction : {"bonferroni", "permutation"}, default="bonferroni"
    How the whole-brain threshold is found. ``"bonferroni"`` divides ``alpha_corrected``
    by the number of voxels; ``"permutation"`` shuffles the group labels
    ``n_permutations`` times and takes the ``1 - alpha_corrected`` quantile of the largest
    absolute t of each shuffle (the "max-T" method).
n_permutations : int, default=200
    Shuffles for ``correction="permutation"``, a whole number from 20 to 10000.
"""

docdict["vbm_more"] = """
**options
    Further settings of :func:`simulate_vbm_study`, each checked before any study runs:
    ``hemisphere``, ``fwhm_mm``, ``alpha_uncorrected``, ``alpha_corrected``, ``correction``,
    ``n_permutations`` (see there). Any other name is a ``TypeError``.
"""

docdict["schedule_sizes"] = """
n_sessions : int, default=6
    Number of practice sessions, a whole number >= 1 (ignored for ``"none"``).
n_steps : int, default=70
    Length of the schedule in days, a whole number >= 1.
gap : int, default=10
    Days from one spaced session to the next, a whole number >= 1 (1 gives the massed schedule).
"""

docdict["synapse_model"] = """
learning_rate : float, default=0.3
    Share of the remaining room (``w_max - weight``) gained per full co-activation, above 0 and at most 1.
decay : float, default=0.15
    Share of the fast part lost per step, from 0 to below 1.
consolidation : float, default=0.05
    Share of the fast part moved into the stable part per step, from 0 to below 1;
    ``decay + consolidation`` must not exceed 1. 0 gives a one-trace model.
stable_decay : float, default=0.005
    Share of the stable part lost per step, from 0 to below 1.
w_max : float, default=1.0
    Ceiling of the weight, a finite number above 0.
noise : float, default=0.0
    Standard deviation of random jitter added to each Hebbian gain (a finite number >= 0; 0 = none).
    The result is still clipped to [0, w_max].
"""

docdict["synapse_more"] = """
**model
    Parameters of :func:`simulate_synapse`, each checked before anything is simulated:
    ``learning_rate``, ``decay``, ``consolidation``, ``stable_decay``, ``w_max``, ``noise``,
    ``seed`` (see there). Any other name is a ``TypeError``.
"""

docdict["runs"] = """
data : pandas.DataFrame or mapping of str to pandas.DataFrame
    Output of :func:`simulate_synapse` (one run), of :func:`compare_schedules` (a ``schedule``
    column), or ``{name: simulate_synapse(...)}``; not empty.
"""

docdict["X_y"] = """
X : array of shape (n_patients, n_measures)
    Brain measures, one row per patient (finite numbers), as from :func:`simulate_cohort`.
y : array of shape (n_patients,)
    One label per patient, in exactly two groups (1 = responder, 0 = non-responder).
"""

docdict["model"] = """
model : {"logistic", "nearest_neighbour"}, default="logistic"
    The classifier: a regularised logistic regression, or a one-nearest-neighbour rule (which
    memorises its training patients).
"""

docdict["n_folds"] = """
n_folds : int, default=5
    Number of cross-validation folds, a whole number >= 2; each group needs at least this many patients.
"""

docdict["n_patients"] = """
n_patients : int, default=40
    How many patients, a whole number >= 10; half (rounded down) are responders.
"""

docdict["signal"] = """
signal : float, default=0.0
    How much higher the informative measures are in responders, in standard deviations (Cohen's d):
    a finite number >= 0. 0 means pure noise: nothing can be predicted.
"""

docdict["n_informative"] = """
n_informative : int or None, default=None
    How many measures carry the signal (the first ones), a whole number from 0 to ``n_features``;
    None means 5, or ``n_features`` if there are fewer.
"""


# --------------------------------------------------------------------------- Raises entries
# Whole Raises sections that several functions share (numpydoc entries too: the error, then why).

docdict["raises_region_name"] = """
TypeError
    If ``name`` is not a string.
ValueError
    If ``name`` is not a course region; the message names the closest one and all valid ones.
"""

docdict["raises_network_name"] = """
TypeError
    If ``name`` is not a string.
ValueError
    If ``name`` is not a network; the message names the closest one and all valid ones.
"""

docdict["raises_atlas_name"] = """
TypeError
    If ``name`` is not a string.
ValueError
    If ``name`` is not a known atlas; the message names the closest one and all valid ones.
"""

docdict["raises_atlas_label"] = """
TypeError
    If ``label`` is not a string.
ValueError
    If the atlas has no such label (the message names the closest one), or has no maps
    (templates, coordinate sets).
"""

docdict["raises_region_threshold"] = """
TypeError
    If a name or ``hemisphere`` is not a string, or ``threshold`` not a number.
ValueError
    For an unknown region or hemisphere (the message lists the valid ones), or a threshold that
    is not a whole number from 1 to 100.
"""

docdict["raises_frame_size"] = """
TypeError
    If ``width`` or ``height`` is not an int or None.
ValueError
    If ``width`` or ``height`` is below 1.
"""

docdict["raises_classifier"] = """
TypeError
    If ``X`` or ``y`` do not hold numbers, ``model`` is not a string, or a count or the seed not an int.
ValueError
    If ``model`` is unknown, ``n_folds``/``k_selected`` are out of range, or ``X``/``y`` do not match.
"""

docdict["raises_table_ax"] = """
TypeError
    If ``table`` is not a DataFrame or ``ax`` not matplotlib Axes.
ValueError
    If ``table`` is empty or lacks the columns of the function that made it (named under ``table``).
"""

docdict["raises_seed_name"] = """
TypeError
    If ``seed`` is not a string.
ValueError
    For an unknown seed; the message names the valid ones.
"""


# --------------------------------------------------------------------------- Returns entries
# Whole Returns sections that several functions share (a named numpydoc entry: name : type, then what).

docdict["returns_figure"] = """
figure : matplotlib.figure.Figure
    The new figure.
"""

docdict["returns_ax"] = """
ax : matplotlib.axes.Axes
    The axes drawn in.
"""

docdict["returns_display"] = """
display : nilearn.plotting.displays.OrthoSlicer or nilearn.plotting.displays.LZRYProjector
    The nilearn display (slices or glass brain); end the cell with ``;`` to show only the figure.
"""

docdict["returns_brain_view"] = """
view : BrainView
    The view; a notebook shows it when it is the cell's last value (``save_as_html`` writes it
    to a file).
"""


_PLACEHOLDER = re.compile(r"%\((\w+)\)s")


def fill_doc(f: F) -> F:
    """Replace each ``%(name)s`` in ``f``'s docstring by ``docdict[name]``, indented to fit; return ``f``.

    Only ``%(name)s`` placeholders are touched, so a docstring may hold a plain ``%`` ("25 %").

    Parameters
    ----------
    f : function or class
        What to document; its ``__doc__`` is changed in place.

    Returns
    -------
    function or class
        ``f`` itself.

    Raises
    ------
    KeyError
        If a placeholder names no entry of :data:`docdict`.

    Examples
    --------
    >>> @fill_doc
    ... def simulate(seed=0):
    ...     '''Simulate.
    ...
    ...     Parameters
    ...     ----------
    ...     %(seed)s
    ...     '''
    >>> "same seed" in simulate.__doc__
    True
    """
    doc = f.__doc__
    if not doc:
        return f
    indent = " " * _indentation(doc.splitlines()[1:])

    def entry(match: re.Match) -> str:
        key = match.group(1)
        if key not in docdict:
            raise KeyError(f"{getattr(f, '__qualname__', f)}: no docdict entry {key!r}; "
                           f"known entries: {', '.join(sorted(docdict))}")
        first, *rest = docdict[key].strip("\n").splitlines()
        return "\n".join([first] + [indent + line if line.strip() else "" for line in rest])

    f.__doc__ = _PLACEHOLDER.sub(entry, doc)
    return f


def _indentation(lines: list[str]) -> int:
    """The smallest indentation of the non-blank lines (0 if there are none).

    Examples
    --------
    >>> _indentation(["    a", "  b", ""])
    2
    """
    found = min((len(line) - len(line.lstrip()) for line in lines if line.strip()), default=sys.maxsize)
    return 0 if found == sys.maxsize else found
