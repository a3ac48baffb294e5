"""SIMULATED prediction studies behave as the chapter says: honest CV finds chance in noise,
circular selection does not; real signal is found; seeds reproduce; bad input names valid choices."""

import matplotlib.pyplot as plt
import numpy as np
import pytest

from therapybrain.simulations import prediction


def test_cohort_shape_balance_and_signal_location():
    X, y = prediction.simulate_cohort(n_patients=400, n_features=30, signal=1.0, n_informative=3, seed=2)
    assert X.shape == (400, 30) and set(np.unique(y)) == {0, 1} and y.sum() == 200
    difference = X[y == 1].mean(axis=0) - X[y == 0].mean(axis=0)
    assert np.all(np.abs(difference[:3] - 1.0) < 0.3)  # informative measures: shifted by d = 1
    assert np.all(np.abs(difference[3:]) < 0.3)  # the rest: noise


def test_same_seed_same_cohort_and_table_different_seed_differs():
    a = prediction.simulate_cohort(n_patients=30, n_features=10, signal=0.5, seed=7)
    b = prediction.simulate_cohort(n_patients=30, n_features=10, signal=0.5, seed=7)
    c = prediction.simulate_cohort(n_patients=30, n_features=10, signal=0.5, seed=8)
    assert np.array_equal(a[0], b[0]) and np.array_equal(a[1], b[1])
    assert not np.array_equal(a[0], c[0])
    t1 = prediction.run_studies(n_studies=4, n_patients=20, n_features=30, seed=3)
    t2 = prediction.run_studies(n_studies=4, n_patients=20, n_features=30, seed=3)
    assert t1.equals(t2)


def test_no_signal_honest_cv_near_chance_but_circular_and_in_sample_inflated():
    table = prediction.run_studies(n_studies=20, n_patients=40, n_features=500, signal=0.0, seed=0)
    assert abs(table["honest_cv"].mean() - 0.5) < 0.07
    assert table["circular_cv"].mean() > 0.7
    assert table["in_sample"].mean() > 0.8
    assert (table["circular_cv"] > table["honest_cv"]).mean() > 0.8


def test_single_noise_study_circular_beats_honest():
    X, y = prediction.simulate_cohort(n_patients=40, n_features=1000, signal=0.0, seed=0)
    result = prediction.circular_vs_honest(X, y, k_selected=10)
    assert set(result) == {"circular", "honest"}
    assert result["circular"] > 0.7 and result["circular"] - result["honest"] > 0.15


def test_with_signal_honest_cv_beats_chance():
    X, y = prediction.simulate_cohort(n_patients=200, n_features=20, signal=1.0, seed=1)
    assert prediction.cross_validated_accuracy(X, y) > 0.7
    assert prediction.cross_validated_accuracy(X, y, k_selected=5) > 0.7
    assert prediction.cross_validated_accuracy(X, y, model="nearest_neighbour") > 0.55


def test_nearest_neighbour_memorises_noise():
    X, y = prediction.simulate_cohort(n_patients=30, n_features=50, signal=0.0, seed=4)
    assert prediction.in_sample_accuracy(X, y, model="nearest_neighbour") == 1.0
    assert prediction.cross_validated_accuracy(X, y, model="nearest_neighbour") < 0.8


def test_small_studies_spread_more_than_large_ones():
    table = prediction.sample_size_study(sizes=(20, 160), n_studies=15, signal=0.8, n_features=50, seed=0)
    spread = table.groupby("n_patients")["honest_cv"].std()
    assert spread[20] > 1.5 * spread[160]
    assert table.loc[table["n_patients"] == 160, "honest_cv"].mean() > 0.6


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: prediction.simulate_cohort(n_patients=5), "n_patients must be a whole number >= 10"),
        (lambda: prediction.simulate_cohort(signal=-1), "signal .* must be a finite number >= 0"),
        (lambda: prediction.simulate_cohort(signal=float("nan")), "finite"),
        (lambda: prediction.simulate_cohort(n_features=3, n_informative=5), "from 0 to 3"),
        (lambda: prediction.sample_size_study(sizes=()), "sizes must be a non-empty"),
    ],
)
def test_bad_numbers_raise_value_error(call, message):
    with pytest.raises(ValueError, match=message):
        call()


def test_fractional_count_is_a_type_error():
    with pytest.raises(TypeError, match="n_patients must be a whole number"):
        prediction.simulate_cohort(n_patients=20.5)


def test_unknown_model_names_valid_choices():
    X, y = prediction.simulate_cohort(seed=0)
    with pytest.raises(ValueError, match="did you mean 'logistic'.*'nearest_neighbour'"):
        prediction.cross_validated_accuracy(X, y, model="logistc")


def test_mismatched_data_and_ranges_raise():
    X, y = prediction.simulate_cohort(n_patients=20, n_features=5, seed=0)
    with pytest.raises(ValueError, match="one label per patient"):
        prediction.cross_validated_accuracy(X, y[:-1])
    with pytest.raises(ValueError, match="exactly two groups"):
        prediction.cross_validated_accuracy(X, np.zeros(20))
    with pytest.raises(ValueError, match="k_selected must be a whole number from 1 to 5"):
        prediction.circular_vs_honest(X, y, k_selected=6)
    with pytest.raises(ValueError, match="at least n_folds=20"):
        prediction.cross_validated_accuracy(X, y, n_folds=20)


def test_figures_are_titled_simulated():
    table = prediction.sample_size_study(sizes=(20, 40), n_studies=3, n_features=20, seed=0)
    X, y = prediction.simulate_cohort(n_patients=20, n_features=3, signal=1.0, seed=0)
    figures = [
        prediction.plot_accuracies(table),
        prediction.plot_accuracies(table, columns=("honest_cv",), title="my title"),
        prediction.plot_sample_size(table),
        prediction.plot_measure_by_group(X, y, feature=1),
    ]
    for figure in figures:
        assert isinstance(figure, plt.Figure)
        assert figure.axes[0].get_title().startswith("SIMULATED")
    with pytest.raises(ValueError, match="Valid accuracy columns: 'in_sample', 'honest_cv', 'circular_cv'"):
        prediction.plot_accuracies(table, columns=("honest",))
    with pytest.raises(ValueError, match="feature must be a whole number from 0 to 2"):
        prediction.plot_measure_by_group(X, y, feature=3)
