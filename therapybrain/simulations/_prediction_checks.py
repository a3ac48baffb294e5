"""The prediction lab's inputs, checked: brain measures and labels, fold counts, cohort settings.

Shared by the studies (:mod:`therapybrain.simulations.prediction`) and their figures
(:mod:`therapybrain.simulations.prediction_plots`), so that both say the same about the same mistake.

Examples
--------
>>> X, y = check_data([[1.0], [2.0], [3.0]], [0, 1, 1])
>>> X.shape, smallest_group(y)
((3, 1), 1)
"""

from __future__ import annotations

import numpy as np

from .._validation import check_int, check_number, check_numbers

__all__ = ["check_cohort", "check_data", "check_folds", "check_k", "smallest_group"]


def check_data(X: object, y: object) -> tuple[np.ndarray, np.ndarray]:
    """Brain measures (a table of numbers) and one label per patient, in exactly two groups."""
    X = check_numbers(X, "X (patients x brain measures)", ndim=2)
    y = check_numbers(y, "y (one label per patient)")
    if y.shape != (X.shape[0],):
        raise ValueError(f"y must hold one label per patient: X has {X.shape[0]} rows but y has shape {y.shape}")
    labels = np.unique(y)
    if len(labels) != 2:
        raise ValueError(f"y must hold exactly two groups (responders and non-responders), found {labels.tolist()}")
    return X, y


def check_folds(n_folds: object, smallest: int) -> int:
    """A number of cross-validation folds that the smaller group (``smallest`` patients) can fill."""
    n_folds = check_int(n_folds, "n_folds", 2)
    if smallest < n_folds:
        raise ValueError(f"each group needs at least n_folds={n_folds} patients, the smaller has {smallest}")
    return n_folds


def smallest_group(y: np.ndarray) -> int:
    """The number of patients in the smaller group."""
    return int(np.unique(y, return_counts=True)[1].min())


def check_k(k_selected: object, n_features: int, optional: bool = True) -> int | None:
    """How many measures to keep: from 1 to ``n_features``, or None (keep all) when ``optional``."""
    if k_selected is None and optional:
        return None
    return check_int(k_selected, "k_selected", 1, n_features)


def check_cohort(n_patients, n_features, signal, n_informative) -> tuple[int, int, float, int]:
    """The settings of a simulated cohort, checked; ``n_informative=None`` becomes its default."""
    n_patients = check_int(n_patients, "n_patients", 10)
    n_features = check_int(n_features, "n_features", 1)
    signal = check_number(signal, "signal (an effect size in standard deviations)", 0)
    n_informative = min(5, n_features) if n_informative is None else check_int(
        n_informative, "n_informative", 0, n_features)
    return n_patients, n_features, signal, n_informative
