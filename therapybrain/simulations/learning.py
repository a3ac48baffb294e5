"""A toy model of Hebbian learning at one synapse, for teaching what "practice" means.

Nothing here is data: every number comes out of a few lines of arithmetic with
made-up parameters, and every figure says "SIMULATED" in its title.

The model
---------
A synapse links a *pre*-synaptic neuron to a *post*-synaptic one. Its strength (the
*weight*) has two parts, an assumption of the model:

* a **fast** part that grows when both neurons are active at the same step (Hebb's
  rule: growth proportional to ``pre * post``), with a soft ceiling (the closer the
  weight is to ``w_max``, the less one more co-activation adds), and that fades quickly;
* a **stable** part that is fed, step by step, by a fraction (``consolidation``) of the
  fast part, and fades only slowly (``stable_decay``).

With ``consolidation=0`` the model is a single trace that grows with co-activation and
decays without it. One step is read as one day; an "active" step as a practice session.

Examples
--------
>>> from therapybrain.simulations import learning
>>> data = learning.simulate_synapse(learning.make_schedule("spaced"))
>>> round(float(data["weight"].iloc[-1]), 3) > 0
True
"""

from __future__ import annotations

import inspect
from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .._docs import fill_doc
from .._figures import simulated_title
from .._validation import (
    MAX_SEED,
    check_axes,
    check_bool,
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
    "COLOURS",
    "SCHEDULES",
    "compare_schedules",
    "make_schedule",
    "plot_synapse",
    "simulate_synapse",
    "summarise",
]

#: The practice schedules :func:`make_schedule` knows.
SCHEDULES = ("massed", "spaced", "none")

#: Okabe-Ito colours (colour-blind safe) and line styles, so colour is never the only cue.
COLOURS = {"massed": "#E69F00", "spaced": "#0072B2", "none": "#CC79A7"}
_STYLES = {"massed": "--", "spaced": "-", "none": ":"}
_EXTRA_COLOURS = ("#009E73", "#D55E00", "#56B4E9", "#F0E442", "#000000")


@fill_doc
def make_schedule(
    kind: str,
    n_sessions: int = 6,
    n_steps: int = 70,
    gap: int = 10,
    start: int = 0,
) -> np.ndarray:
    """Return a practice schedule: 1 on the steps (days) with a session, 0 elsewhere.

    Parameters
    ----------
    kind : {"massed", "spaced", "none"}
        ``"massed"``: ``n_sessions`` sessions on consecutive days; ``"spaced"``: one session
        every ``gap`` days; ``"none"``: no session at all. Case does not matter.
    %(schedule_sizes)s
    start : int, default=0
        Day of the first session, a whole number >= 0.

    Returns
    -------
    numpy.ndarray
        Float array of 0.0 and 1.0, length ``n_steps``.

    Raises
    ------
    TypeError
        If ``kind`` is not a string, or a size is not an int.
    ValueError
        For an unknown kind (the message names the valid ones), sizes out of range, or
        sessions that do not fit in ``n_steps``.

    Examples
    --------
    >>> make_schedule("spaced", n_sessions=3, n_steps=10, gap=4)
    array([1., 0., 0., 0., 1., 0., 0., 0., 1., 0.])
    >>> int(make_schedule("massed").sum())
    6
    """
    kind = check_choice(kind, SCHEDULES, "schedule")
    n_sessions, n_steps, gap = _check_sizes(n_sessions, n_steps, gap)
    start = check_int(start, "start", 0)
    schedule = np.zeros(n_steps, dtype=float)
    if kind == "none":
        return schedule
    step = 1 if kind == "massed" else gap
    last = start + step * (n_sessions - 1)
    if last >= n_steps:
        raise ValueError(
            f"{n_sessions} {kind} sessions starting on day {start} end on day {last}, "
            f"after the schedule's last day ({n_steps - 1}); increase n_steps or reduce n_sessions/gap"
        )
    schedule[start:last + 1:step] = 1.0
    return schedule


@fill_doc
def simulate_synapse(
    schedule: Sequence[float] | np.ndarray,
    post: Sequence[float] | np.ndarray | None = None,
    learning_rate: float = 0.3,
    decay: float = 0.15,
    consolidation: float = 0.05,
    stable_decay: float = 0.005,
    w_max: float = 1.0,
    noise: float = 0.0,
    seed: int = 0,
) -> pd.DataFrame:
    """Simulate the weight of one synapse, step by step, under Hebbian learning and decay.

    At each step ``t``, with ``h = pre[t] * post[t]`` (co-activation, 0 to 1)::

        fast   += learning_rate * h * (w_max - fast - stable)   # Hebbian growth, soft ceiling
        moved   = consolidation * fast                          # part of it becomes stable
        fast   -= decay * fast + moved                          # the fast part fades
        stable += moved - stable_decay * stable                 # the stable part fades slowly
        weight  = fast + stable                                 # always within [0, w_max]

    Parameters
    ----------
    schedule : sequence of float
        Activity of the pre-synaptic neuron at each step, each from 0 (silent) to 1
        (fully active); for example the output of :func:`make_schedule`. Not empty.
    post : sequence of float or None, default=None
        Activity of the post-synaptic neuron (0 to 1), same length. None means ``schedule``
        (both neurons active together: co-activation).
    %(synapse_model)s
    %(seed)s

    Returns
    -------
    pandas.DataFrame
        One row per step: ``step``, ``pre``, ``post``, ``coactive`` (pre * post),
        ``fast``, ``stable`` and ``weight`` (= fast + stable).

    Raises
    ------
    TypeError
        If an activity is not a sequence of numbers, a parameter not a number, or ``seed`` not an int.
    ValueError
        If the activities are empty, not one-dimensional, of different lengths, not finite
        or outside [0, 1], or a parameter is outside its range.

    Examples
    --------
    >>> data = simulate_synapse([1, 1, 0, 0], consolidation=0.0, decay=0.5, learning_rate=0.5)
    >>> data["weight"].round(3).tolist()
    [0.25, 0.312, 0.156, 0.078]
    >>> float(simulate_synapse([1, 0], post=[0, 0])["weight"].max())   # pre alone: no Hebbian growth
    0.0
    """
    pre = check_numbers(schedule, "schedule", 0, 1)
    post_arr = pre.copy() if post is None else check_numbers(post, "post", 0, 1)
    settings = _check_model(learning_rate, decay, consolidation, stable_decay, w_max, noise, seed)
    if post_arr.shape != pre.shape:
        raise ValueError(f"post must have the same length as schedule ({pre.size}), not {post_arr.size}")
    learning_rate, decay, consolidation, stable_decay, w_max, noise = (
        settings[k] for k in ("learning_rate", "decay", "consolidation", "stable_decay", "w_max", "noise"))
    rng = np.random.default_rng(settings["seed"])

    coactive = pre * post_arr
    fast_trace, stable_trace = np.zeros(pre.size), np.zeros(pre.size)
    fast = stable = 0.0
    for t, h in enumerate(coactive):
        gain = learning_rate * h * (w_max - fast - stable)
        if noise and h:
            gain += rng.normal(0.0, noise)
        fast = min(max(fast + gain, 0.0), w_max - stable)
        moved = consolidation * fast
        fast -= decay * fast + moved
        stable += moved - stable_decay * stable
        fast_trace[t], stable_trace[t] = fast, stable
    return pd.DataFrame({
        "step": np.arange(pre.size),
        "pre": pre,
        "post": post_arr,
        "coactive": coactive,
        "fast": fast_trace,
        "stable": stable_trace,
        "weight": fast_trace + stable_trace,
    })


@fill_doc
def compare_schedules(
    kinds: str | Sequence[str] | Mapping[str, Sequence[float] | np.ndarray] = SCHEDULES,
    n_sessions: int | None = None,
    n_steps: int | None = None,
    gap: int | None = None,
    **model,
) -> pd.DataFrame:
    """Simulate the same synapse under several schedules, aligned day by day.

    Either name the schedules (``"massed"``, ``"spaced"``, ``"none"``): all are then built alike,
    with the same number of sessions and days. Or give schedules of your own, by name, as
    :func:`make_schedule` makes them (a weekly plan of twelve sessions against six massed ones):
    they may have different numbers of sessions and different lengths. Every run starts on day 0
    and covers the same days: a shorter schedule goes on without sessions (its synapse keeps
    decaying) until the longest one ends, or until ``n_steps``.

    Parameters
    ----------
    kinds : str, sequence of {"massed", "spaced", "none"}, or mapping of str to schedule, default=SCHEDULES
        The schedules to compare (at least one): names, as :func:`make_schedule` knows them, or
        ``{label: schedule}``, each schedule a sequence of activities from 0 to 1 (one a day), such
        as ``make_schedule("spaced", n_sessions=12, gap=7, n_steps=100)``.
    n_sessions : int or None, default=None
        Number of sessions of each named schedule, a whole number >= 1 (None: 6; ignored for
        ``"none"``). Only with names: a schedule of your own has its sessions already.
    n_steps : int or None, default=None
        Days that every run covers, a whole number >= 1. None: 70 with names; with schedules of
        your own, the longest one's length (none may be longer than ``n_steps``).
    gap : int or None, default=None
        Days from one spaced session to the next, a whole number >= 1 (None: 10). Only with names.
    %(synapse_more)s

    Returns
    -------
    pandas.DataFrame
        The rows of :func:`simulate_synapse` for each schedule, with a ``schedule`` column (its name
        or label); ``step`` is the day, counted from each schedule's first day, the same days for all.

    Raises
    ------
    TypeError
        For a ``kinds`` that is neither names nor a mapping of labels to schedules, a schedule that is
        not numbers, a size that is not an int, a model parameter of the wrong type, or a keyword
        :func:`simulate_synapse` does not take.
    ValueError
        For an empty or unknown ``kinds``, sizes out of range or sessions that do not fit, a schedule
        longer than ``n_steps``, ``n_sessions`` or ``gap`` given with schedules of your own, or a
        model parameter out of its range.

    Examples
    --------
    >>> data = compare_schedules(["massed", "spaced"])
    >>> sorted(data["schedule"].unique())
    ['massed', 'spaced']

    Twelve weekly sessions (100 days) against six massed ones (70 days, continued without sessions):

    >>> plans = {"weekly": make_schedule("spaced", n_sessions=12, gap=7, n_steps=100),
    ...          "massed": make_schedule("massed")}
    >>> data = compare_schedules(plans)
    >>> data.groupby("schedule", sort=False)["step"].max().to_dict()
    {'weekly': 99, 'massed': 99}
    >>> summarise(data)["sessions"].to_dict()
    {'weekly': 12, 'massed': 6}
    """
    schedules = _schedules(kinds, n_sessions, n_steps, gap)
    model = check_keywords(model, _MODEL_PARAMETERS, "compare_schedules")
    defaults = {name: p.default for name, p in inspect.signature(simulate_synapse).parameters.items()}
    model = _check_model(**{name: model.get(name, defaults[name]) for name in _MODEL_PARAMETERS})
    frames = [simulate_synapse(schedule, **model).assign(schedule=name) for name, schedule in schedules.items()]
    return pd.concat(frames, ignore_index=True)


@fill_doc
def summarise(data: pd.DataFrame | Mapping[str, pd.DataFrame], delay: int = 10) -> pd.DataFrame:
    """Summarise simulated runs: sessions, peak weight, weight some days after the last session, final weight.

    Parameters
    ----------
    %(runs)s
    delay : int, default=10
        Days after the last session at which to read the weight, a whole number >= 0 (a fair
        comparison: every schedule is given the same time to forget). Runs with no session, or
        that end too early, get NaN.

    Returns
    -------
    pandas.DataFrame
        One row per schedule: ``sessions``, ``peak_weight``, ``weight_after_delay``,
        ``stable_after_delay``, ``final_weight`` (all SIMULATED, arbitrary units).

    Raises
    ------
    TypeError
        If ``data`` is not a DataFrame (or a mapping of them), or ``delay`` not an int.
    ValueError
        If ``data`` is empty or lacks the columns of :func:`simulate_synapse`, or ``delay`` is negative.

    Examples
    --------
    >>> table = summarise(compare_schedules(["massed", "spaced"]))
    >>> list(table.index)
    ['massed', 'spaced']
    """
    data = _as_runs(data)
    delay = check_int(delay, "delay (days)", 0)
    rows = {}
    for name, run in data.groupby("schedule", sort=False):
        run = run.reset_index(drop=True)
        sessions = run.index[_session_days(run)]
        after = sessions[-1] + delay if len(sessions) else None
        inside = after is not None and after < len(run)
        rows[name] = {
            "sessions": int(len(sessions)),
            "peak_weight": float(run["weight"].max()),
            "weight_after_delay": float(run.loc[after, "weight"]) if inside else np.nan,
            "stable_after_delay": float(run.loc[after, "stable"]) if inside else np.nan,
            "final_weight": float(run["weight"].iloc[-1]),
        }
    table = pd.DataFrame.from_dict(rows, orient="index")
    table.index.name = "schedule"
    return table


@fill_doc
def plot_synapse(
    data: pd.DataFrame | Mapping[str, pd.DataFrame],
    title: str | None = None,
    components: bool = False,
    ax: plt.Axes | None = None,
) -> plt.Figure:
    """Plot simulated synaptic weight over time, one line per schedule, with the session days marked.

    Parameters
    ----------
    %(runs)s
    %(title_simulated)s
    components : bool, default=False
        Also draw the stable part of each run (a thin line).
    %(ax)s

    Returns
    -------
    matplotlib.figure.Figure
        The figure drawn in.

    Raises
    ------
    TypeError
        If ``data`` is not a DataFrame (or a mapping of them), ``title`` not a string,
        ``components`` not True or False, or ``ax`` not matplotlib Axes.
    ValueError
        If ``data`` is empty or lacks the columns of :func:`simulate_synapse`.

    Examples
    --------
    >>> fig = plot_synapse(compare_schedules())
    >>> fig.axes[0].get_title()
    'SIMULATED synapse: Hebbian learning and decay (toy model, not data)'
    """
    data = _as_runs(data)
    title = check_optional_text(title, "title")
    components = check_bool(components, "components")
    ax = check_axes(ax, "ax", rect=False)
    if ax is None:
        fig, ax = plt.subplots(figsize=(9, 4.2), layout="constrained")
    else:
        fig = ax.figure
    names = list(dict.fromkeys(data["schedule"]))
    extra = iter(_EXTRA_COLOURS * (1 + len(names) // len(_EXTRA_COLOURS)))
    top = float(data["weight"].max()) or 1.0
    for i, name in enumerate(names):
        run = data[data["schedule"] == name]
        colour = COLOURS.get(name) or next(extra)
        style = _STYLES.get(name, "-")
        on = _session_days(run)
        sessions = int(on.sum())
        ax.plot(run["step"], run["weight"], color=colour, linestyle=style, linewidth=2.2,
                label=f"{name} ({sessions} sessions)")
        if components and sessions:
            ax.plot(run["step"], run["stable"], color=colour, linestyle=style, linewidth=0.9, alpha=0.8,
                    label=f"{name}: stable part")
        days = run.loc[on, "step"]
        ax.plot(days, np.full(len(days), -0.04 * top * (i + 1)), linestyle="", marker="|", markersize=9,
                color=colour)
    ax.axhline(0, color="black", linewidth=0.6)
    ax.set_xlabel("day (one step of the model)")
    ax.set_ylabel("synaptic weight (arbitrary units)")
    ax.set_ylim(-0.05 * top * (len(names) + 1), top * 1.1)
    ax.legend(frameon=False, fontsize=9, title="schedule\n(ticks below 0: session days)", title_fontsize=8,
              loc="upper left", bbox_to_anchor=(1.01, 1.0))
    ax.set_title(simulated_title(title, "SIMULATED synapse: Hebbian learning and decay (toy model, not data)"))
    return fig


# The parameters of the model, as simulate_synapse and compare_schedules(**model) take them.
_MODEL_PARAMETERS = ("learning_rate", "decay", "consolidation", "stable_decay", "w_max", "noise", "seed")


def _check_model(learning_rate, decay, consolidation, stable_decay, w_max, noise, seed) -> dict[str, float | int]:
    """The model's parameters, checked and normalised (floats, and an int seed)."""
    checked = {
        "learning_rate": check_number(learning_rate, "learning_rate", 0, 1, low_open=True),
        "decay": check_number(decay, "decay", 0, 1, high_open=True),
        "consolidation": check_number(consolidation, "consolidation", 0, 1, high_open=True),
        "stable_decay": check_number(stable_decay, "stable_decay", 0, 1, high_open=True),
        "w_max": check_number(w_max, "w_max", 0, low_open=True),
        "noise": check_number(noise, "noise", 0),
        "seed": check_int(seed, "seed", 0, MAX_SEED),
    }
    total = checked["decay"] + checked["consolidation"]
    if total > 1:
        raise ValueError(f"decay + consolidation must not exceed 1, not {total:g}")
    return checked


def _check_sizes(n_sessions, n_steps, gap) -> tuple[int, int, int]:
    return check_int(n_sessions, "n_sessions", 1), check_int(n_steps, "n_steps", 1), check_int(gap, "gap", 1)


def _schedules(kinds, n_sessions, n_steps, gap) -> dict[str, np.ndarray]:
    """``{name: schedule}`` for :func:`compare_schedules`, every schedule checked and of the same length."""
    if not isinstance(kinds, Mapping):
        if isinstance(kinds, Sequence) and not isinstance(kinds, str) and any(
                not isinstance(k, str) and (isinstance(k, Sequence) or hasattr(k, "__array__")) for k in kinds):
            raise TypeError(
                "kinds must be schedule names, or schedules of your own given with a label each: "
                "compare_schedules({'weekly': make_schedule('spaced', n_sessions=12, gap=7, n_steps=100), "
                "'massed': make_schedule('massed')}); not a list of schedules without labels.")
        for value, name in ((n_sessions, "n_sessions"), (gap, "gap")):
            if not isinstance(value, (str, Mapping)) and (isinstance(value, Sequence) or hasattr(value, "__array__")):
                raise TypeError(
                    f"{name} must be one whole number for every named schedule, not {value!r}; to compare "
                    "schedules with different numbers of sessions or gaps, make each with make_schedule and "
                    "give them with a label each: compare_schedules({'weekly': make_schedule('spaced', "
                    "n_sessions=12, gap=7, n_steps=100), 'massed': make_schedule('massed')}).")
        names = check_choices(kinds, SCHEDULES, "schedule", allow_empty=False)
        n_sessions, n_steps, gap = _check_sizes(6 if n_sessions is None else n_sessions,
                                                70 if n_steps is None else n_steps, 10 if gap is None else gap)
        return {name: make_schedule(name, n_sessions=n_sessions, n_steps=n_steps, gap=gap) for name in names}
    if not kinds:
        raise ValueError("kinds must hold at least one schedule, not an empty mapping; valid: schedule names "
                         "(" + ", ".join(f"'{s}'" for s in SCHEDULES) + ") or {label: make_schedule(...)}")
    given = [name for name, value in (("n_sessions", n_sessions), ("gap", gap)) if value is not None]
    if given:
        names = " and ".join(given)
        raise ValueError(f"{names} only {'build' if len(given) > 1 else 'builds'} named schedules; schedules of "
                         f"your own have their sessions already: give {names} to make_schedule instead")
    schedules = {}
    for label, schedule in kinds.items():
        if not isinstance(label, str) or not label.strip():
            raise TypeError(f"each schedule's label must be a non-empty string, not {label!r}")
        schedules[label] = check_numbers(schedule, f"kinds[{label!r}]", 0, 1)
    longest = max(s.size for s in schedules.values())
    n_steps = longest if n_steps is None else check_int(n_steps, "n_steps", 1)
    if longest > n_steps:
        label = next(k for k, s in schedules.items() if s.size == longest)
        raise ValueError(f"the schedule {label!r} lasts {longest} days, longer than n_steps={n_steps}; "
                         f"increase n_steps to at least {longest} or leave it as None (the longest schedule)")
    return {label: np.pad(s, (0, n_steps - s.size)) for label, s in schedules.items()}


def _session_days(run: pd.DataFrame) -> pd.Series:
    """Session days: the pre-synaptic neuron is active (co-activation when ``pre`` is missing)."""
    return (run["pre"] if "pre" in run.columns else run["coactive"]) > 0


def _as_runs(data) -> pd.DataFrame:
    """The runs of ``data`` as one DataFrame with a ``schedule`` column (checked)."""
    needed = ("step", "coactive", "fast", "stable", "weight")
    source = "simulate_synapse() or compare_schedules()"
    if isinstance(data, Mapping):
        if not data:
            raise ValueError("data must hold at least one simulated run, not an empty mapping")
        runs = [check_dataframe(d, f"data[{k!r}]", needed, source).assign(schedule=str(k)) for k, d in data.items()]
        data = pd.concat(runs, ignore_index=True)
    data = check_dataframe(data, "data", needed, source)
    if "schedule" not in data.columns:
        data = data.assign(schedule="run")
    return data
