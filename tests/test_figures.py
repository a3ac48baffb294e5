"""The shared figure pieces (therapybrain/_figures.py): template background, legend under the brain, SIMULATED title."""

import matplotlib.pyplot as plt
import pytest
from matplotlib.patches import Patch

from therapybrain._figures import ANAT_STYLE, legend_below, plot_anat_background, simulated_title


@pytest.mark.parametrize(
    ("title", "default", "expected"),
    [
        (None, "SIMULATED: default", "SIMULATED: default"),
        ("", "SIMULATED: default", "SIMULATED: default"),
        ("My run", "SIMULATED: default", "SIMULATED: My run"),
        ("SIMULATED synapse", "unused", "SIMULATED synapse"),
        ("simulated, in lower case", "unused", "SIMULATED: simulated, in lower case"),
        (None, "a default without the word", "SIMULATED: a default without the word"),
    ],
)
def test_simulated_title_always_starts_with_simulated(title, default, expected):
    assert simulated_title(title, default) == expected


def test_legend_below_a_figure_and_a_display():
    figure = plt.figure()
    handles = [Patch(facecolor=c, label=n) for n, c in (("a", "#0072B2"), ("b", "#D55E00"))]
    legend = legend_below(figure, handles, title="Atlas: Harvard-Oxford")
    assert legend in figure.legends
    assert [t.get_text() for t in legend.get_texts()] == ["a", "b"]
    assert legend.get_title().get_text() == "Atlas: Harvard-Oxford"
    assert not legend.get_frame_on()
    display = plot_anat_background((0, -20, 10), title="MNI152")
    legend = legend_below(display, handles[:1], ncol=1, fontsize=8)
    assert legend in display.frame_axes.figure.legends
    assert legend.get_texts()[0].get_fontsize() == 8


def test_anat_background_is_the_course_template_in_the_shared_style():
    display = plot_anat_background((-25, -22, -14), title="Hippocampus")
    assert type(display).__name__ == "OrthoSlicer"
    assert tuple(display.cut_coords) == (-25, -22, -14)
    texts = [t.get_text() for ax in display.frame_axes.figure.axes for t in ax.texts]
    assert "Hippocampus" in texts
    assert ANAT_STYLE["display_mode"] == "ortho" and ANAT_STYLE["draw_cross"] is False


def test_simulations_use_the_shared_figure_pieces(root):
    """The background style, the legend under the brain and the SIMULATED rule are written once."""
    for path in sorted((root / "therapybrain" / "simulations").glob("*.py")):
        lines = path.read_text(encoding="utf-8").splitlines()
        text = "\n".join(line for line in lines if not line.strip().startswith(">>>"))  # examples may look
        assert "plot_anat(" not in text, path.name
        assert "figure.legend(" not in text, path.name
        assert 'startswith("SIMULATED")' not in text, path.name
