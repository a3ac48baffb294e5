"""Sphinx extension of the course: the ``{grading-table}`` directive (chapters/instructor/grading.md).

The table of every lab's graded questions (autograded or by hand, and their points) is generated at
build time from the grading spec kept next to each solution in the lab notebooks
(``scripts/editions.py``: ``grading_table``), so the instructor guide cannot drift from the notebooks.
Each lab notebook is a dependency of the page: editing a spec rebuilds the table.
"""

from __future__ import annotations

from pathlib import Path

from docutils import nodes
from docutils.statemachine import StringList
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective


class GradingTable(SphinxDirective):
    """The grading table, parsed as the page's own Markdown (its {doc} and {ref} roles link)."""

    def run(self) -> list[nodes.Node]:
        root = Path(self.env.srcdir)
        # the book's own scripts (its root is on sys.path: _config.yml), imported when the page is built only:
        # the student edition's sources have no scripts/ and no page with this table
        from scripts.editions import grading_table, labs

        for path in [*labs(root), root / "scripts" / "editions.py", root / "_toc.yml"]:
            self.env.note_dependency(str(path))
        container = nodes.container(classes=["grading-table"])
        self.state.nested_parse(StringList(grading_table(root).splitlines(), source=self.get_source_info()[0]),
                                self.content_offset, container)
        return container.children


def setup(app: Sphinx) -> dict:
    app.add_directive("grading-table", GradingTable)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
