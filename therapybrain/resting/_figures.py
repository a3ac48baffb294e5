"""The lab's static figures: a time series, its spectrum, seed maps on fsaverage5, person against group.

Part of :mod:`therapybrain.resting` (its docstring says where the data come from).
"""

from __future__ import annotations

import numpy as np

from .._validation import check_number
from ..regions import network_info
from ._data import SEEDS, TR, load_run
from ._group import _check_scale, _vertex_parcels, compare_with_group, group_seed_map
from ._maps import (
    _check_seed,
    _network_rois,
    power_spectrum,
    seed_info,
    seed_map,
    seed_timeseries,
    seed_vertices,
    vertex_timeseries,
)

# ----------------------------------------------------------------------------- figures

#: The four surface views of the figures and the explorer: (hemisphere, view, camera direction).
_VIEWS = (("left", "lateral", (-1, 0, 0)), ("left", "medial", (1, 0, 0)),
          ("right", "medial", (-1, 0, 0)), ("right", "lateral", (1, 0, 0)))


def plot_timeseries(seed: str = "pcc", vertex: int | None = None, ax=None):
    """Plot a time series over the 652 scans, z-scored (the run as shipped: already preprocessed).

    Parameters
    ----------
    seed : str, default="pcc"
        Whose time series (the mean of its vertices), unless ``vertex`` is given.
    vertex : int, optional
        One vertex instead of a seed.
    ax : matplotlib Axes, optional
        Where to draw; a new figure by default.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        For an unknown seed (the message names the valid ones) or a bad vertex.

    Examples
    --------
    >>> fig = plot_timeseries(vertex=int(seed_vertices("pcc")[0]))
    >>> len(fig.axes[0].lines)
    1
    """
    import matplotlib.pyplot as plt

    if vertex is None:
        series = seed_timeseries(seed)
        label = f"{seed_info(seed).name} (mean of {len(seed_vertices(seed))} vertices)"
    else:
        series = vertex_timeseries(vertex)
        label = f"vertex {int(vertex)}"
    if ax is None:
        fig, ax = plt.subplots(figsize=(9, 3), layout="constrained")
    fig = ax.figure
    seconds = np.arange(len(series)) * TR
    ax.plot(seconds, series, color="#0072B2", lw=1)
    ax.set(xlabel=f"time (s; one scan every {TR:g} s)", ylabel="signal (z)", title=label,
           xlim=(0, seconds[-1]))
    return fig


def plot_spectrum(seed: str = "pcc", vertex: int | None = None, ax=None):
    """Plot a seed's power spectrum as shipped and with the confounds regressed a second time.

    The band 0.01 to 0.1 Hz, which the run's preprocessing kept, is shaded.

    Parameters
    ----------
    seed : str, default="pcc"
        Whose time series (the mean of its vertices), unless ``vertex`` is given.
    vertex : int, optional
        One vertex instead of a seed.
    ax : matplotlib Axes, optional
        Where to draw; a new figure by default.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        For an unknown seed (the message names the valid ones) or a bad vertex.

    Examples
    --------
    >>> len(plot_spectrum("pcc").axes[0].lines)
    2
    """
    import matplotlib.pyplot as plt

    shipped = power_spectrum(seed, vertex)
    again = power_spectrum(seed, vertex, regress_again=True)
    if ax is None:
        fig, ax = plt.subplots(figsize=(7, 3.2), layout="constrained")
    fig = ax.figure
    ax.axvspan(0.01, 0.1, color="#EEEEEE", zorder=0)
    for table, colour, name in ((shipped, "#0072B2", "as shipped"), (again, "#D55E00", "confounds regressed again")):
        high = float(table.loc[table.frequency > 0.1, "share"].sum())
        ax.semilogy(table.frequency, table.share, color=colour, lw=1, label=f"{name}: {100 * high:.2f} % above 0.1 Hz")
    what = seed_info(seed).name if vertex is None else f"vertex {int(vertex)}"
    ax.set(xlabel="frequency (Hz)", ylabel="share of the power (log scale)", xlim=(0, shipped.frequency.max()),
           title=f"Power spectrum: {what} (grey band: 0.01-0.1 Hz)")
    ax.title.set_fontsize("small")
    ax.legend(loc="upper right", fontsize="small", frameon=False)
    return fig


def plot_seed_map(seed: str = "pcc", network: str | None = "default_mode", global_signal: bool = False,
                  threshold: float = 0.2, vmax: float = 0.7, title: str | None = None):
    """The seed's correlation map on the inflated fsaverage5 surface (nilearn), four views.

    The network's cortical coordinates are outlined in black (6 mm patches); the seed's own vertices
    are outlined in white.

    Parameters
    ----------
    seed : str, default="pcc"
    network : str or None, default="default_mode"
        Whose coordinates to outline; None draws none.
    global_signal : bool, default=False
        See ``seed_map``.
    threshold : float, default=0.2
        An r whose absolute value is below this is not coloured.
    vmax : float, default=0.7
        The colour scale's end.
    title : str, optional
        Replaces the figure's title.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        For an unknown seed or network (the message names the valid ones), a threshold or vmax
        outside 0 to 1, or a vmax not above the threshold.

    Examples
    --------
    >>> fig = plot_seed_map("pcc")
    >>> len(fig.axes) >= 4
    True
    """
    key = _check_seed(seed)
    threshold, vmax = _check_scale_ends(threshold, vmax)
    if network is not None:
        network = network_info(network).key
    gs = " (global signal regressed)" if global_signal else ""
    return _plot_surface(seed_map(key, global_signal), key, network, threshold, vmax,
                         title or f"Seed: {SEEDS[key].name}{gs}; r with every vertex")


def _check_scale_ends(threshold: object, vmax: object) -> tuple[float, float]:
    """``threshold`` from 0 to 1 and ``vmax`` above it, up to 1 (below the threshold nothing would be coloured)."""
    threshold = check_number(threshold, "threshold", 0, 1, high_open=True)
    vmax = check_number(vmax, "vmax", 0, 1, low_open=True)
    if vmax <= threshold:
        raise ValueError(f"vmax ({vmax:g}) must be above threshold ({threshold:g}): the colours run from the "
                         f"threshold to vmax, so nothing would be coloured; valid: 0 <= threshold < vmax <= 1")
    return threshold, vmax


def _plot_surface(values: np.ndarray, key: str, network: str | None, threshold: float, vmax: float, title: str):
    """Four views of the inflated fsaverage5 surface (nilearn), with the network's and the seed's outlines."""
    import matplotlib.pyplot as plt
    from nilearn import datasets, plotting

    fsa = datasets.load_fsaverage("fsaverage5")
    sulc = datasets.load_fsaverage_data(mesh="fsaverage5", mesh_type="inflated", data_type="sulcal")
    n_left = load_run().n_left
    roi = _network_rois(network)
    seed_roi = np.zeros(2 * n_left, dtype=int)
    seed_roi[seed_vertices(key)] = 1
    fig, axes = plt.subplots(1, 4, figsize=(12, 3.2), subplot_kw={"projection": "3d"}, layout="constrained")
    for ax, (hemi, view, _) in zip(axes, _VIEWS):
        part = slice(0, n_left) if hemi == "left" else slice(n_left, None)
        mesh = fsa["inflated"].parts[hemi]
        plotting.plot_surf_stat_map(mesh, np.nan_to_num(values[part]), hemi=hemi, view=view,
                                    bg_map=sulc.data.parts[hemi], threshold=threshold, vmax=vmax,
                                    cmap="RdBu_r", symmetric_cbar=True, colorbar=ax is axes[-1], axes=ax,
                                    figure=fig)
        for mask, colour in ((roi, "black"), (seed_roi, "white")):
            if mask is not None and mask[part].any():
                plotting.plot_surf_contours(mesh, mask[part], levels=[1], colors=[colour], axes=ax, figure=fig)
        ax.set_title(f"{hemi} {view}", fontsize="small")
    fig.suptitle(title, fontsize="medium")
    return fig


def plot_group_map(seed: str = "pcc", scale: int = 400, network: str | None = "default_mode",
                   threshold: float = 0.2, vmax: float = 0.7):
    """The HCP group's seed map, each Schaefer parcel's group r drawn on fsaverage5 like this person's map.

    Each fsaverage5 vertex takes the value of its parcel (the parcel of the nearest vertex of
    BrainSpace's conte69 surface), so the two maps can be compared view by view.

    Parameters
    ----------
    seed : str, default="pcc"
        A key of ``SEEDS``.
    scale : int, default=400
        Number of Schaefer parcels: 100, 200, 300 or 400.
    network : str or None, default="default_mode"
        Whose coordinates to outline; None draws none.
    threshold : float, default=0.2
        An r whose absolute value is below this is not coloured.
    vmax : float, default=0.7
        The colour scale's end.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        For an unknown seed or network (the message names the valid ones) or a bad scale.

    Examples
    --------
    >>> fig = plot_group_map("pcc", scale=100)
    >>> len(fig.axes) >= 4
    True
    """
    key = _check_seed(seed)
    scale = _check_scale(scale)
    threshold, vmax = _check_scale_ends(threshold, vmax)
    if network is not None:
        network = network_info(network).key
    parcels = _vertex_parcels(scale)
    values = np.full(len(parcels), np.nan, dtype=np.float32)
    values[parcels > 0] = group_seed_map(key, scale)[parcels[parcels > 0] - 1]
    return _plot_surface(values, key, network, threshold, vmax,
                         f"HCP group, Schaefer {scale} parcels; seed: {SEEDS[key].name}")


def plot_person_vs_group(seed: str = "pcc", scale: int = 400, ax=None):
    """Scatter plot: each Schaefer parcel's r with the seed, in the HCP group (x) and in this person (y).

    Parameters
    ----------
    seed : str, default="pcc"
        A key of ``SEEDS``.
    scale : int, default=400
        Number of Schaefer parcels: 100, 200, 300 or 400.
    ax : matplotlib Axes, optional
        Where to draw; a new figure by default.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        For an unknown seed (the message names the valid ones) or a bad scale.

    Examples
    --------
    >>> fig = plot_person_vs_group("pcc", scale=100)
    >>> len(fig.axes)
    1
    """
    import matplotlib.pyplot as plt

    key = _check_seed(seed)
    table = compare_with_group(key, scale)
    if ax is None:
        fig, ax = plt.subplots(figsize=(4.5, 4), layout="constrained")
    fig = ax.figure
    ax.scatter(table["group"], table["person"], s=10, color="#0072B2", alpha=0.7)
    ax.axhline(0, color="#999999", lw=0.8)
    ax.axvline(0, color="#999999", lw=0.8)
    r = float(np.corrcoef(table["group"], table["person"])[0, 1])
    ax.set(xlabel="HCP group r (group-mean matrix)", ylabel="this person's r (mean over the parcel)",
           title=f"{SEEDS[key].name}: {len(table)} parcels, agreement r = {r:.2f}")
    ax.title.set_fontsize("small")
    return fig


