"""``python -m therapybrain.resting --build``: build the z-scored run's cache once (Binder's postBuild does)."""

import sys

from ._data import build

if sys.argv[1:] != ["--build"]:
    raise SystemExit("usage: python -m therapybrain.resting --build")
print(build())
