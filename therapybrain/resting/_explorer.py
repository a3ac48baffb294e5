"""The seed explorer: a pre-rendered surface raster recoloured in milliseconds when the seed changes.

Part of :mod:`therapybrain.resting` (its docstring says where the data come from).
"""

from __future__ import annotations

import functools
import io

import numpy as np

from .._docs import fill_doc
from .._figures import kernel_note, png_img
from ..regions import network_info
from ._data import SEEDS
from ._figures import _VIEWS, _check_scale_ends
from ._maps import _check_seed, _mesh, _network_rois, inside_outside, seed_map, seed_vertices

# ----------------------------------------------------------------------------- the fast explorer

@functools.cache
def _panels() -> list[dict]:
    """Per view: the visible faces of the inflated surface, projected, back to front, with shading."""
    coords, faces, n_left = _mesh("inflated")
    out = []
    for hemi, _view, direction in _VIEWS:
        d = np.array(direction, dtype=float)
        keep = (faces < n_left).all(axis=1) if hemi == "left" else (faces >= n_left).all(axis=1)
        f = faces[keep]
        tri = coords[f]  # (n, 3, 3)
        normal = np.cross(tri[:, 1] - tri[:, 0], tri[:, 2] - tri[:, 0])
        normal /= np.linalg.norm(normal, axis=1, keepdims=True) + 1e-12
        facing = normal @ d > 0
        f, tri, normal = f[facing], tri[facing], normal[facing]
        depth = tri.mean(axis=1) @ d
        order = np.argsort(depth)
        # screen: y (front-back) and z (up); the medial view of the left and lateral of the right mirror y
        sign = -float(d[0])
        xy = np.stack([sign * -tri[..., 1], tri[..., 2]], axis=-1)[order]
        shade = 0.45 + 0.55 * np.clip(normal[order] @ d, 0, 1)
        out.append({"faces": f[order], "xy": xy, "shade": shade})
    return out


@functools.cache
def _raster(width: int = 960, height: int = 240) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Which face of which view each pixel shows (-1: background), drawn once; plus the faces and shading.

    The four views are drawn side by side once with matplotlib, each face filled with a colour that
    encodes its number (no antialiasing); reading the pixels back gives a face-index image. A new
    map is then only a table look-up per pixel.
    """
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.collections import PolyCollection
    from matplotlib.figure import Figure

    panels = _panels()
    fig = Figure(figsize=(width / 100, height / 100), dpi=100, facecolor="black")
    FigureCanvasAgg(fig)
    start = 0
    for i, panel in enumerate(panels):
        ax = fig.add_axes((i / 4, 0, 0.25, 1))
        ax.set_axis_off()
        ids = np.arange(start, start + len(panel["faces"])) + 1
        colours = np.stack([(ids >> 16) & 255, (ids >> 8) & 255, ids & 255], axis=1) / 255
        ax.add_collection(PolyCollection(panel["xy"], facecolors=colours, edgecolors="none", linewidths=0,
                                         antialiased=False))
        ax.set_xlim(panel["xy"][..., 0].min() - 2, panel["xy"][..., 0].max() + 2)
        ax.set_ylim(panel["xy"][..., 1].min() - 2, panel["xy"][..., 1].max() + 2)
        ax.set_aspect("equal")
        start += len(panel["faces"])
    fig.canvas.draw()
    rgb = np.asarray(fig.canvas.buffer_rgba())[..., :3].astype(np.int64)
    index = ((rgb[..., 0] << 16) | (rgb[..., 1] << 8) | rgb[..., 2]) - 1
    index[(index < 0) | (index >= start)] = -1
    faces = np.concatenate([p["faces"] for p in panels])
    shade = np.concatenate([p["shade"] for p in panels])
    for array in (index, faces, shade):
        array.flags.writeable = False
    return index, faces, shade


class SeedExplorer:
    """A widget: choose a seed (and the global-signal choice); the map is redrawn in a fraction of a second.

    The drawing is the inflated fsaverage5 surface in four views (left lateral, left medial, right
    medial, right lateral). Which triangle each pixel shows is worked out once; a new map only
    recolours the pixels (no 3-D engine), so a change of seed takes well under 0.5 s.

    Parameters
    ----------
    seed : str, default="pcc"
        The first seed shown (a key of ``SEEDS``).
    network : str or None, default="default_mode"
        Whose coordinates are drawn as dark patches; None draws none.
    vmax : float, default=0.7
        The colour scale's end.
    threshold : float, default=0.2
        An r whose absolute value is below this is drawn grey.

    Examples
    --------
    >>> explorer = SeedExplorer("motor")
    >>> explorer.seed.value
    'motor'
    """

    def __init__(self, seed: str = "pcc", network: str | None = "default_mode", vmax: float = 0.7,
                 threshold: float = 0.2):
        import ipywidgets as widgets

        key = _check_seed(seed)
        self.network = None if network is None else network_info(network).key
        self.threshold, self.vmax = _check_scale_ends(threshold, vmax)
        self.seed = widgets.Dropdown(options=[(s.name, k) for k, s in SEEDS.items()], value=key,
                                     description="Seed:", style={"description_width": "initial"})
        self.global_signal = widgets.Checkbox(value=False, description="regress the global signal")
        # An HTML <img> (not widgets.Image) so that the picture carries alt text, live and on the static page.
        self.image = widgets.HTML(layout=widgets.Layout(width="100%", max_width="960px"))
        self.png = b""
        self.summary = widgets.HTML()
        self._roi = _network_rois(self.network)
        self.seed.observe(self._redraw, "value")
        self.global_signal.observe(self._redraw, "value")
        views = widgets.HTML("<div style='display:flex;max-width:960px;font-size:small;text-align:center'>"
                             + "".join(f"<div style='flex:1'>{h} {v}</div>" for h, v, _ in _VIEWS) + "</div>")
        self.widget = widgets.VBox([widgets.HBox([self.seed, self.global_signal]), views, self.image, self.summary])
        self._redraw()

    def _repr_mimebundle_(self, **kwargs):
        """The widget's bundle plus a ``text/html`` fallback: the current picture, its summary, a note.

        A live kernel shows the controls; a page built without one (the book's HTML) shows the
        current picture as an ``<img>`` with alt text, its summary and where to launch the notebook.
        """
        bundle = dict(self.widget._repr_mimebundle_(**kwargs) or {})
        bundle["text/html"] = (f"<div class='tb-explorer-static'>{kernel_note('Seed explorer', 'move the seed')}"
                               f"{self.image.value}<p>{self.summary.value}</p></div>")
        return bundle

    def render(self) -> bytes:
        """Draw the current seed's map; return the PNG bytes.

        Returns
        -------
        bytes

        Examples
        --------
        >>> SeedExplorer("visual").render()[:4] == bytes([0x89]) + b"PNG"
        True
        """
        import matplotlib
        from PIL import Image

        index, faces, shade = _raster()
        key, gs = self.seed.value, self.global_signal.value
        values = seed_map(key, gs)
        face_values = np.nan_to_num(values[faces].mean(axis=1))
        rgb = matplotlib.colormaps["RdBu_r"]((face_values + self.vmax) / (2 * self.vmax))[:, :3]
        rgb[np.abs(face_values) < self.threshold] = 0.78  # grey where |r| is below the threshold
        if self._roi is not None:
            rgb[self._roi[faces].all(axis=1)] *= 0.35  # the network's coordinates: darker patches
        seed_mask = np.zeros(len(values), dtype=bool)
        seed_mask[seed_vertices(key)] = True
        rgb[seed_mask[faces].all(axis=1)] = (1.0, 0.85, 0.0)  # the seed: yellow
        rgb *= shade[:, None]
        lut = np.vstack([rgb * 255, [[255, 255, 255]]]).astype(np.uint8)
        pixels = lut[index]  # index -1 picks the white background row
        buffer = io.BytesIO()
        Image.fromarray(pixels).save(buffer, format="png", compress_level=1)
        return buffer.getvalue()

    def alt_text(self) -> str:
        """What the current picture shows, in words (the picture's alt text).

        Returns
        -------
        str

        Examples
        --------
        >>> SeedExplorer("motor").alt_text().startswith("Correlation with the seed in the motor")
        True
        """
        key, gs = self.seed.value, self.global_signal.value
        name = "" if self.network is None else network_info(self.network).name
        network = f", the {name[:1].lower() + name[1:]}'s coordinates as dark patches" if name else ""
        return (f"Correlation with the seed in the {SEEDS[key].name.lower()}"
                f"{' after global signal regression' if gs else ''}, drawn on the inflated cortex in "
                f"{len(_VIEWS)} views (left and right hemisphere, lateral and medial): red positive, blue negative, "
                f"grey where |r| < {self.threshold:g}, the seed in yellow{network}.")

    def _redraw(self, change=None):
        self.png = self.render()
        key, gs = self.seed.value, self.global_signal.value
        self.image.value = png_img(self.png, self.alt_text(), style="width:100%;height:auto")
        inside, outside = inside_outside(seed_map(key, gs), "default_mode", exclude=key)
        network = "" if self.network is None else f"; dark patches: {network_info(self.network).name} coordinates"
        self.summary.value = (
            f"<b>{SEEDS[key].name}</b>{' (global signal regressed)' if gs else ''}: red r &gt; {self.threshold:g}, "
            f"blue r &lt; -{self.threshold:g} (full colour at &plusmn;{self.vmax:g}), grey in between; "
            f"yellow: the seed{network}.<br>Mean r at the default mode network's coordinates: "
            f"<b>{inside:.2f}</b>; over the rest of the cortex: <b>{outside:.2f}</b> (the seed itself left out).")


@fill_doc
def seed_explorer(seed: str = "pcc", network: str | None = "default_mode") -> SeedExplorer:
    """Open the seed explorer (needs a live kernel to react; see ``SeedExplorer``).

    Parameters
    ----------
    seed : str, default="pcc"
        The first seed shown.
    network : str or None, default="default_mode"
        Whose coordinates are drawn as dark patches.

    Returns
    -------
    SeedExplorer

    Raises
    ------
    %(raises_seed_name)s

    Examples
    --------
    >>> seed_explorer("visual").seed.value
    'visual'
    """
    return SeedExplorer(seed, network)
