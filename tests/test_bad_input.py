"""Bad input to the teaching simulations: each public function checks every parameter before any work,
a wrong type is a TypeError and a wrong value a ValueError, and the message says what is valid."""

import inspect

import numpy as np
import pandas as pd
import pytest

from therapybrain.simulations import headlines, learning, morphometry, prediction

MODULES = (headlines, learning, morphometry, prediction)
NAN, INF = float("nan"), float("inf")


@pytest.fixture(scope="module")
def d():
    """Valid objects the calls below need besides the bad one (cheap to make)."""
    X, y = prediction.simulate_cohort(n_patients=20, n_features=5, signal=1.0, seed=0)
    t_map, summary = morphometry.simulate_vbm_study("insula", n_per_group=3, seed=0)
    return {
        "X": X, "y": y, "t_map": t_map, "summary": summary,
        "runs": learning.compare_schedules(["massed"], n_steps=10),
        "accuracies": prediction.run_studies(n_studies=2, n_patients=20, n_features=5, k_selected=2),
    }


# (function, call with the fixture's objects, expected exception, a fragment of the message (a regex))
CASES = [
    # --- learning.make_schedule
    ("learning.make_schedule", lambda d: learning.make_schedule(3), TypeError, "schedule must be a name"),
    ("learning.make_schedule", lambda d: learning.make_schedule("cramming"), ValueError,
     "Valid schedules: 'massed', 'spaced', 'none'"),
    ("learning.make_schedule", lambda d: learning.make_schedule("massed", n_sessions=2.0), TypeError,
     r"n_sessions must be a whole number >= 1 \(an int\), not 2.0"),
    ("learning.make_schedule", lambda d: learning.make_schedule("massed", n_sessions=NAN), TypeError, "n_sessions"),
    ("learning.make_schedule", lambda d: learning.make_schedule("massed", n_steps=0), ValueError,
     "n_steps must be a whole number >= 1, not 0"),
    ("learning.make_schedule", lambda d: learning.make_schedule("spaced", gap=True), TypeError, "gap"),
    ("learning.make_schedule", lambda d: learning.make_schedule("spaced", start=-1), ValueError, "start"),
    ("learning.make_schedule", lambda d: learning.make_schedule("spaced", n_steps=20), ValueError, "increase n_steps"),
    # --- learning.simulate_synapse
    ("learning.simulate_synapse", lambda d: learning.simulate_synapse(None), TypeError, "schedule must be a non-empty"),
    ("learning.simulate_synapse", lambda d: learning.simulate_synapse("1010"), TypeError, "not the string '1010'"),
    ("learning.simulate_synapse", lambda d: learning.simulate_synapse([0, INF]), ValueError,
     r"from 0 to 1; inf \(at position 1\)"),
    ("learning.simulate_synapse", lambda d: learning.simulate_synapse([0, -0.5]), ValueError,
     r"-0.5 \(at position 1\)"),
    ("learning.simulate_synapse", lambda d: learning.simulate_synapse([1, 0], post=[1, 0, 0]), ValueError,
     "same length as schedule"),
    ("learning.simulate_synapse", lambda d: learning.simulate_synapse([1, 0], post=[[1], [0]]), ValueError,
     r"post must be a non-empty one-dimensional .* shape \(2, 1\)"),
    ("learning.simulate_synapse", lambda d: learning.simulate_synapse([1], learning_rate=NAN), ValueError,
     "learning_rate must be a finite number > 0 and <= 1, not nan"),
    ("learning.simulate_synapse", lambda d: learning.simulate_synapse([1], w_max=INF), ValueError, "w_max"),
    ("learning.simulate_synapse", lambda d: learning.simulate_synapse([1], noise=None), TypeError, "noise"),
    ("learning.simulate_synapse", lambda d: learning.simulate_synapse([1], consolidation=1), ValueError,
     "consolidation must be a finite number >= 0 and < 1"),
    ("learning.simulate_synapse", lambda d: learning.simulate_synapse([1], stable_decay="slow"), TypeError,
     "stable_decay"),
    ("learning.simulate_synapse", lambda d: learning.simulate_synapse([1], seed=1.5), TypeError, "seed"),
    ("learning.simulate_synapse", lambda d: learning.simulate_synapse([1], seed=2**32), ValueError,
     "seed must be a whole number from 0 to 4294967295"),
    # --- learning.compare_schedules
    ("learning.compare_schedules", lambda d: learning.compare_schedules([]), ValueError, "at least one schedule"),
    ("learning.compare_schedules", lambda d: learning.compare_schedules(5), TypeError, "schedule name or a list"),
    ("learning.compare_schedules", lambda d: learning.compare_schedules(["massed", 3]), TypeError,
     "schedule must be a name"),
    ("learning.compare_schedules", lambda d: learning.compare_schedules(n_steps=5), ValueError, "increase n_steps"),
    ("learning.compare_schedules", lambda d: learning.compare_schedules(gap=0), ValueError, "gap"),
    ("learning.compare_schedules", lambda d: learning.compare_schedules(learning_rte=0.5), TypeError,
     "did you mean 'learning_rate'"),
    ("learning.compare_schedules", lambda d: learning.compare_schedules(schedule=[1]), TypeError,
     "unexpected keyword argument 'schedule'"),
    ("learning.compare_schedules", lambda d: learning.compare_schedules(decay="x"), TypeError, "decay"),
    ("learning.compare_schedules", lambda d: learning.compare_schedules(decay=0.7, consolidation=0.5), ValueError,
     "decay \\+ consolidation must not exceed 1"),
    ("learning.compare_schedules", lambda d: learning.compare_schedules([[1, 0], [0, 1]]), TypeError,
     "schedules of your own given with a label each"),
    ("learning.compare_schedules", lambda d: learning.compare_schedules(["spaced", "massed"], n_sessions=(12, 6)),
     TypeError, "n_sessions must be one whole number for every named schedule"),
    ("learning.compare_schedules", lambda d: learning.compare_schedules({"weekly": [1, 0]}, gap=7), ValueError,
     "gap only builds named schedules"),
    ("learning.compare_schedules", lambda d: learning.compare_schedules({"weekly": [1] * 80}, n_steps=70), ValueError,
     "lasts 80 days, longer than n_steps=70"),
    ("learning.compare_schedules", lambda d: learning.compare_schedules({"weekly": [1, NAN]}), ValueError,
     r"kinds\['weekly'\] must be .* nan \(at position 1\)"),
    # --- learning.summarise
    ("learning.summarise", lambda d: learning.summarise(None), TypeError, "data must be a pandas DataFrame"),
    ("learning.summarise", lambda d: learning.summarise({}), ValueError, "at least one simulated run"),
    ("learning.summarise", lambda d: learning.summarise({"a": 3}), TypeError,
     r"data\['a'\] must be a pandas DataFrame"),
    ("learning.summarise", lambda d: learning.summarise(pd.DataFrame({"weight": [1.0]})), ValueError,
     "lacks the columns 'step', 'coactive', 'fast', 'stable'"),
    ("learning.summarise", lambda d: learning.summarise(d["runs"], delay=1.5), TypeError, "delay"),
    ("learning.summarise", lambda d: learning.summarise(d["runs"], delay=-2), ValueError,
     r"delay \(days\) must be a whole number >= 0"),
    # --- learning.plot_synapse
    ("learning.plot_synapse", lambda d: learning.plot_synapse(pd.DataFrame()), ValueError, "non-empty"),
    ("learning.plot_synapse", lambda d: learning.plot_synapse(d["runs"], title=5), TypeError,
     "title must be a string or None"),
    ("learning.plot_synapse", lambda d: learning.plot_synapse(d["runs"], components="yes"), TypeError,
     "components must be True or False"),
    ("learning.plot_synapse", lambda d: learning.plot_synapse(d["runs"], ax="left"), TypeError,
     "ax must be a matplotlib Axes or None"),
    # --- morphometry.simulate_vbm_study
    ("morphometry.simulate_vbm_study", lambda d: morphometry.simulate_vbm_study(None), TypeError,
     "region must be a name"),
    ("morphometry.simulate_vbm_study", lambda d: morphometry.simulate_vbm_study(hemisphere=1), TypeError,
     "hemisphere must be a name"),
    ("morphometry.simulate_vbm_study", lambda d: morphometry.simulate_vbm_study(correction="FDR"), ValueError,
     "Valid corrections: 'bonferroni', 'permutation'"),
    ("morphometry.simulate_vbm_study", lambda d: morphometry.simulate_vbm_study(n_per_group=501), ValueError,
     "n_per_group must be a whole number from 3 to 500"),
    ("morphometry.simulate_vbm_study", lambda d: morphometry.simulate_vbm_study(n_per_group=INF), TypeError,
     "n_per_group"),
    ("morphometry.simulate_vbm_study", lambda d: morphometry.simulate_vbm_study(effect_size=INF), ValueError,
     "effect_size must be a finite number from -5 to 5, not inf"),
    ("morphometry.simulate_vbm_study", lambda d: morphometry.simulate_vbm_study(effect_size=5.5), ValueError,
     "effect_size"),
    ("morphometry.simulate_vbm_study", lambda d: morphometry.simulate_vbm_study(fwhm_mm=None), TypeError, "fwhm_mm"),
    ("morphometry.simulate_vbm_study", lambda d: morphometry.simulate_vbm_study(alpha_uncorrected=0.6), ValueError,
     "alpha_uncorrected must be a finite number > 0 and <= 0.5"),
    ("morphometry.simulate_vbm_study", lambda d: morphometry.simulate_vbm_study(alpha_corrected=NAN), ValueError,
     "alpha_corrected"),
    ("morphometry.simulate_vbm_study", lambda d: morphometry.simulate_vbm_study(n_permutations=10), ValueError,
     "n_permutations must be a whole number from 20 to 10000"),
    ("morphometry.simulate_vbm_study", lambda d: morphometry.simulate_vbm_study(seed=2**32), ValueError, "seed"),
    # --- morphometry.plot_simulated_tmap
    ("morphometry.plot_simulated_tmap", lambda d: morphometry.plot_simulated_tmap("map.nii", d["summary"]), TypeError,
     "t_map must be the image returned by simulate_vbm_study"),
    ("morphometry.plot_simulated_tmap", lambda d: morphometry.plot_simulated_tmap(d["t_map"], []), TypeError,
     "summary must be the dict"),
    ("morphometry.plot_simulated_tmap", lambda d: morphometry.plot_simulated_tmap(d["t_map"], {"simulated": True}),
     ValueError, "lacks region"),
    ("morphometry.plot_simulated_tmap",
     lambda d: morphometry.plot_simulated_tmap(d["t_map"], d["summary"], threshold=0.001), TypeError,
     "threshold must be a name"),
    ("morphometry.plot_simulated_tmap", lambda d: morphometry.plot_simulated_tmap(d["t_map"], d["summary"], view="3d"),
     ValueError, "Valid views: 'slices', 'glass'"),
    ("morphometry.plot_simulated_tmap", lambda d: morphometry.plot_simulated_tmap(d["t_map"], d["summary"], title=3),
     TypeError, "title"),
    ("morphometry.plot_simulated_tmap",
     lambda d: morphometry.plot_simulated_tmap(d["t_map"], d["summary"], figure="big"), TypeError,
     "figure must be a matplotlib Figure, a figure number"),
    ("morphometry.plot_simulated_tmap",
     lambda d: morphometry.plot_simulated_tmap(d["t_map"], d["summary"], axes=(0, 0, 1)), ValueError,
     "axes must be .* not 3 numbers"),
    # --- morphometry.false_positive_rate
    ("morphometry.false_positive_rate", lambda d: morphometry.false_positive_rate(n_studies=0), ValueError,
     "n_studies must be a whole number from 1 to 500"),
    ("morphometry.false_positive_rate", lambda d: morphometry.false_positive_rate(n_studies=2.5), TypeError,
     "n_studies"),
    ("morphometry.false_positive_rate", lambda d: morphometry.false_positive_rate(effect_size=1), ValueError,
     "no effect"),
    ("morphometry.false_positive_rate", lambda d: morphometry.false_positive_rate(fwhm=6), TypeError,
     "did you mean 'fwhm_mm'"),
    ("morphometry.false_positive_rate", lambda d: morphometry.false_positive_rate(fwhm_mm=-1), ValueError, "fwhm_mm"),
    ("morphometry.false_positive_rate", lambda d: morphometry.false_positive_rate(n_per_group=2), ValueError,
     "n_per_group"),
    ("morphometry.false_positive_rate", lambda d: morphometry.false_positive_rate(region="nowhere"), ValueError,
     "unknown region 'nowhere'"),
    ("morphometry.false_positive_rate", lambda d: morphometry.false_positive_rate(seed=2**32 - 1), ValueError,
     "seed must be a whole number from 0 to 4294967275"),
    # --- morphometry.detection_by_sample_size
    ("morphometry.detection_by_sample_size", lambda d: morphometry.detection_by_sample_size(()), ValueError,
     "sample_sizes must be a non-empty"),
    ("morphometry.detection_by_sample_size", lambda d: morphometry.detection_by_sample_size((8, 1000)), ValueError,
     r"from 3 to 500; 1000 \(at position 1\)"),
    ("morphometry.detection_by_sample_size", lambda d: morphometry.detection_by_sample_size((8.0,)), TypeError,
     r"8.0 \(a float\) \(at position 0\) is not an int"),
    ("morphometry.detection_by_sample_size", lambda d: morphometry.detection_by_sample_size("8"), TypeError,
     "not the string '8'"),
    ("morphometry.detection_by_sample_size", lambda d: morphometry.detection_by_sample_size(n_studies=201), ValueError,
     "n_studies must be a whole number from 1 to 200"),
    ("morphometry.detection_by_sample_size", lambda d: morphometry.detection_by_sample_size(effect_size="big"),
     TypeError, "effect_size"),
    ("morphometry.detection_by_sample_size", lambda d: morphometry.detection_by_sample_size(correction="holm"),
     ValueError, "unknown correction 'holm'"),
    ("morphometry.detection_by_sample_size", lambda d: morphometry.detection_by_sample_size(region=3), TypeError,
     "region must be a name"),
    ("morphometry.detection_by_sample_size", lambda d: morphometry.detection_by_sample_size(seed=-1), ValueError,
     "seed"),
    # --- morphometry.plot_false_positives, plot_detection_by_sample_size
    ("morphometry.plot_false_positives", lambda d: morphometry.plot_false_positives([]), TypeError,
     r"table must be a pandas DataFrame \(as false_positive_rate\(\) returns\)"),
    ("morphometry.plot_false_positives", lambda d: morphometry.plot_false_positives(pd.DataFrame()), ValueError,
     "non-empty DataFrame"),
    ("morphometry.plot_false_positives", lambda d: morphometry.plot_false_positives(pd.DataFrame({"x": [1]})),
     ValueError, "lacks the columns 'any_uncorrected', 'any_corrected'"),
    ("morphometry.plot_false_positives",
     lambda d: morphometry.plot_false_positives(pd.DataFrame({"any_uncorrected": [True], "any_corrected": [False]}),
                                                ax=1), TypeError, "ax must be a matplotlib Axes"),
    ("morphometry.plot_detection_by_sample_size", lambda d: morphometry.plot_detection_by_sample_size(None), TypeError,
     r"detection_by_sample_size\(\)"),
    ("morphometry.plot_detection_by_sample_size",
     lambda d: morphometry.plot_detection_by_sample_size(pd.DataFrame({"n_per_group": [8]})), ValueError,
     "lacks the column 'detected'"),
    ("morphometry.plot_detection_by_sample_size",
     lambda d: morphometry.plot_detection_by_sample_size(pd.DataFrame({"n_per_group": [8], "detected": [True]}),
                                                         ax=(0, 0, 1, 1)), TypeError, "ax"),
    # --- prediction.simulate_cohort
    ("prediction.simulate_cohort", lambda d: prediction.simulate_cohort(n_patients=9), ValueError,
     "n_patients must be a whole number >= 10, not 9"),
    ("prediction.simulate_cohort", lambda d: prediction.simulate_cohort(n_patients="40"), TypeError,
     "not the string '40'"),
    ("prediction.simulate_cohort", lambda d: prediction.simulate_cohort(n_features=0), ValueError, "n_features"),
    ("prediction.simulate_cohort", lambda d: prediction.simulate_cohort(signal=INF), ValueError, "finite"),
    ("prediction.simulate_cohort", lambda d: prediction.simulate_cohort(signal=None), TypeError, "signal"),
    ("prediction.simulate_cohort", lambda d: prediction.simulate_cohort(n_informative=-1), ValueError,
     "n_informative must be a whole number from 0 to 100"),
    ("prediction.simulate_cohort", lambda d: prediction.simulate_cohort(n_informative=1.0), TypeError,
     "n_informative"),
    ("prediction.simulate_cohort", lambda d: prediction.simulate_cohort(seed=-1), ValueError, "seed"),
    # --- prediction.in_sample_accuracy
    ("prediction.in_sample_accuracy", lambda d: prediction.in_sample_accuracy("data", d["y"]), TypeError,
     "X .* must be a non-empty two-dimensional table"),
    ("prediction.in_sample_accuracy", lambda d: prediction.in_sample_accuracy([1.0, 2.0], d["y"]), ValueError,
     r"not an array of shape \(2,\)"),
    ("prediction.in_sample_accuracy", lambda d: prediction.in_sample_accuracy(np.full((20, 5), NAN), d["y"]),
     ValueError, r"nan \(at row 0, column 0\)"),
    ("prediction.in_sample_accuracy", lambda d: prediction.in_sample_accuracy(d["X"], np.arange(20) % 3), ValueError,
     "exactly two groups"),
    ("prediction.in_sample_accuracy", lambda d: prediction.in_sample_accuracy(d["X"], ["a"] * 20), TypeError,
     r"y \(one label per patient\)"),
    ("prediction.in_sample_accuracy", lambda d: prediction.in_sample_accuracy(d["X"], d["y"], k_selected=6),
     ValueError, "k_selected must be a whole number from 1 to 5"),
    ("prediction.in_sample_accuracy", lambda d: prediction.in_sample_accuracy(d["X"], d["y"], model="svm"),
     ValueError, "Valid models: 'logistic', 'nearest_neighbour'"),
    ("prediction.in_sample_accuracy", lambda d: prediction.in_sample_accuracy(d["X"], d["y"], model=None), TypeError,
     "model must be a name"),
    ("prediction.in_sample_accuracy", lambda d: prediction.in_sample_accuracy(d["X"], d["y"], seed=1.5), TypeError,
     "seed"),
    # --- prediction.cross_validated_accuracy, circular_vs_honest
    ("prediction.cross_validated_accuracy", lambda d: prediction.cross_validated_accuracy(d["X"], d["y"], n_folds=1),
     ValueError, "n_folds must be a whole number >= 2"),
    ("prediction.cross_validated_accuracy", lambda d: prediction.cross_validated_accuracy(d["X"], d["y"], n_folds=2.0),
     TypeError, "n_folds"),
    ("prediction.cross_validated_accuracy", lambda d: prediction.cross_validated_accuracy(d["X"], d["y"], n_folds=11),
     ValueError, "at least n_folds=11 patients"),
    ("prediction.cross_validated_accuracy",
     lambda d: prediction.cross_validated_accuracy(d["X"], d["y"], k_selected=0), ValueError, "k_selected"),
    ("prediction.cross_validated_accuracy", lambda d: prediction.cross_validated_accuracy(d["X"], d["y"][:-1]),
     ValueError, "one label per patient"),
    ("prediction.cross_validated_accuracy", lambda d: prediction.cross_validated_accuracy(d["X"], d["y"], model=""),
     ValueError, "unknown model"),
    ("prediction.circular_vs_honest", lambda d: prediction.circular_vs_honest(d["X"], d["y"], k_selected=None),
     TypeError, "k_selected must be a whole number"),
    ("prediction.circular_vs_honest", lambda d: prediction.circular_vs_honest(d["X"], d["y"], k_selected=2,
                                                                              n_folds=0), ValueError, "n_folds"),
    ("prediction.circular_vs_honest", lambda d: prediction.circular_vs_honest(d["X"], d["y"], k_selected=2,
                                                                              seed=2**33), ValueError, "seed"),
    ("prediction.circular_vs_honest", lambda d: prediction.circular_vs_honest(d["X"][:, :0], d["y"]), ValueError,
     "non-empty two-dimensional table"),
    # --- prediction.run_studies, sample_size_study
    ("prediction.run_studies", lambda d: prediction.run_studies(n_studies=0), ValueError, "n_studies"),
    ("prediction.run_studies", lambda d: prediction.run_studies(k_selected=300), ValueError,
     "k_selected must be a whole number from 1 to 200"),
    ("prediction.run_studies", lambda d: prediction.run_studies(n_folds=30), ValueError,
     "at least n_folds=30 patients, the smaller has 20"),
    ("prediction.run_studies", lambda d: prediction.run_studies(model="svm"), ValueError, "unknown model 'svm'"),
    ("prediction.run_studies", lambda d: prediction.run_studies(signal=-0.5), ValueError, "signal"),
    ("prediction.run_studies", lambda d: prediction.run_studies(n_patients=40.0), TypeError, "n_patients"),
    ("prediction.run_studies", lambda d: prediction.run_studies(n_informative=201), ValueError, "n_informative"),
    ("prediction.run_studies", lambda d: prediction.run_studies(n_features="200"), TypeError, "n_features"),
    ("prediction.run_studies", lambda d: prediction.run_studies(seed=None), TypeError, "seed"),
    ("prediction.sample_size_study", lambda d: prediction.sample_size_study(sizes=(20, 5)), ValueError,
     r"sizes must be .* >= 10; 5 \(at position 1\)"),
    ("prediction.sample_size_study", lambda d: prediction.sample_size_study(sizes=20), TypeError,
     "sizes must be a non-empty one-dimensional sequence"),
    ("prediction.sample_size_study", lambda d: prediction.sample_size_study(sizes=("20",)), TypeError,
     "the string '20'"),
    ("prediction.sample_size_study", lambda d: prediction.sample_size_study(n_studies=0), ValueError, "n_studies"),
    ("prediction.sample_size_study", lambda d: prediction.sample_size_study(signal=NAN), ValueError, "signal"),
    ("prediction.sample_size_study", lambda d: prediction.sample_size_study(n_feature=20), TypeError,
     "did you mean 'n_features'"),
    ("prediction.sample_size_study", lambda d: prediction.sample_size_study(n_patients=20), TypeError,
     "unexpected keyword argument 'n_patients'"),
    ("prediction.sample_size_study", lambda d: prediction.sample_size_study(model="svm"), ValueError, "unknown model"),
    ("prediction.sample_size_study", lambda d: prediction.sample_size_study(sizes=(20,), n_folds=15), ValueError,
     "at least n_folds=15"),
    # --- prediction figures
    ("prediction.plot_measure_by_group", lambda d: prediction.plot_measure_by_group(d["X"], d["y"], feature=-1),
     ValueError, "feature must be a whole number from 0 to 4"),
    ("prediction.plot_measure_by_group", lambda d: prediction.plot_measure_by_group(d["X"], d["y"], feature="0"),
     TypeError, "feature"),
    ("prediction.plot_measure_by_group", lambda d: prediction.plot_measure_by_group(d["X"], d["y"], title=1),
     TypeError, "title"),
    ("prediction.plot_measure_by_group", lambda d: prediction.plot_measure_by_group(d["X"], None), TypeError, "y"),
    ("prediction.plot_accuracies", lambda d: prediction.plot_accuracies(None), TypeError,
     r"table must be a pandas DataFrame \(as run_studies\(\) returns\)"),
    ("prediction.plot_accuracies", lambda d: prediction.plot_accuracies(d["accuracies"], columns=()), ValueError,
     "at least one accuracy column"),
    ("prediction.plot_accuracies", lambda d: prediction.plot_accuracies(d["accuracies"], columns=("honest",)),
     ValueError, "did you mean 'honest_cv'"),
    ("prediction.plot_accuracies", lambda d: prediction.plot_accuracies(d["accuracies"], columns=[1]), TypeError,
     "accuracy column must be a name"),
    ("prediction.plot_accuracies", lambda d: prediction.plot_accuracies(d["accuracies"], title=[]), TypeError,
     "title"),
    ("prediction.plot_accuracies", lambda d: prediction.plot_accuracies(d["accuracies"][["signal"]]), ValueError,
     "lacks the columns 'n_patients', 'in_sample'"),
    ("prediction.plot_sample_size", lambda d: prediction.plot_sample_size(d["accuracies"], column="best"), ValueError,
     "Valid accuracy columns"),
    ("prediction.plot_sample_size", lambda d: prediction.plot_sample_size(d["accuracies"], column=None), TypeError,
     "accuracy column must be a name"),
    ("prediction.plot_sample_size", lambda d: prediction.plot_sample_size(pd.DataFrame()), ValueError, "no rows"),
    ("prediction.plot_sample_size", lambda d: prediction.plot_sample_size(d["accuracies"], title=0.5), TypeError,
     "title"),
    # --- headlines
    ("headlines.find_regions", lambda d: headlines.find_regions(None), TypeError, "text .* must be a string"),
    ("headlines.find_regions", lambda d: headlines.find_regions(b"amygdala"), TypeError, "must be a string"),
    ("headlines.compare_atlases", lambda d: headlines.compare_atlases(1), TypeError, "region must be a name"),
    ("headlines.compare_atlases", lambda d: headlines.compare_atlases("amygdala", "up"), ValueError,
     "unknown hemisphere 'up'"),
    ("headlines.compare_atlases", lambda d: headlines.compare_atlases("hippocampus", aal_labels="Hipocampus_L"),
     ValueError, "did you mean 'Hippocampus_L'"),
    ("headlines.compare_atlases", lambda d: headlines.compare_atlases("hippocampus", aal_labels=[1]), TypeError,
     "AAL label must be a name"),
    ("headlines.compare_atlases", lambda d: headlines.compare_atlases("hippocampus", aal_labels=[]), ValueError,
     "at least one AAL label"),
    ("headlines.compare_atlases", lambda d: headlines.compare_atlases("vmpfc"), ValueError,
     "no default AAL labels for region 'vmpfc'"),
    ("headlines.plot_atlas_comparison", lambda d: headlines.plot_atlas_comparison("amygdala", title=1), TypeError,
     "title"),
    ("headlines.plot_atlas_comparison", lambda d: headlines.plot_atlas_comparison("amygdala", cut_coords=(0, 0)),
     ValueError, r"cut_coords must be three numbers .* not 2 values"),
    ("headlines.plot_atlas_comparison", lambda d: headlines.plot_atlas_comparison("amygdala", cut_coords=(1000, 0, 0)),
     ValueError, "outside the MNI152 grid"),
    ("headlines.plot_atlas_comparison", lambda d: headlines.plot_atlas_comparison("amygdala", cut_coords="centre"),
     TypeError, "cut_coords"),
    ("headlines.plot_atlas_comparison", lambda d: headlines.plot_atlas_comparison("amygdala", hemisphere=None),
     TypeError, "hemisphere"),
]


def _id(case) -> str:
    function, _, error, fragment = case
    return f"{function}-{error.__name__}-{fragment[:40]}"


@pytest.mark.parametrize(("function", "call", "error", "fragment"), CASES, ids=[_id(c) for c in CASES])
def test_bad_input_raises_the_right_error(d, function, call, error, fragment):
    with pytest.raises(error, match=fragment):
        call(d)


def test_every_public_function_with_parameters_has_bad_input_cases():
    tested = {case[0] for case in CASES}
    public = {
        f"{module.__name__.rsplit('.', 1)[1]}.{name}"
        for module in MODULES
        for name in module.__all__
        if inspect.isfunction(getattr(module, name)) and inspect.signature(getattr(module, name)).parameters
    }
    assert public - tested == set()


def test_a_bad_setting_is_caught_before_any_study_runs(monkeypatch):
    """Checks come first: no simulation starts when a later study's setting is bad."""
    calls = []
    monkeypatch.setattr(morphometry, "_grey_matter", lambda: calls.append(1))
    with pytest.raises(ValueError, match="n_permutations"):
        morphometry.false_positive_rate(n_studies=3, n_permutations=5)
    with pytest.raises(ValueError, match="sample_sizes"):
        morphometry.detection_by_sample_size((8, 16, 501))
    assert calls == []
    monkeypatch.setattr(prediction, "simulate_cohort", lambda *a, **k: calls.append(1))
    with pytest.raises(ValueError, match="n_folds"):
        prediction.sample_size_study(sizes=(40, 12), n_folds=10)
    assert calls == []
