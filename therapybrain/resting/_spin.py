"""A spatial null model for a map on fsaverage5: the spin test (random rotations of the sphere).

Part of :mod:`therapybrain.resting` (its docstring says where the data come from).

Neighbouring vertices of a map are not independent: the signal is smooth on the cortex, so a
network's patches and their surroundings share values. Shuffling vertices one by one ignores that
and makes any pattern look significant. The spin test keeps the map's smoothness: it rotates the
map on the sphere (each hemisphere; the right by the mirror image of the left's rotation), gives
each vertex the value of the rotated vertex nearest to it, and recomputes the statistic. The
p-value is the share of rotations whose statistic is at least the observed one.
"""

from __future__ import annotations

import functools

import numpy as np

from .._validation import check_int
from ._maps import _map_and_network, _means_inside_outside, _mesh


@functools.cache
def _sphere_trees():
    """fsaverage5's sphere (nilearn's bundled files), one k-d tree per hemisphere."""
    from scipy.spatial import cKDTree

    coords, _, n_left = _mesh("sphere")
    left, right = coords[:n_left], coords[n_left:]
    return n_left, (left, cKDTree(left)), (right, cKDTree(right))


def _rotations(n: int, random_state: int) -> np.ndarray:
    """``n`` random rotation matrices, uniform over all rotations (the QR method)."""
    rng = np.random.default_rng(random_state)
    q, r = np.linalg.qr(rng.standard_normal((n, 3, 3)))
    q = q * np.sign(np.diagonal(r, axis1=1, axis2=2))[:, None, :]
    q[np.linalg.det(q) < 0, :, 0] *= -1  # proper rotations only
    return q


def _difference(values: np.ndarray, inside: np.ndarray) -> float:
    mean_inside, mean_outside = _means_inside_outside(values, inside)
    return mean_inside - mean_outside


def spin_test(values: np.ndarray, network: str = "default_mode", exclude: str | None = None,
              n_rotations: int = 1000, random_state: int = 0) -> dict:
    """Is a map's mean r higher at a network's coordinates than elsewhere, beyond what its smoothness gives?

    The statistic is the mean r on the 6 mm patches at the network's cortical coordinates minus
    the mean r over the rest of the cortex (``inside_outside``). The null distribution comes from
    ``n_rotations`` random rotations of the map on fsaverage5's sphere; for contrast, the same
    number of shuffles of the vertices (which wrongly treats them as independent) gives ``p_shuffle``.

    Parameters
    ----------
    values : numpy.ndarray
        A map from ``seed_map``.
    network : str, default="default_mode"
        A network key.
    exclude : str, optional
        A seed whose own vertices are left out (set to NaN before rotating).
    n_rotations : int, default=1000
        Number of rotations (and of shuffles), 10 to 100,000.
    random_state : int, default=0
        Seed of the random rotations, so that the result can be reproduced.

    Returns
    -------
    dict
        ``difference`` (observed, inside minus outside), ``p_spin`` and ``p_shuffle`` (one-sided:
        (1 + number of nulls at least as large) / (1 + n_rotations)), ``null`` and ``null_shuffle``
        (the rotations' and the shuffles' differences) and ``n_rotations``.

    Raises
    ------
    ValueError
        For a bad map, an unknown network or seed (the message names the valid ones), or a number of
        rotations outside 10 to 100,000.

    Examples
    --------
    >>> from therapybrain.resting import seed_map
    >>> result = spin_test(seed_map("pcc"), "dmn", exclude="pcc", n_rotations=20)
    >>> 0 < result["p_spin"] <= 1
    True
    """
    array, inside = _map_and_network(values, network, exclude)
    n_rotations = check_int(n_rotations, "n_rotations", 10, 100_000)
    random_state = check_int(random_state, "random_state", 0)
    observed = _difference(array, inside)
    n_left, (left, left_tree), (right, right_tree) = _sphere_trees()
    mirror = np.diag([-1.0, 1.0, 1.0])
    null = np.empty(n_rotations)
    rotated = np.empty_like(array)
    for i, rotation in enumerate(_rotations(n_rotations, random_state)):
        # vertex j takes the value of the vertex that the rotation brings nearest to it
        _, source = left_tree.query(left @ rotation)
        rotated[:n_left] = array[:n_left][source]
        _, source = right_tree.query(right @ (mirror @ rotation @ mirror))
        rotated[n_left:] = array[n_left:][source]
        null[i] = _difference(rotated, inside)
    rng = np.random.default_rng(random_state)
    ok = np.flatnonzero(~np.isnan(array))
    shuffled_null = np.empty(n_rotations)
    shuffled = array.copy()
    for i in range(n_rotations):
        shuffled[ok] = array[ok][rng.permutation(len(ok))]
        shuffled_null[i] = _difference(shuffled, inside)
    return {"difference": round(observed, 3),
            "p_spin": float((1 + np.sum(null >= observed)) / (1 + n_rotations)),
            "p_shuffle": float((1 + np.sum(shuffled_null >= observed)) / (1 + n_rotations)),
            "null": null, "null_shuffle": shuffled_null, "n_rotations": n_rotations}


def plot_spin_test(result: dict, ax=None):
    """Histograms of a spin test's null distributions (rotations, and shuffles), with the observed difference marked.

    Parameters
    ----------
    result : dict
        What ``spin_test`` returns.
    ax : matplotlib Axes, optional
        Where to draw; a new figure by default.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    TypeError
        If ``result`` is not a spin test's result.

    Examples
    --------
    >>> from therapybrain.resting import seed_map
    >>> fig = plot_spin_test(spin_test(seed_map("pcc"), n_rotations=20))
    >>> len(fig.axes)
    1
    """
    import matplotlib.pyplot as plt

    if not isinstance(result, dict) or not {"null", "difference", "p_spin"} <= set(result):
        raise TypeError("result must be what spin_test returns (a dict with 'null', 'difference' and 'p_spin'), "
                        f"not {type(result).__name__}")
    if ax is None:
        fig, ax = plt.subplots(figsize=(6, 3.2), layout="constrained")
    fig = ax.figure
    null = np.asarray(result["null"])
    low = min(null.min(), np.min(result.get("null_shuffle", null)))
    bins = np.linspace(low, max(null.max(), result["difference"]), 50)
    ax.hist(null, bins=bins, color="#999999", label="rotations (spin test)")
    if "null_shuffle" in result:
        ax.hist(result["null_shuffle"], bins=bins, color="#56B4E9", alpha=0.8, label="vertices shuffled")
    ax.axvline(result["difference"], color="#D55E00", lw=2, label="observed")
    ax.legend(loc="upper right", fontsize="small", frameon=False)
    ax.set(xlabel="mean r inside the network minus outside", ylabel="rotations",
           title=f"{result['n_rotations']} rotations: observed {result['difference']:.2f} (orange), "
                 f"p = {result['p_spin']:.3g}")
    ax.title.set_fontsize("small")
    return fig
