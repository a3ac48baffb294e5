"""SIMULATED "predict treatment response from a brain measure" studies, for chapter 4.

Everything here is made-up data: it shows what in-sample accuracy, small samples and
circular feature selection do to a prediction claim, not what any real brain measure predicts.

The simulated cohort has ``n_patients`` people, half later "responders" (label 1) and half
"non-responders" (label 0), and ``n_features`` brain measures per person (think: activity in
many regions), all pure noise except the first ``n_informative``, which are higher in responders
by ``signal`` standard deviations (an effect size, Cohen's d).
"""

from __future__ import annotations

import inspect

import numpy as np
import pandas as pd
from sklearn.feature_selection import SelectKBest, f_classif
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import Pipeline, make_pipeline
from sklearn.preprocessing import StandardScaler

from .._docs import fill_doc
from .._validation import MAX_SEED, check_choice, check_int, check_keywords, check_numbers
from ._prediction_checks import check_cohort, check_data, check_folds, check_k, smallest_group
from .prediction_plots import ACCURACY_COLUMNS as ACCURACY_COLUMNS  # the figures, importable from here as before
from .prediction_plots import plot_accuracies, plot_measure_by_group, plot_sample_size

__all__ = [
    "ACCURACY_COLUMNS",
    "MODELS",
    "circular_vs_honest",
    "cross_validated_accuracy",
    "in_sample_accuracy",
    "plot_accuracies",
    "plot_measure_by_group",
    "plot_sample_size",
    "run_studies",
    "sample_size_study",
    "simulate_cohort",
]

#: The classifiers on offer, a regularised logistic regression or a one-nearest-neighbour rule
#: (which memorises its training data, so its in-sample accuracy is always perfect).
MODELS = ("logistic", "nearest_neighbour")


def _check_runs(n_studies, n_patients, n_features, signal, n_informative, k_selected, n_folds, model, seed) -> dict:
    """The settings of :func:`run_studies`, checked and normalised (``n_patients`` is the smallest cohort)."""
    n_studies = check_int(n_studies, "n_studies", 1)
    n_patients, n_features, signal, n_informative = check_cohort(n_patients, n_features, signal, n_informative)
    return {
        "n_studies": n_studies,
        "n_patients": n_patients,
        "n_features": n_features,
        "signal": signal,
        "n_informative": n_informative,
        "k_selected": check_k(k_selected, n_features, optional=False),
        "n_folds": check_folds(n_folds, n_patients // 2),
        "model": check_choice(model, MODELS, "model"),
        "seed": check_int(seed, "seed", 0, MAX_SEED),
    }


def _check_model(model: object, seed: object) -> tuple[str, int]:
    """A classifier's name and seed, checked."""
    return check_choice(model, MODELS, "model"), check_int(seed, "seed", 0, MAX_SEED)


def _make_model(model: str, seed: int, k_selected: int | None = None) -> Pipeline:
    """The classifier after standardising, and first keeping the ``k_selected`` best measures (None: all)."""
    if model == "logistic":
        classifier = LogisticRegression(C=1.0, solver="liblinear", random_state=seed)
    else:
        classifier = KNeighborsClassifier(n_neighbors=1)
    select = [] if k_selected is None else [SelectKBest(f_classif, k=k_selected)]
    return make_pipeline(*select, StandardScaler(), classifier)


def _folds(n_folds: int, seed: int) -> StratifiedKFold:
    return StratifiedKFold(n_splits=n_folds, shuffle=True, random_state=seed)


# ----------------------------------------------------------------------------------------------
# Simulation and accuracies
# ----------------------------------------------------------------------------------------------
@fill_doc
def simulate_cohort(
    n_patients: int = 40,
    n_features: int = 100,
    signal: float = 0.0,
    n_informative: int | None = None,
    seed: int = 0,
) -> tuple[np.ndarray, np.ndarray]:
    """Simulate one SIMULATED study: brain measures and later treatment response.

    Parameters
    ----------
    %(n_patients)s
    n_features : int, default=100
        How many brain measures per patient, a whole number >= 1.
    %(signal)s
    %(n_informative)s
    %(seed)s

    Returns
    -------
    X : ndarray of shape (n_patients, n_features)
        The simulated brain measures (standard normal noise plus the signal).
    y : ndarray of shape (n_patients,)
        1 for a responder, 0 for a non-responder.

    Raises
    ------
    TypeError
        If a count or the seed is not an int, or ``signal`` not a number.
    ValueError
        If a count is out of its range, or ``signal`` is negative or not finite.

    Examples
    --------
    >>> X, y = simulate_cohort(n_patients=20, n_features=3, signal=1.0, seed=1)
    >>> X.shape, int(y.sum())
    ((20, 3), 10)
    """
    n_patients, n_features, signal, n_informative = check_cohort(n_patients, n_features, signal, n_informative)
    seed = check_int(seed, "seed", 0, MAX_SEED)
    rng = np.random.default_rng(seed)
    y = np.zeros(n_patients, dtype=int)
    y[: n_patients // 2] = 1
    rng.shuffle(y)
    X = rng.standard_normal((n_patients, n_features))
    X[:, :n_informative] += signal * y[:, None]
    return X, y


@fill_doc
def in_sample_accuracy(
    X: np.ndarray,
    y: np.ndarray,
    k_selected: int | None = None,
    model: str = "logistic",
    seed: int = 0,
) -> float:
    """Train a classifier on all patients and score it on the same patients (the wrong way).

    Parameters
    ----------
    %(X_y)s
    k_selected : int or None, default=None
        Keep only the ``k_selected`` measures that best separate the groups, chosen on all patients
        (a whole number from 1 to the number of measures); None keeps all.
    %(model)s
    %(seed)s

    Returns
    -------
    float
        The fraction of patients classified correctly.

    Raises
    ------
    TypeError
        If ``X`` or ``y`` do not hold numbers, ``model`` is not a string, or a count or the seed not an int.
    ValueError
        If ``model`` is unknown (the message lists the valid ones), ``k_selected`` is out of range,
        or ``X``/``y`` do not match.

    Examples
    --------
    >>> X, y = simulate_cohort(n_patients=30, n_features=200, signal=0.0, seed=0)
    >>> in_sample_accuracy(X, y)  # pure noise, yet "perfect"
    1.0
    """
    X, y = check_data(X, y)
    k_selected = check_k(k_selected, X.shape[1])
    model, seed = _check_model(model, seed)
    return float(_make_model(model, seed, k_selected).fit(X, y).score(X, y))


@fill_doc
def cross_validated_accuracy(
    X: np.ndarray,
    y: np.ndarray,
    n_folds: int = 5,
    k_selected: int | None = None,
    model: str = "logistic",
    seed: int = 0,
) -> float:
    """Estimate accuracy on unseen patients by k-fold cross-validation (the honest way).

    If ``k_selected`` is given, the ``k_selected`` measures that best separate the groups are
    chosen *inside* each training fold, never looking at the held-out patients.

    Parameters
    ----------
    %(X_y)s
    %(n_folds)s
    k_selected : int or None, default=None
        Keep only this many measures (a whole number from 1 to the number of measures), selected
        within each training fold; None keeps all.
    %(model)s
    %(seed)s

    Returns
    -------
    float
        The mean accuracy over the held-out folds.

    Raises
    ------
    %(raises_classifier)s

    Examples
    --------
    >>> X, y = simulate_cohort(n_patients=100, n_features=20, signal=1.0, seed=0)
    >>> cross_validated_accuracy(X, y) > 0.6
    True
    """
    X, y = check_data(X, y)
    n_folds = check_folds(n_folds, smallest_group(y))
    k_selected = check_k(k_selected, X.shape[1])
    model, seed = _check_model(model, seed)
    scores = cross_val_score(_make_model(model, seed, k_selected), X, y, cv=_folds(n_folds, seed))
    return float(np.mean(scores))


@fill_doc
def circular_vs_honest(
    X: np.ndarray,
    y: np.ndarray,
    k_selected: int = 10,
    n_folds: int = 5,
    model: str = "logistic",
    seed: int = 0,
) -> dict[str, float]:
    """Compare circular and honest feature selection on the same data.

    *Circular*: pick the ``k_selected`` measures that best separate responders from
    non-responders using **all** patients, then cross-validate a classifier on them. The
    held-out patients already helped choose the measures, so the accuracy is inflated.
    *Honest*: do the selection again inside each training fold.

    Parameters
    ----------
    %(X_y)s
    k_selected : int, default=10
        How many measures to keep, a whole number from 1 to the number of measures.
    %(n_folds)s
    %(model)s
    %(seed)s

    Returns
    -------
    dict
        ``{"circular": accuracy, "honest": accuracy}``.

    Raises
    ------
    %(raises_classifier)s

    Examples
    --------
    >>> X, y = simulate_cohort(n_patients=40, n_features=1000, signal=0.0, seed=0)
    >>> result = circular_vs_honest(X, y)
    >>> result["circular"] > result["honest"]
    True
    """
    X, y = check_data(X, y)
    k_selected = check_k(k_selected, X.shape[1], optional=False)
    n_folds = check_folds(n_folds, smallest_group(y))
    model, seed = _check_model(model, seed)
    chosen = SelectKBest(f_classif, k=k_selected).fit(X, y).get_support()
    circular = cross_validated_accuracy(X[:, chosen], y, n_folds=n_folds, model=model, seed=seed)
    honest = cross_validated_accuracy(X, y, n_folds=n_folds, k_selected=k_selected, model=model, seed=seed)
    return {"circular": circular, "honest": honest}


@fill_doc
def run_studies(
    n_studies: int = 50,
    n_patients: int = 40,
    n_features: int = 200,
    signal: float = 0.0,
    n_informative: int | None = None,
    k_selected: int = 10,
    n_folds: int = 5,
    model: str = "logistic",
    seed: int = 0,
) -> pd.DataFrame:
    """Repeat a SIMULATED prediction study many times, as if many labs ran it.

    Each study draws a new cohort (:func:`simulate_cohort`) and reports three accuracies, all
    keeping ``k_selected`` measures: in-sample (selected and trained on all patients, tested on
    the same ones), honest cross-validation and circular cross-validation.

    Parameters
    ----------
    n_studies : int, default=50
        How many independent studies, a whole number >= 1.
    %(n_patients)s
    n_features : int, default=200
        How many brain measures per patient, a whole number >= 1.
    %(signal)s
    %(n_informative)s
    k_selected : int, default=10
        How many measures to keep, a whole number from 1 to ``n_features``.
    %(n_folds)s
    %(model)s
    seed : int, default=0
        Seed of the whole series, a whole number from 0 to 2**32 - 1: the same seed gives the same table.

    Returns
    -------
    pandas.DataFrame
        One row per study: ``study, n_patients, signal, in_sample, honest_cv, circular_cv``.

    Raises
    ------
    TypeError
        If a count or the seed is not an int, ``signal`` not a number, or ``model`` not a string.
    ValueError
        If an argument is out of its range (checked before any study runs), or ``model`` is unknown.

    Examples
    --------
    >>> table = run_studies(n_studies=3, n_patients=20, n_features=50, seed=0)
    >>> list(table.columns)
    ['study', 'n_patients', 'signal', 'in_sample', 'honest_cv', 'circular_cv']
    """
    settings = _check_runs(n_studies, n_patients, n_features, signal, n_informative, k_selected, n_folds, model,
                           seed)
    return _run_studies(**settings)


def _run_studies(n_studies, n_patients, n_features, signal, n_informative, k_selected, n_folds, model, seed):
    """:func:`run_studies` with its settings checked."""
    study_seeds = np.random.default_rng(seed).integers(0, 2**31 - 1, size=n_studies)
    rows = []
    for study, study_seed in enumerate(study_seeds):
        X, y = simulate_cohort(n_patients, n_features, signal, n_informative, int(study_seed))
        accuracies = circular_vs_honest(X, y, k_selected, n_folds, model, int(study_seed))
        rows.append({
            "study": study,
            "n_patients": n_patients,
            "signal": signal,
            "in_sample": in_sample_accuracy(X, y, k_selected, model, int(study_seed)),
            "honest_cv": accuracies["honest"],
            "circular_cv": accuracies["circular"],
        })
    return pd.DataFrame(rows)


@fill_doc
def sample_size_study(
    sizes: tuple[int, ...] = (20, 40, 80, 160),
    n_studies: int = 30,
    signal: float = 0.5,
    **kwargs,
) -> pd.DataFrame:
    """Run :func:`run_studies` at several sample sizes, to see how the spread of results shrinks.

    Parameters
    ----------
    sizes : sequence of int, default=(20, 40, 80, 160)
        The numbers of patients per study (at least one size), each a whole number >= 10.
    n_studies : int, default=30
        Studies per sample size, a whole number >= 1.
    signal : float, default=0.5
        The true effect size (Cohen's d, a finite number >= 0), the same at every size.
    **kwargs
        Further settings of :func:`run_studies`, each checked before any study runs:
        ``n_features``, ``n_informative``, ``k_selected``, ``n_folds``, ``model``, ``seed``
        (see there). Any other name is a ``TypeError``.

    Returns
    -------
    pandas.DataFrame
        The tables of :func:`run_studies`, one after the other.

    Raises
    ------
    TypeError
        If ``sizes`` is not a sequence of ints, a setting has the wrong type, or a keyword is unknown.
    ValueError
        If ``sizes`` is empty or an argument is out of its range.

    Examples
    --------
    >>> table = sample_size_study(sizes=(20, 40), n_studies=2, n_features=20)
    >>> sorted(table["n_patients"].unique().tolist())
    [20, 40]
    """
    sizes = [int(n) for n in check_numbers(sizes, "sizes", 10, integer=True)]
    kwargs = check_keywords(kwargs, _RUN_SETTINGS, "sample_size_study")
    defaults = {name: p.default for name, p in inspect.signature(run_studies).parameters.items()}
    settings = {name: kwargs.get(name, defaults[name]) for name in _RUN_SETTINGS}
    settings = _check_runs(n_studies=n_studies, n_patients=min(sizes), signal=signal, **settings)
    return pd.concat([_run_studies(**{**settings, "n_patients": size}) for size in sizes], ignore_index=True)


# The settings of run_studies that sample_size_study passes on.
_RUN_SETTINGS = ("n_features", "n_informative", "k_selected", "n_folds", "model", "seed")
