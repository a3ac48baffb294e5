"""Sphinx extension of the course: every page loads its scripts once, and only from the site itself.

Why a script was added twice
----------------------------
Sphinx 7.4 keeps the page scripts in two places: the extension registry (``app.registry.js_files``)
and the HTML builder's own list (``builder._js_files``). ``app.add_js_file(None, body=...)`` puts an
inline script in both. When that call comes *after* the builder was initialised (sphinx-thebe
does it in ``env-before-read-docs``, sphinx-togglebutton in ``builder-inited``), the builder's list
holds ``_JavaScript(None, body=...)``. ``StandaloneHTMLBuilder.prepare_writing`` then re-adds every
registry entry as ``add_js_file(filename or '', ...)``: the filename ``''`` is not equal to ``None``,
so the duplicate check misses it and the inline script is written twice into every page. For
sphinx-thebe's ``const THEBE_JS_URL = ...`` that is a SyntaxError in the browser ("Identifier
'THEBE_JS_URL' has already been declared"), and ``var togglebuttonSelector`` is also set twice.

The fix: before the pages are written, give the builder's inline scripts the filename ``''`` that
``prepare_writing`` uses, so Sphinx's own duplicate check recognises them. It leans on Sphinx's
internals (``builder._js_files``, ``sphinx.builders.html._assets._JavaScript``) and can go with Sphinx >= 8.2,
which normalises the filename itself (sphinx-doc/sphinx#13402); until then (the book pins Sphinx 7.4,
which Jupyter Book 1 requires) this handler is needed, and with a fixed Sphinx it finds nothing to do.

It also fixes two accessibility faults of the generated HTML: bibliography entries get the ARIA role
``listitem`` (``_citations_as_list_items``), and the sidebar's expand/collapse toggles get a name
(``_name_toctree_toggles``).

Everything else that keeps the site offline is configuration in ``_config.yml`` (``sphinx: config:``):
``nb_ipywidgets_js`` and ``mathjax_path`` point to the copies under ``assets/vendor/``, which
``html_static_path`` copies into ``_static/``.
"""

from __future__ import annotations

import html
import re

from sphinx.application import Sphinx


def _normalise_inline_scripts(app: Sphinx, env) -> None:
    builder = app.builder
    scripts = getattr(builder, "_js_files", None)
    if not scripts:
        return
    try:
        from sphinx.builders.html._assets import _JavaScript
    except ImportError:  # pragma: no cover - another Sphinx layout: nothing to normalise
        return
    fixed: list = []
    for js in scripts:
        if isinstance(js, _JavaScript) and js.filename is None:
            js = _JavaScript("", priority=js.priority, **js.attributes)
        if js not in fixed:
            fixed.append(js)
    scripts[:] = fixed


def _citations_as_list_items(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """docutils 0.21 writes a bibliography as ``<div role="list">`` of ``<div role="doc-biblioentry">``.

    ARIA 1.3 / DPUB-ARIA 1.1 deprecated ``doc-biblioentry``; axe-core then finds the entries' links as
    direct children of the list (critical: aria-required-children). ``listitem`` is the role that
    DPUB-ARIA names as its replacement. A rewrite of the page's HTML: it can go when docutils' HTML writer
    no longer writes ``doc-biblioentry`` (then the replace finds nothing).
    """
    body = context.get("body")
    if body and 'role="doc-biblioentry"' in body:
        context["body"] = body.replace('role="doc-biblioentry"', 'role="listitem"')


_TOGGLE = re.compile(r'(<a class="reference internal" href="[^"]*">(.*?)</a>\s*<details[^>]*>\s*)<summary>', re.S)


def _name_toctree_toggles(app: Sphinx, pagename: str, templatename: str, context: dict, doctree) -> None:
    """pydata-sphinx-theme 0.16's sidebar opens a chapter's sections with ``<details><summary>`` whose only
    content is a chevron icon: the toggle has no accessible name (axe: summary-name, serious). Name each
    after its chapter: "Sections of <title>". It wraps the theme's ``generate_toctree_html`` (an internal
    of pydata-sphinx-theme's page context) and can go when the theme writes a named ``<summary>``
    (then every summary already has a name and is left alone)."""
    generate = context.get("generate_toctree_html")
    if generate is None or getattr(generate, "_named_toggles", False):
        return

    def label(match: re.Match) -> str:
        title = html.unescape(re.sub(r"<[^>]+>", "", match.group(2))).strip()
        return f'{match.group(1)}<summary aria-label="{html.escape("Sections of " + title, quote=True)}">'

    def generate_named(*args, **kwargs):
        out = generate(*args, **kwargs)
        if isinstance(out, str):
            return type(out)(_TOGGLE.sub(label, out))
        for summary in out.find_all("summary") if hasattr(out, "find_all") else []:  # BeautifulSoup
            if summary.get("aria-label") or summary.get_text(strip=True):
                continue
            link = summary.parent.find_previous_sibling("a")
            if link is not None:
                summary["aria-label"] = "Sections of " + link.get_text(" ", strip=True)
        return out

    generate_named._named_toggles = True
    context["generate_toctree_html"] = generate_named


def setup(app: Sphinx) -> dict:
    # env-updated runs on every build, after all extensions' env-before-read-docs handlers
    # and before the builder's prepare_writing.
    app.connect("env-updated", _normalise_inline_scripts, priority=900)
    app.connect("html-page-context", _citations_as_list_items)
    # after pydata-sphinx-theme's own html-page-context handler, which defines generate_toctree_html
    app.connect("html-page-context", _name_toctree_toggles, priority=900)
    return {"version": "1.0", "parallel_read_safe": True, "parallel_write_safe": True}
