"""Every bad input to the atlas core, the figures and the explorer gets a clear TypeError or ValueError
that says what is valid - never a traceback from deep inside nilearn or numpy, never silence.

The first rows are the table of issue 13 (what a new user tried); the rest cover the other public
functions. The simulations' bad inputs are in tests/test_bad_input.py.
"""

from __future__ import annotations

import math
import re

import numpy as np
import pytest

import therapybrain as tb

NAN = math.nan

CASES = [
    # --- the table
    ("plot_region cut_coords nan", lambda: tb.plot_region("hippocampus", cut_coords=(NAN, 0, 0)),
     ValueError, "cut_coords must be three numbers .* each finite"),
    ("plot_selection cut_coords nan", lambda: tb.plot_selection(["amygdala"], cut_coords=(NAN, 0, 0)),
     ValueError, "cut_coords must be three numbers .* each finite"),
    ("plot_region cut_coords outside", lambda: tb.plot_region("hippocampus", cut_coords=(1000, 0, 0)),
     ValueError, r"cut_coords = \(1000, 0, 0\) lies outside the MNI152 grid \(x -98 to 98"),
    ("plot_region cut_coords two numbers", lambda: tb.plot_region("hippocampus", cut_coords=(1, 2)),
     ValueError, "cut_coords must be three numbers .* not 2 values"),
    ("view_region resolution float", lambda: tb.view_region("amygdala", resolution=2.0),
     TypeError, "resolution must be 1, 2, 3 or 4 .*not 2 \\(a float\\)"),
    ("view_network radius string", lambda: tb.view_network("default_mode", radius="5"),
     TypeError, "radius .* must be a finite number from 1 to 15, not the string '5'"),
    ("plot_network node_size negative", lambda: tb.plot_network("salience", node_size=-5),
     ValueError, "node_size .* must be a finite number > 0"),
    ("plot_network node_size nan", lambda: tb.plot_network("salience", node_size=NAN),
     ValueError, "node_size .* not nan"),
    ("region_explorer xyz nan", lambda: tb.region_explorer(["amygdala"], xyz=(NAN, 0, 0)),
     ValueError, "xyz must be three numbers .* each finite"),
    ("region_explorer xyz two numbers", lambda: tb.region_explorer(["amygdala"], xyz=(1, 2)),
     ValueError, "xyz must be three numbers .* not 2 values"),
    ("region_explorer xyz outside", lambda: tb.region_explorer(["amygdala"], xyz=(1000, 0, 0)),
     ValueError, r"xyz = \(1000, 0, 0\) lies outside the MNI152 grid"),
    ("locate in a coordinate set", lambda: tb.locate((0, 0, 0), atlas="seitzman_2018"),
     ValueError, "'seitzman_2018' is a coordinates atlas: it has no labels .* 'harvard_oxford'"),
    ("locate in the template", lambda: tb.locate((0, 0, 0), atlas="mni152"),
     ValueError, "'mni152' is a template atlas: it has no labels"),
    ("locate outside, plain numbers", lambda: tb.locate(np.array([1000.0, 0.0, 0.0])),
     ValueError, r"xyz = \(1000, 0, 0\) lies outside"),
    ("move_to nan", lambda: tb.region_explorer(["amygdala"]).move_to((NAN, 0, 0)),
     ValueError, "xyz must be three numbers .* each finite"),
    ("network typo near an alias", lambda: tb.network_coords("dnm"),
     ValueError, "did you mean 'default_mode'.*Short names: 'dmn' \\(default_mode\\)"),
    # --- the other public functions
    ("unknown atlas", lambda: tb.locate((0, 0, 0), atlas="nope"), ValueError, "unknown atlas 'nope'.*Valid atlases"),
    ("locate a string", lambda: tb.locate("hippocampus"), TypeError, "xyz must be three numbers"),
    ("locate booleans", lambda: tb.locate((True, 0, 0)), TypeError, "xyz must be three numbers"),
    ("region not a string", lambda: tb.region_mask(3), TypeError, "region must be a name .*Valid regions"),
    ("threshold float", lambda: tb.region_mask("insula", threshold=25.5), ValueError, "threshold must be a whole"),
    ("threshold string", lambda: tb.region_volume("insula", threshold="25"), TypeError, "threshold must be"),
    ("crop not a bool", lambda: tb.region_mask("insula", crop="yes"), TypeError, "crop must be True or False"),
    ("overlap unknown", lambda: tb.region_overlap("insula", "insulla"), ValueError, "did you mean 'insula'"),
    ("hemisphere typo", lambda: tb.region_centroid("amygdala", "lft"), ValueError, "did you mean 'left'"),
    ("hemisphere type", lambda: tb.plot_region("amygdala", hemisphere=1), TypeError, "hemisphere must be a name"),
    ("empty region list", lambda: tb.plot_regions([]), ValueError, "at least one region"),
    ("regions not a list", lambda: tb.plot_regions(5), TypeError, "region name or a list"),
    ("view typo", lambda: tb.plot_region("amygdala", view="glas"), ValueError, "did you mean 'glass'"),
    ("title not text", lambda: tb.plot_region("amygdala", title=5), TypeError, "title must be a string or None"),
    ("legend not a bool", lambda: tb.plot_regions(["amygdala"], legend="no"), TypeError, "legend must be True"),
    ("selection resolution 3", lambda: tb.plot_selection(["amygdala"], resolution=3),
     ValueError, "resolution must be 1 or 2"),
    ("selection figure number", lambda: tb.plot_selection(["amygdala"], figure=1),
     TypeError, "figure must be a matplotlib Figure"),
    ("radius too large", lambda: tb.view_network("salience", radius=40), ValueError, "radius .* from 1 to 15"),
    ("explorer view typo", lambda: tb.region_explorer(view="3-d view"), ValueError, "Valid views"),
    ("explorer network typo", lambda: tb.region_explorer(network="salient"), ValueError, "did you mean 'salience'"),
    ("label typo", lambda: tb.load_atlas("harvard_oxford").label_map("Left_Hipocampus"),
     ValueError, "did you mean 'Left_Hippocampus'"),
]


@pytest.mark.parametrize(("call", "error", "message"), [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_bad_input_gets_a_clear_error(call, error, message):
    with pytest.raises(error) as info:
        call()
    assert type(info.value) is error, f"{type(info.value).__name__}: {info.value}"
    assert re.search(message, str(info.value)), str(info.value)
    assert "np.float64" not in str(info.value) and "Traceback" not in str(info.value)


def test_values_are_used_normalised():
    """Checked once, used normalised: 'Both' and 'LEFT' behave as 'both' and 'left' everywhere."""
    display = tb.plot_regions(["amygdala"], hemisphere="Both")
    texts = [t.get_text() for ax in display.frame_axes.figure.axes for t in ax.texts]
    assert "Amygdala" in texts and not any("Both" in t for t in texts), texts
    assert display.cut_coords[0] == pytest.approx(tb.plot_regions(["amygdala"]).cut_coords[0])
    assert display.cut_coords[0] < -10, "the cut goes through the left amygdala, not the midline"
    view = tb.view_regions(["amygdala"], hemisphere="LEFT")
    assert view.frame_title.endswith("(left hemisphere)")
    assert tb.network_coords("DMN").equals(tb.network_coords("default_mode"))
    assert tb.region_mask("Dentate Gyrus", "RIGHT").get_fdata().sum() == tb.region_mask("dg", "right").get_fdata().sum()
