"""The shared checks added for the simulations: ints, sequences and tables of numbers, text, DataFrames,
matplotlib targets and extra keyword arguments. Wrong type -> TypeError, wrong value -> ValueError."""

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
import pytest

from therapybrain._validation import (
    MAX_SEED,
    check_axes,
    check_dataframe,
    check_figure,
    check_int,
    check_keywords,
    check_numbers,
    check_text,
)


def test_check_int_takes_ints_only():
    assert check_int(np.int64(7), "n", 1, 10) == 7 and type(check_int(np.int64(7), "n")) is int
    assert check_int(MAX_SEED, "seed", 0, MAX_SEED) == 2**32 - 1
    for bad in (7.0, True, "7", None, float("nan")):
        with pytest.raises(TypeError, match="n must be a whole number"):
            check_int(bad, "n", 1, 10)
    with pytest.raises(ValueError, match="n must be a whole number from 1 to 10, not 11"):
        check_int(11, "n", 1, 10)
    with pytest.raises(ValueError, match="seed must be a whole number from 0 to 4294967295"):
        check_int(2**32, "seed", 0, MAX_SEED)


@pytest.mark.parametrize(
    "value",
    [[0, 0.5, 1], (0, 1), np.array([0.0, 1.0]), pd.Series([0.2, 0.3]), range(2), [True, False], np.float32([0.5])],
)
def test_check_numbers_accepts_sequences_of_numbers(value):
    out = check_numbers(value, "schedule", 0, 1)
    assert out.dtype == float and out.ndim == 1
    assert out.tolist() == [float(v) for v in value]


def test_check_numbers_returns_a_new_array():
    original = np.array([0.0, 1.0])
    out = check_numbers(original, "schedule", 0, 1)
    out[0] = 0.5
    assert original[0] == 0.0


@pytest.mark.parametrize(
    ("value", "error", "fragment"),
    [
        ("0101", TypeError, "not the string '0101'"),
        (3, TypeError, "not 3 \\(a int\\)"),
        ({"a": 1}, TypeError, "schedule must be"),
        (None, TypeError, "not None"),
        ([0, "1"], TypeError, "the string '1' \\(at position 1\\) is not a number"),
        ([0, None], TypeError, "None \\(a NoneType\\) \\(at position 1\\)"),
        ([], ValueError, "not an empty one"),
        ([[0, 1], [1, 0]], ValueError, "shape \\(2, 2\\)"),
        ([[0, 1], [1]], ValueError, "nested lists of different lengths"),
        ([0, float("nan")], ValueError, "nan \\(at position 1\\) is not"),
        ([0, float("-inf")], ValueError, "-inf \\(at position 1\\) is not"),
        ([0, 1.5], ValueError, "from 0 to 1; 1.5 \\(at position 1\\) is not"),
    ],
)
def test_check_numbers_names_the_bad_element(value, error, fragment):
    with pytest.raises(error, match=fragment):
        check_numbers(value, "schedule", 0, 1)


def test_check_numbers_integer_and_two_dimensional():
    assert check_numbers((8, 16), "sizes", 3, 500, integer=True).tolist() == [8, 16]
    with pytest.raises(TypeError, match="8.0 \\(a float\\) \\(at position 0\\) is not an int"):
        check_numbers([8.0], "sizes", 3, integer=True)
    with pytest.raises(TypeError, match="True \\(a bool\\)"):
        check_numbers([True], "sizes", integer=True)
    table = check_numbers(pd.DataFrame({"a": [1, 2], "b": [3.0, 4.0]}), "X", ndim=2)
    assert table.shape == (2, 2) and table.dtype == float
    with pytest.raises(ValueError, match="two-dimensional table .* not an array of shape \\(3,\\)"):
        check_numbers([1, 2, 3], "X", ndim=2)
    with pytest.raises(ValueError, match="inf \\(at row 1, column 0\\)"):
        check_numbers([[1, 2], [np.inf, 3]], "X", ndim=2)
    with pytest.raises(ValueError, match="> 0 and < 1; 1 \\(at position 0\\)"):
        check_numbers([1], "rate", 0, 1, low_open=True, high_open=True)


def test_check_text_dataframe_figure_axes_keywords():
    assert check_text("amygdala", "text") == "amygdala"
    with pytest.raises(TypeError, match="text must be a string, not None"):
        check_text(None, "text")
    frame = pd.DataFrame({"seed": [0], "peak_t": [1.0]})
    assert check_dataframe(frame, "table", ["seed"]) is frame
    with pytest.raises(TypeError, match="table must be a pandas DataFrame \\(as f\\(\\) returns\\), not 3"):
        check_dataframe(3, "table", source="f()")
    with pytest.raises(ValueError, match="no rows"):
        check_dataframe(frame.iloc[:0], "table")
    with pytest.raises(ValueError, match="lacks the column 'x'.* Its columns: 'seed', 'peak_t'"):
        check_dataframe(frame, "table", ["seed", "x"])
    figure, ax = plt.subplots()
    assert check_figure(figure) is figure and check_figure(3) == 3 and check_figure(None) is None
    with pytest.raises(TypeError, match="figure must be a matplotlib Figure"):
        check_figure(True)
    assert check_axes(ax) is ax and check_axes(None) is None
    assert check_axes(np.array([0, 0, 1, 1])) == (0.0, 0.0, 1.0, 1.0)
    with pytest.raises(TypeError, match="axes must be a matplotlib Axes, four numbers"):
        check_axes(figure)
    with pytest.raises(ValueError, match="not 5 numbers"):
        check_axes([0, 0, 1, 1, 1])
    with pytest.raises(TypeError, match="ax must be a matplotlib Axes or None"):
        check_axes((0, 0, 1, 1), "ax", rect=False)
    assert check_keywords({}, ["a"], "f") == {}
    with pytest.raises(TypeError, match="f\\(\\) got an unexpected keyword argument 'zzz'; Valid: 'a'"):
        check_keywords({"zzz": 1}, ["a"], "f")
