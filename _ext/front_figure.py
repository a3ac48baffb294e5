"""Sphinx extension of the course: the front page's figure, drawn by the course's package at build time.

``index.md`` shows ``assets/generated/headline-regions.png``: the three headline regions of the course
(chapter 1's "regions of learning": prefrontal cortex, hippocampus and amygdala), drawn by
``therapybrain.plot_regions`` on a glass brain, as the labs draw them. The file is not kept in git
(``.gitignore``); it is drawn when the build starts (``builder-inited``, before the pages are read)
whenever it is missing or older than a module of the package, so the front page always shows what the
package draws today. Drawing it takes a few seconds; nothing is downloaded (the atlases ship with the
installed packages).
"""

from __future__ import annotations

from pathlib import Path

from sphinx.application import Sphinx

FIGURE = Path("assets") / "generated" / "headline-regions.png"
REGIONS = ("prefrontal_cortex", "hippocampus", "amygdala")


def draw(target: Path) -> Path:
    """Draw the headline regions into ``target`` (PNG); return it."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    import therapybrain as tb

    display = tb.plot_regions(list(REGIONS), view="glass", title="The course's three headline regions")
    figure = display.frame_axes.figure
    target.parent.mkdir(parents=True, exist_ok=True)
    figure.savefig(target, dpi=110, bbox_inches="tight", facecolor="white")
    plt.close(figure)
    return target


def _outdated(target: Path) -> bool:
    if not target.is_file():
        return True
    import therapybrain

    package = Path(therapybrain.__file__).parent
    newest = max(p.stat().st_mtime for p in package.rglob("*.py"))
    return target.stat().st_mtime < newest


def _draw_front_figure(app: Sphinx) -> None:
    target = Path(app.srcdir) / FIGURE
    if _outdated(target):
        draw(target)


def setup(app: Sphinx) -> dict:
    app.connect("builder-inited", _draw_front_figure)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
