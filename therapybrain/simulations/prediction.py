"""SIMULATED "predict treatment response from a brain measure" studies, for chapter 4.

Everything here is made-up data: it shows what in-sample accuracy, small samples and
circular feature selection do to a prediction claim, not what any real brain measure predicts.

The simulated cohort has ``n_patients`` people, half later "responders" (label 1) and half
"non-responders" (label 0), and ``n_features`` brain measures per person (think: activity in
many regions), all pure noise except the first ``n_informative``, which are higher in responders
by ``signal`` standard deviations (an effect size, Cohen's d).
"""

from __future__ import annotations

import math
import numbers

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from sklearn.feature_selection import SelectKBest, f_classif
from sklearn.linear_model import LogisticRegression
from sklearn.model_selection import StratifiedKFold, cross_val_score
from sklearn.neighbors import KNeighborsClassifier
from sklearn.pipeline import make_pipeline
from sklearn.preprocessing import StandardScaler

from .._validation import check_choice

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

#: The classifiers on offer: a regularised logistic regression, or a one-nearest-neighbour rule
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
def _check_int(value: object, name: str, minimum: int, maximum: int | None = None) -> int:
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(f"{name} must be a whole number, not {value!r}")
    value = int(value)
    if value < minimum or (maximum is not None and value > maximum):
        upper = f" and at most {maximum}" if maximum is not None else ""
        raise ValueError(f"{name} must be at least {minimum}{upper}, not {value}")
    return value


def _check_signal(signal: object) -> float:
    if isinstance(signal, bool) or not isinstance(signal, numbers.Real) or not math.isfinite(float(signal)):
        raise ValueError(f"signal must be a finite number (an effect size in standard deviations), not {signal!r}")
    if signal < 0:
        raise ValueError(f"signal must be 0 (no signal) or positive, not {signal}")
    return float(signal)


def _check_data(X: object, y: object, n_folds: int) -> tuple[np.ndarray, np.ndarray]:
    X = np.asarray(X, dtype=float)
    y = np.asarray(y)
    if X.ndim != 2:
        raise ValueError(f"X must be a 2-D table (patients x brain measures), not an array of shape {X.shape}")
    if y.shape != (X.shape[0],):
        raise ValueError(f"y must hold one label per patient: X has {X.shape[0]} rows but y has shape {y.shape}")
    labels, counts = np.unique(y, return_counts=True)
    if len(labels) != 2:
        raise ValueError(f"y must hold exactly two groups (responders and non-responders), found {labels.tolist()}")
    if counts.min() < n_folds:
        raise ValueError(f"each group needs at least n_folds={n_folds} patients, the smaller has {counts.min()}")
    return X, y


def _make_model(model: str, seed: int):
    model = check_choice(model, MODELS, "model")
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
    n_patients : int
        How many patients (at least 10); half (rounded down) are responders.
    n_features : int
        How many brain measures per patient (at least 1).
    signal : float
        How much higher the informative measures are in responders, in standard deviations
        (Cohen's d). ``0`` means pure noise: nothing can be predicted.
    n_informative : int, optional
        How many measures carry the signal (the first ones); 0 to ``n_features``.
        Defaults to 5, or ``n_features`` if there are fewer.
    seed : int
        Random seed: the same seed gives the same cohort.

    Returns
    -------
    X : ndarray of shape (n_patients, n_features)
        The simulated brain measures (standard normal noise plus the signal).
    y : ndarray of shape (n_patients,)
        1 for a responder, 0 for a non-responder.

    Raises
    ------
    ValueError
        If a count is not a whole number in its range, or ``signal`` is negative or not finite.

    Examples
    --------
    >>> X, y = simulate_cohort(n_patients=20, n_features=3, signal=1.0, seed=1)
    >>> X.shape, int(y.sum())
    ((20, 3), 10)
    """
    n_patients = _check_int(n_patients, "n_patients", 10)
    n_features = _check_int(n_features, "n_features", 1)
    if n_informative is None:
        n_informative = min(5, n_features)
    n_informative = _check_int(n_informative, "n_informative", 0, n_features)
    signal = _check_signal(signal)
    seed = _check_int(seed, "seed", 0)
    rng = np.random.default_rng(seed)
    y = np.zeros(n_patients, dtype=int)
    y[: n_patients // 2] = 1
    rng.shuffle(y)
    X = rng.standard_normal((n_patients, n_features))
    X[:, :n_informative] += signal * y[:, None]
    return X, y


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
    X, y : arrays
        Brain measures (patients x measures) and labels, as from :func:`simulate_cohort`.
    k_selected : int, optional
        Keep only the ``k_selected`` measures that best separate the groups (chosen on all patients).
    model : {"logistic", "nearest_neighbour"}
        The classifier.
    seed : int
        Random seed of the classifier.

    Returns
    -------
    float
        The fraction of patients classified correctly.

    Raises
    ------
    ValueError
        If ``model`` is unknown (the message lists the valid ones), ``k_selected`` is out of range,
        or ``X``/``y`` do not match.

    Examples
    --------
    >>> X, y = simulate_cohort(n_patients=30, n_features=200, signal=0.0, seed=0)
    >>> in_sample_accuracy(X, y)  # pure noise, yet "perfect"
    1.0
    """
    X, y = _check_data(X, y, n_folds=1)
    estimator = _make_model(model, seed)
    if k_selected is not None:
        k_selected = _check_int(k_selected, "k_selected", 1, X.shape[1])
        estimator.steps.insert(0, ("select", SelectKBest(f_classif, k=k_selected)))
    return float(estimator.fit(X, y).score(X, y))


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
    X, y : arrays
        Brain measures and labels.
    n_folds : int
        Number of folds (at least 2; each group needs at least this many patients).
    k_selected : int, optional
        Keep only this many measures, selected within each training fold.
    model : {"logistic", "nearest_neighbour"}
        The classifier.
    seed : int
        Random seed of the fold split.

    Returns
    -------
    float
        The mean accuracy over the held-out folds.

    Raises
    ------
    ValueError
        If ``model`` is unknown, ``n_folds``/``k_selected`` are out of range, or ``X``/``y`` do not match.

    Examples
    --------
    >>> X, y = simulate_cohort(n_patients=100, n_features=20, signal=1.0, seed=0)
    >>> cross_validated_accuracy(X, y) > 0.6
    True
    """
    n_folds = _check_int(n_folds, "n_folds", 2)
    X, y = _check_data(X, y, n_folds)
    estimator = _make_model(model, seed)
    if k_selected is not None:
        k_selected = _check_int(k_selected, "k_selected", 1, X.shape[1])
        estimator.steps.insert(0, ("select", SelectKBest(f_classif, k=k_selected)))
    scores = cross_val_score(estimator, X, y, cv=_folds(n_folds, seed))
    return float(np.mean(scores))


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
    X, y : arrays
        Brain measures and labels.
    k_selected : int
        How many measures to keep (1 to the number of measures).
    n_folds, model, seed
        As in :func:`cross_validated_accuracy`.

    Returns
    -------
    dict
        ``{"circular": accuracy, "honest": accuracy}``.

    Raises
    ------
    ValueError
        As in :func:`cross_validated_accuracy`.

    Examples
    --------
    >>> X, y = simulate_cohort(n_patients=40, n_features=1000, signal=0.0, seed=0)
    >>> result = circular_vs_honest(X, y)
    >>> result["circular"] > result["honest"]
    True
    """
    n_folds = _check_int(n_folds, "n_folds", 2)
    X, y = _check_data(X, y, n_folds)
    k_selected = _check_int(k_selected, "k_selected", 1, X.shape[1])
    chosen = SelectKBest(f_classif, k=k_selected).fit(X, y).get_support()
    circular = cross_validated_accuracy(X[:, chosen], y, n_folds=n_folds, model=model, seed=seed)
    honest = cross_validated_accuracy(X, y, n_folds=n_folds, k_selected=k_selected, model=model, seed=seed)
    return {"circular": circular, "honest": honest}


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
    n_studies : int
        How many independent studies (at least 1).
    n_patients, n_features, signal, n_informative
        As in :func:`simulate_cohort`.
    k_selected, n_folds, model
        As in :func:`circular_vs_honest`.
    seed : int
        Seed of the whole series: the same seed gives the same table.

    Returns
    -------
    pandas.DataFrame
        One row per study: ``study, n_patients, signal, in_sample, honest_cv, circular_cv``.

    Raises
    ------
    ValueError
        If an argument is out of range (see the functions above).

    Examples
    --------
    >>> table = run_studies(n_studies=3, n_patients=20, n_features=50, seed=0)
    >>> list(table.columns)
    ['study', 'n_patients', 'signal', 'in_sample', 'honest_cv', 'circular_cv']
    """
    n_studies = _check_int(n_studies, "n_studies", 1)
    seed = _check_int(seed, "seed", 0)
    k_selected = _check_int(k_selected, "k_selected", 1, _check_int(n_features, "n_features", 1))
    study_seeds = np.random.default_rng(seed).integers(0, 2**31 - 1, size=n_studies)
    rows = []
    for study, study_seed in enumerate(study_seeds):
        X, y = simulate_cohort(n_patients, n_features, signal, n_informative, int(study_seed))
        accuracies = circular_vs_honest(X, y, k_selected, n_folds, model, int(study_seed))
        rows.append({
            "study": study,
            "n_patients": n_patients,
            "signal": float(signal),
            "in_sample": in_sample_accuracy(X, y, k_selected, model, int(study_seed)),
            "honest_cv": accuracies["honest"],
            "circular_cv": accuracies["circular"],
        })
    return pd.DataFrame(rows)


def sample_size_study(
    sizes: tuple[int, ...] = (20, 40, 80, 160),
    n_studies: int = 30,
    signal: float = 0.5,
    **kwargs,
) -> pd.DataFrame:
    """Run :func:`run_studies` at several sample sizes, to see how the spread of results shrinks.

    Parameters
    ----------
    sizes : tuple of int
        The numbers of patients per study (each at least 10).
    n_studies : int
        Studies per sample size.
    signal : float
        The true effect size, the same at every size.
    **kwargs
        Passed on to :func:`run_studies` (``n_features``, ``seed``, ...).

    Returns
    -------
    pandas.DataFrame
        The tables of :func:`run_studies`, one after the other.

    Raises
    ------
    ValueError
        If ``sizes`` is empty or an argument is out of range.

    Examples
    --------
    >>> table = sample_size_study(sizes=(20, 40), n_studies=2, n_features=20)
    >>> sorted(table["n_patients"].unique().tolist())
    [20, 40]
    """
    sizes = tuple(sizes)
    if not sizes:
        raise ValueError("sizes must list at least one number of patients, e.g. (20, 40, 80)")
    return pd.concat(
        [run_studies(n_studies=n_studies, n_patients=size, signal=signal, **kwargs) for size in sizes],
        ignore_index=True,
    )


# ----------------------------------------------------------------------------------------------
# Figures
# ----------------------------------------------------------------------------------------------
def _chance_line(ax: plt.Axes) -> None:
    ax.axhline(_CHANCE, color="0.3", linestyle="--", linewidth=1)
    ax.annotate("chance (coin toss)", xy=(1.0, _CHANCE), xycoords=("axes fraction", "data"),
                xytext=(-4, 4), textcoords="offset points", ha="right", va="bottom", fontsize=9, color="0.3")


def plot_measure_by_group(X: np.ndarray, y: np.ndarray, feature: int = 0, title: str | None = None) -> plt.Figure:
    """Show one SIMULATED brain measure in responders and non-responders, patient by patient.

    Parameters
    ----------
    X, y : arrays
        Brain measures and labels, as from :func:`simulate_cohort`.
    feature : int
        Which measure (column of ``X``) to show.
    title : str, optional
        The figure title; it always starts with "SIMULATED".

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        If ``feature`` is not a column of ``X`` or ``X``/``y`` do not match.

    Examples
    --------
    >>> X, y = simulate_cohort(n_patients=40, n_features=5, signal=1.0, seed=0)
    >>> figure = plot_measure_by_group(X, y, feature=0)
    """
    X, y = _check_data(X, y, n_folds=1)
    feature = _check_int(feature, "feature", 0, X.shape[1] - 1)
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
    ax.set_title(title or "SIMULATED: one brain measure before treatment, by later response", fontsize=10)
    if not ax.get_title().startswith("SIMULATED"):
        ax.set_title("SIMULATED: " + ax.get_title())
    figure.tight_layout()
    return figure


def plot_accuracies(
    table: pd.DataFrame,
    columns: tuple[str, ...] = ("in_sample", "honest_cv", "circular_cv"),
    title: str | None = None,
) -> plt.Figure:
    """Plot each SIMULATED study's accuracies as dots, one column per way of measuring.

    Parameters
    ----------
    table : pandas.DataFrame
        As returned by :func:`run_studies`.
    columns : tuple of str
        Which accuracies to show, among ``"in_sample"``, ``"honest_cv"``, ``"circular_cv"``.
    title : str, optional
        The figure title; it always starts with "SIMULATED".

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        If a column name is unknown (the message lists the valid ones).

    Examples
    --------
    >>> figure = plot_accuracies(run_studies(n_studies=3, n_patients=20, n_features=20))
    """
    columns = tuple(check_choice(c, ACCURACY_COLUMNS, "accuracy column") for c in columns)
    if not columns:
        raise ValueError(f"columns must name at least one of {', '.join(ACCURACY_COLUMNS)}")
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
    title = title or default
    ax.set_title(title if title.startswith("SIMULATED") else "SIMULATED: " + title, fontsize=10)
    figure.tight_layout()
    return figure


def plot_sample_size(table: pd.DataFrame, column: str = "honest_cv", title: str | None = None) -> plt.Figure:
    """Plot how SIMULATED accuracies spread at each sample size (one dot per study).

    Parameters
    ----------
    table : pandas.DataFrame
        As returned by :func:`sample_size_study`.
    column : {"honest_cv", "in_sample", "circular_cv"}
        Which accuracy to show.
    title : str, optional
        The figure title; it always starts with "SIMULATED".

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        If ``column`` is unknown (the message lists the valid ones).

    Examples
    --------
    >>> figure = plot_sample_size(sample_size_study(sizes=(20, 40), n_studies=3, n_features=20))
    """
    column = check_choice(column, ACCURACY_COLUMNS, "accuracy column")
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
    title = title or f"SIMULATED: the same true effect (d = {signals}) studied at different sample sizes"
    ax.set_title(title if title.startswith("SIMULATED") else "SIMULATED: " + title, fontsize=10)
    figure.tight_layout()
    return figure
