"""Figures: each returns a nilearn display with a title and a legend, in the region's colours."""

import re
from html import unescape
from html.parser import HTMLParser

import numpy as np
import pytest
from matplotlib.colors import to_hex

import therapybrain as tb


def _legend_texts(display):
    figure = display.frame_axes.figure
    return [t.get_text() for legend in figure.legends for t in legend.get_texts()]


def _legend_colours(display):
    figure = display.frame_axes.figure
    return [to_hex(h.get_facecolor()) for legend in figure.legends for h in legend.legend_handles]


def test_plot_region_titles_and_legends_in_region_colour():
    display = tb.plot_region("hippocampus", hemisphere="left")
    assert _legend_texts(display) == ["Hippocampus"]
    assert _legend_colours(display) == [tb.region_info("hippocampus").colour.lower()]
    assert "Hippocampus, left" in _texts(display)  # nilearn draws the title as a text artist


def test_plot_selection_title_names_the_selection():
    few = tb.plot_selection(["hippocampus", "amygdala"], "default_mode", "both")
    assert "Hippocampus, Amygdala, Default mode network" in [t.get_text() for t in few.texts]
    many = tb.plot_selection(["hippocampus", "amygdala", "prefrontal_cortex", "pcc"], "default_mode", "both")
    assert "Hippocampus + 4 more" in [t.get_text() for t in many.texts]


def _offsets(figure) -> int:
    """How many network marks (dots and rings) the figure's panels draw."""
    return sum(len(c.get_offsets()) for ax in figure.axes for c in ax.collections)


@pytest.mark.parametrize("cut", [(0, 0, 0), (-60, 60, 70), (40, -90, -40)])
def test_a_chosen_network_is_always_visible_on_slices(cut):
    n = len(tb.network_coords("salience"))
    figure = tb.plot_selection([], "salience", cut_coords=cut)
    assert _offsets(figure) == 3 * n  # every ROI centre on each slice: a dot near it, a ring further away
    (legend,) = figure.legends
    assert [t.get_text() for t in legend.get_texts()] == ["Salience network (ROI centres)"]
    assert "within 8 mm of the slice; rings: further away" in legend.get_title().get_text()


def test_plot_selection_updates_a_figure_in_place_and_draws_the_cursor_on_the_glass_brain():
    figure = tb.plot_selection(["insula"], view="glass", cut_coords=(38, 4, 2), hemisphere="right")
    axes = list(figure.axes)
    tb.plot_selection(["insula"], view="glass", cut_coords=(-38, 4, 2), hemisphere="right", figure=figure)
    assert figure.axes == axes  # a move redraws no axes
    cursors = [line.get_xydata().tolist() for ax in figure.axes for line in ax.lines]
    assert [[4.0, 2.0]] in cursors and [[-38.0, 2.0]] in cursors  # seen from the left side, from the back
    tb.plot_selection(["insula", "acc"], view="slices", cut_coords=(0, 0, 0), figure=figure)
    shown = [ax for ax in figure.axes if ax.get_visible()]
    assert len(shown) == 3 and not set(shown) & set(axes)  # the slices' own axes; the glass brain's hidden
    tb.plot_selection(["insula"], view="glass", cut_coords=(0, 0, 0), figure=figure)
    assert [ax for ax in figure.axes if ax.get_visible()] == axes  # and shown again, not made anew


def _texts(display) -> list[str]:
    return [t.get_text() for ax in display.frame_axes.figure.axes for t in ax.texts]


@pytest.mark.parametrize("view", ["slices", "glass"])
def test_plot_regions_legend_lists_every_region(view):
    names = ["acc", "pcc", "insula"]
    display = tb.plot_regions(names, view=view)
    assert _legend_texts(display) == [tb.region_info(n).name for n in names]


def test_plot_network_marks_every_roi():
    display = tb.plot_network("salience")
    n = len(tb.network_coords("salience"))
    collections = [c for ax in display.axes.values() for c in ax.ax.collections]
    assert any(len(c.get_offsets()) == n for c in collections)
    assert _legend_texts(display) == ["Salience network"]


class _Resources(HTMLParser):
    """What a document loads: (tag, url) of every script, stylesheet, image and frame, and its inline scripts."""

    def __init__(self) -> None:
        super().__init__()
        self.loads: list[tuple[str, str]] = []
        self.inline: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        self._in_script = tag == "script" and not attrs.get("src")
        rel = (attrs.get("rel") or "").lower()
        if tag == "link" and "icon" in rel:
            return  # a document in an iframe requests no icon (nilearn's page links its favicon)
        for attr in ("src", "href") if tag == "link" else ("src",):
            if tag in {"script", "link", "img", "iframe", "source", "embed", "object"} and attrs.get(attr):
                self.loads.append((tag, attrs[attr]))

    def handle_data(self, data):
        if self._in_script:
            self.inline.append(data)

    def handle_endtag(self, tag):
        self._in_script = False


def _document_in_frame(frame: str) -> _Resources:
    srcdoc = re.search(r'\ssrcdoc="([^"]*)"', frame)
    assert srcdoc, "the view is not an <iframe srcdoc=...>"
    parser = _Resources()
    parser.feed(unescape(srcdoc.group(1)))
    return parser


@pytest.mark.parametrize("view", [lambda: tb.view_region("amygdala"), lambda: tb.view_network("default_mode")],
                         ids=["view_region", "view_network"])
def test_views_are_self_contained_html(view):
    frame = view().get_iframe()
    assert frame.startswith("<iframe") and len(frame) < 1_500_000
    document = _document_in_frame(frame)
    assert all(url.startswith("data:") for _, url in document.loads), document.loads  # nothing from a server
    assert any("brainsprite" in script for script in document.inline)  # the viewer itself is inline


def test_3d_view_is_self_contained_and_shows_the_selection(monkeypatch):
    import socket

    from therapybrain import plotting
    from therapybrain.plotting import three_d

    def no_network(*args, **kwargs):
        raise AssertionError("the 3-D view tried to use the network")

    monkeypatch.setattr(socket.socket, "connect", no_network)
    three_d._cortex_trace.cache_clear()  # load the bundled fsaverage5 surface again, offline
    three_d._plotly_js.cache_clear()
    view = plotting.view_3d(["hippocampus", "pcc"], network="default_mode", hemisphere="left", cursor=(-25, -22, -14))
    assert view.frame_title == ("Interactive 3-D view: Hippocampus, Posterior cingulate cortex, "
                                "Default mode network (left hemisphere)")
    frame = view.get_iframe()
    assert frame.startswith('<iframe title="Interactive 3-D view: ')
    document = _document_in_frame(frame)
    assert all(url.startswith("data:") for _, url in document.loads), document.loads  # nothing from a server
    page = "".join(document.inline)
    assert "Plotly.newPlot" in page and "Cursor (-25, -22, -14)" in page
    for name, colour in [("Hippocampus", tb.region_info("hippocampus").colour),
                         ("Default mode network (ROI centres)", tb.network_info("default_mode").colour)]:
        assert f'"name": "{name}"' in page and colour in page


def test_region_surfaces_are_closed_outward_and_keep_the_masks_volume():
    from therapybrain.plotting._common import _inside_point
    from therapybrain.plotting.meshes import region_surface

    for key in ["hippocampus", "amygdala", "prefrontal_cortex"]:
        verts, faces = region_surface(key, "left")
        low, high = verts.min(axis=0), verts.max(axis=0)
        inside = np.array(_inside_point(key, "left"))
        assert np.all(low < inside) and np.all(inside < high)
        assert faces.max() < len(verts) and len(faces) > 500
        # closed: every edge is shared by exactly two triangles, once in each direction
        edges = np.concatenate([faces[:, [0, 1]], faces[:, [1, 2]], faces[:, [2, 0]]])
        directed = {tuple(e) for e in edges.tolist()}
        assert len(directed) == len(edges) and all((b, a) in directed for a, b in directed)
        # outward (a positive signed volume) and about the mask's volume (1 mm voxels)
        a, b, c = (verts[faces[:, n]].astype(np.float64) for n in range(3))
        volume = np.einsum("ij,ij->i", a, np.cross(b, c)).sum() / 6
        mask = 1000 * tb.region_volume(key, "left")  # cm3 -> mm3
        assert 0.8 * mask < volume < 1.2 * mask, (key, volume, mask)


def test_plotly_js_comes_from_nilearns_public_3d_view_and_is_cached(tmp_path, monkeypatch):
    from therapybrain.plotting import three_d

    monkeypatch.setenv("THERAPYBRAIN_CACHE", str(tmp_path))
    three_d._plotly_js.cache_clear()
    script = three_d._plotly_js()
    assert script.startswith("/**") and "plotly.js" in script[:200] and "Plotly" in script and len(script) > 500_000
    cached = list(tmp_path.glob("plotly-from-nilearn-*.min.js"))
    assert len(cached) == 1 and cached[0].read_text(encoding="utf-8") == script
    three_d._plotly_js.cache_clear()
    monkeypatch.setattr(three_d, "_plotly_js_from_nilearn", lambda: pytest.fail("the cache was not read"))
    assert three_d._plotly_js() == script
    three_d._plotly_js.cache_clear()


def test_a_nilearn_without_plotly_js_in_its_views_stops_with_a_clear_error(tmp_path, monkeypatch):
    import nilearn.plotting

    from therapybrain.plotting import three_d

    class Page:
        def get_standalone(self):
            return "<html><script>var jQuery = 1;</script></html>"

    monkeypatch.setenv("THERAPYBRAIN_CACHE", str(tmp_path))
    monkeypatch.setattr(nilearn.plotting, "view_markers", lambda *args, **kwargs: Page())
    three_d._plotly_js.cache_clear()
    with pytest.raises(RuntimeError, match="no longer inlines plotly.js"):
        three_d._plotly_js()
    three_d._plotly_js.cache_clear()


def test_slice_views_say_what_they_are_with_whole_titles_and_open_at_the_centre():
    view = tb.view_regions(["hippocampus", "dentate_gyrus"])
    page = _document_in_frame(view.get_iframe())
    assert view.html.count("Hippocampus + Dentate gyrus (both hemispheres)") >= 2  # <title> and the heading
    params = view.html.replace("&quot;", '"')
    assert "Interactive slice view: click or drag" in view.html and '"title": null' in params  # none in the canvas
    assert '"colorMap"' not in params  # no colour bar numbering the regions
    assert any("brainsprite" in script for script in page.inline)
    network = tb.view_network("default_mode")
    assert "Default mode network: 67 ROI centres (Seitzman et al. 2020)" in network.html
    hub = tb.plotting.network_hub("default_mode")
    assert hub in [tuple(round(v, 2) for v in row) for row in tb.network_coords("default_mode")[["x", "y", "z"]]
                   .to_numpy()]
    assert hub[1] > 30 and abs(hub[0]) < 15  # a medial prefrontal hub, not the cerebellum (x=32, y=-80, z=-38)


def test_views_have_a_frame_title_for_screen_readers():
    view = tb.view_regions(["pcc", "precuneus"], hemisphere="left")
    html = view.get_iframe()
    assert html.startswith('<iframe title="Interactive slice view: ')
    assert "left hemisphere" in view.frame_title and tb.region_info("pcc").name in view.frame_title
    assert view._repr_mimebundle_()["text/html"] == html
    network = tb.view_network("salience")
    assert network.frame_title.startswith("Interactive slice view: Salience network")
    assert 'title="Interactive slice view: Salience network' in network._repr_html_()


def test_regions_and_networks_share_no_colour():
    colours = [tb.region_info(k).colour.lower() for k in tb.list_regions()]
    colours += [tb.network_info(k).colour.lower() for k in tb.list_networks()]
    assert len(set(colours)) == len(colours), sorted(c for c in colours if colours.count(c) > 1)


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: tb.plot_region("amygdala", figure="big"), "figure must be a matplotlib Figure"),
        (lambda: tb.plot_regions(["amygdala"], axes="top"), "axes must be a matplotlib Axes"),
        (lambda: tb.plot_network("salience", figure=True), "figure must be a matplotlib Figure"),
        (lambda: tb.view_region("amygdala").get_iframe(width="wide"), "width must be a whole number"),
        (lambda: tb.view_3d(["amygdala"]).get_iframe(height=480.0), "height must be a whole number"),
    ],
)
def test_plotting_wrong_types(call, message):
    with pytest.raises(TypeError, match=message):
        call()


def test_plots_take_an_axes_box_and_a_figure_number():
    import matplotlib.pyplot as plt

    display = tb.plot_region("amygdala", figure=7, axes=[0, 0.5, 1, 0.5])
    assert display.frame_axes.figure is plt.figure(7)
    plt.close(7)
    with pytest.raises(ValueError, match="four numbers"):
        tb.plot_network("salience", axes=(0, 0, 1))


@pytest.mark.parametrize(
    ("call", "message"),
    [
        (lambda: tb.plot_region("hipocampus"), "did you mean 'hippocampus'"),
        (lambda: tb.plot_regions([]), "at least one region"),
        (lambda: tb.plot_region("amygdala", view="3d"), "Valid views"),
        (lambda: tb.plot_network("defualt_mode"), "did you mean 'default_mode'"),
        (lambda: tb.plotting.view_3d(["hipocampus"]), "did you mean 'hippocampus'"),
        (lambda: tb.plotting.view_3d(network="salince"), "did you mean 'salience'"),
        (lambda: tb.plotting.network_hub("visul"), "did you mean 'visual'"),
        (lambda: tb.view_region("insula", resolution=7), "resolution must be"),
        (lambda: tb.view_network("salience").get_iframe(width=0), "width must be a whole number >= 1"),
    ],
)
def test_plotting_bad_input(call, message):
    with pytest.raises(ValueError, match=message):
        call()
