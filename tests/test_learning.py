"""The toy Hebbian synapse: grows with co-activation, decays without it, stays bounded, labels itself SIMULATED."""

import numpy as np
import pandas as pd
import pytest

from therapybrain.simulations import learning


def test_weight_grows_with_repeated_coactivation():
    weight = learning.simulate_synapse(np.ones(10), decay=0.0, consolidation=0.0)["weight"].to_numpy()
    assert np.all(np.diff(weight) > 0)


def test_no_growth_without_coactivation():
    # Hebbian: the pre-synaptic neuron alone, or the post-synaptic one alone, changes nothing.
    assert learning.simulate_synapse([1, 1, 1], post=[0, 0, 0])["weight"].max() == 0
    assert learning.simulate_synapse([0, 0, 0], post=[1, 1, 1])["weight"].max() == 0
    assert learning.simulate_synapse(learning.make_schedule("none"))["weight"].max() == 0


def test_weight_decays_without_practice():
    data = learning.simulate_synapse([1] + [0] * 30)
    after = data["weight"].to_numpy()[1:]
    assert np.all(np.diff(after) < 0)
    assert after[-1] < data["weight"].iloc[0]


def test_one_trace_model_matches_hand_calculation():
    data = learning.simulate_synapse([1, 1, 0, 0], consolidation=0.0, decay=0.5, learning_rate=0.5)
    assert data["weight"].tolist() == pytest.approx([0.25, 0.3125, 0.15625, 0.078125])
    assert data["stable"].abs().max() == 0


def test_stable_part_outlasts_fast_part():
    data = learning.simulate_synapse([1] * 5 + [0] * 60)
    last = data.iloc[-1]
    assert last["stable"] > last["fast"]


@pytest.mark.parametrize("noise", [0.0, 0.5])
def test_weight_is_bounded(noise):
    data = learning.simulate_synapse(np.ones(200), learning_rate=1.0, decay=0.0, stable_decay=0.0,
                                     w_max=0.7, noise=noise, seed=3)
    assert data["weight"].min() >= 0
    assert data["weight"].max() <= 0.7 + 1e-12
    if noise == 0:
        assert data["weight"].iloc[-1] == pytest.approx(0.7)


def test_same_seed_same_result_and_noise_changes_it():
    a = learning.simulate_synapse(learning.make_schedule("spaced"), noise=0.05, seed=1)
    b = learning.simulate_synapse(learning.make_schedule("spaced"), noise=0.05, seed=1)
    c = learning.simulate_synapse(learning.make_schedule("spaced"), noise=0.05, seed=2)
    pd.testing.assert_frame_equal(a, b)
    assert not np.allclose(a["weight"], c["weight"])


def test_schedules_have_the_same_number_of_sessions():
    massed, spaced, none = (learning.make_schedule(k) for k in ("massed", "spaced", "none"))
    assert massed.sum() == spaced.sum() == 6 and none.sum() == 0
    assert np.flatnonzero(massed).tolist() == [0, 1, 2, 3, 4, 5]
    assert np.flatnonzero(spaced).tolist() == [0, 10, 20, 30, 40, 50]


def test_spaced_versus_massed_in_the_toy_model():
    table = learning.summarise(learning.compare_schedules(), delay=10)
    # massed practice gives the higher peak ...
    assert table.loc["massed", "peak_weight"] > table.loc["spaced", "peak_weight"]
    # ... spaced practice the more lasting change, even with the same time to forget after the last session
    assert table.loc["spaced", "weight_after_delay"] > table.loc["massed", "weight_after_delay"]
    assert table.loc["spaced", "stable_after_delay"] > table.loc["massed", "stable_after_delay"]
    assert table.loc["spaced", "final_weight"] > table.loc["massed", "final_weight"]
    assert table.loc["none", "final_weight"] == 0
    assert np.isnan(table.loc["none", "weight_after_delay"])


def test_without_consolidation_massed_wins_at_equal_delay():
    # The spaced advantage comes from the model's assumptions (a stable trace): remove it and it goes.
    table = learning.summarise(learning.compare_schedules(consolidation=0.0, decay=0.05), delay=10)
    assert table.loc["massed", "weight_after_delay"] > table.loc["spaced", "weight_after_delay"]


def test_plot_is_labelled_simulated():
    fig = learning.plot_synapse(learning.compare_schedules(), components=True)
    ax = fig.axes[0]
    assert "SIMULATED" in ax.get_title()
    labels = [t.get_text() for t in ax.get_legend().get_texts()]
    assert labels[0] == "massed (6 sessions)" and "spaced (6 sessions)" in labels
    assert learning.plot_synapse(learning.simulate_synapse([1, 0]), title="My run").axes[0].get_title() == (
        "SIMULATED: My run")
    one = learning.simulate_synapse([1, 0, 0])
    assert "SIMULATED" in learning.plot_synapse({"a": one, "b": one}).axes[0].get_title()


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"schedule": []}, "non-empty"),
        ({"schedule": [[1, 0], [0, 1]]}, "one-dimensional"),
        ({"schedule": [0, 2]}, "from 0"),
        ({"schedule": [0, np.nan]}, "from 0"),
        ({"schedule": [1, 0], "post": [1]}, "same length"),
        ({"schedule": [1], "learning_rate": 0}, "learning_rate"),
        ({"schedule": [1], "learning_rate": 1.5}, "learning_rate"),
        ({"schedule": [1], "decay": -0.1}, "decay"),
        ({"schedule": [1], "decay": 0.6, "consolidation": 0.6}, "must not exceed 1"),
        ({"schedule": [1], "w_max": 0}, "w_max"),
        ({"schedule": [1], "noise": -1}, "noise"),
    ],
)
def test_simulate_rejects_bad_input(kwargs, message):
    with pytest.raises(ValueError, match=message):
        learning.simulate_synapse(**kwargs)


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"schedule": ["a"]}, "numbers"),
        ({"schedule": [1], "decay": "fast"}, "decay must be a finite number"),
    ],
)
def test_simulate_rejects_wrong_types(kwargs, message):
    with pytest.raises(TypeError, match=message):
        learning.simulate_synapse(**kwargs)


def test_make_schedule_rejects_bad_input():
    with pytest.raises(ValueError, match="did you mean 'spaced'.*Valid schedules: 'massed', 'spaced', 'none'"):
        learning.make_schedule("spacd")
    with pytest.raises(ValueError, match="n_sessions"):
        learning.make_schedule("massed", n_sessions=0)
    with pytest.raises(ValueError, match="increase n_steps"):
        learning.make_schedule("spaced", n_sessions=8, n_steps=70, gap=10)
    with pytest.raises(ValueError, match="unknown schedule"):
        learning.compare_schedules(["crammed"])


def test_summarise_and_plot_reject_bad_input():
    with pytest.raises(ValueError, match="lacks the columns"):
        learning.summarise(pd.DataFrame({"x": [1]}))
    with pytest.raises(ValueError, match="non-empty"):
        learning.plot_synapse(pd.DataFrame())
    with pytest.raises(ValueError, match="delay"):
        learning.summarise(learning.compare_schedules(), delay=-1)


def test_compare_schedules_of_different_lengths_aligns_them_in_days():
    """Twelve weekly sessions over 100 days against six massed ones over 70: the same days for both."""
    weekly = learning.make_schedule("spaced", n_sessions=12, gap=7, n_steps=100)
    massed = learning.make_schedule("massed")
    data = learning.compare_schedules({"weekly": weekly, "massed": massed})
    assert list(dict.fromkeys(data["schedule"])) == ["weekly", "massed"]
    for name, run in data.groupby("schedule"):
        assert run["step"].tolist() == list(range(100)), name
    run = data[data["schedule"] == "massed"].reset_index(drop=True)
    assert run["pre"].iloc[70:].eq(0).all()   # the shorter schedule goes on without sessions ...
    assert np.all(np.diff(run["weight"].iloc[6:]) < 0)   # ... and its synapse keeps decaying
    # each run is the one simulate_synapse gives for its schedule continued with days without sessions
    alone = learning.simulate_synapse(learning.make_schedule("massed", n_steps=100))
    assert run["weight"].to_numpy() == pytest.approx(alone["weight"].to_numpy())
    table = learning.summarise(data, delay=10)
    assert table["sessions"].to_dict() == {"weekly": 12, "massed": 6}
    assert table.loc["weekly", "stable_after_delay"] > table.loc["massed", "stable_after_delay"]
    # the model parameters apply to every schedule of one's own, as to named ones
    slow = learning.compare_schedules({"weekly": weekly, "massed": massed}, decay=0.05, consolidation=0.0)
    assert slow["stable"].abs().max() == 0


def test_compare_schedules_of_ones_own_with_n_steps():
    data = learning.compare_schedules({"one day": [1], "two days": [1, 1, 0]}, n_steps=5)
    assert data.groupby("schedule")["step"].max().to_dict() == {"one day": 4, "two days": 4}
    assert learning.summarise(data)["sessions"].to_dict() == {"one day": 1, "two days": 2}
    same = learning.compare_schedules({"massed": learning.make_schedule("massed")})
    pd.testing.assert_frame_equal(same, learning.compare_schedules(["massed"]))


@pytest.mark.parametrize(
    ("call", "error", "message"),
    [
        (lambda s: learning.compare_schedules([s, s]), TypeError, r"with a label each: compare_schedules\(\{'weekly'"),
        (lambda s: learning.compare_schedules(["spaced", "massed"], n_sessions=[12, 6]), TypeError,
         "n_sessions must be one whole number for every named schedule, not \\[12, 6\\]; .* make_schedule"),
        (lambda s: learning.compare_schedules(["spaced"], gap=(7, 10)), TypeError, "gap must be one whole number"),
        (lambda s: learning.compare_schedules({"weekly": s}, n_sessions=12), ValueError,
         "n_sessions only builds named schedules; .* give n_sessions to make_schedule instead"),
        (lambda s: learning.compare_schedules({"weekly": s}, n_sessions=12, gap=7), ValueError,
         "n_sessions and gap only build named schedules"),
        (lambda s: learning.compare_schedules({"weekly": s}, n_steps=50), ValueError,
         "the schedule 'weekly' lasts 100 days, longer than n_steps=50; increase n_steps to at least 100"),
        (lambda s: learning.compare_schedules({"weekly": s}, n_steps=50.0), TypeError, "n_steps must be a whole"),
        (lambda s: learning.compare_schedules({}), ValueError, "at least one schedule, not an empty mapping; valid: "
                                                               "schedule names \\('massed', 'spaced', 'none'\\)"),
        (lambda s: learning.compare_schedules({"weekly": "spaced"}), TypeError,
         r"kinds\['weekly'\] must be a non-empty one-dimensional sequence .* not the string 'spaced'"),
        (lambda s: learning.compare_schedules({"weekly": [0, 2]}), ValueError, r"kinds\['weekly'\] must be"),
        (lambda s: learning.compare_schedules({7: s}), TypeError, "label must be a non-empty string, not 7"),
    ],
)
def test_compare_schedules_of_ones_own_rejects_bad_input(call, error, message):
    with pytest.raises(error, match=message):
        call(learning.make_schedule("spaced", n_sessions=12, gap=7, n_steps=100))
