"""Figures of the SIMULATED prediction studies: one measure by group, accuracies by way of measuring, by sample size.

Every figure draws one jittered dot per patient or study (the same seeded jitter, so a figure is the
same on every run) and says SIMULATED in its title.

Examples
--------
>>> from therapybrain.simulations.prediction import run_studies
>>> figure = plot_accuracies(run_studies(n_studies=2, n_patients=20, n_features=20), columns=("honest_cv",))
>>> len(figure.axes[0].collections)
1
"""

from __future__ import annotations

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .._docs import fill_doc
from .._figures import simulated_title
from .._validation import check_choice, check_choices, check_dataframe, check_int, check_optional_text
from ._prediction_checks import check_data

__all__ = ["ACCURACY_COLUMNS", "plot_accuracies", "plot_measure_by_group", "plot_sample_size"]

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


def _chance_line(ax: plt.Axes) -> None:
    ax.axhline(_CHANCE, color="0.3", linestyle="--", linewidth=1)
    ax.annotate("chance (coin toss)", xy=(1.0, _CHANCE), xycoords=("axes fraction", "data"),
                xytext=(-4, 4), textcoords="offset points", ha="right", va="bottom", fontsize=9, color="0.3")



def _dots(ax: plt.Axes, rng: np.random.Generator, position: float, values: np.ndarray, spread: float,
          horizontal: bool = False, **style) -> None:
    """One dot per value at ``position`` (jittered by up to ``spread``), values along y or, ``horizontal``, x."""
    jitter = rng.uniform(-spread, spread, size=values.size)
    xy = (values, position + jitter) if horizontal else (position + jitter, values)
    ax.scatter(*xy, edgecolor="k", linewidth=0.4, **style)


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
    %(returns_figure)s

    Raises
    ------
    TypeError
        If ``X`` or ``y`` do not hold numbers, ``feature`` is not an int or ``title`` not a string.
    ValueError
        If ``feature`` is not a column of ``X`` or ``X``/``y`` do not match.

    Examples
    --------
    >>> from therapybrain.simulations.prediction import simulate_cohort
    >>> X, y = simulate_cohort(n_patients=40, n_features=5, signal=1.0, seed=0)
    >>> figure = plot_measure_by_group(X, y, feature=0)
    >>> figure.axes[0].get_title()
    'SIMULATED: one brain measure before treatment, by later response'
    """
    X, y = check_data(X, y)
    feature = check_int(feature, "feature", 0, X.shape[1] - 1)
    title = check_optional_text(title, "title")
    rng = np.random.default_rng(0)
    figure, ax = plt.subplots(figsize=(7, 3.6))
    names = ("Non-responders", "Responders")
    for position, (label, colour, marker) in enumerate(zip((0, 1), _GROUP_COLOURS, ("o", "s"), strict=True)):
        values = X[y == label, feature]
        _dots(ax, rng, position, values, 0.12, horizontal=True, color=colour, marker=marker, alpha=0.8)
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
    %(returns_figure)s

    Raises
    ------
    TypeError
        If ``table`` is not a DataFrame, a column name or ``title`` not a string.
    ValueError
        If a column name is unknown (the message lists the valid ones), none is given, or ``table``
        is empty or lacks the columns of :func:`run_studies`.

    Examples
    --------
    >>> from therapybrain.simulations.prediction import run_studies
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
        _dots(ax, rng, position, values, 0.15, color=_COLOURS[column], marker=markers[column], alpha=0.7)
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
    %(returns_figure)s

    Raises
    ------
    TypeError
        If ``table`` is not a DataFrame, ``column`` or ``title`` not a string.
    ValueError
        If ``column`` is unknown (the message lists the valid ones), or ``table`` is empty or lacks
        the columns of :func:`sample_size_study`.

    Examples
    --------
    >>> from therapybrain.simulations.prediction import sample_size_study
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
        _dots(ax, rng, position, values, 0.15, color=_COLOURS[column], alpha=0.7)
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
