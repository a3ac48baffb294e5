"""The student edition has no solution anywhere; the instructor edition keeps them all (scripts/editions.py).

The secrets are read from the single source: every ``{solution}`` box (and gated ``{solution-start}``
pair) of every page and notebook, every page of the instructor part (its answer tables included), and
the grading spec's solution lines, hidden tests and rubrics. Each secret gives fingerprints: its
phrases of eight or more words (normalised: lower case, punctuation and markup gone, so a phrase split
over HTML tags or stored in a notebook's JSON still matches) that appear nowhere in the public text
(the pages and notebooks without their solutions). Every file of the student site (HTML, JS, JSON,
.ipynb, .txt, .md, ``_sources``, ``searchindex.js``) is searched for every fingerprint: zero hits. The
search index stores stemmed words, not phrases: its terms are searched for the words that only
secrets contain. The instructor site must still hold every fingerprint, so the search is known to
find them; the scanner itself is tested on a small leaked site.

Uses the sites that ``make book`` and ``make student`` built (``make test`` builds both first); builds
the student edition when it is missing.
"""

from __future__ import annotations

import html as htmllib
import json
import re
import shutil
import subprocess
from functools import cache
from pathlib import Path

import nbformat
import pytest
import yaml

from conftest import ROOT, book_html, build_book
from scripts import editions, quizzes

pytestmark = pytest.mark.xdist_group("book")

WORDS = 8            # a fingerprint: at least this many words in a row ...
WINDOW = 12          # ... and at most this many (long phrases are cut into windows)
MARKUP = re.compile(r"\{[\w:-]+\}`[^`]*`|\$[^$\n]+\$|\[[^\]]*\]\([^)]*\)|<[^>\n]+>|^\s*[`:]{3,}.*$|^\s*:\w+:.*$", re.M)
GRADING_SECRET = "#tests"
TEXT_SUFFIXES = {".html", ".js", ".json", ".ipynb", ".txt", ".md", ".css", ".svg", ".inv", ".map", ".xml", ".py",
                 ".buildinfo", ""}


TAG = re.compile(r"</?[a-zA-Z!][^<>\n]*>")
ROLE = re.compile(r"\{([\w:-]+)\}`([^`]*)`")


def normalise(text: str) -> str:
    """Lower case, HTML entities decoded, tags, punctuation and underscores gone, single spaces."""
    text = TAG.sub(" ", htmllib.unescape(text))   # a literal "<name>" is dropped in the source and the site alike
    return " " + " ".join(re.sub(r"[\W_]+", " ", text.lower()).split()) + " "


def phrases(secret: str) -> list[str]:
    """A secret's candidate fingerprints: runs of >= WORDS words between markup, blank lines and code lines."""
    found = []
    for paragraph in re.split(r"\n\s*\n|^\s*[`:]{3,}.*$", secret, flags=re.M):
        lines = [re.sub(r"^\s*(?:\d+\.|[-*+])\s+", "", line) for line in paragraph.splitlines()]   # list marks
        code = any(line.startswith(("    ", ">>>")) for line in lines) or "=" in paragraph and "(" in paragraph
        pieces = lines if code else [" ".join(lines)]   # a code line is its own phrase
        for piece in pieces:
            for part in MARKUP.split(piece):
                words = normalise(part).split()
                for start in range(0, max(len(words) - WORDS + 1, 0), WINDOW):
                    window = words[start:start + WINDOW]
                    if len(window) >= WORDS:
                        found.append(" " + " ".join(window) + " ")
    return found


# ------------------------------------------------------------------------------------- the single source
def instructor_assets() -> list[Path]:
    """Every file of ``assets/instructor/`` (and of the places instructor banks and slide notes were kept)."""
    found = [p for p in (ROOT / "assets" / "instructor").rglob("*") if p.is_file()]
    found += sorted((ROOT / "assets" / "quizzes").glob("instructor-*.yml"))
    found += sorted((ROOT / "assets" / "slides").glob("*.yml"))
    return sorted(found)


@cache
def sources() -> tuple[dict[str, list[str]], str]:
    """({where: [secret texts]}, the public text) of the book's source."""
    secrets: dict[str, list[str]] = {}
    public: list[str] = [(ROOT / "assets" / "references.bib").read_text()]
    public += [p.read_text() for p in (ROOT / "therapybrain").rglob("*.py")]   # the API page's docstrings
    public.append("*args, **kwargs")   # autodoc's signature of a class whose __init__ takes them (the API page)
    # the chapters' self-check quizzes are shown to students by design (answers revealed once they choose);
    # everything of assets/instructor/ (quiz banks with keys, held-out quiz questions, slide notes, the
    # workload table) is the instructor's
    for bank in sorted((ROOT / "assets" / "quizzes").glob("*.yml")):
        if not bank.name.startswith("instructor-"):
            public += _strings(yaml.safe_load(bank.read_text()))
    for path in instructor_assets():
        data = yaml.safe_load(path.read_text()) if path.suffix in (".yml", ".yaml", ".json") else path.read_text()
        secrets[path.relative_to(ROOT).as_posix()] = [t for t in _strings(data) if " " in t]
    public += [editions.INIT_NOTE, editions.ANSWER_PROMPT, editions.STUDENT_README]
    public += [editions.INIT_CELL.format(lab=lab.stem) for lab in editions.labs(ROOT)]
    for page in sorted((ROOT / "chapters").rglob("*.md")) + [ROOT / "index.md"]:
        rel = page.relative_to(ROOT).as_posix()
        text = page.read_text()
        if rel.startswith(editions.INSTRUCTOR):
            secrets[rel] = [text]
            continue
        secrets[rel] = editions.solution_texts(text)
        public.append(editions.strip_solutions(editions.edition_text(text, "student")))
    for notebook in sorted((ROOT / "chapters").rglob("*.ipynb")):
        rel = notebook.relative_to(ROOT).as_posix()
        nb = nbformat.read(notebook, as_version=4)
        found, rubrics, tests = [], [], []
        for cell in nb.cells:
            found += editions.solution_texts(cell.source) if cell.cell_type == "markdown" else []
            public.append(editions.strip_solutions(cell.source) if cell.cell_type == "markdown" else cell.source)
            public += _strings({k: v for k, v in cell.metadata.items() if k != "grading"})   # captions, alt text
            for q in cell.metadata.get("grading", []):
                public += [q["name"], q["prompt"], *q.get("public", [])]
                if q.get("manual"):
                    rubrics.append(q["rubric"])
                else:
                    tests += [q["solution"], *q["hidden"]]
        # the solutions and rubrics are in the instructor site; the solution lines and hidden tests in the
        # instructor's autograder notebook (GRADING_SECRET)
        secrets[rel], secrets[f"{rel}#rubrics"], secrets[f"{rel}{GRADING_SECRET}"] = found, rubrics, tests
        executed = editions._instructor_outputs(notebook, ROOT / "_build" / ".jupyter_cache")
        for cell in executed.cells if executed is not None else []:   # outputs of public code are public
            public += [s for output in cell.get("outputs", []) for s in _strings(dict(output))]
    return secrets, normalise(rendered("\n".join(public)))


def rendered(source: str) -> str:
    """Roles and links as the site shows their text (``{term}`x <Y>``` -> x; a citation as author and year,
    ``{cite:t}`kral2022``` -> Kral et al. (2022), as scripts/quizzes.py writes it out)."""
    def role(match: re.Match) -> str:
        name, body = match.groups()
        if name.startswith("cite"):
            try:
                return " " + quizzes.plain(match.group(0)) + " "
            except KeyError:   # an unknown key: the book's build fails on it anyway
                return " "
        return " " + re.sub(r"\s*<[^>]*>\s*$", "", body) + " "

    return re.sub(r"\[([^\]]*)\]\([^)]*\)", r"\1", ROLE.sub(role, source))


@cache
def fingerprints() -> dict[str, list[str]]:
    """{where: fingerprints}: the phrases of its secrets that are not public text."""
    secrets, public = sources()
    return {where: sorted({p for text in texts for p in phrases(text) if p not in public})
            for where, texts in secrets.items() if texts}


@cache
def secret_stems() -> set[str]:
    """The stemmed words (as Sphinx's English search index stems them) that only secrets contain."""
    from sphinx.search.en import SearchEnglish

    stem = SearchEnglish({}).stem
    secrets, public = sources()
    public_stems = {stem(w) for w in public.split()}
    return {stem(w) for texts in secrets.values() for text in texts for w in normalise(text).split()
            if not w.isdigit() and len(w) > 2} - public_stems


# ----------------------------------------------------------------------------------------- the scanner
def site_texts(site: Path):
    """(relative path, normalised text) of every text file of a site; JSON and notebooks by their strings."""
    for path in sorted(p for p in site.rglob("*") if p.is_file()):
        if path.suffix.lower() not in TEXT_SUFFIXES:
            continue
        raw = path.read_bytes().decode("utf-8", errors="ignore")
        if path.suffix in (".ipynb", ".json") or path.name == "searchindex.js":
            try:
                raw = "\n".join(_strings(json.loads(re.sub(r"^Search\.setIndex\(|\)\s*;?\s*$", "", raw))))
            except ValueError:
                pass
        yield path.relative_to(site).as_posix(), normalise(raw)


def _strings(value) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, dict):
        return [s for k, v in value.items() for s in [k, *_strings(v)]]
    if isinstance(value, list):
        return [s for v in value for s in _strings(v)]
    return []


def index_terms(site: Path) -> set[str]:
    """The terms (and title terms) of a site's search index."""
    raw = (site / "searchindex.js").read_text()
    index = json.loads(re.sub(r"^Search\.setIndex\(|\)\s*;?\s*$", "", raw.strip()))
    return set(index.get("terms", {})) | set(index.get("titleterms", {}))


def leaks(site: Path, prints: dict[str, list[str]], stems: set[str]) -> list[str]:
    """Every fingerprint found in a file of ``site``, and every secret-only stem in its search index."""
    found = []
    for rel, text in site_texts(site):
        for where, fps in prints.items():
            found += [f"{rel}: {fp.strip()!r} (from {where})" for fp in fps if fp in text]
    if (site / "searchindex.js").exists():
        found += [f"searchindex.js: term {t!r}" for t in sorted(index_terms(site) & stems)]
    return found


def test_the_scanner_finds_a_leaked_solution_in_html_a_notebook_and_the_search_index(tmp_path):
    secret = ("```{solution} ex-demo\n:class: dropdown\n\nThe weekly plan keeps about twice the stable part "
              "of the massed plan ten days later.\n```\n")
    prints = {"demo.md": phrases(secret)}
    assert prints["demo.md"], "a secret of one sentence gives a fingerprint"
    clean = tmp_path / "clean"
    clean.mkdir()
    (clean / "page.html").write_text("<p>An exercise: compare the weekly and the massed plan.</p>")
    (clean / "searchindex.js").write_text('Search.setIndex({"terms": {"weekli": [0]}, "titleterms": {}})')
    assert leaks(clean, prints, {"twice"}) == []
    leaked = tmp_path / "leaked"
    shutil.copytree(clean, leaked)
    (leaked / "page.html").write_text("<p>The <em>weekly</em> plan keeps about twice the <strong>stable</strong> "
                                      "part of the massed plan ten days later.</p>")
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell(secret)])
    (leaked / "_sources").mkdir()
    nbformat.write(nb, leaked / "_sources" / "lab.ipynb")
    (leaked / "searchindex.js").write_text('Search.setIndex({"terms": {"twice": [0]}, "titleterms": {}})')
    found = leaks(leaked, prints, {"twice"})
    assert any(f.startswith("page.html") for f in found), found
    assert any(f.startswith("_sources/lab.ipynb") for f in found), found
    assert "searchindex.js: term 'twice'" in found


def test_every_solution_and_instructor_page_gives_fingerprints():
    prints = fingerprints()
    for where, texts in sources()[0].items():
        for text in texts:
            if len(normalise(text).split()) >= 3 * WINDOW:   # a long secret: surely some of it is its own
                assert any(p in prints.get(where, []) for p in phrases(text)), \
                    f"{where}: no fingerprint of {text[:80]!r}"
    assert sum(len(v) for v in prints.values()) > 200


# ------------------------------------------------------------------------------------------- the sites
@pytest.fixture(scope="module")
def sites() -> tuple[Path, Path]:
    instructor = build_book(ROOT)
    student = ROOT / "_build" / "student" / "html"
    if not (student / "index.html").exists():
        editions.build_student(ROOT, quiet=True)
    return instructor, student


@pytest.mark.slow
def test_the_student_site_has_no_solution_answer_key_or_instructor_page_anywhere(sites):
    _, student = sites
    found = leaks(student, fingerprints(), secret_stems())
    assert not found, f"{len(found)} leaks in the student site, e.g.:\n" + "\n".join(found[:20])
    assert not (student / "chapters" / "instructor").exists()
    for path in student.rglob("*.html"):
        assert "instructor/" not in path.read_text(), f"{path.relative_to(student)} links to the instructor part"


@pytest.mark.slow
def test_the_instructor_site_still_has_every_solution_and_answer_key(sites):
    instructor, _ = sites
    texts = [t for rel, t in site_texts(instructor) if rel.endswith(".html")]
    # not on any page: the held-out quiz questions, the slide notes, the workload table
    shown = {where: fps for where, fps in fingerprints().items()
             if not where.startswith("assets/") or Path(where).name.startswith("instructor-")}
    missing = [f"{where}: {fp.strip()!r}" for where, fps in shown.items() for fp in fps
               if not where.endswith(GRADING_SECRET) and not any(fp in t for t in texts)]
    assert not missing, f"{len(missing)} fingerprints are not in the instructor site:\n" + "\n".join(missing[:20])
    autograders = [normalise("\n".join(_strings(json.loads(p.read_text()))))
                   for p in (ROOT / "_build" / "assignments").glob("*/autograder/*.ipynb")]
    missing = [f"{where}: {fp.strip()!r}" for where, fps in fingerprints().items() for fp in fps
               if where.endswith(GRADING_SECRET) and not any(fp in t for t in autograders)]
    assert not missing, "hidden tests missing from the autograder notebooks:\n" + "\n".join(missing[:20])
    in_index = index_terms(instructor) & secret_stems()
    assert len(in_index) > 100, "the instructor site's search index holds the solutions' own words"


def instructor_repository() -> str:
    return yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]["url"]


def files_naming(folder: Path, address: str) -> list[str]:
    """The files of ``folder`` (every one, .git aside) that contain ``address`` as a whole address."""
    pattern = re.compile(re.escape(address) + r"(?![\w.-])")
    return [p.relative_to(folder).as_posix() for p in sorted(folder.rglob("*"))
            if p.is_file() and ".git" not in p.relative_to(folder).parts
            and pattern.search(p.read_bytes().decode("utf-8", errors="ignore"))]


def _figures(page: str) -> list[str]:
    """The output figures a page shows (myst-nb writes each as _images/<hash of its content>.png)."""
    return re.findall(r'<img[^>]*src="(?:\.\./)*(_images/[0-9a-f]{16,}\.\w+)"', page)


@pytest.mark.slow
def test_student_links_downloads_and_notebooks_are_the_student_repositorys(sites):
    instructor, student = sites
    url, branch = editions.student_repository(ROOT)
    repo = url.removeprefix("https://github.com/")
    student_config = yaml.safe_load((student.parent / "src" / "_config.yml").read_text())
    assert student_config["sphinx"]["config"]["hide_solutions"] is True   # sphinx-exercise's own switch too
    assert student_config["repository"]["url"] == url
    for lab in editions.labs(ROOT):
        docname = lab.relative_to(ROOT).with_suffix("").as_posix()
        page = (student / f"{docname}.html").read_text()
        assert f"mybinder.org/v2/gh/{repo}/{branch}?urlpath=lab/tree/{docname}.ipynb" in page, docname
        assert f"colab.research.google.com/github/{repo}/blob/{branch}/{docname}.ipynb" in page, docname
        assert f'href="{url}"' in page, f"{docname}: the repository icon opens the student repository"
        # the download is the lab's one student notebook: answer cells, checks, no outputs, no solution
        nb = nbformat.read(student / "_sources" / f"{docname}.ipynb", as_version=4)
        given = nbformat.read(ROOT / "_build" / "assignments" / lab.stem / "student" / lab.name, as_version=4)
        assert [c.source for c in nb.cells] == [c.source for c in given.cells], \
            f"{docname}: the site's download and the notebook to upload to an LMS differ"
        answers = [c for c in nb.cells if "otter_answer_cell" in c.metadata.get("tags", [])]
        checks = [c for c in nb.cells if c.cell_type == "code" and c.source.startswith("grader.check(")]
        qs = editions.questions(lab)
        assert len(answers) == len(qs), docname
        assert sorted(c.source for c in checks) == sorted(f'grader.check("{q["name"]}")' for q in qs
                                                          if not q.get("manual"))
        assert not any(c.get("outputs") for c in nb.cells if c.cell_type == "code"), docname
        sources = [c.source for c in nb.cells]
        assert editions.INIT_NOTE in sources and editions.INIT_CELL.format(lab=lab.stem) in sources, docname
        install = [c.source for c in nb.cells if editions.COLAB_INSTALL in c.source]
        assert install and f"git+{url}" in install[0], f"{docname}: Colab installs from the student repository"
        # its outputs came from the instructor build's cache: the very figures the instructor page shows (the
        # figure files are named by their content's hash), in the same order, and at least one
        figures = [_figures(p) for p in (page, (instructor / f"{docname}.html").read_text())]
        assert figures[0] and figures[0] == figures[1], f"{docname}: figures {figures[0]} (instructor: {figures[1]})"
    leaked = files_naming(student, instructor_repository())
    assert not leaked, f"the student site names the instructor's repository in {leaked[:10]}"


@pytest.mark.slow
def test_student_pages_say_how_to_hand_in_and_not_that_solutions_are_given(sites):
    instructor, student = sites
    how = (student / "chapters" / "00-welcome" / "how-to-use.html").read_text()
    guide = (student / "chapters" / "00-welcome" / "course-guide.html").read_text()
    assert "Hand in a lab" in how and "File -&gt; Download" in how
    assert "hidden in dropdowns" not in how and "every solution is given" not in guide
    assert "instructor grades them" in guide
    # the instructor edition reads as before: the student passages are comments there
    how_i = (instructor / "chapters" / "00-welcome" / "how-to-use.html").read_text()
    assert "hidden in dropdowns" in how_i and "<h2>Hand in a lab" not in how_i


def test_a_renamed_student_notebook_still_checks_its_answers(tmp_path, monkeypatch):
    """A second download, ``hebbian-lab (1).ipynb``: the checks are found by the notebook's metadata."""
    from therapybrain.checking import MissingChecks, load_checks

    lab = next(p for p in editions.labs(ROOT) if p.stem == "hebbian-lab")
    folder = tmp_path / "build"
    editions.make_assignments(ROOT, folder)
    copy = tmp_path / "downloads" / f"{lab.stem} (1).ipynb"
    copy.parent.mkdir()
    shutil.copy(folder / "assignments" / lab.stem / "student" / lab.name, copy)
    (copy.parent / "notes.ipynb").write_text(json.dumps(nbformat.v4.new_notebook()))   # another notebook beside it
    monkeypatch.chdir(copy.parent)
    monkeypatch.delenv("JPY_SESSION_NAME", raising=False)
    grader = load_checks(lab.stem)
    assert not isinstance(grader, MissingChecks), grader
    for q in (q for q in editions.questions(lab) if not q.get("manual")):
        result = grader.check(q["name"], {q["name"]: None})   # an answer of no use: its public tests run and fail
        assert len(result.test_case_results) == len(q["public"]), q["name"]
        assert not any(r.passed for r in result.test_case_results), q["name"]
    monkeypatch.chdir(tmp_path)
    missing = load_checks(lab.stem)
    assert isinstance(missing, MissingChecks) and "not in" in missing.reason


def test_assignment_points_in_the_instructor_guide_are_the_specs():
    """The two lab assignments' points (chapters/instructor/index.md) are the exercises' questions' points."""
    text = (ROOT / "chapters" / "instructor" / "index.md").read_text()

    def points(lab: str, exercise: str) -> float:
        path = next(p for p in editions.labs(ROOT) if p.stem == lab)
        return sum(q["points"] for q in editions.questions(path) if q["exercise"] == exercise)

    one = points("neurogenesis-lab", "ex-mech-neuro-code")
    two = {points(lab, ex) for lab, ex in [("cbt-lab", "ex-ther-cbt-lab-right"),
                                           ("mindfulness-lab", "ex-ther-mind-lab-salience"),
                                           ("psychodynamic-lab", "ex-ther-psy-lab-count")]}
    assert len(two) == 1, f"assignment 2's choices are worth different points: {two}"
    assert f"Assignment 1:\n  {one:g} points" in text or f"Assignment 1: {one:g} points" in text
    assert f"Assignment 2: {two.pop():g} points" in text


def test_student_toc_drops_the_instructor_part_and_keeps_every_lab():
    toc = editions._student_toc(yaml.safe_load((ROOT / "_toc.yml").read_text()))
    text = yaml.safe_dump(toc)
    assert editions.INSTRUCTOR not in text
    for lab in editions.labs(ROOT):
        assert lab.relative_to(ROOT).with_suffix("").as_posix() in text


def test_strip_solutions_removes_both_forms_and_keeps_the_rest():
    page = ("Intro.\n\n```{exercise} A\n:label: ex-a\n\nDo it.\n```\n\n````{solution} ex-a\n:class: dropdown\n\n"
            "```python\nx = 1\n```\nSecret one.\n````\n\n```{solution-start} ex-a\n:class: dropdown\n```\n"
            "Secret two.\n```{solution-end}\n```\n\n:::{dropdown} Show the answer\nQuiz answer.\n:::\n")
    out = editions.strip_solutions(page)
    assert "Secret" not in out and "x = 1" not in out
    assert "Do it." in out and "Quiz answer." in out and "Intro." in out


def test_every_lab_is_an_assignment_with_questions():
    labs = editions.labs(ROOT)
    assert len(labs) >= 11 and all(p.suffix == ".ipynb" for p in labs)
    names = [q["name"] for lab in labs for q in editions.questions(lab)]
    assert len(names) == len(set(names)), "question names are unique across labs (one gradebook column each)"
    auto = [q for lab in labs for q in editions.questions(lab) if not q.get("manual")]
    assert len(auto) >= 30
    for lab in labs:
        assert editions.questions(lab), f"{lab.name} has no graded question"


def test_a_bad_spec_is_refused_with_a_message(tmp_path):
    nb = nbformat.v4.new_notebook(cells=[nbformat.v4.new_markdown_cell("````{solution} ex-x\nok\n````")])
    nb.cells[0].metadata["grading"] = [{"name": "x", "points": 1, "prompt": "?", "solution": "y = 1",
                                        "public": ["assert True"], "hidden": ["assert x == 1"]}]
    nbformat.write(nb, tmp_path / "bad.ipynb")
    with pytest.raises(editions.EditionError, match="last line must be 'x = ...'"):
        editions.questions(tmp_path / "bad.ipynb")


def test_the_tests_read_the_site_where_the_build_writes_it():
    """conftest's book_html (where the tests look for the instructor site) is where scripts/book.py's build writes."""
    from scripts.book import build_command, build_dir

    assert book_html(ROOT) == build_dir(ROOT) / "html" and "--path-output" not in build_command(ROOT)
    assert book_html(ROOT / "elsewhere") == build_dir(ROOT / "elsewhere") / "html"


def test_the_student_repository_has_what_binder_needs_and_no_secret_in_any_file(tmp_path):
    dest = editions.export_repository(tmp_path / "student", ROOT, build=tmp_path / "build")   # not the shared _build
    requirements = (dest / "requirements.txt").read_text()
    assert "otter-grader==7.0.0" in requirements, "the student notebooks import otter"
    assert "otter" not in (ROOT / "requirements.txt").read_text(), "the main branch's Binder stays as it is"
    for name in ("runtime.txt", "postBuild", "pyproject.toml", "therapybrain/__init__.py", "therapybrain/checking.py",
                 "_toc.yml", "_config.yml", "README.md", "LICENSE", "assets/references.bib"):
        assert (dest / name).exists(), name
    assert not (dest / "chapters" / "instructor").exists()
    assert not (dest / "assets" / editions.INSTRUCTOR_ASSETS).exists(), "assets/instructor/ stays out"
    assert not list((dest / "assets").rglob("instructor-*")) and not (dest / "assets" / "slides").exists()
    found = leaks(dest, fingerprints(), set())   # every file, not only the chapters
    assert not found, f"{len(found)} secrets in the student repository, e.g.:\n" + "\n".join(found[:10])
    leaked = files_naming(dest, instructor_repository())
    assert not leaked, f"the student repository names the instructor's repository in {leaked}"
    url, branch = editions.student_repository(ROOT)
    assert yaml.safe_load((dest / "_config.yml").read_text())["repository"] == {
        **yaml.safe_load((ROOT / "_config.yml").read_text())["repository"], "url": url, "branch": branch}
    for lab in editions.labs(ROOT):
        nb = nbformat.read(dest / lab.relative_to(ROOT), as_version=4)
        assert not any(c.get("outputs") for c in nb.cells if c.cell_type == "code")
        assert not any("grading" in c.metadata for c in nb.cells)
    log = subprocess.run(["git", "log", "--format=%s"], cwd=dest, capture_output=True, text=True, check=True)
    assert log.stdout.startswith("Student edition"), log.stdout
    assert subprocess.run(["git", "branch", "--show-current"], cwd=dest, capture_output=True, text=True,
                          check=True).stdout.strip() == branch
    # a later export into the same clone adds a commit on top; a folder that is not one is refused
    (dest / "chapters" / "stale.md").write_text("a file the new edition no longer has")
    subprocess.run(["git", "add", "-A"], cwd=dest, check=True)
    subprocess.run(["git", "-c", "user.name=t", "-c", "user.email=t@t", "commit", "-qm", "stale"], cwd=dest, check=True)
    editions.export_repository(dest, ROOT, build=tmp_path / "build")
    log = subprocess.run(["git", "log", "--format=%s"], cwd=dest, capture_output=True, text=True, check=True)
    assert len(log.stdout.splitlines()) == 3 and not (dest / "chapters" / "stale.md").exists()
    other = tmp_path / "mine"
    other.mkdir()
    (other / "thesis.tex").write_text("keep me")
    with pytest.raises(editions.EditionError, match="not a student repository"):
        editions.export_repository(other, ROOT, build=tmp_path / "build")
    assert (other / "thesis.tex").read_text() == "keep me"


def test_the_student_repository_cannot_be_the_instructors(tmp_path):
    (tmp_path / "_config.yml").write_text(yaml.safe_dump({"repository": {"url": "https://github.com/o/course"},
                                                          "student_edition": {"repository": "https://github.com/o/course/"}}))
    with pytest.raises(editions.EditionError, match="must be another one"):
        editions.student_repository(tmp_path)
