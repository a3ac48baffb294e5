"""The catalogue of the regions and networks the course names, read once from ``catalogue.json``.

The catalogue is data, not code: each region (its atlas, labels, reason, chapters and colour), each
network (its Seitzman et al. 2020 label) and the short names students type are entries of the JSON
file beside this module, shipped with the package. Adding a region is adding an entry there.

Examples
--------
>>> region_info("dg").name
'Dentate gyrus'
>>> network_info("dmn").key
'default_mode'
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from types import MappingProxyType
from typing import NamedTuple

import pandas as pd

from .._docs import fill_doc
from .._validation import check_choice, check_hemisphere

__all__ = [
    "DEFAULT_THRESHOLD",
    "NETWORK_ALIASES",
    "REGION_ALIASES",
    "Network",
    "Region",
    "list_networks",
    "list_regions",
    "network_info",
    "region_info",
    "regions_table",
]

#: The threshold (percentage of brains) at which probabilistic maps become masks: a region keeps every
#: voxel that any of its labels reaches in >= 25 % of brains. The threshold is that of FSL's
#: "maxprob-thr25" atlases, not their rule: FSL gives each voxel to its single most probable label
#: (labels never overlap), the course keeps every label at or above the threshold, so two regions
#: of one atlas can share voxels (the amygdala and hippocampus masks do).
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


class Catalogue(NamedTuple):
    """The course's regions and networks by key, and the short names of each, as ``catalogue.json`` has them.

    Attributes
    ----------
    regions : mapping of str to Region
        The regions, in the order of the course (hippocampus first).
    networks : mapping of str to Network
        The functional networks.
    region_aliases : mapping of str to str
        Short names of regions (``"dg"``) and the key each stands for.
    network_aliases : mapping of str to str
        Short names of networks (``"dmn"``) and the key each stands for.

    Examples
    --------
    >>> catalogue().region_aliases["hpc"]
    'hippocampus'
    """

    regions: Mapping[str, Region]
    networks: Mapping[str, Network]
    region_aliases: Mapping[str, str]
    network_aliases: Mapping[str, str]


@functools.cache
def catalogue() -> Catalogue:
    """Return the catalogue of regions and networks, read from the package's ``catalogue.json`` once.

    Returns
    -------
    Catalogue
        Read-only mappings: regions and networks by key, and the short names of each.

    Examples
    --------
    >>> catalogue() is catalogue()  # read once, then cached
    True
    >>> list(catalogue().networks)[0]
    'default_mode'
    """
    data = json.loads(resources.files(__package__).joinpath("catalogue.json").read_text(encoding="utf-8"))
    regions = {r["key"]: Region(**{**r, "labels": tuple(r["labels"]), "chapters": tuple(r["chapters"])})
               for r in data["regions"]}
    networks = {n["key"]: Network(**n) for n in data["networks"]}
    return Catalogue(*(MappingProxyType(m) for m in (regions, networks, data["region_aliases"],
                                                     data["network_aliases"])))


#: Short names students type, accepted everywhere a region is named.
REGION_ALIASES: Mapping[str, str] = catalogue().region_aliases

#: Short names of networks, as papers abbreviate them.
NETWORK_ALIASES: Mapping[str, str] = catalogue().network_aliases


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
    return list(catalogue().regions)


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
    %(raises_region_name)s

    Examples
    --------
    >>> region_info("dlpfc").atlas
    'harvard_oxford'
    """
    regions = catalogue().regions
    return regions[check_choice(name, regions, "region", aliases=REGION_ALIASES)]


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
        for r in catalogue().regions.values()
    ]
    return pd.DataFrame(rows).set_index("key")


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
    return list(catalogue().networks)


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
    %(raises_network_name)s

    Examples
    --------
    >>> network_info("salience").seitzman_label
    'Salience'
    """
    networks = catalogue().networks
    return networks[check_choice(name, networks, "network", aliases=NETWORK_ALIASES)]
