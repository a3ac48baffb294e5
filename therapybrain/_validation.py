"""Checks of user input, in one place: every public function calls these first, before any atlas is loaded.

Each check returns the value *normalised* (``"Left"`` -> ``"left"``, ``5`` -> ``5.0``,
``[1, 2, 3]`` -> ``(1.0, 2.0, 3.0)``), and the caller uses only that. A value of the wrong
type raises ``TypeError``; a value of the right type but not allowed raises ``ValueError``;
both messages say what is valid. (The model is nilearn's ``_utils/param_validation.py``.) How the messages
word a value, a range, a plural or a suggestion is :mod:`therapybrain._wording`'s job.
"""

from __future__ import annotations

import math
import numbers
from collections.abc import Iterable, Mapping, Sequence

import numpy as np

from ._grid import grid_bounds
from ._wording import _bound as _bound  # the wording helpers, importable from here as before
from ._wording import _closest, _describe, _describe_exactly, _normalise, _plural, _position, _range, _show

HEMISPHERES = ("left", "right", "both")


def check_choice(
    value: object,
    choices: Iterable[str],
    kind: str,
    plural: str | None = None,
    aliases: Mapping[str, str] | None = None,
) -> str:
    """Return ``value`` normalised if it is one of ``choices`` (or an alias of one), else raise.

    Matching ignores case, surrounding blanks, and treats ``-`` and blanks like ``_``,
    so ``"Dentate Gyrus"`` finds ``"dentate_gyrus"``.

    Parameters
    ----------
    value : object
        What the user typed.
    choices : iterable of str
        The valid names.
    kind : str
        What is being chosen ("region", "atlas", ...), used in the message.
    plural : str, optional
        The plural of ``kind`` when adding "s" is wrong ("atlases").
    aliases : mapping of str to str, optional
        Short names accepted for a choice (``{"dmn": "default_mode"}``).

    Returns
    -------
    str
        The matching entry of ``choices``.

    Raises
    ------
    TypeError
        If ``value`` is not a string.
    ValueError
        If nothing matches; the message names the closest choice and all valid ones.

    Examples
    --------
    >>> check_choice("Left", ["left", "right", "both"], "hemisphere")
    'left'
    >>> check_choice("lefft", ["left", "right", "both"], "hemisphere")
    Traceback (most recent call last):
    ...
    ValueError: unknown hemisphere 'lefft'; did you mean 'left'? Valid hemispheres: 'left', 'right', 'both'.
    """
    options = list(choices)
    if plural is None:
        plural = _plural(kind)
    valid = ", ".join(f"'{o}'" for o in options)
    if not isinstance(value, str):
        raise TypeError(f"{kind} must be a name (a str), not {_describe(value)}. Valid {plural}: {valid}.")
    wanted = _normalise(value)
    for option in options:
        if _normalise(option) == wanted:
            return option
    known_aliases = {_normalise(a): target for a, target in (aliases or {}).items()}
    if wanted in known_aliases:
        return known_aliases[wanted]
    names = {_normalise(o): o for o in options} | known_aliases
    close = _closest(wanted, names)
    hint = f"; did you mean '{names[close]}'?" if close else "."
    also = ""
    if aliases:
        also = " Short names: " + ", ".join(f"'{a}' ({t})" for a, t in aliases.items()) + "."
    raise ValueError(f"unknown {kind} {value!r}{hint} Valid {plural}: {valid}.{also}")


def check_choices(values: object, choices: Iterable[str], kind: str, plural: str | None = None,
                  aliases: Mapping[str, str] | None = None, allow_empty: bool = True) -> tuple[str, ...]:
    """Check a name or a sequence of names; return them normalised, as a tuple.

    Examples
    --------
    >>> check_choices(["Left", "both"], ["left", "right", "both"], "hemisphere")
    ('left', 'both')
    >>> check_choices("right", ["left", "right", "both"], "hemisphere")
    ('right',)
    """
    options = list(choices)
    if isinstance(values, str):
        values = [values]
    if not isinstance(values, Iterable) or isinstance(values, Mapping):
        raise TypeError(f"expected a {kind} name or a list of them, not {_describe(values)}")
    checked = tuple(check_choice(v, options, kind, plural, aliases) for v in values)
    if not checked and not allow_empty:
        raise ValueError(f"name at least one {kind}; valid: " + ", ".join(f"'{o}'" for o in options))
    return checked


def check_hemisphere(value: object) -> str:
    """``"left"``, ``"right"`` or ``"both"``, whatever the case.

    Examples
    --------
    >>> check_hemisphere("LEFT")
    'left'
    """
    return check_choice(value, HEMISPHERES, "hemisphere")


def check_number(
    value: object,
    name: str,
    low: float | None = None,
    high: float | None = None,
    *,
    integer: bool = False,
    low_open: bool = False,
    high_open: bool = False,
) -> float | int:
    """A finite number (a whole one if ``integer``) in ``[low, high]``; returned as float (or int).

    Parameters
    ----------
    value : object
        What the user passed. ``bool`` and strings are not numbers here.
    name : str
        The parameter's name, for the message.
    low, high : float, optional
        Bounds; ``low_open`` / ``high_open`` exclude them.
    integer : bool
        Require a whole number (``3`` or ``3.0``, not ``3.5``).

    Raises
    ------
    TypeError
        Not a number (a string, ``None``, ``True`` ...).
    ValueError
        Not finite, not whole when required, or out of range.

    Examples
    --------
    >>> check_number(5, "radius", 0, 20, low_open=True)
    5.0
    >>> check_number(float("nan"), "radius", 0, 20)
    Traceback (most recent call last):
    ...
    ValueError: radius must be a finite number from 0 to 20, not nan.
    """
    kind = "whole number" if integer else "number"
    wanted = f"a {'finite ' if not integer else ''}{kind}{_range(low, high, low_open, high_open)}"
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise TypeError(f"{name} must be {wanted}, not {_describe(value)}.")
    number = float(value)
    ok = math.isfinite(number)
    if ok and integer:
        ok = number == int(number)
    if ok and low is not None:
        ok = number > low if low_open else number >= low
    if ok and high is not None:
        ok = number < high if high_open else number <= high
    if not ok:
        raise ValueError(f"{name} must be {wanted}, not {_show(value)}.")
    return int(number) if integer else number


def check_xyz(value: object, name: str = "xyz", inside_grid: bool = True) -> tuple[float, float, float]:
    """Three finite numbers (x, y, z) in MNI millimetres, inside the course grid unless told otherwise.

    Examples
    --------
    >>> check_xyz([-25, -22, -14])
    (-25.0, -22.0, -14.0)
    >>> check_xyz((1000, 0, 0))
    Traceback (most recent call last):
    ...
    ValueError: xyz = (1000, 0, 0) lies outside the MNI152 grid (x -98 to 98, y -134 to 98, z -72 to 116 mm).
    """
    what = f"{name} must be three numbers (x, y, z) in MNI millimetres"
    if isinstance(value, (str, bytes)) or not isinstance(value, (Sequence, np.ndarray)):
        raise TypeError(f"{what}, not {_describe(value)}.")
    items = list(np.asarray(value).ravel()) if isinstance(value, np.ndarray) else list(value)
    if len(items) != 3:
        raise ValueError(f"{what}, not {len(items)} value{'s' if len(items) != 1 else ''}: {_show(value)}.")
    if any(isinstance(v, bool) or not isinstance(v, numbers.Real) for v in items):
        raise TypeError(f"{what}, not {_show(value)}.")
    point = tuple(float(v) for v in items)
    if not all(math.isfinite(v) for v in point):
        raise ValueError(f"{what}, each finite, not {_show(value)}.")
    if inside_grid:
        low, high = grid_bounds()
        if any(v < a or v > b for v, a, b in zip(point, low, high)):
            ranges = ", ".join(f"{axis} {a:.0f} to {b:.0f}" for axis, a, b in zip("xyz", low, high))
            raise ValueError(f"{name} = {_show(value)} lies outside the MNI152 grid ({ranges} mm).")
    return point


def check_resolution(value: object, allowed: Sequence[int] = (1, 2)) -> int:
    """A voxel size in whole millimetres, one of ``allowed``.

    Examples
    --------
    >>> check_resolution(2)
    2
    """
    text = " or ".join(", ".join(str(a) for a in allowed).rsplit(", ", 1))  # "1, 2, 3 or 4"
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"resolution must be {text} (whole millimetres), not {_describe(value)}.")
    if int(value) not in allowed:
        raise ValueError(f"resolution must be {text} (whole millimetres), not {_show(value)}.")
    return int(value)


def check_bool(value: object, name: str) -> bool:
    """True or False (numpy booleans too).

    Examples
    --------
    >>> check_bool(True, "legend")
    True
    """
    if not isinstance(value, (bool, np.bool_)):
        raise TypeError(f"{name} must be True or False, not {_describe(value)}.")
    return bool(value)


def check_optional_text(value: object, name: str) -> str | None:
    """None or a string (a title, say).

    Examples
    --------
    >>> check_optional_text(None, "title") is None
    True
    """
    if value is not None and not isinstance(value, str):
        raise TypeError(f"{name} must be a string or None, not {_describe(value)}.")
    return value


#: The largest seed a simulation takes: numpy's and scikit-learn's generators take 0 to 2**32 - 1.
MAX_SEED = 2**32 - 1


def check_int(value: object, name: str, low: int | None = None, high: int | None = None) -> int:
    """A whole number of type ``int`` (a count, an index, a seed) in ``[low, high]``.

    Unlike ``check_number(..., integer=True)``, which takes ``25.0`` for a percentage, a count
    must be an ``int``: ``16.0`` people is a ``TypeError``, as numpy and scikit-learn treat it.

    Parameters
    ----------
    value : object
        What the user passed (numpy integers are fine; ``bool`` is not a number here).
    name : str
        The parameter's name, for the message.
    low, high : int, optional
        Bounds, both included.

    Returns
    -------
    int

    Raises
    ------
    TypeError
        Not an ``int`` (a float, a string, ``None``, ``True`` ...).
    ValueError
        Out of range.

    Examples
    --------
    >>> check_int(16, "n_per_group", 3, 500)
    16
    >>> check_int(16.0, "n_per_group", 3, 500)
    Traceback (most recent call last):
    ...
    TypeError: n_per_group must be a whole number from 3 to 500 (an int), not 16.0 (a float).
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise TypeError(f"{name} must be a whole number{_range(low, high, False, False)} (an int), "
                        f"not {_describe_exactly(value)}.")
    return check_number(value, name, low, high, integer=True)


def check_numbers(
    value: object,
    name: str,
    low: float | None = None,
    high: float | None = None,
    *,
    integer: bool = False,
    ndim: int = 1,
    low_open: bool = False,
    high_open: bool = False,
) -> np.ndarray:
    """A non-empty sequence (``ndim=1``) or table (``ndim=2``) of finite numbers, each in ``[low, high]``.

    A list, tuple, range, numpy array or pandas object will do. Booleans count as 0 and 1,
    except when ``integer`` asks for whole numbers of type ``int`` (as :func:`check_int`).

    Parameters
    ----------
    value : object
        What the user passed.
    name : str
        The parameter's name, for the message.
    low, high : float, optional
        Bounds for every element; ``low_open`` / ``high_open`` exclude them.
    integer : bool
        Require ints (sample sizes, counts).
    ndim : {1, 2}
        One-dimensional sequence, or two-dimensional table (rows x columns).

    Returns
    -------
    numpy.ndarray
        A new array: float, or int64 if ``integer``.

    Raises
    ------
    TypeError
        Not a sequence (a string, a number, a dict ...), or an element is not a number.
    ValueError
        Ragged, empty, of the wrong number of dimensions, or an element not finite or out of range
        (the message says which, and where).

    Examples
    --------
    >>> check_numbers([1, 0, 0.5], "schedule", 0, 1)
    array([1. , 0. , 0.5])
    >>> check_numbers((8, 16), "sample_sizes", 3, 500, integer=True)
    array([ 8, 16])
    >>> check_numbers([0, 2], "schedule", 0, 1)  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    ValueError: schedule must be a non-empty ... of finite numbers from 0 to 1; 2 (at position 1) is not.
    """
    shape_text = {1: "one-dimensional sequence", 2: "two-dimensional table (rows x columns)"}[ndim]
    kinds = "whole numbers (ints)" if integer else "finite numbers"
    wanted = f"a non-empty {shape_text} of {kinds}{_range(low, high, low_open, high_open)}"
    if isinstance(value, (str, bytes, Mapping)) or not (isinstance(value, Sequence) or hasattr(value, "__array__")):
        raise TypeError(f"{name} must be {wanted}, not {_describe(value)}.")
    try:
        array = np.asarray(value)
    except ValueError:  # nested lists of different lengths
        raise ValueError(f"{name} must be {wanted}, not nested lists of different lengths.") from None
    if array.ndim != ndim:
        raise ValueError(f"{name} must be {wanted}, not an array of shape {array.shape}.")
    if array.size == 0:
        raise ValueError(f"{name} must be {wanted}, not an empty one.")
    kind = array.dtype.kind
    if not (kind in "iu" or (kind in "bf" and not integer)):
        wanted_type = numbers.Integral if integer else numbers.Real
        for index, item in np.ndenumerate(np.asarray(value, dtype=object)):
            if isinstance(item, (bool, np.bool_)) or not isinstance(item, wanted_type):
                raise TypeError(f"{name} must be {wanted}; {_describe_exactly(item)} {_position(index)} is not "
                                f"{'an int' if integer else 'a number'}.")
        if kind != "O":
            raise TypeError(f"{name} must be {wanted}, not an array of {array.dtype}.")
    array = array.astype(np.int64 if integer else float)
    bad = ~np.isfinite(array) if not integer else np.zeros(array.shape, dtype=bool)
    if low is not None:
        bad |= array <= low if low_open else array < low
    if high is not None:
        bad |= array >= high if high_open else array > high
    if bad.any():
        index = tuple(int(i) for i in np.argwhere(bad)[0])
        raise ValueError(f"{name} must be {wanted}; {_show(array[index])} {_position(index)} is not.")
    return array


def check_text(value: object, name: str) -> str:
    """A string (a headline, a label), not ``None``.

    Examples
    --------
    >>> check_text("Therapy calms the amygdala", "text")
    'Therapy calms the amygdala'
    >>> check_text(["amygdala"], "text")
    Traceback (most recent call last):
    ...
    TypeError: text must be a string, not ('amygdala') (a list).
    """
    if not isinstance(value, str):
        raise TypeError(f"{name} must be a string, not {_describe(value)}.")
    return value


def check_dataframe(value: object, name: str, columns: Iterable[str] = (), source: str | None = None):
    """A non-empty pandas DataFrame with (at least) the given ``columns``; ``source`` says where it comes from.

    Examples
    --------
    >>> import pandas as pd
    >>> check_dataframe(pd.DataFrame({"seed": [0]}), "table", ["seed"]).shape
    (1, 1)
    >>> check_dataframe(None, "table", ["seed"], source="false_positive_rate()")
    Traceback (most recent call last):
    ...
    TypeError: table must be a pandas DataFrame (as false_positive_rate() returns), not None (a NoneType).
    """
    import pandas as pd

    origin = f" (as {source} returns)" if source else ""
    if not isinstance(value, pd.DataFrame):
        raise TypeError(f"{name} must be a pandas DataFrame{origin}, not {_describe(value)}.")
    if value.empty:
        raise ValueError(f"{name} must be a non-empty DataFrame{origin}; this one has no rows.")
    missing = [c for c in columns if c not in value.columns]
    if missing:
        plural = "s" if len(missing) > 1 else ""
        raise ValueError(f"{name} lacks the column{plural} {', '.join(repr(c) for c in missing)}; pass a "
                         f"DataFrame{origin}. Its columns: {', '.join(repr(str(c)) for c in value.columns)}.")
    return value


def check_figure(value: object, name: str = "figure"):
    """``None``, a matplotlib Figure, or a figure number (an int), as nilearn's ``figure`` takes.

    Examples
    --------
    >>> check_figure(None) is None
    True
    >>> check_figure("big")
    Traceback (most recent call last):
    ...
    TypeError: figure must be a matplotlib Figure, a figure number (an int) or None, not the string 'big'.
    """
    from matplotlib.figure import Figure

    if value is None or isinstance(value, Figure) or (isinstance(value, numbers.Integral)
                                                      and not isinstance(value, bool)):
        return value
    raise TypeError(f"{name} must be a matplotlib Figure, a figure number (an int) or None, not {_describe(value)}.")


def check_axes(value: object, name: str = "axes", rect: bool = True):
    """``None`` or matplotlib Axes; with ``rect``, also four numbers (left, bottom, width, height), as nilearn takes.

    Examples
    --------
    >>> check_axes((0, 0, 1, 0.5))
    (0.0, 0.0, 1.0, 0.5)
    >>> check_axes((0, 0, 1, 0.5), "ax", rect=False)
    Traceback (most recent call last):
    ...
    TypeError: ax must be a matplotlib Axes or None, not (0, 0, 1, 0.5) (a tuple).
    """
    from matplotlib.axes import Axes

    if value is None or isinstance(value, Axes):
        return value
    wanted = "a matplotlib Axes, four numbers (left, bottom, width, height) or None" if rect else (
        "a matplotlib Axes or None")
    if rect and not isinstance(value, (str, bytes)) and isinstance(value, (Sequence, np.ndarray)):
        box = check_numbers(value, name)
        if box.size == 4:
            return tuple(float(v) for v in box)
        raise ValueError(f"{name} must be {wanted}, not {box.size} numbers.")
    raise TypeError(f"{name} must be {wanted}, not {_describe(value)}.")


def check_keywords(options: Mapping[str, object], allowed: Iterable[str], function: str) -> dict[str, object]:
    """Extra keyword arguments (``**options``) handed on to ``function``: each must be one it takes.

    Examples
    --------
    >>> check_keywords({"fwhm_mm": 6}, ["fwhm_mm", "hemisphere"], "simulate_vbm_study")
    {'fwhm_mm': 6}
    >>> check_keywords({"fwhm": 6}, ["fwhm_mm", "hemisphere"], "simulate_vbm_study")  # doctest: +ELLIPSIS
    Traceback (most recent call last):
    ...
    TypeError: simulate_vbm_study() got an unexpected keyword argument 'fwhm'; did you mean 'fwhm_mm'? Valid: ...
    """
    valid = list(allowed)
    for key in options:
        if key not in valid:
            close = _closest(key, valid)
            hint = f"; did you mean '{close}'?" if close else ";"
            raise TypeError(f"{function}() got an unexpected keyword argument '{key}'{hint} Valid: "
                            + ", ".join(f"'{v}'" for v in valid) + ".")
    return dict(options)
