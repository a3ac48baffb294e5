"""The region explorer, driven without a browser: set controls, read what it shows."""

import pytest

import therapybrain as tb


@pytest.fixture(scope="module")
def explorer():
    return tb.region_explorer(["hippocampus"], network="default_mode")


def test_starts_inside_the_first_region_and_draws(explorer):
    assert explorer.png.startswith(b"\x89PNG")
    assert "alt='MNI152 brain, slices" in explorer.picture.value and "Hippocampus" in explorer.picture.value
    x, y, z = explorer.xyz
    assert x < 0 and abs(x - tb.region_centroid("hippocampus", "left")[0]) <= 1
    assert "hippocampus, left" in explorer.readout.value
    assert "Hippocampus" in explorer.details.value and "Default mode network" in explorer.details.value
    assert "Chapters: 1, 2.2" in explorer.details.value
    assert "Desikan" in explorer.details.value or "Makris" in explorer.details.value  # the atlas citation
    assert "kernel" in explorer.children[0].value  # the static page says what needs a kernel


@pytest.mark.parametrize("region", ["pcc", "prefrontal_cortex", "hippocampus"])
def test_opens_at_a_voxel_inside_the_first_region(region):
    # the left PCC's and the prefrontal cortex's centroids lie outside their own masks
    explorer = tb.region_explorer([region])
    assert region in tb.locate(explorer.xyz)["regions"]
    assert f"{region.replace('_', ' ')}, left" in explorer.readout.value


def test_changing_a_control_redraws_the_picture(explorer):
    before, count = explorer.png, explorer.draw_count
    explorer.regions.value = ("amygdala", "insula")
    assert explorer.draw_count == count + 1 and explorer.png != before
    assert "Amygdala" in explorer.details.value and "Insula" in explorer.details.value
    assert "Hippocampus" not in explorer.details.value
    before = explorer.png
    explorer.hemisphere.value = "right"
    assert explorer.png != before


def test_glass_and_3d_views(explorer):
    explorer.view.value = "glass"
    assert explorer.picture.layout.display is None
    explorer.view.value = "3d"
    frame = explorer.view3d.value
    assert frame.startswith('<iframe title="Interactive 3-D view: ') and explorer.picture.layout.display == "none"
    assert "Plotly.newPlot" in frame and "Default mode network (ROI centres)" in frame  # the network is shown
    assert f"Cursor ({explorer.x.value}, {explorer.y.value}, {explorer.z.value})" in frame
    explorer.move_to((-25, -22, -14))  # the cursor moves in 3-D too
    assert "Cursor (-25, -22, -14)" in explorer.view3d.value
    assert "hippocampus, left" in explorer.readout.value
    explorer.view.value = "slices"
    assert explorer.view3d.value == ""  # the 3-D page is not kept in the widget's state


@pytest.mark.parametrize(
    ("xyz", "expected"),
    [
        ((-25, -22, -14), "hippocampus, left"),
        ((24, -4, -19), "amygdala, right"),
        ((-38, 20, 42), "dlpfc, left"),
        ((52, -52, 32), "angular gyrus, right"),
    ],
)
def test_where_am_i_names_the_region_and_label(explorer, xyz, expected):
    explorer.move_to(xyz)
    assert explorer.xyz == xyz
    assert expected in explorer.readout.value
    assert "Harvard-Oxford:" in explorer.readout.value


def test_typed_coordinates_move_the_cursor(explorer):
    explorer.goto.value = "-25, -22, -14"
    assert explorer.xyz == (-25, -22, -14)
    explorer.goto.value = "(24 -4 -19)"
    assert explorer.xyz == (24, -4, -19)


@pytest.mark.parametrize(
    ("text", "message"),
    [("abc", "three numbers"), ("1, 2", "three numbers"), ("500, 0, 0", "outside the MNI152 grid")],
)
def test_bad_coordinates_give_a_message_not_a_traceback(explorer, text, message):
    before = explorer.xyz
    explorer.goto.value = text
    assert message in explorer.readout.value
    assert explorer.xyz == before
    explorer.goto.value = ""


def test_outside_the_brain_says_so(explorer):
    explorer.move_to((0, 0, 85))
    assert "outside the brain" in explorer.readout.value


def test_presets_must_be_valid():
    with pytest.raises(ValueError, match="did you mean 'hippocampus'"):
        tb.region_explorer(["hipocampus"])
    with pytest.raises(ValueError, match="Valid views"):
        tb.region_explorer(["insula"], view="surface")
    with pytest.raises(ValueError, match="did you mean 'salience'"):
        tb.region_explorer(network="salince")


def test_static_page_shows_the_picture_readout_and_launch_note():
    explorer = tb.region_explorer(["amygdala"], network="salience")
    bundle = explorer._repr_mimebundle_()
    assert "application/vnd.jupyter.widget-view+json" in bundle  # the live widget, as ipywidgets gives it
    page = bundle["text/html"]
    assert "<img alt='MNI152 brain, slices" in page and "data:image/png;base64," in page
    assert "Amygdala" in page and "Salience network" in page
    assert "Where am I?" in page and "amygdala" in page  # the read-out at the cursor
    assert "Launch this page in Binder or Colab (rocket icon) to use the controls" in page
    explorer.view.value = "3d"  # a view without a static picture still gives one on the page
    assert "data:image/png;base64," in explorer._repr_mimebundle_()["text/html"]


def test_notes_keep_one_font_size_and_the_legend_is_legible(explorer):
    explorer.regions.value = ("hippocampus", "pcc")
    assert "<small" not in explorer.details.value and "font-size:14px" in explorer.details.value
    (legend,) = explorer._figure.legends
    assert min(t.get_fontsize() for t in [*legend.get_texts(), legend.get_title()]) >= 10
    assert int.from_bytes(explorer.png[16:20], "big") == 760  # the PNG's width: shown 1:1 in a 760 px column
