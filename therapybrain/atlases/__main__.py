"""``python -m therapybrain.atlases --build``: build the compact store of every image atlas now.

Binder's ``postBuild``, the hub's setup and the grader run it once, so that no student pays for it.
"""

import sys

from .._store import cache_dir
from .loading import build_stores

if sys.argv[1:] != ["--build"]:
    raise SystemExit("usage: python -m therapybrain.atlases --build")
print(f"built {', '.join(build_stores())} in {cache_dir()}")
