"""Validation of user input against a fixed set of choices.

Every public function of :mod:`therapybrain` that takes a name (of a region, an
atlas, a network, a hemisphere, a view) checks it here, once, so that a typo gives a
clear message naming the valid choices instead of a traceback from deep inside nilearn.
"""

from __future__ import annotations

import difflib
from collections.abc import Iterable


def check_choice(value: object, choices: Iterable[str], kind: str, plural: str | None = None) -> str:
    """Return ``value`` normalised if it is one of ``choices``, else raise ``ValueError``.

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

    Returns
    -------
    str
        The matching entry of ``choices``.

    Raises
    ------
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
    if isinstance(value, str):
        wanted = _normalise(value)
        for option in options:
            if _normalise(option) == wanted:
                return option
        close = difflib.get_close_matches(wanted, [_normalise(o) for o in options], n=1, cutoff=0.5)
        hint = ""
        if close:
            match = next(o for o in options if _normalise(o) == close[0])
            hint = f"; did you mean '{match}'?"
        else:
            hint = ";"
    else:
        hint = f" (a {type(value).__name__}, expected a name);"
    valid = ", ".join(f"'{o}'" for o in options)
    if plural is None:
        plural = kind[:-1] + "ies" if kind.endswith("y") else kind + ("es" if kind.endswith("s") else "s")
    raise ValueError(f"unknown {kind} {value!r}{hint} Valid {plural}: {valid}.")


def _normalise(name: str) -> str:
    return "_".join(name.strip().lower().replace("-", " ").replace("_", " ").split())
