"""One source, two editions: the student edition and the otter-grader assignments, generated from the book.

The chapter pages and lab notebooks are the single source (the instructor edition, ``make book``). Each lab
notebook's exercises keep their grading spec next to their solution: the solution cell's metadata
``grading`` lists the exercise's questions, each either autograded (``name``, ``points``, ``prompt``, a
``solution`` whose last line is ``<name> = <expression>``, ``public`` tests the student can run and
``hidden`` tests used for grading) or graded by hand (``manual: true``, ``points``, ``prompt``,
``rubric``). Every notebook of the table of contents outside ``chapters/instructor/`` is a lab.

From it this script generates, never by hand:

- ``_build/assignments/<lab>/``: the otter-grader master notebook (``source/``, Otter Assign's format),
  and what ``otter assign`` makes of it: ``autograder/`` (the solution notebook and the autograder zip
  that ``make grade`` uses) and ``student/`` (the notebook with places to answer and ``grader.check``
  cells; public tests only, in its metadata).
- ``_build/student/src/``: the student edition's sources: every chapter page without its solutions, the
  student notebooks of the labs, the table of contents without the instructor part, and a configuration
  whose launch buttons and Colab links point at the ``student`` branch (``--branch``); sphinx-exercise's
  own ``hide_solutions`` is switched on as well (it hides solutions in the HTML only, which is why the
  sources themselves are filtered). Everything else (quizzes, figures, glossary) is copied as it is.
- ``_build/student/html/``: the student site, built from those sources with the outputs of the instructor
  build's jupyter-cache (the student notebooks' code cells are the instructor's plus answer and check
  cells, which print nothing as given): nothing is executed again when ``make book`` ran first.

Usage (from the book's folder)::

    .venv/bin/python -m scripts.editions assignments        # _build/assignments
    .venv/bin/python -m scripts.editions student            # assignments, then the student site
    .venv/bin/python -m scripts.editions export DIR         # the student branch's files, without outputs
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

from scripts.book import BUILD_OPTIONS, ROOT, toc_docnames

INSTRUCTOR = "chapters/instructor/"
STUDENT_BRANCH = "student"
# A {solution} box: an opening fence of 3+ backticks or colons, its body, the same fence closing it; or a
# gated {solution-start} ... {solution-end} pair (sphinx-exercise's two forms).
SOLUTION = re.compile(r"(?ms)^([`:]{3,})\{solution\}[^\n]*\n.*?^\1[ \t]*(?:\n|\Z)"
                      r"|^[`:]{3,}\{solution-start\}"
                      r".*?^([`:]{3,})\{solution-end\}[^\n]*\n(?::\w+:[^\n]*\n)*\2[ \t]*(?:\n|\Z)")
SOLUTION_LABEL = re.compile(r"\{solution(?:-start)?\}\s*(\S+)")
EXERCISE = re.compile(r"\{exercise(?:-start)?\}")
# The files a published student branch needs besides the book's sources (Binder installs from them).
BRANCH_FILES = ("requirements.txt", "runtime.txt", "postBuild", "pyproject.toml", "LICENSE", "LICENSE-CONTENT.md",
                "CITATION.cff", "therapybrain")
ANSWER_PROMPT = "# Your answer: replace ... with it, then run this cell and the check below."
STUDENT_REQUIREMENT = "otter-grader==7.0.0   # the student notebooks' grader.check (added by scripts/editions.py)"
COLAB_INSTALL = 'find_spec("therapybrain") is None'
COLAB_OTTER = '\nif importlib.util.find_spec("otter") is None:\n    %pip install --quiet otter-grader==7.0.0'
# otter's init cell, and a stand-in where the notebook's file is not on disk (Colab opens it without one)
INIT_CELL = """# Initialize Otter: the checks of this lab's answers
import os
import types
import otter
if os.path.exists("{name}"):
    grader = otter.Notebook("{name}")
else:  # Colab opens the notebook without its file, which holds the checks (they run in JupyterLab, on a hub, Binder)
    grader = types.SimpleNamespace(check=lambda question: print(question, "is not checked here: answer and submit"))"""
INIT_NOTE = ("**Checking your answers.** Run the cell below once: it loads this lab's checks. Each answer cell is "
             "followed by a `grader.check(...)` cell that runs the public tests of that answer and says what is "
             "still wrong; your instructor grades with further, hidden tests and reads the written answers.")


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


def make_assignments(root: Path = ROOT, build: Path | None = None, *, quiet: bool = True) -> list[Path]:
    """Write every lab's master notebook and run ``otter assign`` on it; returns the assignment folders."""
    from otter.assign import main as otter_assign

    build = build or root / "_build"
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
        if not (folder / "student" / path.name).exists():
            raise EditionError(f"otter assign wrote no student notebook for {path.name}:\n{log.getvalue()[-3000:]}")
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
def _student_notebook(otter_student: Path) -> nbformat.NotebookNode:
    """Otter's student notebook, its init cell moved from the top to just before the first exercise."""
    nb = nbformat.read(otter_student, as_version=4)
    name = otter_student.name
    for cell in nb.cells:   # Colab: the install cell installs otter too
        if cell.cell_type == "code" and COLAB_INSTALL in cell.source and "otter" not in cell.source:
            cell.source = cell.source.rstrip() + COLAB_OTTER
    init = [i for i, c in enumerate(nb.cells) if c.cell_type == "code" and "otter.Notebook(" in c.source]
    if init:
        cell = nb.cells.pop(init[0])
        cell.source = INIT_CELL.format(name=name)
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
    checks, otter's init): those print nothing as given.
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
        elif not (cell.source.startswith(("grader.check(", ANSWER_PROMPT, "# Initialize Otter"))
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


def _student_config(config: dict, branch: str) -> dict:
    config = copy.deepcopy(config)
    config.setdefault("repository", {})["branch"] = branch   # launch buttons, Colab and Binder links
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


def write_student_sources(dest: Path, root: Path = ROOT, build: Path | None = None, *,
                          branch: str = STUDENT_BRANCH, cache: Path | None = None) -> bool:
    """Write the student edition's sources into ``dest``; returns whether every lab had cached outputs.

    Needs the assignments (``make_assignments``). The notebooks are written without outputs. ``cache``:
    a jupyter-cache folder for the student site's build, filled with each student notebook's outputs
    from the instructor build's cache (the site then executes no notebook whose code the instructor
    build ran); without it, nothing is cached (a student branch).
    """
    build = build or root / "_build"
    shutil.rmtree(dest, ignore_errors=True)
    dest.mkdir(parents=True)
    lab_paths = {p.resolve() for p in labs(root)}
    complete = True
    for name in ("assets", "_ext"):
        shutil.copytree(root / name, dest / name, ignore=shutil.ignore_patterns("__pycache__"))
    for source in [root / "index.md", *sorted((root / "chapters").rglob("*"))]:
        rel = source.relative_to(root)
        if rel.as_posix().startswith(INSTRUCTOR) or source.is_dir() or "__pycache__" in rel.parts \
                or ".ipynb_checkpoints" in rel.parts:
            continue
        target = dest / rel
        target.parent.mkdir(parents=True, exist_ok=True)
        if source.suffix == ".md":
            target.write_text(unlink_instructor(strip_solutions(source.read_text())))
        elif source.suffix == ".ipynb" and source.resolve() in lab_paths:
            nb = _student_notebook(assignment_dir(source, build) / "student" / source.name)
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
                    cell.source = unlink_instructor(strip_solutions(cell.source))
            nbformat.write(nb, target)
        else:
            shutil.copy2(source, target)
    config = _student_config(yaml.safe_load((root / "_config.yml").read_text()), branch)
    if cache is not None:
        config["execute"]["cache"] = str(cache)
    (dest / "_config.yml").write_text(yaml.safe_dump(config, sort_keys=False))
    (dest / "_toc.yml").write_text(yaml.safe_dump(_student_toc(yaml.safe_load((root / "_toc.yml").read_text())),
                                                  sort_keys=False))
    return complete


def build_student(root: Path = ROOT, *, branch: str = STUDENT_BRANCH, quiet: bool = False) -> Path:
    """The assignments, the student sources and the student site (``_build/student/html``); returns it."""
    build = root / "_build"
    started = time.perf_counter()
    make_assignments(root, build)
    assigned = time.perf_counter()
    out = build / "student"
    cache = out / ".jupyter_cache"
    shutil.rmtree(cache, ignore_errors=True)
    complete = write_student_sources(out / "src", root, build, branch=branch, cache=cache)
    html = out / "html"
    shutil.rmtree(html, ignore_errors=True)
    run = subprocess.run([str(Path(sys.executable).parent / "jupyter-book"), "build", str(out / "src"),
                          *BUILD_OPTIONS, "--path-output", str(out)], capture_output=quiet, text=True, cwd=root)
    if run.returncode != 0:
        raise EditionError("the student site did not build" + (f":\n{run.stdout[-4000:]}" if quiet else ""))
    shutil.move(str(out / "_build" / "html"), html)
    if not quiet:
        print(f"student edition: {html.relative_to(root)} (assignments {assigned - started:.0f} s, "
              f"site {time.perf_counter() - assigned:.0f} s; notebooks "
              f"{'from the instructor cache, none executed' if complete else 'executed (no instructor cache)'})")
    return html


def export_branch(dest: Path, root: Path = ROOT, *, branch: str = STUDENT_BRANCH, build: Path | None = None) -> Path:
    """The files of a ``student`` branch: the student sources without outputs, plus what Binder installs.

    ``build``: where the assignments are generated first (default ``ROOT/_build``).
    """
    build = build or root / "_build"
    make_assignments(root, build)
    write_student_sources(dest, root, build, branch=branch)
    for name in BRANCH_FILES:
        source = root / name
        if source.is_dir():
            shutil.copytree(source, dest / name, ignore=shutil.ignore_patterns("__pycache__", "*.egg-info"))
        elif source.exists():
            shutil.copy2(source, dest / name)
    # The student notebooks import otter (grader.check): Binder on the student branch installs it too. The
    # main branch's requirements.txt stays as it is (its notebooks do not import otter).
    requirements = (dest / "requirements.txt").read_text()
    if not re.search(r"(?m)^otter-grader==", requirements):
        (dest / "requirements.txt").write_text(requirements.rstrip("\n") + "\n" + STUDENT_REQUIREMENT + "\n")
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
    student = sub.add_parser("student", help="the student site into _build/student/html")
    student.add_argument("--branch", default=STUDENT_BRANCH, help="the branch the launch links open")
    export = sub.add_parser("export", help="the student branch's files (no outputs) into DIR")
    export.add_argument("dest", type=Path)
    export.add_argument("--branch", default=STUDENT_BRANCH)
    sub.add_parser("table", help="print the grading table")
    args = parser.parse_args(argv)
    try:
        if args.command == "assignments":
            make_assignments(ROOT, quiet=False)
        elif args.command == "student":
            build_student(ROOT, branch=args.branch)
        elif args.command == "export":
            print(f"student branch files: {export_branch(args.dest.resolve(), ROOT, branch=args.branch)}")
        else:
            print(grading_table(ROOT), end="")
    except EditionError as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
