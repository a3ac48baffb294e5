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

from collections.abc import Mapping, Sequence

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd

from .._validation import check_choice

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
        every ``gap`` days; ``"none"``: no session at all.
    n_sessions : int
        Number of sessions (ignored for ``"none"``).
    n_steps : int
        Length of the schedule in days.
    gap : int
        Days from one spaced session to the next (1 gives the massed schedule).
    start : int
        Day of the first session.

    Returns
    -------
    numpy.ndarray
        Float array of 0.0 and 1.0, length ``n_steps``.

    Raises
    ------
    ValueError
        For an unknown kind (the message names the valid ones), non-positive sizes, or
        sessions that do not fit in ``n_steps``.

    Examples
    --------
    >>> make_schedule("spaced", n_sessions=3, n_steps=10, gap=4)
    array([1., 0., 0., 0., 1., 0., 0., 0., 1., 0.])
    >>> int(make_schedule("massed").sum())
    6
    """
    kind = check_choice(kind, SCHEDULES, "schedule")
    for name, value, low in (("n_sessions", n_sessions, 1), ("n_steps", n_steps, 1), ("gap", gap, 1),
                             ("start", start, 0)):
        if isinstance(value, bool) or not isinstance(value, (int, np.integer)) or value < low:
            raise ValueError(f"{name} must be a whole number >= {low}, not {value!r}")
    schedule = np.zeros(int(n_steps), dtype=float)
    if kind == "none":
        return schedule
    step = 1 if kind == "massed" else int(gap)
    last = start + step * (n_sessions - 1)
    if last >= n_steps:
        raise ValueError(
            f"{n_sessions} {kind} sessions starting on day {start} end on day {last}, "
            f"after the schedule's last day ({n_steps - 1}); increase n_steps or reduce n_sessions/gap"
        )
    schedule[start:last + 1:step] = 1.0
    return schedule


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
        (fully active); for example the output of :func:`make_schedule`.
    post : sequence of float, optional
        Activity of the post-synaptic neuron, same length. Defaults to ``schedule``
        (both neurons active together: co-activation).
    learning_rate : float
        Share of the remaining room (``w_max - weight``) gained per full co-activation, in (0, 1].
    decay : float
        Share of the fast part lost per step, in [0, 1).
    consolidation : float
        Share of the fast part moved into the stable part per step, in [0, 1);
        ``decay + consolidation`` must not exceed 1. 0 gives a one-trace model.
    stable_decay : float
        Share of the stable part lost per step, in [0, 1).
    w_max : float
        Ceiling of the weight (> 0).
    noise : float
        Standard deviation of random jitter added to each Hebbian gain (>= 0; 0 = none).
        The result is still clipped to [0, w_max].
    seed : int
        Seed of the random generator, so the same inputs give the same output.

    Returns
    -------
    pandas.DataFrame
        One row per step: ``step``, ``pre``, ``post``, ``coactive`` (pre * post),
        ``fast``, ``stable`` and ``weight`` (= fast + stable).

    Raises
    ------
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
    pre = _activity(schedule, "schedule")
    post_arr = pre.copy() if post is None else _activity(post, "post")
    if post_arr.shape != pre.shape:
        raise ValueError(f"post must have the same length as schedule ({pre.size}), not {post_arr.size}")
    _check_range("learning_rate", learning_rate, 0.0, 1.0, low_open=True)
    _check_range("decay", decay, 0.0, 1.0, high_open=True)
    _check_range("consolidation", consolidation, 0.0, 1.0, high_open=True)
    _check_range("stable_decay", stable_decay, 0.0, 1.0, high_open=True)
    if decay + consolidation > 1:
        raise ValueError(f"decay + consolidation must not exceed 1, not {decay + consolidation!r}")
    _check_range("w_max", w_max, 0.0, np.inf, low_open=True, high_open=True)
    _check_range("noise", noise, 0.0, np.inf, high_open=True)
    rng = np.random.default_rng(seed)

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


def compare_schedules(
    kinds: Sequence[str] = SCHEDULES,
    n_sessions: int = 6,
    n_steps: int = 70,
    gap: int = 10,
    **model,
) -> pd.DataFrame:
    """Simulate the same synapse under several schedules with the same number of sessions.

    Parameters
    ----------
    kinds : sequence of {"massed", "spaced", "none"}
        The schedules to compare.
    n_sessions, n_steps, gap
        As in :func:`make_schedule`.
    **model
        Parameters of :func:`simulate_synapse` (``learning_rate``, ``decay``, ...).

    Returns
    -------
    pandas.DataFrame
        The rows of :func:`simulate_synapse` for each schedule, with a ``schedule`` column.

    Raises
    ------
    ValueError
        For an empty or unknown ``kinds``, or a bad model parameter.

    Examples
    --------
    >>> data = compare_schedules(["massed", "spaced"])
    >>> sorted(data["schedule"].unique())
    ['massed', 'spaced']
    """
    if isinstance(kinds, str):
        kinds = [kinds]
    kinds = [check_choice(k, SCHEDULES, "schedule") for k in kinds]
    if not kinds:
        raise ValueError(f"kinds must name at least one schedule; valid schedules: {', '.join(SCHEDULES)}")
    frames = []
    for kind in kinds:
        data = simulate_synapse(make_schedule(kind, n_sessions=n_sessions, n_steps=n_steps, gap=gap), **model)
        frames.append(data.assign(schedule=kind))
    return pd.concat(frames, ignore_index=True)


def summarise(data: pd.DataFrame, delay: int = 10) -> pd.DataFrame:
    """Summarise simulated runs: sessions, peak weight, weight some days after the last session, final weight.

    Parameters
    ----------
    data : pandas.DataFrame
        Output of :func:`compare_schedules` (or of :func:`simulate_synapse`, treated as one run).
    delay : int
        Days after the last session at which to read the weight (a fair comparison:
        every schedule is given the same time to forget). Runs with no session, or that
        end too early, get NaN.

    Returns
    -------
    pandas.DataFrame
        One row per schedule: ``sessions``, ``peak_weight``, ``weight_after_delay``,
        ``stable_after_delay``, ``final_weight`` (all SIMULATED, arbitrary units).

    Raises
    ------
    ValueError
        If ``data`` lacks the columns of :func:`simulate_synapse` or ``delay`` is negative.

    Examples
    --------
    >>> table = summarise(compare_schedules(["massed", "spaced"]))
    >>> list(table.index)
    ['massed', 'spaced']
    """
    data = _as_runs(data)
    if isinstance(delay, bool) or not isinstance(delay, (int, np.integer)) or delay < 0:
        raise ValueError(f"delay must be a whole number of days >= 0, not {delay!r}")
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


def plot_synapse(
    data: pd.DataFrame | Mapping[str, pd.DataFrame],
    title: str | None = None,
    components: bool = False,
    ax: plt.Axes | None = None,
) -> plt.Figure:
    """Plot simulated synaptic weight over time, one line per schedule, with the session days marked.

    Parameters
    ----------
    data : pandas.DataFrame or mapping of name to DataFrame
        Output of :func:`simulate_synapse` (one run), of :func:`compare_schedules`
        (a ``schedule`` column), or ``{name: simulate_synapse(...)}``.
    title : str, optional
        Figure title. "SIMULATED" is always shown: it is prepended when missing.
    components : bool
        Also draw the fast and stable parts of each run (thin lines).
    ax : matplotlib.axes.Axes, optional
        Where to draw; a new figure otherwise.

    Returns
    -------
    matplotlib.figure.Figure

    Raises
    ------
    ValueError
        If ``data`` is empty or lacks the columns of :func:`simulate_synapse`.

    Examples
    --------
    >>> fig = plot_synapse(compare_schedules())
    >>> "SIMULATED" in fig.axes[0].get_title()
    True
    """
    data = _as_runs(data)
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
    if not title:
        title = "SIMULATED synapse: Hebbian learning and decay (toy model, not data)"
    elif "SIMULATED" not in title:
        title = f"SIMULATED: {title}"
    ax.set_title(title)
    return fig


def _activity(values, name: str) -> np.ndarray:
    try:
        arr = np.asarray(values, dtype=float)
    except (TypeError, ValueError):
        raise ValueError(f"{name} must be a sequence of numbers from 0 to 1, not {values!r}") from None
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"{name} must be a non-empty one-dimensional sequence of activities (0 to 1)")
    if not np.all(np.isfinite(arr)) or arr.min() < 0 or arr.max() > 1:
        raise ValueError(f"{name} must hold activities from 0 (silent) to 1 (fully active)")
    return arr


def _check_range(name: str, value, low: float, high: float, low_open: bool = False, high_open: bool = False):
    if isinstance(value, bool) or not isinstance(value, (int, float, np.integer, np.floating)):
        raise ValueError(f"{name} must be a number, not {value!r}")
    too_low = value <= low if low_open else value < low
    too_high = value >= high if high_open else value > high
    if np.isnan(value) or too_low or too_high:
        left, right = ("(" if low_open else "["), (")" if high_open else "]")
        raise ValueError(f"{name} must be in {left}{low:g}, {high:g}{right}, not {value!r}")


def _session_days(run: pd.DataFrame) -> pd.Series:
    """Session days: the pre-synaptic neuron is active (co-activation when ``pre`` is missing)."""
    return (run["pre"] if "pre" in run.columns else run["coactive"]) > 0


def _as_runs(data) -> pd.DataFrame:
    if isinstance(data, Mapping):
        if not data:
            raise ValueError("data must hold at least one simulated run")
        data = pd.concat([d.assign(schedule=str(k)) for k, d in data.items()], ignore_index=True)
    if not isinstance(data, pd.DataFrame) or data.empty:
        raise ValueError("data must be a non-empty DataFrame from simulate_synapse or compare_schedules")
    needed = {"step", "coactive", "fast", "stable", "weight"}
    missing = needed - set(data.columns)
    if missing:
        raise ValueError(f"data lacks the columns {sorted(missing)}; pass the output of simulate_synapse")
    if "schedule" not in data.columns:
        data = data.assign(schedule="run")
    return data
