"""One source, two editions: the student edition and the otter-grader assignments, generated from the book.

The chapter pages and lab notebooks are the single source (the instructor edition, ``make book``). Each lab
notebook's exercises keep their grading spec next to their solution: the solution cell's metadata
``grading`` lists the exercise's questions, each either autograded (``name``, ``points``, ``prompt``, a
``solution`` whose last line is ``<name> = <expression>``, ``public`` tests the student can run and
``hidden`` tests used for grading) or graded by hand (``manual: true``, ``points``, ``prompt``,
``rubric``). Every notebook of the table of contents outside ``chapters/instructor/`` is a lab.

A graded class runs on two repositories: the instructor's (this one, private: its ``main`` holds every
solution, hidden test, rubric and answer key) and a public **student repository** (``_config.yml``'s
``student_edition`` block: its address and branch) that holds only the student edition. The student
site's repository icon, launch buttons (Binder, Colab, a hub), downloads and the notebooks' Colab install
cell all point at the student repository; nothing a student is given points at the instructor's.

From the source this script generates, never by hand:

- ``_build/assignments/<lab>/``: the otter-grader master notebook (``source/``, Otter Assign's format),
  and what ``otter assign`` makes of it: ``autograder/`` (the solution notebook) and ``student/<lab>.ipynb``:
  **the** student notebook of the lab, the same file everywhere (the student site's download, the
  student repository, the one to upload to an LMS): places to answer, a ``grader.check`` cell after each
  (public tests only, in its metadata; they are found whatever the file is called:
  ``therapybrain.checking``), the "Checking your answers" note and the Colab install cell.
- ``_build/student/src/``: the student edition's sources: every chapter page without its solutions and
  without its instructor-edition passages (``<!-- instructor-edition -->`` ... ``<!-- /instructor-edition -->``)
  and with its student-edition passages shown (``<!-- student-edition`` ... ``-->``, a comment in the
  instructor edition), the student notebooks, the table of contents without the instructor part, the
  assets without ``assets/instructor/`` (quiz banks with keys, slide notes, workload), and a configuration
  whose links point at the student repository; sphinx-exercise's own ``hide_solutions`` is switched on as
  well (it hides solutions in the HTML only, which is why the sources themselves are filtered).
- ``_build/student/html/``: the student site, built from those sources with the outputs of the instructor
  build's jupyter-cache (the student notebooks' code cells are the instructor's plus answer and check
  cells, which print nothing as given): nothing is executed again when ``make book`` ran first.
- ``_build/student/repository/`` (``make student-repo``, or ``export DIR``): the student repository's files
  (the sources without outputs, what Binder installs, a README for students) as one git commit, ready to
  push to the student repository; given a clone of the student repository, it adds a commit on top.

Usage (from the book's folder)::

    .venv/bin/python -m scripts.editions assignments        # _build/assignments
    .venv/bin/python -m scripts.editions student            # assignments, then the student site
    .venv/bin/python -m scripts.editions export DIR         # the student repository's files, committed in DIR
    .venv/bin/python -m scripts.editions table              # the grading table (Markdown) of every lab
"""

from __future__ import annotations

import argparse
import contextlib
import copy
import io
import os
import re
import shutil
import subprocess
import sys
import time
from pathlib import Path

import nbformat
import yaml

from scripts import repository
from scripts.book import BUILD_OPTIONS, ROOT, toc_docnames

INSTRUCTOR = "chapters/instructor/"
#: assets/ that only the instructor may see: quiz banks with their keys, slide notes, the workload table
INSTRUCTOR_ASSETS = "instructor"
#: the student repository's branch when ``_config.yml`` names none
STUDENT_BRANCH = "main"
#: a file the student repository's export writes, so that a later export knows the folder is one
STUDENT_MARK = ".student-edition"
# A {solution} box: an opening fence of 3+ backticks or colons, its body, the same fence closing it; or a
# gated {solution-start} ... {solution-end} pair (sphinx-exercise's two forms).
SOLUTION = re.compile(r"(?ms)^([`:]{3,})\{solution\}[^\n]*\n.*?^\1[ \t]*(?:\n|\Z)"
                      r"|^[`:]{3,}\{solution-start\}"
                      r".*?^([`:]{3,})\{solution-end\}[^\n]*\n(?::\w+:[^\n]*\n)*\2[ \t]*(?:\n|\Z)")
SOLUTION_LABEL = re.compile(r"\{solution(?:-start)?\}\s*(\S+)")
EXERCISE = re.compile(r"\{exercise(?:-start)?\}")
# The files the student repository needs besides the book's sources (Binder installs from them).
BRANCH_FILES = ("requirements.txt", "runtime.txt", "postBuild", "requirements-data.txt", "pyproject.toml", "LICENSE",
                "LICENSE-CONTENT.md", "CITATION.cff", "therapybrain")
ANSWER_PROMPT = "# Your answer: replace ... with it, then run this cell and the check below."
STUDENT_REQUIREMENT = "otter-grader==7.0.0   # the student notebooks' grader.check (added by scripts/editions.py)"
COLAB_INSTALL = 'find_spec("therapybrain") is None'
COLAB_PACKAGE = re.compile(rf'therapybrain @ git\+(?P<url>{repository.URL})(?=")')   # in the cell's source
# otter's init cell, replaced: the checks are found by the notebook's metadata, whatever its file is called
# (therapybrain.checking; on Colab, which opens a notebook without its file, a check says it does not run there)
INIT_FIRST_LINE = "# Load this lab's checks: grader.check(\"name\") runs the public tests of one answer"
INIT_CELL = INIT_FIRST_LINE + """
from therapybrain.checking import load_checks
grader = load_checks("{lab}")"""
INIT_NOTE = ("**Checking your answers.** Run the cell below once: it loads this lab's checks. Each answer cell is "
             "followed by a `grader.check(...)` cell that runs the public tests of that answer and says what is "
             "still wrong; your instructor grades with further, hidden tests and reads the written answers. "
             "The checks work whatever your notebook file is called; on Colab they do not run (it opens the "
             "notebook without its file), so answer and hand in.")
# Passages of a page for one edition only (scripts/editions.py keeps or drops them in the student sources).
INSTRUCTOR_ONLY = re.compile(r"(?s)<!-- instructor-edition -->.*?<!-- /instructor-edition -->(?:[ \t]*\n(?=\n|<!--))?")
STUDENT_ONLY = re.compile(r"(?s)<!-- student-edition[ \t]*\n?(.*?)[ \t]*\n?-->")


class EditionError(RuntimeError):
    """A grading spec or a lab that cannot be turned into an assignment (the message says which and why)."""


# ---------------------------------------------------------------------------------------------- the source
def labs(root: Path = ROOT) -> list[Path]:
    """The lab notebooks: every .ipynb of the table of contents outside the instructor part, in reading order."""
    return [root / f"{d}.ipynb" for d in toc_docnames(root / "_toc.yml")
            if not d.startswith(INSTRUCTOR) and (root / f"{d}.ipynb").exists()]


_INSTRUCTOR_LINK = re.compile(r"\{doc\}`(?:([^`<]*?)\s*<)?[^`>]*instructor/[^`>]*>?`")


def unlink_instructor(text: str) -> str:
    """Links to the instructor part, which the student edition leaves out, become their plain text.

    >>> unlink_instructor("an {doc}`instructor guide <chapters/instructor/index>` with plans")
    'an instructor guide with plans'
    """
    return _INSTRUCTOR_LINK.sub(lambda m: (m.group(1) or "the instructor guide").strip(), text)


def edition_text(text: str, edition: str) -> str:
    r"""A page's text for one edition: ``"student"`` drops the instructor-edition passages and shows the
    student-edition ones; ``"instructor"`` leaves the page as written (the student passages are a comment).

    >>> page = "A.\n<!-- instructor-edition -->\nEvery solution is given.\n<!-- /instructor-edition -->\n"
    >>> page += "<!-- student-edition\nHand in the notebook.\n-->\nB.\n"
    >>> print(edition_text(page, "student"))
    A.
    Hand in the notebook.
    B.
    <BLANKLINE>
    >>> edition_text("Each is given<!-- instructor-edition -->, solved<!-- /instructor-edition -->"
    ...              "<!-- student-edition , graded -->.", "student")
    'Each is given, graded.'
    """
    if edition not in ("student", "instructor"):
        raise ValueError(f"unknown edition {edition!r}: 'student' or 'instructor'")
    if edition == "instructor":
        return text
    return STUDENT_ONLY.sub(lambda m: m.group(1), INSTRUCTOR_ONLY.sub("", text))


def student_repository(root: Path = ROOT) -> tuple[str, str]:
    """(address, branch) of the class's student repository: ``_config.yml``'s ``student_edition`` block.

    Without one, ``<repository.url>-student`` and its ``main`` branch (a separate repository, never a
    branch of the instructor's).
    """
    config = yaml.safe_load((root / "_config.yml").read_text())
    block = config.get("student_edition") or {}
    main_url = repository.normalise(config["repository"]["url"])
    url = repository.normalise(block.get("repository") or f"{main_url}-student")
    if url == main_url:
        raise EditionError(f"_config.yml: student_edition.repository is the instructor's repository ({url}); the "
                           "student repository must be another one (its main branch would hold the solutions)")
    return url, str(block.get("branch") or STUDENT_BRANCH)


def strip_solutions(text: str) -> str:
    """``text`` without its ``{solution}`` boxes (and without the blank lines they leave behind)."""
    return re.sub(r"\n{3,}", "\n\n", SOLUTION.sub("", text))


def solution_texts(text: str) -> list[str]:
    """The ``{solution}`` boxes of a page or cell, whole."""
    return [m.group(0) for m in SOLUTION.finditer(text)]


def questions(path: Path) -> list[dict]:
    """The graded questions of one lab, in order: its spec plus ``lab`` (the notebook's stem) and ``exercise``."""
    nb = nbformat.read(path, as_version=4)
    found = []
    for cell in nb.cells:
        for spec in cell.metadata.get("grading", []):
            label = SOLUTION_LABEL.search(cell.source)
            found.append({**spec, "lab": path.stem, "exercise": label.group(1) if label else ""})
    _check_spec(path, found)
    return found


def _check_spec(path: Path, found: list[dict]) -> None:
    names = [q["name"] for q in found]
    for q in found:
        where = f"{path.name}: question {q.get('name')!r}"
        if not re.fullmatch(r"[A-Za-z_]\w*", q.get("name", "")):
            raise EditionError(f"{where}: a question's name must be a Python identifier")
        if names.count(q["name"]) > 1:
            raise EditionError(f"{where}: two questions have this name")
        if not isinstance(q.get("points"), (int, float)) or q["points"] <= 0:
            raise EditionError(f"{where}: 'points' must be a positive number")
        if q.get("manual"):
            if not q.get("rubric"):
                raise EditionError(f"{where}: a manually graded question needs a 'rubric'")
        else:
            last = q.get("solution", "").rstrip().splitlines()[-1:] or [""]
            if not re.match(rf"{q['name']}\s*=[^=]", last[0]):
                raise EditionError(f"{where}: the solution's last line must be '{q['name']} = ...'")
            if not q.get("public") or not q.get("hidden"):
                raise EditionError(f"{where}: an autograded question needs 'public' and 'hidden' tests")


# ------------------------------------------------------------------------------------ otter master notebooks
def _raw(text: str) -> nbformat.NotebookNode:
    return nbformat.v4.new_raw_cell(text)


def _points(q: dict) -> str:
    n = q["points"]
    return f"{n:g} point{'s' if n != 1 else ''}"


def _question_cells(q: dict, solution_text: str) -> list[nbformat.NotebookNode]:
    """One question in Otter Assign's notebook format (docs: otter_assign/notebook_format)."""
    config = {"name": q["name"], "points": q["points"]}
    if q.get("manual"):
        config["manual"] = True
    cells = [_raw("# BEGIN QUESTION\n" + yaml.safe_dump(config, sort_keys=False).strip())]
    if q.get("manual"):
        cells.append(nbformat.v4.new_markdown_cell(
            f"**Question `{q['name']}`** ({_points(q)}, read by your instructor). {q['prompt']}"))
        body = re.sub(r"(?ms)\A[`:]{3,}\{solution\}[^\n]*\n(?::\w+:[^\n]*\n)*", "", solution_text)
        body = re.sub(r"(?m)^[`:]{3,}\s*\Z", "", body.rstrip())
        cells += [_raw("# BEGIN SOLUTION"),
                  nbformat.v4.new_markdown_cell(f"**Rubric.** {q['rubric']}\n\n**Model answer.**\n\n{body.strip()}"),
                  _raw("# END SOLUTION")]
    else:
        cells.append(nbformat.v4.new_markdown_cell(
            f"**Question `{q['name']}`** ({_points(q)}, checked automatically). {q['prompt']} "
            f"Replace the `...` below with your answer."))
        lines = q["solution"].rstrip().splitlines()
        code = [ANSWER_PROMPT]
        if len(lines) > 1:
            code += ["# BEGIN SOLUTION NO PROMPT", *lines[:-1], "# END SOLUTION"]
        code.append(f"{lines[-1]}  # SOLUTION")
        cells += [_raw("# BEGIN SOLUTION"), nbformat.v4.new_code_cell("\n".join(code)), _raw("# END SOLUTION"),
                  _raw("# BEGIN TESTS")]
        for test in q["public"]:   # public tests carry no points: a wrong answer of the right kind loses them all
            cells.append(nbformat.v4.new_code_cell(
                '""" # BEGIN TEST CONFIG\npoints: 0\n""" # END TEST CONFIG\n' + test))
        cells.append(nbformat.v4.new_code_cell(
            '""" # BEGIN TEST CONFIG\nhidden: true\n""" # END TEST CONFIG\n' + "\n".join(q["hidden"])))
        cells.append(_raw("# END TESTS"))
    cells.append(_raw("# END QUESTION"))
    return cells


def master_notebook(path: Path) -> nbformat.NotebookNode:
    """The lab as an Otter Assign master notebook: each graded solution box becomes its questions."""
    nb = nbformat.read(path, as_version=4)
    questions(path)  # checks the spec
    config = {"name": path.stem, "init_cell": True, "check_all_cell": False, "export_cell": False,
              "run_tests": False, "solutions_pdf": False, "template_pdf": False,
              "tests": {"files": False, "ok_format": True}, "generate": {"pdf": False, "filtering": False}}
    cells = [_raw("# ASSIGNMENT CONFIG\n" + yaml.safe_dump(config, sort_keys=False).strip())]
    for cell in nb.cells:
        spec = cell.metadata.get("grading")
        if cell.cell_type == "markdown" and SOLUTION.search(cell.source):
            boxes = solution_texts(cell.source)
            rest = strip_solutions(cell.source).strip()
            if rest:
                cells.append(nbformat.v4.new_markdown_cell(rest))
            if spec:
                for q in spec:
                    cells += _question_cells(q, boxes[0])
            else:  # an exercise without a spec: a place to answer, not graded
                cells.append(nbformat.v4.new_markdown_cell(
                    "**Your answer.** _Type your answer here, replacing this text._"))
            continue
        cells.append(copy.deepcopy(cell))
    return nbformat.v4.new_notebook(cells=cells, metadata=copy.deepcopy(nb.metadata))


@contextlib.contextmanager
def _cwd(path: Path):
    before = os.getcwd()
    os.chdir(path)
    try:
        yield
    finally:
        os.chdir(before)


def assignment_dir(path: Path, build: Path) -> Path:
    return build / "assignments" / path.stem


def make_assignments(root: Path = ROOT, build: Path | None = None, *, url: str | None = None,
                     quiet: bool = True) -> list[Path]:
    """Write every lab's master notebook and run ``otter assign`` on it; returns the assignment folders.

    Each lab's ``student/<lab>.ipynb`` is then made the lab's one student notebook (:func:`_student_notebook`;
    ``url``: the student repository, default :func:`student_repository`).
    """
    from otter.assign import main as otter_assign

    build = build or root / "_build"
    url = repository.normalise(url or student_repository(root)[0])
    done = []
    for path in labs(root):
        folder = assignment_dir(path, build)
        shutil.rmtree(folder, ignore_errors=True)
        (folder / "source").mkdir(parents=True)
        master = folder / "source" / path.name
        nbformat.write(master_notebook(path), master)
        log = io.StringIO()
        try:   # in this process: otter's import costs seconds, once instead of once a lab
            with contextlib.redirect_stdout(log), contextlib.redirect_stderr(log), _cwd(folder / "source"):
                otter_assign(str(master), str(folder), no_run_tests=True, no_pdfs=True)
        except Exception as error:
            raise EditionError(f"otter assign failed on {path.name}: {error}\n{log.getvalue()[-3000:]}") from error
        student = folder / "student" / path.name
        if not student.exists():
            raise EditionError(f"otter assign wrote no student notebook for {path.name}:\n{log.getvalue()[-3000:]}")
        nbformat.write(_student_notebook(student, url), student)
        if not quiet:
            print(f"assignment {path.stem}: {folder.relative_to(root)}")
        done.append(folder)
    return done


def autograder_zip(path_or_stem: Path | str, build: Path = ROOT / "_build") -> Path:
    """The autograder zip ``otter assign`` wrote for a lab (by notebook path or stem)."""
    stem = Path(path_or_stem).stem
    found = sorted((build / "assignments" / stem / "autograder").glob("*.zip"))
    if not found:
        raise EditionError(f"no autograder for {stem!r}: run `make assignments` first")
    return found[-1]


# ------------------------------------------------------------------------------------------ student edition
def _student_notebook(otter_student: Path, student_url: str) -> nbformat.NotebookNode:
    """Otter's student notebook made the lab's one student notebook: its init cell finds the checks
    whatever the file is called, and stands just before the first exercise, after a note on checking; the
    Colab install cell installs the package from the student repository; no grading spec is left."""
    nb = nbformat.read(otter_student, as_version=4)
    for cell in nb.cells:
        if cell.cell_type == "code" and COLAB_INSTALL in cell.source:
            cell.source = COLAB_PACKAGE.sub(lambda m: m.group(0).replace(m.group("url"), student_url), cell.source)
    init = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"
            and ("otter.Notebook(" in c.source or c.source.startswith(INIT_FIRST_LINE))]
    if init:
        cell = nb.cells.pop(init[0])
        cell.source = INIT_CELL.format(lab=otter_student.stem)
        at = next((i for i, c in enumerate(nb.cells) if c.cell_type == "markdown" and EXERCISE.search(c.source)),
                  len(nb.cells))
        nb.cells[at:at] = [nbformat.v4.new_markdown_cell(INIT_NOTE), cell]
    for c in nb.cells:
        c.metadata.pop("grading", None)
    return nb


def _instructor_outputs(path: Path, cache_dir: Path) -> nbformat.NotebookNode | None:
    """The instructor notebook with its outputs from the build's jupyter-cache (None: not cached)."""
    if not cache_dir.exists():
        return None
    from jupyter_cache import get_cache

    try:
        _, merged = get_cache(str(cache_dir)).merge_match_into_notebook(nbformat.read(path, as_version=4))
    except KeyError:
        return None
    return merged


def _merge_outputs(student: nbformat.NotebookNode, executed: nbformat.NotebookNode) -> bool:
    """Copy the executed instructor cells' outputs into the student cells of the same code (in order).

    Returns whether every student code cell got outputs or is one of the edition's own cells (answers,
    checks, the checks' loader) or the Colab install cell (hidden; its address differs): those print
    nothing as given.
    """
    pool = [c for c in executed.cells if c.cell_type == "code"]
    complete = True
    for cell in student.cells:
        if cell.cell_type != "code":
            continue
        match = next((c for c in pool if c.source == cell.source), None)
        if match is not None:
            pool.remove(match)
            cell.outputs, cell.execution_count = copy.deepcopy(match.outputs), match.execution_count
        elif not (cell.source.startswith(("grader.check(", ANSWER_PROMPT, INIT_FIRST_LINE))
                  or "remove-cell" in cell.metadata.get("tags", [])):   # the Colab install cell
            complete = False
    return complete


def _student_toc(toc: dict) -> dict:
    """The table of contents without the instructor part (any entry under chapters/instructor/)."""
    def keep(entries):
        out = []
        for entry in entries:
            if str(entry.get("file", "")).startswith(INSTRUCTOR):
                continue
            entry = dict(entry)
            for key in ("sections", "chapters"):
                if key in entry:
                    entry[key] = keep(entry[key])
                    if not entry[key]:
                        del entry[key]
            out.append(entry)
        return out

    toc = dict(toc)
    if "parts" in toc:
        toc["parts"] = [p for p in ({**p, "chapters": keep(p.get("chapters", []))} for p in toc["parts"])
                        if p["chapters"]]
    for key in ("chapters", "sections"):
        if key in toc:
            toc[key] = keep(toc[key])
    return toc


def _student_config(config: dict, url: str, branch: str) -> dict:
    """The student site's configuration: every link on the student repository, solutions hidden."""
    config = copy.deepcopy(config)
    config.pop("student_edition", None)
    config["repository"] = {**config.get("repository", {}), "url": url, "branch": branch}
    config.setdefault("execute", {})["execute_notebooks"] = "cache"
    sphinx = config.setdefault("sphinx", {}).setdefault("config", {})
    sphinx["hide_solutions"] = True   # sphinx-exercise's own switch (HTML only; the sources are filtered too)
    return config


def _cache_outputs(cache_dir: Path, executed: nbformat.NotebookNode, uri: Path) -> None:
    """Store an executed student notebook in the student build's jupyter-cache (matched by its code)."""
    from jupyter_cache import get_cache
    from jupyter_cache.base import CacheBundleIn

    get_cache(str(cache_dir)).cache_notebook_bundle(CacheBundleIn(executed, str(uri)), check_validity=False,
                                                    overwrite=True)


def _student_assets(folder: str, names: list[str]) -> set[str]:
    """shutil.copytree's ignore: caches, and the instructor's assets (``assets/instructor/``)."""
    ignored = {n for n in names if n == "__pycache__" or n == ".ipynb_checkpoints"}
    if Path(folder).name == "assets":
        ignored |= {n for n in names if n == INSTRUCTOR_ASSETS}
    return ignored


def write_student_sources(dest: Path, root: Path = ROOT, build: Path | None = None, *,
                          url: str | None = None, branch: str | None = None, cache: Path | None = None) -> bool:
    """Write the student edition's sources into ``dest``; returns whether every lab had cached outputs.

    Needs the assignments (``make_assignments``). The notebooks are written without outputs. ``url`` and
    ``branch``: the student repository (default: :func:`student_repository`). ``cache``: a jupyter-cache
    folder for the student site's build, filled with each student notebook's outputs from the instructor
    build's cache (the site then executes no notebook whose code the instructor build ran); without it,
    nothing is cached (the student repository).
    """
    build = build or root / "_build"
    default_url, default_branch = student_repository(root)
    url, branch = repository.normalise(url or default_url), branch or default_branch
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    lab_paths = {p.resolve() for p in labs(root)}
    complete = True
    shutil.copytree(root / "assets", dest / "assets", ignore=_student_assets)
    shutil.copytree(root / "_ext", dest / "_ext", ignore=_student_assets)
    for source in [root / "index.md", *sorted((root / "chapters").rglob("*"))]:
        rel = source.relative_to(root)
        if rel.as_posix().startswith(INSTRUCTOR) or source.is_dir() or "__pycache__" in rel.parts \
                or ".ipynb_checkpoints" in rel.parts:
            continue
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.suffix == ".md":
            target.write_text(unlink_instructor(strip_solutions(edition_text(source.read_text(), "student"))))
        elif source.suffix == ".ipynb" and source.resolve() in lab_paths:
            nb = nbformat.read(assignment_dir(source, build) / "student" / source.name, as_version=4)
            nbformat.write(nb, target)   # stored without outputs: the downloads are the notebooks as given
            if cache is not None:
                executed = _instructor_outputs(source, build / ".jupyter_cache")
                merged = copy.deepcopy(nb)
                if executed is not None and _merge_outputs(merged, executed):
                    _cache_outputs(cache, merged, target)
                else:
                    complete = False
        elif source.suffix == ".ipynb":   # a notebook outside the toc: its solutions removed all the same
            nb = nbformat.read(source, as_version=4)
            for cell in nb.cells:
                if cell.cell_type == "markdown":
                    cell.source = unlink_instructor(strip_solutions(edition_text(cell.source, "student")))
            nbformat.write(nb, target)
        else:
            shutil.copy2(source, target)
    config = _student_config(yaml.safe_load((root / "_config.yml").read_text()), url, branch)
    if cache is not None:
        config["execute"]["cache"] = str(cache)
    (dest / "_config.yml").write_text(yaml.safe_dump(config, sort_keys=False))
    (dest / "_toc.yml").write_text(yaml.safe_dump(_student_toc(yaml.safe_load((root / "_toc.yml").read_text())),
                                                  sort_keys=False))
    repository.write(url, dest)   # the pages' issue links, the notebooks' Colab install cells
    return complete


def build_student(root: Path = ROOT, *, url: str | None = None, branch: str | None = None,
                  quiet: bool = False) -> Path:
    """The assignments, the student sources and the student site (``_build/student/html``); returns it."""
    build = root / "_build"
    started = time.perf_counter()
    make_assignments(root, build, url=url)
    assigned = time.perf_counter()
    out = build / "student"
    cache = out / ".jupyter_cache"
    shutil.rmtree(cache, ignore_errors=True)
    complete = write_student_sources(out / "src", root, build, url=url, branch=branch, cache=cache)
    html = out / "html"
    shutil.rmtree(html, ignore_errors=True)
    run = subprocess.run([str(Path(sys.executable).parent / "jupyter-book"), "build", str(out / "src"),
                          *BUILD_OPTIONS, "--path-output", str(out)], capture_output=quiet, text=True, cwd=root)
    if run.returncode != 0:
        raise EditionError("the student site did not build" + (f":\n{run.stdout[-4000:]}" if quiet else ""))
    shutil.move(str(out / "_build" / "html"), html)
    if not quiet:
        default_url, default_branch = student_repository(root)
        shown_url, shown_branch = url or default_url, branch or default_branch
        print(f"student edition: {html.relative_to(root)}/index.html (assignments {assigned - started:.0f} s, "
              f"site {time.perf_counter() - assigned:.0f} s; notebooks "
              f"{'from the instructor cache, none executed' if complete else 'executed (no instructor cache)'}).\n"
              f"Its links open the student repository {shown_url} ({shown_branch}); "
              f"`make student-repo` writes that repository's files. "
              f"The notebooks to hand out or upload: {(build / 'assignments').relative_to(root)}/<lab>/student/")
    return html


STUDENT_README = """# {title}: student edition

This repository is the **student edition** of the course *{title}*: the chapter pages and the lab
notebooks, with places to answer and checks, and without solutions. Your instructor gives you the
address of the course's site.

## Open a lab

- **Binder** (no account): {binder}
- **Colab** (a Google account): open a notebook from this repository in Colab; its first cell installs the
  course's package. The answer checks (`grader.check`) do not run on Colab: answer, then hand in.
- **Your computer** (Python 3.11-3.14): `python -m venv .venv && .venv/bin/pip install -r requirements.txt`
  and `.venv/bin/pip install otter-grader`, then `.venv/bin/jupyter lab`.

## Hand in a lab

Run every cell (*Run > Run All Cells*), check your answers with the `grader.check(...)` cells, save, then
download the notebook (*File > Download*) with its outputs and upload that `.ipynb` file where your
instructor asks. The file's name does not matter.

Made from the course's source by `make student-repo` ({source}). Licences: see `LICENSE` (code) and
`LICENSE-CONTENT.md` (text and figures).
"""


def _git(folder: Path, *args: str) -> str:
    config = []
    for key, value in (("user.name", "Psychotherapy and the Brain course"), ("user.email", "course@localhost")):
        if subprocess.run(["git", "config", key], cwd=folder, capture_output=True, text=True).stdout.strip() == "":
            config += ["-c", f"{key}={value}"]
    run = subprocess.run(["git", *config, *args], cwd=folder, capture_output=True, text=True)
    if run.returncode != 0:
        raise EditionError(f"git {' '.join(args)} failed in {folder}: {run.stderr.strip()}")
    return run.stdout.strip()


def export_repository(dest: Path, root: Path = ROOT, *, url: str | None = None, branch: str | None = None,
                      build: Path | None = None, git: bool = True) -> Path:
    """The student repository's files in ``dest``, committed (``git``) on its branch; returns ``dest``.

    The student sources without outputs, what Binder installs (requirements with otter-grader, runtime,
    postBuild, the package), the licences, and a README for students. ``dest`` is created, or is a
    folder an earlier export wrote, or a clone of the student repository (its history is kept: the new
    files are one more commit); any other non-empty folder is refused. ``build``: where the assignments
    are generated first (default ``ROOT/_build``).
    """
    build = build or root / "_build"
    default_url, default_branch = student_repository(root)
    url, branch = repository.normalise(url or default_url), branch or default_branch
    dest = dest.resolve()
    if dest == root.resolve() or root.resolve().is_relative_to(dest):
        raise EditionError(f"{dest} holds the course's source: give a folder of its own")
    if dest.exists() and any(dest.iterdir()) and not (dest / STUDENT_MARK).exists():
        raise EditionError(f"{dest} is not empty and is not a student repository (it has no {STUDENT_MARK}): "
                           "give an empty folder, a folder an earlier export wrote, or a clone of the "
                           "student repository")
    make_assignments(root, build, url=url)
    kept = None
    if (dest / ".git").exists():   # keep the clone's history: write the new files beside it
        kept = dest.parent / f".{dest.name}.git-kept"
        shutil.rmtree(kept, ignore_errors=True)
        shutil.move(str(dest / ".git"), kept)
    try:
        write_student_sources(dest, root, build, url=url, branch=branch)
    finally:
        if kept is not None:
            shutil.move(str(kept), dest / ".git")
    for name in BRANCH_FILES:
        source = root / name
        if source.is_dir():
            shutil.copytree(source, dest / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        elif source.exists():
            shutil.copy2(source, dest / name)
    # The student notebooks import otter (grader.check): Binder on the student repository installs it too. The
    # main branch's requirements.txt stays as it is (its notebooks do not import otter).
    requirements = (dest / "requirements.txt").read_text()
    if not re.search(r"(?m)^otter-grader==", requirements):
        (dest / "requirements.txt").write_text(requirements.rstrip("\n") + "\n" + STUDENT_REQUIREMENT + "\n")
    repository.write(url, dest)   # CITATION.cff, LICENSE-CONTENT.md
    config = yaml.safe_load((root / "_config.yml").read_text())
    source = "not a git checkout"
    if (root / ".git").exists():
        with contextlib.suppress(EditionError):
            source = "commit " + _git(root, "rev-parse", "--short", "HEAD")
    binder = f"{config['launch_buttons'].get('binderhub_url', 'https://mybinder.org').rstrip('/')}/v2/gh/" \
             f"{url.removeprefix('https://github.com/')}/{branch}?urlpath=lab"
    (dest / "README.md").write_text(STUDENT_README.format(title=config["title"], binder=binder, source=source))
    (dest / ".gitignore").write_text(".venv/\n_build/\n__pycache__/\n*.egg-info/\n.ipynb_checkpoints/\n")
    (dest / STUDENT_MARK).write_text(f"The student edition of {config['title']}, written by "
                                     "`make student-repo` (scripts/editions.py): do not edit by hand.\n")
    if git:
        if not (dest / ".git").exists():
            _git(dest, "init", "--quiet", "--initial-branch", branch)
        _git(dest, "add", "--all")
        if _git(dest, "status", "--porcelain"):
            _git(dest, "commit", "--quiet", "-m", f"Student edition ({source})")
    return dest


# ------------------------------------------------------------------------------------------ grading table
def grading_table(root: Path = ROOT) -> str:
    """A Markdown table of every lab's questions: graded how, points; and the totals per lab."""
    rows = ["| Lab | Question | Exercise | Graded | Points | Rubric |", "| --- | --- | --- | --- | ---: | --- |"]
    totals = ["| Lab | Autograded questions | Manual questions | Autograded points | Manual points |",
              "| --- | ---: | ---: | ---: | ---: |"]
    for path in labs(root):
        docname = path.relative_to(root).with_suffix("").as_posix()
        qs = questions(path)
        for q in qs:
            how = "by hand (rubric)" if q.get("manual") else "autograded (public + hidden tests)"
            rubric = q["rubric"].replace("|", "\\|") if q.get("manual") else "the hidden test passes"
            rows.append(f"| {{doc}}`/{docname}` | `{q['name']}` | {{ref}}`{q['exercise']}` | {how} | {q['points']:g} "
                        f"| {rubric} |")
        auto = [q for q in qs if not q.get("manual")]
        manual = [q for q in qs if q.get("manual")]
        totals.append(f"| {{doc}}`/{docname}` | {len(auto)} | {len(manual)} | {sum(q['points'] for q in auto):g} "
                      f"| {sum(q['points'] for q in manual):g} |")
    return "\n".join(totals) + "\n\n" + "\n".join(rows) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("assignments", help="the otter-grader assignments into _build/assignments")
    where = argparse.ArgumentParser(add_help=False)
    where.add_argument("--repository", metavar="URL", help="the student repository (default: _config.yml's "
                       "student_edition.repository)")
    where.add_argument("--branch", help="its branch (default: student_edition.branch, else main)")
    sub.add_parser("student", parents=[where], help="the student site into _build/student/html")
    export = sub.add_parser("export", parents=[where], help="the student repository's files, committed, into DIR")
    export.add_argument("dest", type=Path)
    export.add_argument("--no-git", action="store_true", help="write the files only, no commit")
    sub.add_parser("table", help="print the grading table")
    args = parser.parse_args(argv)
    try:
        if args.command == "assignments":
            make_assignments(ROOT, quiet=False)
        elif args.command == "student":
            build_student(ROOT, url=args.repository, branch=args.branch)
        elif args.command == "export":
            dest = export_repository(args.dest, ROOT, url=args.repository, branch=args.branch, git=not args.no_git)
            default_url, default_branch = student_repository(ROOT)
            url, branch = args.repository or default_url, args.branch or default_branch
            print(f"student repository: {dest}" + ("" if args.no_git else
                  f" (committed). Publish it: cd {dest} && git push {url} {branch}"))
        else:
            print(grading_table(ROOT), end="")
    except (EditionError, ValueError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
