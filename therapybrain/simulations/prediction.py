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

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from sklearn.feature_selection import SelectKBest, f_classif
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from .._docs import fill_doc
from .._figures import simulated_title
from .._validation import (
    MAX_SEED,
    check_choice,
    check_choices,
    check_dataframe,
    check_int,
    check_keywords,
    check_number,
    check_numbers,
    check_optional_text,
)

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

#: The accuracy columns of :func:`run_studies`, with their names in figures.
ACCURACY_COLUMNS = {
    "in_sample": "In-sample\n(trained and tested\non the same patients)",
    "honest_cv": "Honest cross-validation\n(selection inside\neach training fold)",
    "circular_cv": "Circular\n(selection on all patients,\nthen cross-validation)",
}

# Okabe-Ito colour-blind-safe palette.
_COLOURS = {"in_sample": "#E69F00", "honest_cv": "#0072B2", "circular_cv": "#D55E00"}
_GROUP_COLOURS = ("#56B4E9", "#D55E00")  # non-responders, responders
_CHANCE = 0.5


# ----------------------------------------------------------------------------------------------
# Input checks
# ----------------------------------------------------------------------------------------------
def _check_data(X: object, y: object) -> tuple[np.ndarray, np.ndarray]:
    """Brain measures (a table of numbers) and one label per patient, in exactly two groups."""
    X = check_numbers(X, "X (patients x brain measures)", ndim=2)
    y = check_numbers(y, "y (one label per patient)")
    if y.shape != (X.shape[0],):
        raise ValueError(f"y must hold one label per patient: X has {X.shape[0]} rows but y has shape {y.shape}")
    labels = np.unique(y)
    if len(labels) != 2:
        raise ValueError(f"y must hold exactly two groups (responders and non-responders), found {labels.tolist()}")
    return X, y


def _check_folds(n_folds: object, smallest_group: int) -> int:
    n_folds = check_int(n_folds, "n_folds", 2)
    if smallest_group < n_folds:
        raise ValueError(f"each group needs at least n_folds={n_folds} patients, the smaller has {smallest_group}")
    return n_folds


def _smallest_group(y: np.ndarray) -> int:
    return int(np.unique(y, return_counts=True)[1].min())


def _check_k(k_selected: object, n_features: int, optional: bool = True) -> int | None:
    if k_selected is None and optional:
        return None
    return check_int(k_selected, "k_selected", 1, n_features)


def _check_cohort(n_patients, n_features, signal, n_informative) -> tuple[int, int, float, int]:
    """The settings of a simulated cohort, checked; ``n_informative=None`` becomes its default."""
    n_patients = check_int(n_patients, "n_patients", 10)
    n_features = check_int(n_features, "n_features", 1)
    signal = check_number(signal, "signal (an effect size in standard deviations)", 0)
    n_informative = min(5, n_features) if n_informative is None else check_int(
        n_informative, "n_informative", 0, n_features)
    return n_patients, n_features, signal, n_informative


def _check_runs(n_studies, n_patients, n_features, signal, n_informative, k_selected, n_folds, model, seed) -> dict:
    """The settings of :func:`run_studies`, checked and normalised (``n_patients`` is the smallest cohort)."""
    n_studies = check_int(n_studies, "n_studies", 1)
    n_patients, n_features, signal, n_informative = _check_cohort(n_patients, n_features, signal, n_informative)
    return {
        "n_studies": n_studies,
        "n_patients": n_patients,
        "n_features": n_features,
        "signal": signal,
        "n_informative": n_informative,
        "k_selected": _check_k(k_selected, n_features, optional=False),
        "n_folds": _check_folds(n_folds, n_patients // 2),
        "model": check_choice(model, MODELS, "model"),
        "seed": check_int(seed, "seed", 0, MAX_SEED),
    }


def _make_model(model: str, seed: int):
    if model == "logistic":
        classifier = LogisticRegression(C=1.0, solver="liblinear", random_state=seed)
    else:
        classifier = KNeighborsClassifier(n_neighbors=1)
    return make_pipeline(StandardScaler(), classifier)


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
    n_patients, n_features, signal, n_informative = _check_cohort(n_patients, n_features, signal, n_informative)
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
    X, y = _check_data(X, y)
    k_selected = _check_k(k_selected, X.shape[1])
    model = check_choice(model, MODELS, "model")
    seed = check_int(seed, "seed", 0, MAX_SEED)
    estimator = _make_model(model, seed)
    if k_selected is not None:
        estimator.steps.insert(0, ("select", SelectKBest(f_classif, k=k_selected)))
    return float(estimator.fit(X, y).score(X, y))


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
    TypeError
        If ``X`` or ``y`` do not hold numbers, ``model`` is not a string, or a count or the seed not an int.
    ValueError
        If ``model`` is unknown, ``n_folds``/``k_selected`` are out of range, or ``X``/``y`` do not match.

    Examples
    --------
    >>> X, y = simulate_cohort(n_patients=100, n_features=20, signal=1.0, seed=0)
    >>> cross_validated_accuracy(X, y) > 0.6
    True
    """
    X, y = _check_data(X, y)
    n_folds = _check_folds(n_folds, _smallest_group(y))
    k_selected = _check_k(k_selected, X.shape[1])
    model = check_choice(model, MODELS, "model")
    seed = check_int(seed, "seed", 0, MAX_SEED)
    estimator = _make_model(model, seed)
    if k_selected is not None:
        estimator.steps.insert(0, ("select", SelectKBest(f_classif, k=k_selected)))
    scores = cross_val_score(estimator, X, y, cv=_folds(n_folds, seed))
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
    TypeError
        If ``X`` or ``y`` do not hold numbers, ``model`` is not a string, or a count or the seed not an int.
    ValueError
        If ``model`` is unknown, ``n_folds``/``k_selected`` are out of range, or ``X``/``y`` do not match.

    Examples
    --------
    >>> X, y = simulate_cohort(n_patients=40, n_features=1000, signal=0.0, seed=0)
    >>> result = circular_vs_honest(X, y)
    >>> result["circular"] > result["honest"]
    True
    """
    X, y = _check_data(X, y)
    k_selected = _check_k(k_selected, X.shape[1], optional=False)
    n_folds = _check_folds(n_folds, _smallest_group(y))
    model = check_choice(model, MODELS, "model")
    seed = check_int(seed, "seed", 0, MAX_SEED)
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


# ----------------------------------------------------------------------------------------------
# Figures
# ----------------------------------------------------------------------------------------------
def _chance_line(ax: plt.Axes) -> None:
    ax.axhline(_CHANCE, color="0.3", linestyle="--", linewidth=1)
    ax.annotate("chance (coin toss)", xy=(1.0, _CHANCE), xycoords=("axes fraction", "data"),
                xytext=(-4, 4), textcoords="offset points", ha="right", va="bottom", fontsize=9, color="0.3")


@fill_doc
def plot_measure_by_group(X: np.ndarray, y: np.ndarray, feature: int = 0, title: str | None = None) -> plt.Figure:
    """Show one SIMULATED brain measure in responders and non-responders, patient by patient.

    Parameters
    ----------
    %(X_y)s
    feature : int, default=0
        Which measure (column of ``X``) to show, a whole number from 0 to the number of measures - 1.
    %(title_simulated)s

    Returns
    -------
    matplotlib.figure.Figure
        The new figure.

    Raises
    ------
    TypeError
        If ``X`` or ``y`` do not hold numbers, ``feature`` is not an int or ``title`` not a string.
    ValueError
        If ``feature`` is not a column of ``X`` or ``X``/``y`` do not match.

    Examples
    --------
    >>> X, y = simulate_cohort(n_patients=40, n_features=5, signal=1.0, seed=0)
    >>> figure = plot_measure_by_group(X, y, feature=0)
    >>> figure.axes[0].get_title()
    'SIMULATED: one brain measure before treatment, by later response'
    """
    X, y = _check_data(X, y)
    feature = check_int(feature, "feature", 0, X.shape[1] - 1)
    title = check_optional_text(title, "title")
    rng = np.random.default_rng(0)
    figure, ax = plt.subplots(figsize=(7, 3.6))
    names = ("Non-responders", "Responders")
    for position, (label, colour, marker) in enumerate(zip((0, 1), _GROUP_COLOURS, ("o", "s"), strict=True)):
        values = X[y == label, feature]
        jitter = rng.uniform(-0.12, 0.12, size=values.size)
        ax.scatter(values, position + jitter, color=colour, marker=marker, alpha=0.8, edgecolor="k", linewidth=0.4)
        ax.plot([values.mean()] * 2, [position - 0.3, position + 0.3], color="k", linewidth=2)
    ax.set_yticks([0, 1], [f"{n}\n(n={int((y == lab).sum())})" for n, lab in zip(names, (0, 1), strict=True)])
    ax.set_ylim(-0.6, 1.6)
    ax.set_xlabel(f"SIMULATED brain measure {feature} (standard units); black bar = group mean")
    ax.set_title(simulated_title(title, "SIMULATED: one brain measure before treatment, by later response"),
                 fontsize=10)
    figure.tight_layout()
    return figure


@fill_doc
def plot_accuracies(
    table: pd.DataFrame,
    columns: tuple[str, ...] = ("in_sample", "honest_cv", "circular_cv"),
    title: str | None = None,
) -> plt.Figure:
    """Plot each SIMULATED study's accuracies as dots, one column per way of measuring.

    Parameters
    ----------
    table : pandas.DataFrame
        As returned by :func:`run_studies` or :func:`sample_size_study` (not empty).
    columns : sequence of str, default=("in_sample", "honest_cv", "circular_cv")
        Which accuracies to show (at least one), among ``"in_sample"``, ``"honest_cv"``, ``"circular_cv"``.
    %(title_simulated)s

    Returns
    -------
    matplotlib.figure.Figure
        The new figure.

    Raises
    ------
    TypeError
        If ``table`` is not a DataFrame, a column name or ``title`` not a string.
    ValueError
        If a column name is unknown (the message lists the valid ones), none is given, or ``table``
        is empty or lacks the columns of :func:`run_studies`.

    Examples
    --------
    >>> figure = plot_accuracies(run_studies(n_studies=3, n_patients=20, n_features=20))
    >>> figure.axes[0].get_title()
    'SIMULATED: 3 studies, 20 patients each, true effect d = 0'
    """
    columns = check_choices(columns, ACCURACY_COLUMNS, "accuracy column", allow_empty=False)
    table = check_dataframe(table, "table", ("n_patients", "signal", *columns), "run_studies()")
    title = check_optional_text(title, "title")
    rng = np.random.default_rng(0)
    figure, ax = plt.subplots(figsize=(2.4 * len(columns) + 1.5, 4))
    markers = {"in_sample": "^", "honest_cv": "o", "circular_cv": "s"}
    for position, column in enumerate(columns):
        values = table[column].to_numpy()
        jitter = rng.uniform(-0.15, 0.15, size=values.size)
        ax.scatter(position + jitter, values, color=_COLOURS[column], marker=markers[column], alpha=0.7,
                   edgecolor="k", linewidth=0.4)
        ax.plot([position - 0.3, position + 0.3], [values.mean()] * 2, color="k", linewidth=2)
        ax.annotate(f"mean {values.mean():.2f}", xy=(position, 1.02), ha="center", fontsize=9)
    _chance_line(ax)
    ax.set_xticks(range(len(columns)), [ACCURACY_COLUMNS[c] for c in columns], fontsize=9)
    ax.set_ylim(0, 1.08)
    ax.set_ylabel("Accuracy (fraction of patients\nclassified correctly)")
    signals = sorted(table["signal"].unique())
    sizes = sorted(table["n_patients"].unique())
    default = (f"SIMULATED: {len(table)} studies, {', '.join(map(str, sizes))} patients each, "
               f"true effect d = {', '.join(f'{s:g}' for s in signals)}")
    ax.set_title(simulated_title(title, default), fontsize=10)
    figure.tight_layout()
    return figure


@fill_doc
def plot_sample_size(table: pd.DataFrame, column: str = "honest_cv", title: str | None = None) -> plt.Figure:
    """Plot how SIMULATED accuracies spread at each sample size (one dot per study).

    Parameters
    ----------
    table : pandas.DataFrame
        As returned by :func:`sample_size_study` (not empty).
    column : {"honest_cv", "in_sample", "circular_cv"}, default="honest_cv"
        Which accuracy to show.
    %(title_simulated)s

    Returns
    -------
    matplotlib.figure.Figure
        The new figure.

    Raises
    ------
    TypeError
        If ``table`` is not a DataFrame, ``column`` or ``title`` not a string.
    ValueError
        If ``column`` is unknown (the message lists the valid ones), or ``table`` is empty or lacks
        the columns of :func:`sample_size_study`.

    Examples
    --------
    >>> figure = plot_sample_size(sample_size_study(sizes=(20, 40), n_studies=3, n_features=20))
    >>> figure.axes[0].get_xlabel()
    'Patients per study (black line: range of results)'
    """
    column = check_choice(column, ACCURACY_COLUMNS, "accuracy column")
    table = check_dataframe(table, "table", ("n_patients", "signal", column), "sample_size_study()")
    title = check_optional_text(title, "title")
    sizes = sorted(table["n_patients"].unique())
    rng = np.random.default_rng(0)
    figure, ax = plt.subplots(figsize=(6.5, 4))
    for position, size in enumerate(sizes):
        values = table.loc[table["n_patients"] == size, column].to_numpy()
        jitter = rng.uniform(-0.15, 0.15, size=values.size)
        ax.scatter(position + jitter, values, color=_COLOURS[column], alpha=0.7, edgecolor="k", linewidth=0.4)
        ax.vlines(position + 0.28, values.min(), values.max(), color="k", linewidth=1.5)
        ax.annotate(f"{values.min():.2f}–{values.max():.2f}", xy=(position, 1.02), ha="center", fontsize=9)
    _chance_line(ax)
    ax.set_xticks(range(len(sizes)), [str(s) for s in sizes])
    ax.set_xlabel("Patients per study (black line: range of results)")
    ax.set_ylabel("Accuracy: " + ACCURACY_COLUMNS[column].split("\n")[0].lower())
    ax.set_ylim(0, 1.08)
    signals = ", ".join(f"{s:g}" for s in sorted(table["signal"].unique()))
    ax.set_title(simulated_title(title, f"SIMULATED: the same true effect (d = {signals}) studied at different "
                                        "sample sizes"), fontsize=10)
    figure.tight_layout()
    return figure
