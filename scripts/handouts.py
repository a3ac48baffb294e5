"""Write one printable HTML handout per chapter from the built site (no LaTeX).

Usage (after ``make book``)::

    .venv/bin/python -m scripts.handouts [--html _build/html] [--out _build/handouts]

For every chapter folder of the book (``chapters/00-welcome`` ... ``chapters/05-conclusion``, in
the order of ``_toc.yml``), the script takes the built pages of that folder (the chapter page, its
sections and its notebook pages), keeps only their article content, and concatenates them into
``_build/handouts/<folder>.html`` with a title page. In each handout:

- the print style sheet ``assets/print.css`` is inlined (with a few rules for screen reading);
- figures are copied next to the handouts (``_build/handouts/images/``) and referenced from there;
- interactive views (iframes, widgets) are replaced by a short note;
- exercise solutions and quiz answers are removed: the handouts are for students;
- links to other pages of the course point into the built site (``../html/...``).

Open a handout in a browser and print it (or "Save as PDF"). Only the standard library and
BeautifulSoup (installed with the book's theme) are used.
"""

from __future__ import annotations

import argparse
import datetime as _dt
import shutil
import sys
from pathlib import Path
from urllib.parse import urlsplit

from bs4 import BeautifulSoup, Tag

from scripts.book import chapters  # the toc's pages per chapter folder (sphinx_external_toc reads _toc.yml)

ROOT = Path(__file__).resolve().parents[1]

SCREEN_CSS = """
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; max-width: 48rem;
       margin: 2rem auto; padding: 0 1rem; line-height: 1.5; color: #111; }
.handout-title { border-bottom: 2px solid #000; margin-bottom: 2rem; padding-bottom: 1rem; }
.handout-title p { margin: 0.2rem 0; }
.handout-page { break-before: page; page-break-before: always; }
.handout-page:first-of-type { break-before: auto; page-break-before: auto; }
.admonition { border: 1px solid #999; border-radius: 4px; padding: 0 0.8rem 0.5rem; margin: 1rem 0; }
.admonition-title { font-weight: bold; margin: 0.5rem 0; }
.admonition.evidence-check { border-left: 4px solid #0072B2; }
.admonition.tip { border-left: 4px solid #009E73; }
.admonition.important { border-left: 4px solid #E69F00; }
pre { background: #f6f6f6; padding: 0.6rem; overflow-x: auto; white-space: pre-wrap; }
table { border-collapse: collapse; margin: 1rem 0; }
th, td { border: 1px solid #bbb; padding: 0.25rem 0.5rem; vertical-align: top; }
img { max-width: 100%; height: auto; }
figcaption, .caption { font-size: 0.9em; }
.handout-note { font-style: italic; border: 1px dashed #666; padding: 0.5rem 0.8rem; }
"""

INTERACTIVE_NOTE = "Interactive view: open this page online (or run its notebook) to explore it in 3-D."
SOLUTION_NOTE = "The solution is in the online version of the course."
ANSWER_NOTE = "The answer is in the online version of the course."


def _is_local(url: str) -> bool:
    parts = urlsplit(url)
    return not (parts.scheme or parts.netloc or url.startswith(("#", "/", "data:", "mailto:")))


def _clean_article(article: Tag, soup: BeautifulSoup) -> None:
    """Remove what cannot or should not be printed from one page's article, in place."""
    for tag in article.select("script, a.headerlink, .copybtn, button, .thebe-launch-button"):
        tag.decompose()
    for output in article.select("div.cell_output .output"):
        if output.find("iframe") or output.select_one(".jupyter-widgets"):
            note = soup.new_tag("p", attrs={"class": "handout-note"})
            note.string = INTERACTIVE_NOTE
            output.replace_with(note)
    for tag in article.select("iframe, .jupyter-widgets, div.cell_output .output.stderr"):
        tag.decompose()
    for solution in article.select("div.solution"):
        title = solution.select_one(".admonition-title")
        for child in list(solution.children):
            if child is not title and isinstance(child, Tag):
                child.decompose()
        note = soup.new_tag("p", attrs={"class": "handout-note"})
        note.string = SOLUTION_NOTE
        solution.append(note)
    for details in article.select("details.sd-dropdown, details.toggle-details"):
        note = soup.new_tag("p", attrs={"class": "handout-note"})
        note.string = ANSWER_NOTE
        details.replace_with(note)


def _relink(article: Tag, page_html: Path, html_root: Path, out_dir: Path, images: Path) -> None:
    """Copy figures next to the handout and make links work from ``out_dir``."""
    for img in article.find_all("img"):
        src = img.get("src", "")
        if not _is_local(src):
            continue
        source = (page_html.parent / src.split("#")[0]).resolve()
        if not source.is_file():
            continue
        target = images / source.name
        if not target.exists():
            images.mkdir(parents=True, exist_ok=True)
            shutil.copy2(source, target)
        img["src"] = f"{images.name}/{source.name}"
    for a in article.find_all("a", href=True):
        href = a["href"]
        if not _is_local(href):
            continue
        path, _, anchor = href.partition("#")
        if not path:
            continue
        target = (page_html.parent / path).resolve()
        rel = Path(*[".."] * len(out_dir.relative_to(html_root.parent).parts), html_root.name,
                   target.relative_to(html_root)) if target.is_relative_to(html_root) else target
        a["href"] = rel.as_posix() + (f"#{anchor}" if anchor else "")


def build_handout(folder: str, pages: list[str], html_root: Path, out_dir: Path, css: str) -> Path:
    """Write ``out_dir/<folder>.html`` from the built pages of one chapter; return its path."""
    images = out_dir / "images"
    bodies: list[str] = []
    title = folder
    for page in pages:
        page_html = html_root / f"{page}.html"
        if not page_html.is_file():
            print(f"handouts: {page_html} is missing (run `make book` first); skipped", file=sys.stderr)
            continue
        soup = BeautifulSoup(page_html.read_text(encoding="utf-8"), "html.parser")
        article = soup.select_one("article.bd-article") or soup.select_one("main") or soup.body
        if article is None:
            continue
        if not bodies:
            h1 = article.find("h1")
            if h1:
                title = h1.get_text(" ", strip=True).rstrip("#").strip()
        _clean_article(article, soup)
        _relink(article, page_html, html_root, out_dir, images)
        bodies.append(f'<section class="handout-page" data-source="{page}">\n{article.decode_contents()}\n</section>')
    if not bodies:
        raise FileNotFoundError(f"no built page of {folder} under {html_root}")
    mathjax = html_root / "_static" / "mathjax" / "tex-chtml.js"
    mathjax_tag = ""
    if mathjax.is_file():
        rel = Path(*[".."] * len(out_dir.relative_to(html_root.parent).parts), html_root.name,
                   mathjax.relative_to(html_root))
        mathjax_tag = f'<script async src="{rel.as_posix()}"></script>'
    today = _dt.date.today().isoformat()
    document = f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{title} | Psychotherapy and the Brain (handout)</title>
<style>
{SCREEN_CSS}
{css}
</style>
{mathjax_tag}
</head>
<body>
<header class="handout-title">
<p><strong>Psychotherapy and the Brain</strong>: printable handout</p>
<h1>{title}</h1>
<p>Generated {today} from the course's web site. Text and figures: CC BY 4.0; code: MIT; atlases keep
their own licences (see <em>Atlases and methods</em>). Interactive views, exercise solutions and quiz
answers are in the online version.</p>
</header>
{chr(10).join(bodies)}
</body>
</html>
"""
    out = out_dir / f"{folder}.html"
    out.write_text(document, encoding="utf-8")
    return out


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--html", type=Path, default=ROOT / "_build" / "html", help="the built site")
    parser.add_argument("--out", type=Path, default=ROOT / "_build" / "handouts", help="output folder")
    parser.add_argument("--toc", type=Path, default=ROOT / "_toc.yml")
    parser.add_argument("--css", type=Path, default=ROOT / "assets" / "print.css")
    args = parser.parse_args(argv)
    html_root, out_dir = args.html.resolve(), args.out.resolve()
    if not (html_root / "index.html").is_file():
        parser.error(f"{html_root} has no index.html: build the book first (make book)")
    if out_dir.parent != html_root.parent:
        parser.error("--out must be a sibling of --html (links into the site are relative)")
    out_dir.mkdir(parents=True, exist_ok=True)
    css = args.css.read_text(encoding="utf-8")
    written = 0
    for folder, pages in chapters(args.toc).items():
        try:
            path = build_handout(folder, pages, html_root, out_dir, css)
        except FileNotFoundError as error:
            print(f"handouts: {error}", file=sys.stderr)
            continue
        print(f"handouts: {path.relative_to(ROOT) if path.is_relative_to(ROOT) else path}")
        written += 1
    return 0 if written else 1


if __name__ == "__main__":
    sys.exit(main())
