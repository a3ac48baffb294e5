"""A class on a real JupyterHub (scripts/hub: ``make hub``), end to end.

The quick tests check the nbgitpuller links (the labs of _toc.yml; the ``.git`` pitfall) and that the
numbers chapters/instructor/class.md quotes are those of the load benchmark's last results file
(benchmarks/results/hub.json), so they cannot drift.

The ``hub`` tests (``make test`` runs them alone, last) start JupyterHub 6.1 with configurable-http-proxy
5.3.0, the shared-password login, the simple local-process spawner and the course's environment, serving a
``file://`` bare clone of this repository at HEAD (its address ends in ``.git``, as a real one may):

- a student in Chromium opens a lab's nbgitpuller link, logs in, lands on the lab in JupyterLab with its
  MyST rendered, runs all cells and sees its figures;
- two students at once (the hub's REST API, nbgitpuller's pull API and the kernels' websocket protocol:
  scripts/hub/students.py) pull and run a lab with no error and no lost kernel, each kernel under the
  memory guarantee class.md gives;
- everything a hub started is stopped when its ``with`` block fails.
"""

from __future__ import annotations

import json
import re
import subprocess
import time
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from support import CELLS_JS, raw_myst, refuse_other_hosts, run_all, run_started

from conftest import ROOT
from scripts.hub import Hub, lab_notebooks, nbgitpuller_link, pull_folder

GUIDE = ROOT / "chapters" / "instructor" / "class.md"
RESULTS = ROOT / "benchmarks" / "results" / "hub.json"
LAB = "chapters/01-plasticity/hebbian-lab.ipynb"  # the tests' lab: short, and it draws figures
BRANCH = "course"
STUDENTS = 2   # two at once prove the class path (their own homes and kernels); load is benchmarks/hub.py's


def guide_guarantee_mb() -> int:
    """The memory guarantee per student that class.md's Zero to JupyterHub config gives (``guarantee: 600M``)."""
    found = re.findall(r"(?m)^\s*guarantee:\s*(\d+)([MG])\b", GUIDE.read_text())
    assert len(found) == 1, f"class.md should give one memory guarantee, found {found}"
    number, unit = found[0]
    return int(number) * (1024 if unit == "G" else 1)


# --- quick tests --------------------------------------------------------------------------------------

def test_labs_are_the_graded_labs_the_week_one_map_included():
    labs = lab_notebooks()
    from scripts.editions import labs as graded_labs

    assert labs == [p.relative_to(ROOT).as_posix() for p in graded_labs(ROOT)] and len(labs) >= 12
    assert labs[0] == "chapters/00-welcome/brain-map.ipynb"
    assert all((ROOT / lab).is_file() and not lab.startswith("chapters/instructor/") for lab in labs)


def test_make_hub_pulls_the_student_repository_unless_told_and_refuses_a_short_password(capsys):
    from scripts.editions import student_repository
    from scripts.hub.__main__ import main, pull_source

    main_repo = yaml.safe_load((ROOT / "_config.yml").read_text())["repository"]["url"]
    assert pull_source() == student_repository(ROOT) and pull_source()[0] != main_repo
    assert pull_source("file:///srv/x.git", "week1") == ("file:///srv/x.git", "week1")
    with pytest.raises(SystemExit) as stopped:
        main(["--password", "short", "--state", "/nonexistent/never-created"])
    assert stopped.value.code == 2
    err = capsys.readouterr().err
    assert "8 characters or more" in err and "Traceback" not in err


@pytest.mark.parametrize("repo", ["https://github.com/o/course", "https://github.com/o/course.git",
                                  "https://github.com/o/course/", "file:///srv/git/course.git"])
def test_link_opens_the_folder_it_pulls_into(repo):
    """nbgitpuller pulls into ``targetpath`` (its default: the address's last part, ``course.git`` for an
    address ending in ``.git``); the link gives it, and its urlpath opens that same folder."""
    link = nbgitpuller_link("https://hub.example.edu/", repo, "main", LAB)
    parts = urlsplit(link)
    query = {key: values[0] for key, values in parse_qs(parts.query).items()}
    assert parts.path == "/hub/user-redirect/git-pull"
    assert query["repo"] == repo and query["branch"] == "main"
    assert query["targetpath"] == "course"
    assert query["urlpath"] == f"lab/tree/course/{LAB}"


def test_link_rejects_an_unknown_app_and_an_address_without_a_name():
    with pytest.raises(ValueError, match="'lab' or 'notebooks'"):
        nbgitpuller_link("https://hub", "https://github.com/o/course", "main", LAB, app="voila")
    with pytest.raises(ValueError, match="no folder name"):
        pull_folder("/")


def test_guide_quotes_the_last_benchmark_results():
    """Each figure class.md takes from the load benchmark is marked ``<!-- hub:KEY -->VALUE<!-- /hub -->``;
    VALUE must be the last results file's ``quoted[KEY]`` (benchmarks/hub.py writes both), and every
    quoted figure must be in the guide."""
    quoted = json.loads(RESULTS.read_text())["quoted"]
    found = re.findall(r"<!-- hub:([\w.-]+) -->(.*?)<!-- /hub -->", GUIDE.read_text())
    assert found, "class.md quotes no figure of the load benchmark"
    unknown = sorted({key for key, _ in found} - set(quoted))
    assert not unknown, f"class.md quotes figures the results file has not: {unknown}"
    wrong = sorted({(key, value, quoted[key]) for key, value in found if value != quoted[key]})
    assert not wrong, f"class.md's figures differ from {RESULTS.name} (key, guide, results): {wrong}"
    missing = sorted(set(quoted) - {key for key, _ in found})
    assert not missing, f"figures of the results file that class.md does not quote: {missing}"
    # the config's memory guarantee and limit are the figures the guide derives from them
    assert guide_guarantee_mb() == int(quoted["guarantee_mb"])
    limits = re.findall(r"(?m)^\s*limit:\s*(\d+)M\b", GUIDE.read_text())
    assert limits == [quoted["limit_mb"]], f"class.md's memory limit {limits}, the results' {quoted['limit_mb']}"


def test_guide_tables_are_the_last_benchmark_results():
    """class.md's load table and per-lab table are those benchmarks/hub.py renders from its results file."""
    from benchmarks.hub import tables

    runs = json.loads(RESULTS.read_text())["runs"]
    block = re.search(r"<!-- hub tables -->\n(.*?)<!-- /hub tables -->", GUIDE.read_text(), re.S)
    assert block, "class.md has no <!-- hub tables --> block"
    assert block.group(1) == tables(runs), "class.md's tables differ from the results file: run " \
        "python -m benchmarks.hub --students 0 --update-guide"
    sizes = {r["students"] for r in runs if r["stagger_s"] == 0}
    assert {1, 5, 10, 20} <= sizes, f"the load table needs 1, 5, 10 and 20 students at once, has {sorted(sizes)}"


# --- the hub ------------------------------------------------------------------------------------------

@pytest.fixture(scope="module")
def course(tmp_path_factory) -> str:
    """A bare ``file://`` clone of this repository at HEAD, branch ``course``; returns its address (ends in .git)."""
    bare = tmp_path_factory.mktemp("course") / "psychotherapy-brain.git"
    subprocess.run(["git", "init", "-q", "--bare", str(bare)], check=True)
    subprocess.run(["git", "-C", str(bare), "fetch", "-q", str(ROOT), f"HEAD:refs/heads/{BRANCH}"], check=True)
    return bare.as_uri()


@pytest.fixture(scope="module")
def hub(tmp_path_factory):
    """A running class hub; stopped (with every server and kernel it started) when the module ends."""
    with Hub(tmp_path_factory.mktemp("hub"), password="workshop-pass") as running:
        yield running


@pytest.mark.hub
@pytest.mark.slow
@pytest.mark.browser
def test_student_opens_a_lab_link_in_chromium(hub, course, chromium_browser):
    link = nbgitpuller_link(hub.url, course, BRANCH, LAB)
    external: list[str] = []
    context = chromium_browser.new_context(viewport={"width": 1400, "height": 900})
    refuse_other_hosts(context, external)
    page = context.new_page()
    try:
        page.goto(link, wait_until="load")
        page.fill("#username_input", "browser-student")
        page.fill("#password_input", hub.password)
        page.click("#login_submit")
        # the hub starts the server, nbgitpuller pulls the course, JupyterLab opens the lab
        page.wait_for_url(re.compile(rf"/user/browser-student/lab/tree/psychotherapy-brain/{re.escape(LAB)}"),
                          timeout=240_000)
        page.wait_for_selector(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-MarkdownCell .myst", timeout=120_000)
        page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=180_000)
        pulled = hub.homes / "browser-student" / "psychotherapy-brain" / LAB
        assert pulled.is_file(), f"nbgitpuller did not pull the lab into {pulled.parent}"
        dialogs: list[str] = []
        run_all(page, dialogs)
        if not run_started(page, dialogs):
            run_all(page, dialogs)
        deadline = time.monotonic() + 300
        while True:
            cells = page.evaluate(CELLS_JS)
            prompts = [c["prompt"].strip() for c in cells if c["kind"] == "code"]
            stderr = [t for c in cells for t in c["stderr"]]
            if (prompts and all(re.fullmatch(r"\[\d+\]:", p) for p in prompts)) or stderr:
                break
            assert time.monotonic() < deadline, f"Run All did not finish in 300 s: {prompts}; dialogs {dialogs}"
            page.wait_for_timeout(500)
        page.wait_for_timeout(1000)
        cells = page.evaluate(CELLS_JS)
        problems = [f"stderr or error: {t}" for c in cells for t in c["stderr"]]
        problems += [f"JupyterLab said: {d}" for d in dialogs if "died" in d]
        problems += [f"MyST source shown: {raw_myst(c['text'])}" for c in cells
                     if c["kind"] == "markdown" and raw_myst(c["text"])]
        if not any(c["pictures"] for c in cells if c["kind"] == "code"):
            problems.append("no figure is shown")
        if not page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .myst-admonition, "
                            ".jp-NotebookPanel:not(.lm-mod-hidden) .myst-exercise").count():
            problems.append("jupyterlab-myst drew no admonition or exercise box")
        problems += [f"request to another host: {url}" for url in external]
        assert not problems, "\n".join(problems)
    finally:
        context.close()


@pytest.mark.hub
@pytest.mark.slow
def test_two_students_at_once(hub, course):
    from scripts.hub.students import run, run_class

    students = run(run_class(hub, course, BRANCH, LAB, STUDENTS))
    guarantee = guide_guarantee_mb()
    report = [f"{s.name}: errors {s.errors} stderr {s.stderr} lost {s.lost_kernel} figures {s.figures} "
              f"peak {s.kernel_peak_mb} MB" for s in students]
    assert all(s.ok() and not s.stderr for s in students), "\n".join(report) + f"\nhub log: {hub.log_path}"
    code_cells = sum(c["cell_type"] == "code" for c in json.loads((ROOT / LAB).read_text())["cells"])
    assert all(s.cells == code_cells for s in students), report
    assert all(s.kernel_peak_mb < guarantee for s in students), (
        f"a kernel went over class.md's memory guarantee of {guarantee} MB: {report}")
    for s in students:  # each pulled the course into its own home
        assert (hub.homes / s.name / "psychotherapy-brain" / LAB).is_file()


@pytest.mark.hub
@pytest.mark.slow
def test_a_failing_class_leaves_nothing_running(tmp_path, course):
    """The hub, its proxy, a student's server and kernel all end when the ``with`` block fails."""
    from scripts.hub.students import run, start_server

    pids: list[int] = []
    with pytest.raises(RuntimeError, match="the class failed"):
        with Hub(tmp_path / "hub", password="workshop-pass") as hub:
            run(start_server(hub, "leaver"))
            hub.api("POST", "/user/leaver/api/kernels", {"name": "python3"})
            pids = [p.pid for p in hub.processes()]
            raise RuntimeError("the class failed")
    import psutil

    assert len(pids) >= 4, f"hub, proxy, server and kernel expected, found {pids}"
    alive = [p for p in pids if psutil.pid_exists(p) and psutil.Process(p).status() != psutil.STATUS_ZOMBIE]
    assert not alive, f"still running after the hub stopped: {alive}"
