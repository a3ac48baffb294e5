"""Figures of the course's regions and networks: static (matplotlib) and interactive (HTML), one module per job.

Every function takes plain region or network keys, draws each region in its own
colour-blind-safe colour with a legend (so colour is never the only cue), and returns
the nilearn object, which a notebook shows by ending the cell with ``;`` (static) or by
leaving the view as the cell's last value (interactive).

=========================  ================================================================
module                     job
=========================  ================================================================
``static``                 static figures: :func:`plot_region`, :func:`plot_regions`, :func:`plot_network`
``slice_views``            interactive slice views of the static book (brainsprite): :func:`view_region`,
                           :func:`view_regions`, :func:`view_network`, :func:`network_hub`
``canvas`` + ``panels``    the region explorer's picture: :func:`plot_selection` (layout, PNG) and
                           its panels (pictures from cached arrays)
``three_d`` + ``meshes``   the 3-D view: :func:`view_3d` (plotly traces, page) and the region meshes
``_common``                what they share: the views, size and region checks, the point inside a region
=========================  ================================================================

Examples
--------
>>> from therapybrain import plotting
>>> plotting.plot_regions is plotting.static.plot_regions
True
"""

from . import _common
from .canvas import plot_selection
from .slice_views import BrainView, network_hub, view_network, view_region, view_regions
from .static import plot_network, plot_region, plot_regions
from .three_d import Brain3DView, view_3d

__all__ = [
    "VIEWS",
    "Brain3DView",
    "BrainView",
    "plot_network",
    "plot_selection",
    "plot_region",
    "plot_regions",
    "network_hub",
    "view_network",
    "view_region",
    "view_regions",
    "view_3d",
]

#: The static views, orthogonal slices through a point or a transparent "glass" brain.
VIEWS = _common.VIEWS  # (named here too, so that the reference page shows this comment)
