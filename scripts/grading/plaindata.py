"""Answers as plain data: taken out of a student's kernel as JSON text, rebuilt in the checker, never pickled.

The grader never lets the hidden tests touch a student's objects. After a submission has run, this module's
``encode`` runs *inside the student's kernel* (the sandboxed runner sends this file's source there) and turns
each answer into JSON-ready data; anything that is not plain data becomes a note saying what it was. The
checker, in another process that runs no student code, parses that JSON text and ``decode`` rebuilds the
values: ``None``, booleans, integers, floats (NaN and infinities included), strings, lists, tuples, sets and
dicts of them, numpy arrays of numbers, booleans or strings, and pandas Series and DataFrames of those.

Types are matched exactly (``type(x) is float``, never ``isinstance``): a subclass of ``float`` or ``str``
whose ``==`` is always true is *not* plain data, whatever its ``__eq__`` says. numpy scalars (``np.float64``,
``np.int64``, ``np.bool_``...) become Python numbers. Sizes are bounded: at most ``MAX_ITEMS`` values in all
and ``MAX_DEPTH`` levels of nesting (a list that contains itself is refused, not followed).

Example (both halves, as the grader uses them):

>>> import json
>>> text = json.dumps(encode({"weekly": 0.48, "regions": ["acc", "insula"]}))
>>> decode(json.loads(text))
{'weekly': 0.48, 'regions': ['acc', 'insula']}
>>> class Always(float):
...     def __eq__(self, other):
...         return True
>>> decode(json.loads(json.dumps(encode(Always(1.0)))))  # doctest: +ELLIPSIS
Traceback (most recent call last):
...
scripts.grading.plaindata.NotPlainData: an object of type Always (from the module ...), not plain data

This file imports nothing but the standard library at module level: it must run in a student's kernel
whatever that kernel has imported (numpy and pandas are looked up in ``sys.modules`` only when an answer
is one of theirs).
"""

from __future__ import annotations

import math
import sys
from typing import Any

#: At most this many values (numbers, strings, list items...) in one answer.
MAX_ITEMS = 1_000_000
#: At most this many levels of lists in lists (or dicts, tuples...).
MAX_DEPTH = 20
#: At most this many characters in one string.
MAX_STRING = 100_000
#: The JSON keys that mark a rebuilt type; a plain dict is always written as ``{"__dict__": [[key, value]...]}``.
MARKERS = ("__float__", "__tuple__", "__set__", "__dict__", "__ndarray__", "__series__", "__dataframe__",
           "__unsupported__")
#: What an answer left as ``...`` (the student notebook's placeholder) is reported as.
PLACEHOLDER = "the placeholder ..."
_NUMPY_KINDS = "biuf"   # bool, signed and unsigned integers, floats
_SCALARS = (bool, int, str, type(None))


class NotPlainData(ValueError):
    """An answer that is not plain data (the message says what it was)."""


class _Budget:
    def __init__(self) -> None:
        self.left = MAX_ITEMS

    def spend(self, n: int = 1) -> None:
        self.left -= n
        if self.left < 0:
            raise OverflowError(f"more than {MAX_ITEMS:,} values")


def _type_name(value: Any) -> str:
    kind = type(value)
    return f"an object of type {kind.__qualname__} (from the module {kind.__module__})"


def _float(value: float) -> Any:
    return value if math.isfinite(value) else {"__float__": repr(value)}


def _numpy_scalar(value: Any) -> Any:
    """A numpy scalar of an exact numpy type as a Python number, else None."""
    numpy = sys.modules.get("numpy")
    if numpy is None or type(value).__module__ != "numpy" or not isinstance(value, numpy.generic):
        return None
    kind = numpy.dtype(type(value)).kind
    if kind not in _NUMPY_KINDS:
        return None
    item = value.item()
    return _float(item) if kind == "f" else item


def encode(value: Any, depth: int = 0, budget: _Budget | None = None) -> Any:
    """``value`` as JSON-ready data, or ``{"__unsupported__": why}`` when it is not plain data.

    >>> encode((1, 2.5, float("nan"), "a"))
    {'__tuple__': [1, 2.5, {'__float__': 'nan'}, 'a']}
    >>> encode(open)["__unsupported__"]
    'an object of type builtin_function_or_method (from the module builtins), not plain data'
    """
    budget = budget or _Budget()
    try:
        return _encode(value, depth, budget)
    except (OverflowError, RecursionError) as error:
        return {"__unsupported__": f"too large to grade ({error})"}
    except NotPlainData as error:
        return {"__unsupported__": str(error)}


def _encode(value: Any, depth: int, budget: _Budget) -> Any:
    if depth > MAX_DEPTH:
        raise OverflowError(f"nested more than {MAX_DEPTH} levels deep")
    budget.spend()
    kind = type(value)
    if kind in _SCALARS:
        if kind is str and len(value) > MAX_STRING:
            raise OverflowError(f"a string of more than {MAX_STRING:,} characters")
        return value
    if kind is float:
        return _float(value)
    if kind in (list, tuple, set, frozenset):
        items = [_encode(item, depth + 1, budget) for item in value]
        if kind is list:
            return items
        return {"__tuple__": items} if kind is tuple else {"__set__": items}
    if kind is dict:
        return {"__dict__": [[_encode(k, depth + 1, budget), _encode(v, depth + 1, budget)]
                             for k, v in value.items()]}
    if value is Ellipsis:
        raise NotPlainData(PLACEHOLDER)
    scalar = _numpy_scalar(value)
    if scalar is not None:
        return scalar
    numpy, pandas = sys.modules.get("numpy"), sys.modules.get("pandas")
    if numpy is not None and kind is numpy.ndarray:
        if value.dtype.kind not in _NUMPY_KINDS + "U":
            raise NotPlainData(f"a numpy array of {value.dtype} values, not plain data (numbers, booleans, text)")
        budget.spend(int(value.size))
        flat = [_float(x) if value.dtype.kind == "f" else x for x in value.ravel().tolist()]
        return {"__ndarray__": flat, "dtype": value.dtype.str, "shape": list(value.shape)}
    if pandas is not None and kind is pandas.Series:
        return {"__series__": {"name": _encode(value.name, depth + 1, budget),
                               "index": [_encode(_item(x), depth + 1, budget) for x in value.index],
                               "values": [_encode(_item(x), depth + 1, budget) for x in value.tolist()]}}
    if pandas is not None and kind is pandas.DataFrame:
        budget.spend(int(value.size))
        return {"__dataframe__": {"columns": [_encode(_item(x), depth + 1, budget) for x in value.columns],
                                  "index": [_encode(_item(x), depth + 1, budget) for x in value.index],
                                  "data": [[_encode(_item(x), depth + 2, budget) for x in row]
                                           for row in value.itertuples(index=False, name=None)]}}
    raise NotPlainData(_type_name(value) + ", not plain data")


def _item(value: Any) -> Any:
    """A numpy scalar from a pandas container as a Python number (others unchanged)."""
    scalar = _numpy_scalar(value)
    return value if scalar is None else scalar


# ---------------------------------------------------------------------------------------------- the checker
def decode(data: Any, depth: int = 0) -> Any:
    """Rebuild a value that ``encode`` wrote, from parsed JSON; ``NotPlainData`` for a refused answer.

    Every other shape (an unknown marker, a dict that is not a marker) raises ``ValueError``: the text did not
    come from ``encode``.

    >>> decode({"__dict__": [["a", {"__tuple__": [1, 2]}]]})
    {'a': (1, 2)}
    """
    if depth > MAX_DEPTH + 2:
        raise ValueError("nested too deep")
    if data is None or type(data) in (bool, int, float, str):
        return data
    if type(data) is list:
        return [decode(x, depth + 1) for x in data]
    if type(data) is not dict or len(data) == 0:
        raise ValueError(f"not an encoded answer: {type(data).__name__}")
    marker = next(iter(data))
    if marker not in MARKERS:
        raise ValueError(f"not an encoded answer: unknown key {marker!r}")
    body = data[marker]
    if marker == "__unsupported__":
        raise NotPlainData(str(body))
    if marker == "__float__":
        if body not in ("nan", "inf", "-inf"):
            raise ValueError(f"not a float: {body!r}")
        return float(body)
    if marker == "__tuple__":
        return tuple(decode(x, depth + 1) for x in _list(body))
    if marker == "__set__":
        return set(decode(x, depth + 1) for x in _list(body))
    if marker == "__dict__":
        return {decode(k, depth + 1): decode(v, depth + 1) for k, v in (_pair(p) for p in _list(body))}
    if marker == "__ndarray__":
        return _array(data)
    import pandas

    if marker == "__series__":
        return pandas.Series([decode(x, depth + 1) for x in _list(body["values"])],
                             index=[decode(x, depth + 1) for x in _list(body["index"])],
                             name=decode(body["name"], depth + 1))
    return pandas.DataFrame([[decode(x, depth + 2) for x in _list(row)] for row in _list(body["data"])],
                            columns=[decode(x, depth + 1) for x in _list(body["columns"])],
                            index=[decode(x, depth + 1) for x in _list(body["index"])])


def _list(body: Any) -> list:
    if type(body) is not list:
        raise ValueError("not an encoded answer: a list was expected")
    return body


def _pair(body: Any) -> tuple[Any, Any]:
    if type(body) is not list or len(body) != 2:
        raise ValueError("not an encoded answer: a [key, value] pair was expected")
    return body[0], body[1]


def _array(data: dict) -> Any:
    import numpy

    dtype = numpy.dtype(str(data.get("dtype")))
    if dtype.kind not in _NUMPY_KINDS + "U":
        raise ValueError(f"not an encoded answer: dtype {dtype}")
    shape = tuple(int(n) for n in _list(data.get("shape")))
    values = [decode(x) for x in _list(data["__ndarray__"])]
    if math.prod(shape) != len(values):
        raise ValueError("not an encoded answer: shape and values disagree")
    return numpy.array(values, dtype=dtype).reshape(shape)
