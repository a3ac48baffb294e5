"""The book's map: its pages in reading order, its notebooks and its chapters, from ``_toc.yml``.

The table of contents is read once, here, by ``sphinx_external_toc`` (the parser Jupyter Book 1
itself uses), so the scripts, the tests and the build agree on its pages and their order. The lowest
of the scripts: the executor (``execute_parallel.py``), the build (``book.py``), the handouts and the
slides read the map from here, and it imports none of them.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CHAPTER_FOLDER = re.compile(r"^chapters/(0\d-[^/]+)/")


def toc_docnames(toc: Path = ROOT / "_toc.yml") -> list[str]:
    """Every page of the table of contents in reading order (the order of Sphinx's 'next' links)."""
    from sphinx_external_toc.parsing import FileItem, parse_toc_yaml

    site = parse_toc_yaml(toc)
    order: list[str] = []

    def walk(docname: str) -> None:
        order.append(docname)
        for subtree in site[docname].subtrees:
            for item in subtree.items:
                if isinstance(item, FileItem):
                    walk(str(item))

    walk(site.root.docname)
    return order


def toc_notebooks(root: Path = ROOT) -> list[Path]:
    """The .ipynb files of the table of contents, sorted by path."""
    return sorted(p for p in (root / f"{docname}.ipynb" for docname in toc_docnames(root / "_toc.yml"))
                  if p.exists())


def chapters(toc: Path = ROOT / "_toc.yml") -> dict[str, list[str]]:
    """The pages of each chapter folder (``"01-plasticity": [docnames...]``), in reading order."""
    groups: dict[str, list[str]] = {}
    for docname in toc_docnames(toc):
        match = CHAPTER_FOLDER.match(docname)
        if match:
            groups.setdefault(match.group(1), []).append(docname)
    return groups
