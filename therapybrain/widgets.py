"""The region explorer: an ipywidgets panel to pick regions, networks and views, and move through the brain.

Built only from :mod:`therapybrain.regions` and :mod:`therapybrain.plotting`. Masks and
atlases are cached there, so after the first drawing a change only redraws the picture.
"""

from __future__ import annotations

import html
from collections.abc import Sequence

import ipywidgets as widgets
from matplotlib.figure import Figure

from ._docs import fill_doc
from ._figures import kernel_note, png_img
from ._validation import check_choice, check_choices, check_hemisphere, check_xyz
from .atlases import atlas_info, course_grid
from .plotting._common import _inside_point
from .plotting.canvas import _selection_png, plot_selection
from .plotting.three_d import view_3d
from .regions import REGION_ALIASES, list_networks, list_regions, locate, network_info, region_info

__all__ = ["RegionExplorer", "region_explorer", "EXPLORER_VIEWS"]

#: The explorer's views, orthogonal slices, glass brain and a 3-D view to turn with the mouse (plotly.js, inlined).
EXPLORER_VIEWS = ("slices", "glass", "3d")

KERNEL_NOTE = (
    "<div class='tb-kernel-note' role='note' style='font-size:0.9em;padding:4px 8px;"
    "border-left:4px solid #0072B2;background:#f0f6fb;color:#1a1a1a;margin-bottom:6px'>"
    "<b>Interactive explorer.</b> Its controls work when this notebook runs with a live Python kernel: "
    "launch it in Binder or Colab (rocket icon at the top of the page) or run it locally. "
    "On the static web page you see it as it was first drawn.</div>"
)


@fill_doc
class RegionExplorer(widgets.VBox):
    """An explorer of the course's regions and networks.

    Use :func:`region_explorer` to make one. Its parts are attributes, so a test or a
    notebook can drive it: ``regions``, ``network``, ``hemisphere``, ``view`` (controls),
    ``x``, ``y``, ``z`` (sliders, MNI mm), ``goto`` (a text box for "x, y, z"),
    ``picture`` (the static figure: an HTML image with alt text; ``png`` holds its bytes),
    ``view3d`` (the 3-D view), ``readout`` ("where am I?") and ``details`` (descriptions and citations).

    Parameters
    ----------
    %(regions)s
    %(network)s
    %(hemisphere)s
    %(explorer_view)s
    %(explorer_xyz)s

    Raises
    ------
    TypeError
        If ``regions`` is not a name or a list of them, a name, ``network``, ``hemisphere`` or
        ``view`` is not a string, or ``xyz`` not three numbers.
    ValueError
        For an unknown region, network, hemisphere or view (the message names the closest valid one),
        or an ``xyz`` not finite or outside the course grid.

    Examples
    --------
    >>> explorer = RegionExplorer(regions=["hippocampus"])
    >>> explorer.move_to((-25, -22, -14))
    >>> "hippocampus, left" in explorer.readout.value
    True
    """

    def __init__(
        self,
        regions: Sequence[str] = (),
        network: str | None = None,
        hemisphere: str = "both",
        view: str = "slices",
        xyz: tuple[float, float, float] | None = None,
    ) -> None:
        regions = check_choices(regions, list_regions(), "region", aliases=REGION_ALIASES)
        network = network_info(network).key if network is not None else None
        hemisphere = check_hemisphere(hemisphere)
        view = check_choice(view, EXPLORER_VIEWS, "view")
        xyz = None if xyz is None else check_xyz(xyz)
        self.draw_count = 0
        self.regions = widgets.SelectMultiple(
            options=[(region_info(k).name, k) for k in list_regions()], value=regions, rows=8,
            description="Regions", layout=widgets.Layout(width="320px"),
        )
        self.network = widgets.Dropdown(
            options=[("(no network)", None)] + [(network_info(k).name, k) for k in list_networks()],
            value=network, description="Network", layout=widgets.Layout(width="320px"),
        )
        self.hemisphere = widgets.ToggleButtons(
            options=[("Both", "both"), ("Left", "left"), ("Right", "right")], value=hemisphere,
            description="Hemisphere", style={"button_width": "70px"},
        )
        self.view = widgets.ToggleButtons(
            options=[("Slices", "slices"), ("Glass brain", "glass"), ("3-D", "3d")], value=view,
            description="View", style={"button_width": "104px"},
        )
        shape, affine = course_grid()
        low = affine[:3, 3]
        high = low + affine.diagonal()[:3] * [n - 1 for n in shape]
        if xyz is None:
            xyz = _inside_point(regions[0], hemisphere) if regions else (0.0, 0.0, 0.0)
        self.x, self.y, self.z = (
            widgets.IntSlider(value=int(round(v)), min=int(a), max=int(b), description=f"{axis} (mm)",
                              continuous_update=False)
            for axis, v, a, b in zip("xyz", xyz, low, high)
        )
        self.goto = widgets.Text(placeholder="x, y, z   (then Enter)", description="Go to",
                                 continuous_update=False, layout=widgets.Layout(width="320px"))
        # An HTML <img> (not widgets.Image) so that the picture carries alt text, live and on the static page.
        self.picture = widgets.HTML(layout=widgets.Layout(max_width="760px"))
        self.png = b""
        self._figure = Figure()
        self.view3d = widgets.HTML()
        self.readout = widgets.HTML()
        self.details = widgets.HTML()
        # Controls beside the picture where there is room (JupyterLab), above it in a narrow column
        # (the book's page, a phone): the row wraps instead of squeezing the controls under the picture.
        controls = widgets.VBox([self.regions, self.network, self.hemisphere, self.view,
                                 self.x, self.y, self.z, self.goto], layout=widgets.Layout(flex="0 0 auto"))
        shown = widgets.VBox([self.picture, self.view3d, self.readout, self.details],
                             layout=widgets.Layout(flex="1 1 420px", min_width="0"))
        super().__init__([widgets.HTML(KERNEL_NOTE),
                          widgets.HBox([controls, shown], layout=widgets.Layout(flex_flow="row wrap"))])
        for control in (self.regions, self.network, self.hemisphere, self.view):
            control.observe(self._selection_changed, names="value")
        for slider in (self.x, self.y, self.z):
            slider.observe(self._moved, names="value")
        self.goto.observe(self._typed, names="value")
        self._moving = False
        self.redraw()
        self._update_readout()
        self._update_details()

    # --- what the controls do -------------------------------------------------------------
    @property
    def xyz(self) -> tuple[int, int, int]:
        """The current MNI coordinate (mm)."""
        return (self.x.value, self.y.value, self.z.value)

    @fill_doc
    def move_to(self, xyz: Sequence[float]) -> None:
        """Move the cursor to an MNI coordinate (x, y, z) in mm, and redraw the view and the read-out.

        Parameters
        ----------
        %(xyz)s
            It is rounded to whole millimetres (the sliders' steps).

        Raises
        ------
        TypeError
            If ``xyz`` is not three numbers (the go-to box shows the message in the read-out instead).
        ValueError
            If ``xyz`` is not three finite numbers inside the MNI152 grid (the go-to box shows the
            message in the read-out instead).

        Examples
        --------
        >>> explorer = RegionExplorer(regions=["amygdala"])
        >>> explorer.move_to((24, -4, -19))
        >>> explorer.xyz, "amygdala, right" in explorer.readout.value
        ((24, -4, -19), True)
        """
        point = check_xyz(xyz)
        self._moving = True
        try:
            self.x.value, self.y.value, self.z.value = (int(round(v)) for v in point)
        finally:
            self._moving = False
        self._moved(None)

    def redraw(self) -> None:
        """Draw the picture for the current selection and view.

        The controls call it on every change, so a notebook rarely needs to.

        Examples
        --------
        >>> explorer = RegionExplorer(regions=["insula"])
        >>> count = explorer.draw_count
        >>> explorer.redraw()
        >>> explorer.draw_count == count + 1 and explorer.png.startswith(b"\\x89PNG")
        True
        """
        self.draw_count += 1
        if self.view.value == "3d":
            view = view_3d(self.regions.value, self.network.value, self.hemisphere.value, cursor=self.xyz)
            self.view3d.value = view.get_iframe(width=740, height=480)
            self.picture.layout.display = "none"
            self.view3d.layout.display = None
            return
        self.png = self._render_png(self.view.value)
        self.picture.value = png_img(self.png, self._alt_text(), style="max-width:100%")
        self.picture.layout.display = None
        self.view3d.layout.display = "none"
        self.view3d.value = ""  # a 3-D page is megabytes: do not keep it in the widget's state

    def _render_png(self, view: str) -> bytes:
        """The current selection drawn in a static view ("slices" or "glass") as PNG bytes."""
        # One figure outside pyplot, redrawn for every change: nothing to close, no window, no global state.
        plot_selection(self.regions.value, self.network.value, self.hemisphere.value, view,
                       cut_coords=self.xyz, figure=self._figure)
        return _selection_png(self._figure, dpi=100)

    def _alt_text(self, view: str | None = None) -> str:
        view = view or self.view.value
        names = [region_info(k).name for k in self.regions.value]
        if self.network.value is not None:
            marks = "dots" if view == "glass" else "dots near the slices, rings further away"
            names.append(f"{network_info(self.network.value).name} ROI centres as {marks}")
        what = ", ".join(names) if names else "no region selected"
        view = (f"glass brain from four sides, a cross at x={self.x.value}, y={self.y.value}, z={self.z.value} mm"
                if view == "glass" else f"slices crossing at x={self.x.value}, y={self.y.value}, z={self.z.value} mm")
        side = "both hemispheres" if self.hemisphere.value == "both" else f"{self.hemisphere.value} hemisphere"
        return f"MNI152 brain, {view}; {side}: {what}."

    # --- the static page ------------------------------------------------------------------
    def _repr_mimebundle_(self, **kwargs):
        """ipywidgets' bundle plus a ``text/html`` fallback: the current picture, its read-out, a note.

        A page built without a live kernel (the book's HTML) cannot run the controls; it shows
        the explorer's current picture as an ``<img>`` with alt text, what the read-out says at
        the cursor, and where to launch the notebook to use the controls.
        """
        bundle = super()._repr_mimebundle_(**kwargs) or {}
        bundle = dict(bundle)
        bundle["text/html"] = self._static_html()
        return bundle

    def _static_html(self) -> str:
        """The explorer as a static picture (base64 PNG with alt text), its read-out and a launch note."""
        view = self.view.value if self.view.value in ("slices", "glass") else "slices"
        png = self.png if (view == self.view.value and self.png) else self._render_png(view)
        alt = self._alt_text(view)
        details = self.details.value
        return (f"<div class='tb-explorer-static'>{kernel_note('Region explorer', 'use the controls')}"
                f"{png_img(png, alt)}{self.readout.value}{details}</div>")

    # --- observers ------------------------------------------------------------------------
    def _selection_changed(self, _change) -> None:
        self.redraw()
        self._update_details()

    def _moved(self, _change) -> None:
        if self._moving:
            return
        self._update_readout()
        self.redraw()  # every view shows the cursor

    def _typed(self, change) -> None:
        text = change["new"].strip()
        if not text:
            return
        cleaned = text.replace(";", ",").replace("(", " ").replace(")", " ")
        parts = cleaned.split(",") if "," in cleaned else cleaned.split()
        try:
            point = [float(v) for v in parts]
        except ValueError:
            point = []
        if len(point) != 3:
            self._message(f"Type three numbers separated by commas, like <code>-25, -22, -14</code> "
                          f"(not <code>{html.escape(text)}</code>).")
            return
        try:
            self.move_to(point)
        except (TypeError, ValueError) as error:
            self._message(html.escape(str(error)))

    # --- text panels ----------------------------------------------------------------------
    def _message(self, text: str) -> None:
        self.readout.value = f"<p role='status' style='color:#A0301A'><b>Note:</b> {text}</p>"

    def _update_readout(self) -> None:
        found = locate(self.xyz)
        x, y, z = self.xyz
        where = f"<b>Where am I?</b> x = {x}, y = {y}, z = {z} mm"
        if not found["inside_brain"]:
            self.readout.value = f"<p role='status'>{where}: outside the brain (on the template).</p>"
            return
        side = found["hemisphere"]
        here = [f"{k.replace('_', ' ')}, {side}" for k in found["regions"]]
        region_text = "; ".join(here) if here else "none of the course's regions"
        labels = list(found["labels"].items())[:3]
        ho = ", ".join(f"{html.escape(n.replace('_', ' '))} ({v} %)" for n, v in labels) or "no label"
        juelich = list(locate(self.xyz, atlas="juelich")["labels"].items())[:2]
        ju = ", ".join(f"{html.escape(n.replace('_', ' '))} ({v} %)" for n, v in juelich) or "no label"
        self.readout.value = (
            f"<p role='status'>{where} ({side} hemisphere)<br>Course region: <b>{region_text}</b><br>"
            f"Harvard-Oxford: {ho}<br>Juelich: {ju}</p>"
        )

    def _update_details(self) -> None:
        rows = []
        for key in self.regions.value:
            region = region_info(key)
            info = atlas_info(region.atlas)
            rows.append(
                f"<li>{_swatch(region.colour, round_=False)} <b>{html.escape(region.name)}</b>: "
                f"{html.escape(region.why)}<br>Chapters: {', '.join(region.chapters)}. "
                f"Atlas: {html.escape(info.title)}; {html.escape(info.citation)}</li>"
            )
        if self.network.value is not None:
            net = network_info(self.network.value)
            rows.append(
                f"<li>{_swatch(net.colour, round_=True)} <b>{html.escape(net.name)}</b>: "
                f"{html.escape(net.why)}<br>ROI centres: {html.escape(atlas_info('seitzman_2018').citation)}</li>"
            )
        # One font size throughout: each note's sources go on their own line, not in smaller type.
        self.details.value = (
            "<ul style='font-size:14px;line-height:1.45;padding-left:1.2em;margin:4px 0'>" + "".join(rows) + "</ul>"
            if rows else "<p>Choose regions or a network.</p>"
        )


def _swatch(colour: str, round_: bool) -> str:
    """A small square (region) or disc (network) in a colour, outlined so that light colours show."""
    radius = "50%" if round_ else "0"
    return (f"<span aria-hidden='true' style='display:inline-block;width:0.8em;height:0.8em;background:{colour};"
            f"border:1px solid #000;border-radius:{radius};vertical-align:-0.05em'></span>")


@fill_doc
def region_explorer(
    regions: Sequence[str] = (),
    network: str | None = None,
    hemisphere: str = "both",
    view: str = "slices",
    xyz: tuple[float, float, float] | None = None,
) -> RegionExplorer:
    """Open the region explorer, optionally pre-set to a chapter's regions and network.

    Parameters
    ----------
    %(regions)s
    %(network)s
    %(hemisphere)s
    %(explorer_view)s
    %(explorer_xyz)s

    Returns
    -------
    RegionExplorer
        An ipywidgets widget: the cell's last value displays it.

    Raises
    ------
    TypeError
        If ``regions`` is not a name or a list of them, a name, ``network``, ``hemisphere`` or
        ``view`` is not a string, or ``xyz`` not three numbers.
    ValueError
        For an unknown region, network, hemisphere or view (the message names the closest valid one),
        or an ``xyz`` not finite or outside the course grid.

    Examples
    --------
    >>> explorer = region_explorer(["pcc", "precuneus"], network="default_mode")
    >>> explorer.regions.value, explorer.view.value
    (('pcc', 'precuneus'), 'slices')
    """
    return RegionExplorer(regions=regions, network=network, hemisphere=hemisphere, view=view, xyz=xyz)
