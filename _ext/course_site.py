"""Sphinx extension of the course: the page layout and what a page loads.

One search box per page
    pydata-sphinx-theme 0.17 puts a search button in a header strip above the page whenever
    ``navbar_persistent`` is not set (its ``update_config``), while sphinx-book-theme already has one at
    the top of the sidebar. With ``navbar_persistent = []`` there is no header strip on a wide screen; on
    a phone the article's header keeps its one search button.

Light pages (issue 11: every page <= 4 MB on a first visit, measured by tests/test_browser.py)
    - The widget manager (``nb_ipywidgets_js``: require.js and jupyter-widgets' embed-amd.js, 3.7 MB)
      and the notebook's saved widget state are left out of every page that shows no widget view. The
      HTML builder prefers an output's static ``text/html`` to its widget view
      (``nb_mime_priority_overrides`` in ``_config.yml``), so the region explorer appears as its first
      picture and read-out with a "launch to interact" note: its controls need a live kernel anyway.
      A page that still shows a widget view (an output with no static HTML) keeps the manager.
    - pydata-sphinx-theme loads ``scripts/fontawesome.js`` (1.5 MB) "so that users can add custom
      icons"; the course adds none, and its style sheet draws every icon of the theme with the Font
      Awesome web fonts. ``assets/templates/layout.html`` drops that script with the filter
      ``without_script`` defined here.
"""

from __future__ import annotations

import re

from markupsafe import Markup
from sphinx.application import Sphinx
from sphinx.config import Config

WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"


def _one_search_box(app: Sphinx, config: Config) -> None:
    options = dict(config.html_theme_options or {})
    options.setdefault("navbar_persistent", [])
    config.html_theme_options = options


def _without_script(html: str, path: str) -> Markup:
    """``html`` without its ``<script ... src=".../path?...">`` elements (a Jinja filter)."""
    pattern = re.compile(r'\s*<script\b[^>]*\bsrc="[^"]*' + re.escape(path) + r'(?:\?[^"]*)?"[^>]*>\s*</script>')
    return Markup(pattern.sub("", str(html)))


def _add_filters(app: Sphinx) -> None:
    templates = getattr(app.builder, "templates", None)
    environment = getattr(templates, "environment", None)
    if environment is not None:
        environment.filters["without_script"] = _without_script


def _no_widget_manager_without_widgets(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """Leave the widget manager and the saved widget state out of a page that shows no widget view."""
    if WIDGET_VIEW in (context.get("body") or ""):
        return
    scripts = context.get("script_files")
    if not isinstance(scripts, list):
        return
    manager = {str(path) for path in (app.config.nb_ipywidgets_js or {})}

    def is_widget_script(js) -> bool:
        filename = str(getattr(js, "filename", "") or "").removeprefix("_static/")  # Sphinx 7.4 adds _static/
        attributes = getattr(js, "attributes", {}) or {}
        return filename in manager or attributes.get("type") == WIDGET_STATE

    scripts[:] = [js for js in scripts if not is_widget_script(js)]


def setup(app: Sphinx) -> dict:
    # config-inited comes before pydata-sphinx-theme's builder-inited update_config, which only fills in
    # navbar_persistent when the user left it out
    app.connect("config-inited", _one_search_box)
    app.connect("builder-inited", _add_filters)
    # after myst-nb's html-page-context handler (priority 500), which adds the page's notebook scripts
    app.connect("html-page-context", _no_widget_manager_without_widgets, priority=950)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
