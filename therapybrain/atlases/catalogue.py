"""The catalogue of the atlases the course can load, read once from ``catalogue.json``.

What each atlas is, where its files come from and how to credit it is data, not code: an entry of
the JSON file beside this module, shipped with the package. Adding an atlas is adding an entry there
(and, for an image atlas, its files in an installed package; see :mod:`therapybrain.atlases.loading`).

Examples
--------
>>> atlas_info("harvard_oxford").kind
'probabilistic'
"""

from __future__ import annotations

import functools
import json
from collections.abc import Mapping
from dataclasses import dataclass
from importlib import resources
from types import MappingProxyType
from typing import Literal

from .._docs import fill_doc
from .._validation import check_choice

__all__ = ["AtlasInfo", "atlas_info", "list_atlases"]

AtlasKind = Literal["probabilistic", "labels", "template", "coordinates"]


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



@functools.cache
def catalogue() -> Mapping[str, AtlasInfo]:
    """Return every atlas's :class:`AtlasInfo` by key, read from the package's ``catalogue.json`` once.

    A licence written ``"@key"`` in the file is the text of ``licences[key]`` (one licence, many atlases).

    Returns
    -------
    mapping of str to AtlasInfo
        A read-only mapping, in the order of the file.

    Examples
    --------
    >>> catalogue() is catalogue()  # read once, then cached
    True
    >>> catalogue()["juelich"].licence.startswith("FSL atlas licence")
    True
    """
    data = json.loads(resources.files(__package__).joinpath("catalogue.json").read_text(encoding="utf-8"))
    licences = data["licences"]
    atlases = {}
    for entry in data["atlases"]:
        licence = entry["licence"]
        licence = licences[licence[1:]] if licence.startswith("@") else licence
        atlases[entry["name"]] = AtlasInfo(**{**entry, "bibkeys": tuple(entry["bibkeys"]), "licence": licence})
    return MappingProxyType(atlases)


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
    return list(catalogue())


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
    %(raises_atlas_name)s

    Examples
    --------
    >>> atlas_info("juelich").bibkeys
    ('eickhoff2005', 'eickhoff2006', 'eickhoff2007', 'amunts2005')
    """
    atlases = catalogue()
    return atlases[check_choice(name, atlases, "atlas")]

