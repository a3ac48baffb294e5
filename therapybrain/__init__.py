"""therapybrain: the helper package of the course *Psychotherapy and the Brain*.

It knows which brain atlases ship with the installed packages (no download), which
regions and networks the course names and where they are, and how to draw them.

Examples
--------
>>> import therapybrain as tb
>>> tb.region_centroid("hippocampus", "left")[0] < 0
True
"""

from . import resting  # one real resting-state run: tb.resting.*
from ._version import __version__ as __version__  # noqa: F401  (tb.__version__)
from .atlases import Atlas, AtlasInfo, atlas_info, build_stores, course_grid, list_atlases, load_atlas
from .plotting import (
    VIEWS,
    Brain3DView,
    network_hub,
    plot_network,
    plot_region,
    plot_regions,
    plot_selection,
    view_3d,
    view_network,
    view_region,
    view_regions,
)
from .regions import (
    HEMISPHERES,
    Network,
    Region,
    list_networks,
    list_regions,
    locate,
    network_coords,
    network_info,
    region_centroid,
    region_info,
    region_mask,
    region_overlap,
    region_volume,
    regions_table,
)
from .resting import plot_seed_map, seed_explorer, seed_map
from .widgets import EXPLORER_VIEWS, RegionExplorer, region_explorer

__all__ = [
    "HEMISPHERES",
    "EXPLORER_VIEWS",
    "VIEWS",
    "Atlas",
    "AtlasInfo",
    "Brain3DView",
    "Network",
    "Region",
    "atlas_info",
    "build_stores",
    "course_grid",
    "list_atlases",
    "list_networks",
    "list_regions",
    "load_atlas",
    "locate",
    "network_hub",
    "network_coords",
    "network_info",
    "plot_network",
    "plot_region",
    "plot_regions",
    "plot_selection",
    "region_explorer",
    "RegionExplorer",
    "region_centroid",
    "region_info",
    "region_mask",
    "region_overlap",
    "region_volume",
    "regions_table",
    "resting",
    "plot_seed_map",
    "seed_explorer",
    "seed_map",
    "view_network",
    "view_region",
    "view_regions",
    "view_3d",
]
