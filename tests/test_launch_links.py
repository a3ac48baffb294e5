"""An institution's JupyterHub: the launch link a built notebook page carries opens that notebook (nbgitpuller).

The course's own _config.yml leaves ``launch_buttons.jupyterhub_url`` empty (no hub of its own); an
instructor sets it to the institution's hub. This test builds a one-notebook copy of the book with a
hub address set, as an instructor would, and reads the link on the page.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml

from conftest import ROOT

HUB = "https://hub.example.edu"
NOTEBOOK = "chapters/03-therapies/cbt-lab"


class _Links(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.hrefs: list[str] = []

    def handle_starttag(self, tag, attrs):
        href = dict(attrs).get("href")
        if tag == "a" and href:
            self.hrefs.append(href)


@pytest.mark.slow
def test_jupyterhub_launch_link_opens_the_notebook_with_nbgitpuller(tmp_path):
    book = tmp_path / "book"
    book.mkdir()
    for name in ("assets", "_ext"):
        shutil.copytree(ROOT / name, book / name)
    (book / NOTEBOOK).parent.mkdir(parents=True)
    shutil.copy(ROOT / f"{NOTEBOOK}.ipynb", book / f"{NOTEBOOK}.ipynb")
    (book / "index.md").write_text("# Test book\n")
    config = yaml.safe_load((ROOT / "_config.yml").read_text())
    config["launch_buttons"]["jupyterhub_url"] = HUB
    config["execute"]["execute_notebooks"] = "off"
    (book / "_config.yml").write_text(yaml.safe_dump(config))
    (book / "_toc.yml").write_text(yaml.safe_dump({"format": "jb-book", "root": "index",
                                                   "chapters": [{"file": NOTEBOOK}]}))
    done = subprocess.run([str(Path(sys.executable).parent / "jupyter-book"), "build", str(book)],
                          capture_output=True, text=True, cwd=book)
    assert done.returncode == 0, done.stdout[-3000:] + done.stderr[-3000:]

    parser = _Links()
    parser.feed((book / "_build" / "html" / f"{NOTEBOOK}.html").read_text())
    hub_links = [h for h in parser.hrefs if h.startswith(HUB)]
    assert len(hub_links) == 1, parser.hrefs
    link = urlsplit(hub_links[0])
    assert f"{link.scheme}://{link.netloc}{link.path}" == f"{HUB}/hub/user-redirect/git-pull"
    query = parse_qs(link.query)
    repo_url = config["repository"]["url"]
    repo_name = repo_url.rstrip("/").rsplit("/", 1)[-1]
    assert query["repo"] == [repo_url]
    assert query["branch"] == [config["repository"]["branch"]]
    # nbgitpuller clones into a folder named after the repository, then JupyterLab opens the notebook
    assert query["urlpath"] == [f"lab/tree/{repo_name}/{NOTEBOOK}.ipynb"]
