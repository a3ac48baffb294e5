"""The brain regions and functional networks the course names, and where they are.

A region is a plain key (``"hippocampus"``) defined by labels of one packaged atlas at a
stated probability threshold; its mask and centroid are computed from the atlas, never
typed in. Networks are sets of ROI centres from the Seitzman et al. (2020) coordinates
that nilearn bundles.

The subpackage has one module a job: ``catalogue`` (the regions and
networks, read from the package's ``catalogue.json``), ``masks`` (a
region's voxels), ``geometry`` (volumes, overlaps, centroids, ROI
centres) and ``locating`` (what lies at a point). This module gathers their
public names, the ones the notebooks use.

Examples
--------
>>> from therapybrain import regions
>>> regions.region_info("hpc").key, regions.locate((-25, -22, -14))["hemisphere"]
('hippocampus', 'left')
"""

from __future__ import annotations

from .. import _validation
from .catalogue import DEFAULT_THRESHOLD as DEFAULT_THRESHOLD  # the constants, importable from here as before
from .catalogue import NETWORK_ALIASES as NETWORK_ALIASES
from .catalogue import REGION_ALIASES as REGION_ALIASES
from .catalogue import (
    Network,
    Region,
    list_networks,
    list_regions,
    network_info,
    region_info,
    regions_table,
)
from .geometry import network_coords, region_centroid, region_overlap, region_volume
from .locating import locate
from .masks import region_mask

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

#: The hemispheres a region, a figure or a simulation can be restricted to (``"both"`` is the two together).
HEMISPHERES = _validation.HEMISPHERES
