"""What the plotting modules share: the static views, size and region checks, the atlas note, the
point inside a region where every view opens, and the titled ``<iframe>`` of the interactive views.

Examples
--------
>>> _check_size(None, "width") is None, _check_size(600, "width")
(True, 600)
"""

from __future__ import annotations

import functools
from html import escape

import numpy as np

from .._docs import fill_doc
from .._validation import check_choices, check_hemisphere, check_int
from ..atlases import course_grid, load_atlas
from ..regions import DEFAULT_THRESHOLD, REGION_ALIASES, list_regions, region_centroid, region_info
from ..regions.masks import _mask_crop

#: The static views, orthogonal slices through a point or a transparent "glass" brain.
VIEWS = ("slices", "glass")


def _check_size(value: object, name: str) -> int | None:
    """None, or a frame's width or height in whole pixels (>= 1)."""
    return None if value is None else check_int(value, name, 1)


class TitledFrame:
    """An interactive view whose ``<iframe>`` carries a descriptive ``title``, for screen readers.

    Screen readers announce an inline frame by its title (WCAG 4.1.2, axe rule ``frame-title``). A view
    class sets ``frame_title`` and makes its untitled frame in :meth:`_untitled_iframe`; this class checks
    the size and adds the title. Each view class names ``get_iframe = TitledFrame.get_iframe`` too, so that
    its reference lists the method.

    Examples
    --------
    >>> from therapybrain import view_region
    >>> isinstance(view_region("amygdala"), TitledFrame)
    True
    """

    frame_title: str

    def _untitled_iframe(self, width: int | None, height: int | None) -> str:
        raise NotImplementedError

    @fill_doc
    def get_iframe(self, width: int | None = None, height: int | None = None) -> str:
        """The view in an ``<iframe srcdoc=...>`` with a ``title`` attribute, for an HTML page.

        Parameters
        ----------
        width, height : int or None, default=None
            The frame's size in pixels (whole numbers >= 1); None keeps the view's own.

        Returns
        -------
        str
            The ``<iframe>`` element, the whole page inlined in its ``srcdoc``.

        Raises
        ------
        %(raises_frame_size)s

        Examples
        --------
        >>> from therapybrain import view_3d, view_region
        >>> frame = view_region("amygdala").get_iframe(width=600)
        >>> frame.startswith('<iframe title="Interactive slice view: Amygdala'), 'width="600"' in frame
        (True, True)
        >>> view_3d(["amygdala"]).get_iframe().startswith('<iframe title="Interactive 3-D view: Amygdala"')
        True
        """
        width, height = _check_size(width, "width"), _check_size(height, "height")
        html = self._untitled_iframe(width, height)
        return html.replace("<iframe ", f'<iframe title="{escape(self.frame_title, quote=True)}" ', 1)


def _check_regions(names: object, allow_empty: bool = True) -> tuple[str, ...]:
    """Region keys from one name or a list of names (aliases allowed), checked before anything is drawn."""
    return check_choices(names, list_regions(), "region", aliases=REGION_ALIASES, allow_empty=allow_empty)


def _atlas_note(regions) -> str:
    atlases = sorted({load_atlas(r.atlas).info.title.split(" (")[0].split(" cortical")[0] for r in regions})
    return "Atlas: " + "; ".join(atlases)


def _inside_point(name: str, hemisphere: str = "both") -> tuple[float, float, float]:
    """A point inside a region where views open: its mask's voxel nearest to the centroid (MNI mm).

    A curved region's centroid can lie outside it (the left posterior cingulate cortex's, the
    prefrontal cortex's); this point never does. For ``"both"`` it is in the left hemisphere.

    Examples
    --------
    >>> from therapybrain.regions import locate
    >>> "pcc" in locate(_inside_point("pcc"))["regions"]
    True
    """
    region = region_info(name)
    side = "left" if check_hemisphere(hemisphere) == "both" else hemisphere
    values, corner = _cropped(region.key, side)
    affine = course_grid()[1]
    target = np.linalg.solve(affine, np.append(region_centroid(region.key, side), 1))[:3]
    voxels = np.argwhere(values) + corner
    nearest = voxels[np.argmin(((voxels - target) ** 2).sum(axis=1))]
    return tuple(float(v) for v in affine[:3, :3] @ nearest + affine[:3, 3])


@functools.lru_cache(maxsize=64)
def _cropped(key: str, hemisphere: str) -> tuple[np.ndarray, tuple[int, int, int]]:
    """A region's mask in its box with one empty voxel around it (bool), and the box's first voxel on
    the course grid: the regions module's cached crop, padded (no detour through a NIfTI image)."""
    values, corner = _mask_crop(key, hemisphere, DEFAULT_THRESHOLD)
    padded = np.pad(values, 1)
    padded.flags.writeable = False
    return padded, tuple(c - 1 for c in corner)
