"""Sphinx extension of the course: the page layout.

One search box per page. pydata-sphinx-theme 0.17 puts a search button in a header strip above the page
whenever ``navbar_persistent`` is not set (its ``update_config``), while sphinx-book-theme already has one
at the top of the sidebar. With ``navbar_persistent = []`` the header strip holds nothing on a wide
screen; on a phone it keeps only the two buttons that open the sidebars (the search is in the sidebar).
"""

from __future__ import annotations

from sphinx.application import Sphinx
from sphinx.config import Config


def _one_search_box(app: Sphinx, config: Config) -> None:
    options = dict(config.html_theme_options or {})
    options.setdefault("navbar_persistent", [])
    config.html_theme_options = options


def setup(app: Sphinx) -> dict:
    # config-inited comes before pydata-sphinx-theme's builder-inited update_config, which only fills in
    # navbar_persistent when the user left it out
    app.connect("config-inited", _one_search_box)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
