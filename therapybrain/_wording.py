"""How the input checks word their messages: a value as the user typed it, its type, a range, a plural,
the closest valid name.

The checks (:mod:`therapybrain._validation`) decide what is valid; this module only says it, the same way in
every message. It imports nothing of the package (it sits in the lowest layer, beside the checks).

Examples
--------
>>> _describe("Left"), _describe([1, 2.5])
("the string 'Left'", '(1, 2.5) (a list)')
>>> "must be a number" + _range(0, 20, True, False)
'must be a number > 0 and <= 20'
"""

from __future__ import annotations

import difflib
import math
import numbers
from collections.abc import Iterable

import numpy as np


def _plural(word: str) -> str:
    """The plural of a kind of thing, by the regular rules: a consonant and -y take -ies, -s takes -es.

    Examples
    --------
    >>> [_plural(w) for w in ("region", "study", "key", "day", "atlas")]
    ['regions', 'studies', 'keys', 'days', 'atlases']
    """
    if word.endswith("y") and word[-2:-1].lower() not in "aeiou":  # not "key" (keys), nor "y" alone
        return word[:-1] + "ies"
    return word + ("es" if word.endswith("s") else "s")


def _range(low, high, low_open, high_open) -> str:
    if low is not None and high is not None and not (low_open or high_open):
        return f" from {_bound(low)} to {_bound(high)}"
    parts = []
    if low is not None:
        parts.append(f"{'>' if low_open else '>='} {_bound(low)}")
    if high is not None:
        parts.append(f"{'<' if high_open else '<='} {_bound(high)}")
    return (" " + " and ".join(parts)) if parts else ""


def _bound(value: float) -> str:
    """A bound as a reader would write it: whole numbers in full (4294967295, not 4.29497e+09)."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _show(value: object) -> str:
    """A value as a student typed it: numpy scalars as plain numbers."""
    if isinstance(value, (np.ndarray, list, tuple)):
        items = [_show(v) for v in (value.ravel().tolist() if isinstance(value, np.ndarray) else value)]
        return "(" + ", ".join(items) + ")"
    if isinstance(value, numbers.Real) and not isinstance(value, bool):
        number = float(value)
        return str(int(number)) if math.isfinite(number) and number == int(number) else f"{number:g}"
    return repr(value)


def _position(index: tuple[int, ...]) -> str:
    if len(index) == 1:
        return f"(at position {index[0]})"
    return f"(at row {index[0]}, column {index[1]})"


def _describe_exactly(value: object) -> str:
    """As :func:`_describe`, but a float shows as typed (``16.0``), where a whole number is the wrong type."""
    if isinstance(value, (float, np.floating)):
        return f"{float(value)!r} (a {type(value).__name__})"
    return _describe(value)


def _describe(value: object) -> str:
    if isinstance(value, str):
        return f"the string {value!r}"
    return f"{_show(value)} (a {type(value).__name__})"


def _normalise(name: str) -> str:
    return "_".join(name.strip().lower().replace("-", " ").replace("_", " ").split())


def _closest(word: str, names: Iterable[str]) -> str | None:
    """The one of ``names`` closest to ``word`` (difflib's ratio of at least 0.5), or None: the "did you mean".

    Examples
    --------
    >>> _closest("lefft", ["left", "right", "both"]), _closest("zzzz", ["left", "right"])
    ('left', None)
    """
    close = difflib.get_close_matches(word, list(names), n=1, cutoff=0.5)
    return close[0] if close else None
