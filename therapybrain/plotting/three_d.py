"""A real 3-D view: regions as solid shapes inside a see-through cortex, a network's ROI centres as dots,
drawn by plotly.js, which is inlined in the page (the view works offline).

The region meshes come from :mod:`therapybrain.plotting.meshes`; this module makes the plotly traces
and the page.

Examples
--------
>>> view = view_3d(["amygdala"])
>>> "Plotly.newPlot" in view.html, view.html.startswith("<!DOCTYPE html>")
(True, True)
"""

from __future__ import annotations

import functools
import json
import os
import re
import tempfile
from collections.abc import Sequence
from html import escape

import numpy as np

from .._docs import fill_doc
from .._validation import check_hemisphere, check_optional_text, check_xyz
from ..regions import DEFAULT_THRESHOLD, network_coords, network_info, region_info
from ._common import TitledFrame, _check_regions, _inside_point
from .meshes import region_surface

__all__ = ["Brain3DView", "view_3d"]


class Brain3DView(TitledFrame):
    """An interactive 3-D view of the brain (turn it with the mouse, scroll to zoom), in an ``<iframe>``.

    The page is self-contained: plotly.js (bundled with nilearn) and the meshes are inlined,
    and the frame carries a descriptive ``title`` for screen readers. :func:`view_3d` makes one;
    a notebook shows it when it is a cell's last value.

    Parameters
    ----------
    html : str
        The whole web page of the view.
    frame_title : str
        What the view shows, as screen readers announce the frame ("Interactive 3-D view: ...").
    width, height : int, default=720 and 460
        The frame's size in pixels.

    Examples
    --------
    >>> view = view_3d(["hippocampus"], network="medial_temporal_lobe")
    >>> view.frame_title
    'Interactive 3-D view: Hippocampus, Medial temporal lobe network'
    """

    def __init__(self, html: str, frame_title: str, width: int = 720, height: int = 460) -> None:
        self.html, self.frame_title, self.width, self.height = html, frame_title, width, height

    get_iframe = TitledFrame.get_iframe  # listed on the class's reference (see TitledFrame)

    def _untitled_iframe(self, width: int | None, height: int | None) -> str:
        return (f'<iframe srcdoc="{escape(self.html, quote=True)}" width="{width or self.width}" '
                f'height="{height or self.height}" frameBorder="0" style="max-width:100%"></iframe>')

    def _repr_html_(self) -> str:
        return self.get_iframe()

    def save_as_html(self, path) -> None:
        """Write the view as a standalone web page (it works offline: everything is inlined).

        Parameters
        ----------
        path : str or path-like
            The file to write (UTF-8); an existing file is replaced.

        Raises
        ------
        TypeError
            If ``path`` is not a string or path-like object.
        OSError
            If the file cannot be written (no such folder, no permission).

        Examples
        --------
        >>> import pathlib, tempfile
        >>> path = pathlib.Path(tempfile.mkdtemp()) / "amygdala.html"
        >>> view_3d(["amygdala"]).save_as_html(path)
        >>> path.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")
        True
        """
        with open(path, "w", encoding="utf-8") as f:
            f.write(self.html)


@fill_doc
def view_3d(
    regions: Sequence[str] = (),
    network: str | None = None,
    hemisphere: str = "both",
    cursor: tuple[float, float, float] | None = None,
    title: str | None = None,
) -> Brain3DView:
    """Open a 3-D view: regions as solid shapes inside a see-through cortex, a network's ROI centres as dots.

    The cortex is nilearn's bundled fsaverage5 pial surface (about MNI space); each region is
    the surface of its mask (25 % threshold, smoothed), so deep regions such as the hippocampus
    show too. Turn the brain with the mouse; scroll to zoom.

    Parameters
    ----------
    %(regions)s
    %(network)s
    %(hemisphere)s
    cursor : (x, y, z) or None, default=None
        A point in MNI millimetres (three finite numbers inside the course grid) marked with a black
        cross; None marks none.
    %(title)s

    Returns
    -------
    Brain3DView
        The view; a notebook shows it when it is the cell's last value (``save_as_html`` writes it
        to a file).

    Raises
    ------
    TypeError
        If ``regions`` is not a name or a list of them, a name, ``network`` or ``hemisphere`` is not a
        string, ``cursor`` not three numbers, or ``title`` not a string or None.
    ValueError
        For an unknown region, network or hemisphere (the message names the closest valid one), or a
        ``cursor`` not finite or outside the course grid.

    See Also
    --------
    view_regions, view_network : interactive slice views to click through.

    Examples
    --------
    >>> view = view_3d(["pcc", "precuneus"], network="default_mode", cursor=(-5, -38, 30))
    >>> view.frame_title
    'Interactive 3-D view: Posterior cingulate cortex, Precuneus, Default mode network'
    """
    chosen = [region_info(k) for k in _check_regions(regions)]
    net = network_info(network) if network is not None else None
    hemisphere = check_hemisphere(hemisphere)
    cursor = None if cursor is None else check_xyz(cursor, "cursor")
    title = check_optional_text(title, "title")
    names = [r.name for r in chosen] + ([net.name] if net is not None else [])
    if title is None:
        title = ", ".join(names) if names else "The cortex"
    traces = [_cortex_trace()]
    for region in chosen:
        verts, faces = region_surface(region.key, hemisphere)
        traces.append({"type": "mesh3d", "name": region.name, "color": region.colour, "opacity": 1.0,
                       "hoverinfo": "name", "lighting": {"ambient": 0.55, "diffuse": 0.7, "specular": 0.1},
                       **{axis: _b64(verts[:, n], "float32") for n, axis in enumerate("xyz")},
                       **{axis: _b64(faces[:, n], "int32") for n, axis in enumerate("ijk")}})
        # plotly.js 1.50 lists no mesh in the legend: a square at a voxel inside the region (hidden in it) does
        centre = list(_inside_point(region.key, hemisphere))
        traces.append({"type": "scatter3d", "mode": "markers", "name": region.name, "hoverinfo": "skip",
                       "x": centre[:1], "y": centre[1:2], "z": centre[2:],
                       "marker": {"size": 1, "symbol": "square", "color": region.colour,
                                  "line": {"color": "black", "width": 1}}})
    if net is not None:
        coords = network_coords(net.key)[["x", "y", "z"]].to_numpy(dtype=float)
        traces.append({"type": "scatter3d", "mode": "markers", "name": f"{net.name} (ROI centres)",
                       "x": coords[:, 0].tolist(), "y": coords[:, 1].tolist(), "z": coords[:, 2].tolist(),
                       "marker": {"size": 6, "color": net.colour, "line": {"color": "black", "width": 1}},
                       "hoverinfo": "name"})
    if cursor is not None:
        x, y, z = cursor
        arm = 14.0
        traces.append({"type": "scatter3d", "mode": "lines", "name": f"Cursor ({x:g}, {y:g}, {z:g})",
                       "x": [x - arm, x + arm, None, x, x, None, x, x],
                       "y": [y, y, None, y - arm, y + arm, None, y, y],
                       "z": [z, z, None, z, z, None, z - arm, z + arm],
                       "line": {"color": "black", "width": 6}, "hoverinfo": "name"})
    side = "" if hemisphere == "both" else f" ({hemisphere} hemisphere)"
    html = _PAGE_3D.format(
        title=escape(title), plotly=_plotly_js(),
        spec=json.dumps({"traces": traces, "title": title + side}).replace("</", "<\\/"),
        note=escape("Turn the brain with the mouse, scroll to zoom. Cortex: fsaverage5 pial surface (nilearn); "
                    f"regions: Harvard-Oxford / Juelich masks at {DEFAULT_THRESHOLD} %; "
                    "dots: Seitzman et al. (2020) ROI centres."),
    )
    return Brain3DView(html, f"Interactive 3-D view: {', '.join(names) if names else 'the cortex'}{side}")


_PAGE_3D = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>{title}</title>
<style>html,body{{margin:0;height:100%;font-family:sans-serif;background:#fff;color:#222}}
#brain{{width:100%;height:calc(100% - 2.4em)}}p{{margin:0.2em 0.5em;font-size:13px}}</style>
<script>{plotly}</script></head>
<body><div id="brain" role="img" aria-label="{title}"></div><p>{note}</p>
<script>
(function () {{
  const spec = {spec};
  function decode (field) {{
    if (!field || typeof field !== "object" || !field.b64) return field;
    const raw = atob(field.b64), bytes = new Uint8Array(raw.length);
    for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
    return field.dtype === "int32" ? new Int32Array(bytes.buffer) : new Float32Array(bytes.buffer);
  }}
  const traces = spec.traces.map(function (t) {{
    ["x", "y", "z", "i", "j", "k"].forEach(function (a) {{ t[a] = decode(t[a]); }});
    return t;
  }});
  const hidden = {{visible: false, showgrid: false, zeroline: false, showticklabels: false, title: ""}};
  let camera = {{eye: {{x: -1.25, y: 0.5, z: 0.4}}, up: {{x: 0, y: 0, z: 1}}}};
  try {{ const saved = sessionStorage.getItem("therapybrain-3d-camera"); if (saved) camera = JSON.parse(saved); }}
  catch (e) {{}}
  const layout = {{
    title: {{text: spec.title, font: {{size: 15}}, x: 0.01, xanchor: "left"}},
    margin: {{l: 0, r: 0, t: 36, b: 0}}, paper_bgcolor: "#fff", showlegend: true,
    legend: {{orientation: "h", x: 0, y: 0, yanchor: "top", font: {{size: 13}}, itemsizing: "constant"}},
    scene: {{xaxis: hidden, yaxis: hidden, zaxis: hidden, aspectmode: "data", camera: camera}}
  }};
  Plotly.newPlot("brain", traces, layout, {{displaylogo: false, responsive: true,
    modeBarButtonsToRemove: ["toImage", "hoverClosest3d"]}}).then(function (plot) {{
    plot.on("plotly_relayout", function (change) {{
      try {{ if (change["scene.camera"]) sessionStorage.setItem("therapybrain-3d-camera",
        JSON.stringify(change["scene.camera"])); }} catch (e) {{}}
    }});
  }});
}})();
</script></body></html>
"""


def _b64(values: np.ndarray, dtype: str) -> dict[str, str]:
    import base64

    return {"b64": base64.b64encode(np.ascontiguousarray(values, dtype="<" + dtype[0] + "4").tobytes()).decode(),
            "dtype": dtype}


@functools.lru_cache(maxsize=1)
def _plotly_js() -> str:
    """plotly.js as nilearn's public 3-D views inline it: the 3-D view needs nothing from the network.

    nilearn ships plotly.js (its gl3d build) for its own 3-D views; the public way to it is such a view:
    :func:`nilearn.plotting.view_markers` of one point makes a page whose scripts include it. That
    page costs about 0.4 s, so the script is kept in the course's cache folder (one file per nilearn
    version, next to the atlas stores) and read from there afterwards. A nilearn whose views no
    longer inline plotly.js stops here with an error naming it (tests/test_plotting.py checks it).
    """
    import nilearn

    from .._store import cache_dir

    cached = cache_dir() / f"plotly-from-nilearn-{nilearn.__version__}.min.js"
    try:
        return cached.read_text(encoding="utf-8")
    except OSError:
        pass
    script = _plotly_js_from_nilearn()
    try:  # a cache only: a read-only home still gets the view
        cached.parent.mkdir(parents=True, exist_ok=True)
        with tempfile.NamedTemporaryFile("w", encoding="utf-8", dir=cached.parent, delete=False) as f:
            f.write(script)
        os.replace(f.name, cached)
    except OSError:
        pass
    return script


def _plotly_js_from_nilearn() -> str:
    """The plotly.js script of a nilearn marker view's page (its ``<script>`` that defines ``Plotly``)."""
    from nilearn.plotting import view_markers

    page = view_markers(np.zeros((1, 3)), marker_color=["black"], marker_size=1).get_standalone()
    scripts = [s.strip() for s in re.findall(r"<script[^>]*>(.*?)</script>", page, flags=re.S)]
    found = [s for s in scripts if s.startswith("/**") and "plotly.js" in s[:200]]
    if not found:
        import nilearn

        raise RuntimeError(f"nilearn {nilearn.__version__}'s view_markers page no longer inlines plotly.js, "
                           "which the 3-D view takes from it: see _plotly_js in therapybrain/plotting/three_d.py.")
    return found[0]


@functools.lru_cache(maxsize=1)
def _cortex_trace() -> dict:
    """Both hemispheres of nilearn's bundled fsaverage5 pial surface, one see-through grey mesh."""
    from nilearn.datasets import load_fsaverage

    pial = load_fsaverage("fsaverage5")["pial"]
    verts, faces, offset = [], [], 0
    for part in ("left", "right"):
        mesh = pial.parts[part]
        verts.append(np.asarray(mesh.coordinates, dtype=np.float32))
        faces.append(np.asarray(mesh.faces, dtype=np.int32) + offset)
        offset += len(mesh.coordinates)
    verts, faces = np.concatenate(verts), np.concatenate(faces)
    return {"type": "mesh3d", "name": "Cortex (fsaverage5)", "color": "#b0b0b0", "opacity": 0.13,
            "hoverinfo": "skip", "showlegend": False,
            **{axis: _b64(verts[:, n], "float32") for n, axis in enumerate("xyz")},
            **{axis: _b64(faces[:, n], "int32") for n, axis in enumerate("ijk")}}
