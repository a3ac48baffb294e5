"""Figure pieces every brain figure of the course shares: the template background, the legend under the brain,
the "SIMULATED" title of the teaching simulations, and how an explorer's picture sits in a page (an ``<img>``
with alt text, a "launch to use the controls" note).

Written once here so that all figures look alike (and change together).

Examples
--------
>>> simulated_title("Noise only", default="SIMULATED: a null study")
'SIMULATED: Noise only'
"""

from __future__ import annotations

import base64
import html
from collections.abc import Sequence

#: How the anatomical background is drawn under a region, a t-map or a network: orthogonal slices,
#: no cross at the cut, the template dimmed a little, on white. nilearn's ``plot_anat`` and
#: ``plot_stat_map`` both take these.
ANAT_STYLE: dict[str, object] = {"display_mode": "ortho", "draw_cross": False, "dim": -0.3, "black_bg": False}

#: The word every figure of simulated data starts its title with.
SIMULATED = "SIMULATED"


def plot_anat_background(cut_coords=None, title: str | None = None, figure=None, axes=None, **options):
    """Draw the course's MNI152 template (1 mm) as orthogonal slices, in the style of :data:`ANAT_STYLE`.

    The caller adds what the figure is about (contours, markers) to the display it returns.

    Parameters
    ----------
    cut_coords : (x, y, z) or None, default=None
        Where the slices cross, in MNI mm (checked by the caller); None lets nilearn choose.
    title : str or None, default=None
        The figure's title.
    figure : matplotlib Figure, int or None, default=None
        Passed to nilearn.
    axes : matplotlib Axes, (left, bottom, width, height) or None, default=None
        Passed to nilearn.
    **options
        Other arguments of :func:`nilearn.plotting.plot_anat`; they win over :data:`ANAT_STYLE`.

    Returns
    -------
    nilearn.plotting.displays.OrthoSlicer
        The display, with its ``frame_axes``.

    Examples
    --------
    >>> display = plot_anat_background((0, -20, 10), title="MNI152")
    >>> type(display).__name__
    'OrthoSlicer'
    """
    from nilearn import plotting

    from .atlases import load_atlas

    style = {**ANAT_STYLE, "annotate": True, "colorbar": False, **options}
    return plotting.plot_anat(load_atlas("mni152").template, cut_coords=cut_coords, title=title, figure=figure,
                              axes=axes, **style)


def legend_below(target, handles: Sequence, title: str | None = None, ncol: int | None = None,
                 fontsize: float = 9, title_fontsize: float = 8):
    """Put a legend centred under a brain figure, without a frame: what each colour or line means.

    Parameters
    ----------
    target : nilearn display or matplotlib Figure
        The figure (a display's is ``display.frame_axes.figure``).
    handles : sequence of matplotlib artists
        One per entry, each with its label (``Patch(facecolor=..., label=...)``, ``Line2D(...)``).
    title : str or None, default=None
        A note above the entries (the atlas and threshold, "SIMULATED data ...").
    ncol : int or None, default=None
        Entries per row; None puts up to four in a row.
    fontsize, title_fontsize : float, default=9 and 8
        Text sizes (points) of the entries and of the title.

    Returns
    -------
    matplotlib.legend.Legend

    Examples
    --------
    >>> import matplotlib.pyplot as plt
    >>> from matplotlib.patches import Patch
    >>> legend = legend_below(plt.figure(), [Patch(facecolor="#0072B2", label="Hippocampus")], title="Atlas")
    >>> legend.get_title().get_text(), legend.get_texts()[0].get_text()
    ('Atlas', 'Hippocampus')
    """
    figure = target.frame_axes.figure if hasattr(target, "frame_axes") else target
    handles = list(handles)
    return figure.legend(handles=handles, loc="upper center", bbox_to_anchor=(0.5, 0.02),
                         ncol=ncol or max(1, min(len(handles), 4)), frameon=False, fontsize=fontsize,
                         title=title, title_fontsize=title_fontsize)


def simulated_title(title: str | None, default: str) -> str:
    """The title of a figure of simulated data: it always starts with "SIMULATED".

    Parameters
    ----------
    title : str or None
        What the user asked for (already checked to be a string or None).
    default : str
        The title used when ``title`` is None or empty; it should start with "SIMULATED" itself.

    Returns
    -------
    str
        ``title`` (or ``default``), with ``"SIMULATED: "`` in front unless it starts with "SIMULATED".

    Examples
    --------
    >>> simulated_title(None, "SIMULATED: 20 studies")
    'SIMULATED: 20 studies'
    >>> simulated_title("SIMULATED synapse", "unused")
    'SIMULATED synapse'
    >>> simulated_title("My run", "unused")
    'SIMULATED: My run'
    """
    text = title or default
    return text if text.startswith(SIMULATED) else f"{SIMULATED}: {text}"


def png_img(png: bytes, alt: str, style: str = "max-width:100%;height:auto") -> str:
    """An ``<img>`` element with the PNG inlined and its alt text (escaped), for a widget or a static page.

    Parameters
    ----------
    png : bytes
        The picture.
    alt : str
        What the picture shows, in words.
    style : str, default="max-width:100%;height:auto"
        The element's CSS.

    Returns
    -------
    str

    Examples
    --------
    >>> png_img(b"x", "A 'brain'", style="width:100%")
    "<img alt='A &#x27;brain&#x27;' style='width:100%' src='data:image/png;base64,eA=='>"
    """
    return (f"<img alt='{html.escape(alt, quote=True)}' style='{style}' "
            f"src='data:image/png;base64,{base64.b64encode(png).decode()}'>")


def kernel_note(what: str, action: str) -> str:
    """The note above an explorer's static picture: what it is, and where to launch it to use ``action``.

    Parameters
    ----------
    what : str
        The explorer's name, e.g. "Region explorer".
    action : str
        What the live controls do, e.g. "use the controls".

    Returns
    -------
    str

    Examples
    --------
    >>> "to move the seed." in kernel_note("Seed explorer", "move the seed")
    True
    """
    return ("<p class='tb-kernel-note' role='note' style='border-left:4px solid #0072B2;background:#f0f6fb;"
            f"color:#1a1a1a;padding:4px 8px;margin:0 0 6px 0'><b>{what} (static picture).</b> "
            f"Launch this page in Binder or Colab (rocket icon) to {action}.</p>")
