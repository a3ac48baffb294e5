"""The scripts: one toc reader (scripts/book.py), handouts and slides from a built site, browser discovery."""

import base64

import pytest

from conftest import ROOT
from scripts import book, browser, handouts, slides

TOC = """format: jb-book
root: index
chapters:
  - file: chapters/01-plasticity/index
    sections:
      - file: chapters/01-plasticity/lab
  - file: chapters/back/glossary
"""

PAGE = """<!DOCTYPE html><html lang="en"><head><title>{title}</title></head><body>
<article class="bd-article">
<h1>{title}<a class="headerlink" href="#">#</a></h1>
<div class="admonition tip"><p class="admonition-title">Learning objectives</p>
<ul><li>explain Hebbian learning</li></ul></div>
<div class="admonition evidence-check"><p class="admonition-title">Evidence check: therapy grows neurons</p>
<p><strong>Evidence grade:</strong> contested</p></div>
<figure><img src="../../_images/synapse.png" alt="Two neurons and the synapse between them">
<figcaption><p>A toy synapse.</p></figcaption></figure>
<div class="cell_output docutils container"><div class="output text_html"><iframe srcdoc="view"></iframe></div></div>
<div class="solution admonition"><p class="admonition-title">Solution</p><p>SECRET SOLUTION</p></div>
<details class="sd-dropdown"><summary>Answer</summary><p>SECRET ANSWER</p></details>
<div class="admonition important"><p class="admonition-title">Key takeaways</p><p>Practice matters.</p></div>
<p><a href="../back/glossary.html#synapse">glossary</a></p>
</article></body></html>"""

PNG = base64.b64decode("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9aw"
                       "AAAABJRU5ErkJggg==")


@pytest.fixture
def site(tmp_path):
    """A built site of two pages in one chapter (and the toc listing them)."""
    (tmp_path / "_toc.yml").write_text(TOC)
    html = tmp_path / "_build" / "html"
    (html / "chapters" / "01-plasticity").mkdir(parents=True)
    (html / "chapters" / "back").mkdir(parents=True)
    (html / "_images").mkdir()
    (html / "_images" / "synapse.png").write_bytes(PNG)
    (html / "index.html").write_text(PAGE.format(title="Welcome"))
    (html / "chapters" / "01-plasticity" / "index.html").write_text(PAGE.format(title="Plasticity"))
    (html / "chapters" / "01-plasticity" / "lab.html").write_text(PAGE.format(title="Lab"))
    (html / "chapters" / "back" / "glossary.html").write_text(PAGE.format(title="Glossary"))
    return tmp_path


def test_the_toc_is_read_in_reading_order_and_grouped_by_chapter(site):
    assert book.toc_docnames(site / "_toc.yml") == [
        "index", "chapters/01-plasticity/index", "chapters/01-plasticity/lab", "chapters/back/glossary"]
    assert book.chapters(site / "_toc.yml") == {"01-plasticity": ["chapters/01-plasticity/index",
                                                                  "chapters/01-plasticity/lab"]}
    assert book.toc_docnames()[0] == "index" and set(book.chapters()) >= {"00-welcome", "05-conclusion"}


def test_the_book_is_built_with_warnings_as_errors(tmp_path):
    command = book.build_command(ROOT, path_output=tmp_path)
    assert command[1:] == ["build", str(ROOT), "-W", "-n", "--keep-going", "--path-output", str(tmp_path)]
    assert command[0].endswith("jupyter-book") and book.build_dir(ROOT, tmp_path) == tmp_path / "_build"


def test_a_handout_keeps_the_lesson_and_leaves_out_answers_and_interactive_views(site):
    html_root, out = site / "_build" / "html", site / "_build" / "handouts"
    pages = book.chapters(site / "_toc.yml")["01-plasticity"]
    path = handouts.build_handout("01-plasticity", pages, html_root, out, css="@page { size: A4; }",
                                  site="https://example.org/course/")
    text = path.read_text()
    assert path == out / "01-plasticity.html" and "<title>Plasticity | Psychotherapy and the Brain" in text
    assert text.count('class="handout-page"') == 2 and "@page { size: A4; }" in text
    assert "Learning objectives" in text and "Evidence grade:" in text and "Key takeaways" in text
    assert "SECRET SOLUTION" not in text and "SECRET ANSWER" not in text
    assert handouts.SOLUTION_NOTE in text and handouts.ANSWER_NOTE in text
    assert "<iframe" not in text and handouts.INTERACTIVE_NOTE in text
    assert 'src="images/synapse.png"' in text and (out / "images" / "synapse.png").read_bytes() == PNG
    # links lead to the published site, with the address printed after them
    assert 'class="handout-url" href="https://example.org/course/chapters/back/glossary.html#synapse"' in text \
        or 'href="https://example.org/course/chapters/back/glossary.html#synapse" class="handout-url"' in text
    key = handouts.build_handout("01-plasticity", pages, html_root, out, css="", answers=True,
                                 site="https://example.org/course/")
    text = key.read_text()
    assert key == out / "01-plasticity-answers.html" and "SECRET SOLUTION" in text and "SECRET ANSWER" in text
    assert "Answer key: for instructors" in text and '<details class="sd-dropdown" open=""' in text


def test_the_site_address_comes_from_the_configuration(tmp_path):
    (tmp_path / "_config.yml").write_text("repository:\n  url: https://github.com/Some-Owner/my-course\n")
    assert handouts.site_url(tmp_path) == "https://some-owner.github.io/my-course/"
    (tmp_path / "_config.yml").write_text("html:\n  baseurl: https://course.example.edu/pb\n"
                                          "repository:\n  url: https://github.com/a/b\n")
    assert handouts.site_url(tmp_path) == "https://course.example.edu/pb/"
    (tmp_path / "_config.yml").write_text("repository:\n  url: https://gitlab.example.org/a/b\n")
    with pytest.raises(ValueError, match="set html.baseurl"):
        handouts.site_url(tmp_path)


def test_handouts_need_a_built_site(tmp_path, capsys):
    with pytest.raises(SystemExit):
        handouts.main(["--html", str(tmp_path / "_build" / "html"), "--out", str(tmp_path / "_build" / "handouts")])
    assert "build the book first" in capsys.readouterr().err


def test_a_deck_has_objectives_evidence_figures_and_takeaways_but_no_answers(site):
    html_root, out = site / "_build" / "html", site / "_build" / "slides"
    pages = book.chapters(site / "_toc.yml")["01-plasticity"]
    keys = ["title", "closing"] + [f"01-plasticity/{page}#{what}" for page in ("index", "lab")
                                   for what in ("objectives", "evidence-1", "figure-1", "takeaways")]
    notes = {key: {"say": f"say {key}", "ask": f"ask {key}", "expect": f"expect {key}", "minutes": 2} for key in keys}
    deck = slides.build_deck("01-plasticity", pages, html_root, out, notes=notes)
    text = deck.read_text()
    assert '<aside class="notes"><p><strong>Say:</strong> say title</p>' in text
    assert "<strong>Ask the room:</strong> ask 01-plasticity/lab#figure-1" in text
    assert "<strong>Time:</strong> 2 min (at 20 min from the start)" in text  # the tenth slide
    assert text.count('<aside class="notes">') == len(keys)
    assert deck == out / "01-plasticity" / "index.html" and "<h1>Plasticity</h1>" in text
    assert "Plasticity: learning objectives" in text and "explain Hebbian learning" in text
    assert '<strong class="grade">Evidence grade:</strong>' in text and "Key takeaways: Lab" in text
    assert 'src="images/synapse.png" alt="Two neurons and the synapse between them"' in text
    assert (out / "01-plasticity" / "images" / "synapse.png").read_bytes() == PNG
    assert "SECRET" not in text and "<iframe" not in text
    assert '<script src="../reveal/reveal.js"></script>' in text and "http" not in text.split("</head>")[0]


def test_a_deck_without_notes_for_every_slide_is_refused(site):
    html_root, out = site / "_build" / "html", site / "_build" / "slides"
    pages = book.chapters(site / "_toc.yml")["01-plasticity"]
    notes = {"title": {"say": "hello", "minutes": 1}, "01-plasticity/nowhere#figure-9": {"say": "x", "minutes": 1}}
    with pytest.raises(slides.NotesError, match=r"slides without speaker notes: \['01-plasticity/index#objectives'"
                                                r".*notes for no slide: \['01-plasticity/nowhere#figure-9'\]"):
        slides.build_deck("01-plasticity", pages, html_root, out, notes=notes)
    bad = site / "notes"
    bad.mkdir()
    (bad / "01-plasticity.yml").write_text("title:\n  say: hello\n  ask: a question without its answer\n"
                                           "  minutes: 1\n")
    with pytest.raises(slides.NotesError, match="'ask'.* goes with its answer"):
        slides.load_notes("01-plasticity", bad)


def test_slides_refuse_a_folder_that_is_not_reveal_js(tmp_path):
    with pytest.raises(FileNotFoundError, match="not a reveal.js package folder"):
        slides.find_reveal(tmp_path)


def test_an_explicit_browser_is_used_as_it_is_or_refused(tmp_path, monkeypatch):
    chrome = tmp_path / "chrome"
    chrome.write_text("")
    monkeypatch.setenv("CHROMIUM", str(chrome))
    assert browser.find_chromium(install=False) == browser.Chromium(str(chrome), "CHROMIUM")
    monkeypatch.setenv("CHROMIUM", str(tmp_path / "missing"))
    with pytest.raises(browser.NoBrowser, match="does not exist"):
        browser.find_chromium(install=False)


@pytest.mark.parametrize(("release", "debian"), [
    ('PRETTY_NAME="Debian GNU/Linux 12 (bookworm)"\nID=debian\n', True),
    ('NAME="Ubuntu"\nID=ubuntu\nID_LIKE=debian\n', False),  # chromium is a snap stub there: Playwright's instead
])
def test_debians_package_only_on_debian(tmp_path, release, debian):
    (tmp_path / "os-release").write_text(release)
    assert browser.is_debian(tmp_path / "os-release") is debian
    assert browser.is_debian(tmp_path / "none") is False  # macOS has no /etc/os-release


def test_without_debian_and_without_installing_the_reason_is_given(monkeypatch):
    monkeypatch.delenv("CHROMIUM", raising=False)
    monkeypatch.setattr(browser, "is_debian", lambda: False)
    monkeypatch.setattr(browser, "launch_error", lambda executable: "Executable doesn't exist at /x/chrome")
    with pytest.raises(browser.NoBrowser, match="Playwright's Chromium is not installed .*Executable doesn't exist"):
        browser.find_chromium(install=False)
    monkeypatch.setattr(browser, "launch_error", lambda executable: None)
    assert browser.find_chromium(install=False) == browser.Chromium(None, "Playwright's Chromium")
