"""A class on a real JupyterHub (scripts/hub: ``make hub``), end to end.

The quick tests check the nbgitpuller links (the labs of _toc.yml; the ``.git`` pitfall) and that the
numbers chapters/instructor/class.md quotes are those of the load benchmark's last results file
(benchmarks/results/hub.json), so they cannot drift.

The ``hub`` tests (``make test`` runs them alone, last) start JupyterHub 6.1 with configurable-http-proxy
5.3.0 (run apart from the hub), the shared-password login and the class spawner (scripts/hub/spawner.py:
as root, a system user and control groups per student), the students' servers running from the students'
environment, serving a ``file://`` bare clone of this repository at HEAD (its address ends in ``.git``, as
a real one may):

- a student in Chromium opens a lab's nbgitpuller link, logs in, lands on the lab in JupyterLab with its
  MyST rendered, runs all cells and sees its figures;
- two students at once (the hub's REST API, nbgitpuller's pull API and the kernels' websocket protocol:
  scripts/hub/students.py) pull and run a lab with no error and no lost kernel, each kernel under the
  memory guarantee class.md gives;
- students are kept apart (one can neither read, list nor write another's home, nor signal their
  processes, nor read their environment), their limits hold their processes and a memory hog's kernel is
  killed alone, and a crash or a restart of the hub keeps their servers, kernels and files;
- everything a hub started is stopped when its ``with`` block fails.

The LTI 1.3 login is tested in tests/test_hub_lti.py.
"""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
import yaml
from support import (
    CELLS_JS,
    class_hub_folder,
    hub_user_prefix,
    raw_myst,
    refuse_other_hosts,
    run_all,
    run_started,
)

from conftest import ROOT
from scripts.hub import Hub, bare_course, lab_notebooks, nbgitpuller_link, pull_folder

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
    from benchmarks.hub import cpu_guarantee

    cpu = re.findall(r"(?m)^\s*cpu:\s*\n\s*guarantee:\s*([\d.]+)", GUIDE.read_text())
    assert cpu == [cpu_guarantee(quoted["cores_per_student_2x"])], f"class.md's CPU guarantee {cpu}"
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
def hub_folder():
    """The module's hub folder (state, homes, course): one every student's user may pass through."""
    with class_hub_folder() as folder:
        yield folder


@pytest.fixture(scope="module")
def course(hub_folder) -> str:
    """A bare ``file://`` clone of this repository at HEAD, branch ``course``; returns its address (ends in .git)."""
    (hub_folder / "course").mkdir()
    return bare_course(hub_folder / "course", BRANCH)


@pytest.fixture(scope="module")
def hub(hub_folder, course):
    """A running class hub (as root: a system user per student, with limits); stopped, with every server and
    kernel it started and every student user it created, when the module ends."""
    with Hub(hub_folder / "hub", password="workshop-pass", user_prefix=hub_user_prefix(), remove_users=True,
             local_repos=(course,)) as running:
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
        pulled = hub.home("browser-student") / "psychotherapy-brain" / LAB
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
        assert (hub.home(s.name) / "psychotherapy-brain" / LAB).is_file()


@pytest.mark.hub
@pytest.mark.slow
def test_a_failing_class_leaves_nothing_running(course):
    """The hub, its proxy, a student's server and kernel all end when the ``with`` block fails (and the
    students' users and control groups go with them)."""
    import psutil

    from scripts.hub.isolation import users_with_home_under
    from scripts.hub.students import run, start_server

    pids: list[int] = []
    with class_hub_folder() as folder:
        with pytest.raises(RuntimeError, match="the class failed"):
            with Hub(folder / "hub", password="workshop-pass", user_prefix=hub_user_prefix(),
                     remove_users=True) as hub:
                run(start_server(hub, "leaver"))
                hub.api("POST", "/user/leaver/api/kernels", {"name": "python3"})
                pids = [p.pid for p in hub.processes()]
                raise RuntimeError("the class failed")
        assert len(pids) >= 4, f"hub, proxy, server and kernel expected, found {pids}"
        alive = [p for p in pids if psutil.pid_exists(p) and psutil.Process(p).status() != psutil.STATUS_ZOMBIE]
        assert not alive, f"still running after the hub stopped: {alive}"
        if hub.isolate:
            assert not users_with_home_under(hub.homes), "the students' system users were left behind"
            assert hub.cgroups is None or not any(
                (Path("/sys/fs/cgroup") / c / hub.cgroup_group).exists() for c in ("", "memory", "cpu", "pids"))


# --- students kept apart, limits, a restart ----------------------------------------------------------

@pytest.fixture
def loop():
    """An event loop that keeps the test's kernel connections open between its steps."""
    from scripts.hub.students import EventLoop

    with EventLoop() as running:
        yield running


def _kernel_pid_and_uid(loop, hub, name: str):
    """Starts ``name``'s server and opens a kernel there; returns (kernel id, kernel, its pid, its uid)."""
    from scripts.hub.students import open_kernel, run_code, start_server

    async def go():
        await start_server(hub, name)
        kernel_id, kernel = await open_kernel(hub, name)
        pid, uid = (await run_code(kernel, "import os; print(os.getpid(), os.getuid())")).split()
        return kernel_id, kernel, int(pid), int(uid)

    return loop.run(go())


@pytest.mark.hub
@pytest.mark.slow
def test_students_are_kept_apart(hub, loop):
    """As root, each student is a system user of their own: their kernel runs as that user, their home is
    theirs alone (0700), and another student can neither read, list nor write it, nor signal their
    processes, nor read their environment (which holds their server's token). Without root the hub says it
    is a workshop hub and refuses to claim isolation."""
    import pwd
    import stat

    from scripts.hub.students import run_code

    if not hub.isolate:
        assert os.geteuid() != 0 and "workshop hub: no isolation" in hub.mode
        with pytest.raises(ValueError, match="need the hub to run as root"):
            Hub(hub.state, isolate=True)
        return
    assert "class hub: a system user per student" in hub.mode
    alice_id, alice, alice_pid, alice_uid = _kernel_pid_and_uid(loop, hub, "alice")
    bob_id, bob, bob_pid, bob_uid = _kernel_pid_and_uid(loop, hub, "bob")
    try:
        assert pwd.getpwuid(alice_uid).pw_name == hub.system_user("alice") != hub.system_user("bob")
        assert pwd.getpwuid(bob_uid).pw_name == hub.system_user("bob") and alice_uid != bob_uid != 0
        home = hub.home("alice")
        assert stat.S_IMODE(home.stat().st_mode) == 0o700 and home.stat().st_uid == alice_uid
        loop.run(run_code(alice, "open('secret.txt', 'w').write('only mine')"))
        assert (home / "secret.txt").read_text() == "only mine"
        attempts = {
            "read": f"open({str(home / 'secret.txt')!r}).read()",
            "list": f"os.listdir({str(home)!r})",
            "write": f"open({str(home / 'planted.txt')!r}, 'w').write('x')",
            "signal": f"os.kill({alice_pid}, signal.SIGTERM)",
            "environ": f"open('/proc/{alice_pid}/environ').read()",
        }
        for what, code in attempts.items():
            with pytest.raises(RuntimeError, match="PermissionError") as refused:
                loop.run(run_code(bob, f"import os, signal; {code}"))
            assert "PermissionError" in str(refused.value), f"bob could {what} alice's: {refused.value}"
        assert not (home / "planted.txt").exists()
        for log in (hub.log_path, hub.proxy_log):  # the hub's logs are the hub's alone
            with pytest.raises(RuntimeError, match="PermissionError"):
                loop.run(run_code(bob, f"open({str(log)!r}).read()"))
        assert loop.run(run_code(alice, "print(open('secret.txt').read())")).strip() == "only mine"  # she is untouched
    finally:
        for kernel in (alice, bob):
            loop.loop.call_soon_threadsafe(kernel.connection.close)


@pytest.mark.hub
@pytest.mark.slow
def test_limits_hold_a_students_processes_and_a_memory_hog_is_stopped_alone(hub, loop):
    """A student's server and kernels sit in their control groups with the hub's limits; a kernel that
    takes more memory than the limit is killed (their server lives on, and so does everyone else's
    kernel); a student's processes get at most their CPU quota."""
    from scripts.hub.isolation import cgroup_dirs
    from scripts.hub.students import run_code

    if not (hub.isolate and hub.cgroups):
        assert "no memory or CPU limit" in hub.mode or "workshop hub" in hub.mode
        return
    _, carol, carol_pid, _ = _kernel_pid_and_uid(loop, hub, "carol")
    _, dave, dave_pid, _ = _kernel_pid_and_uid(loop, hub, "dave")
    folders = {f.relative_to("/sys/fs/cgroup").parts[0] if hub.cgroups == "v1" else "unified": f
               for f in cgroup_dirs(hub.cgroups, hub.cgroup_group, hub.system_user("dave"))}
    memory = folders.get("memory", folders.get("unified"))
    procs = {int(p) for p in (memory / "cgroup.procs").read_text().split()}
    assert dave_pid in procs and carol_pid not in procs, "dave's kernel is not in his own control group"
    limit_file = "memory.limit_in_bytes" if hub.cgroups == "v1" else "memory.max"
    assert int((memory / limit_file).read_text()) == hub.limits.memory_mb * 1024 * 1024
    server_before = {p.pid for p in hub.processes() if p.pid in procs and p.pid != dave_pid}
    assert server_before, "dave's server is not in his control group"

    # CPU: the group holds the hub's quota, and dave's processes are held to that group's quota: lowered to a
    # tenth of a core for the check (the machine may be too busy for two processes to reach one core)
    cpu = folders.get("cpu", folders.get("unified"))
    quota_file, stat_file = (cpu / "cpu.cfs_quota_us", cpu / "cpu.stat") if hub.cgroups == "v1" else \
        (cpu / "cpu.max", cpu / "cpu.stat")
    assert quota_file.read_text().split()[0] == str(round(hub.limits.cpu * 100_000))
    key = "nr_throttled"
    throttled = lambda: int(dict(line.split() for line in stat_file.read_text().splitlines())[key])  # noqa: E731
    before, quota = throttled(), quota_file.read_text().strip()
    quota_file.write_text("10000" if hub.cgroups == "v1" else "10000 100000")
    try:
        loop.run(run_code(dave, "import subprocess, sys\nbusy = [subprocess.Popen([sys.executable, '-c', "
                                "'import time\\nt = time.time()\\nwhile time.time() - t < 2: pass']) "
                                "for _ in range(2)]\n[p.wait() for p in busy]"))
    finally:
        quota_file.write_text(quota)
    assert throttled() > before, "dave's busy processes were never held to his group's CPU quota"

    # memory: dave's kernel takes twice his limit; it is killed, alone
    with pytest.raises((ConnectionError, TimeoutError, RuntimeError)):
        loop.run(run_code(dave, f"hog = bytearray(b'x') * ({hub.limits.memory_mb * 2} * 1024 * 1024)", timeout_s=120))
    time.sleep(1)
    import psutil

    assert not psutil.pid_exists(dave_pid) or psutil.Process(dave_pid).status() == psutil.STATUS_ZOMBIE, \
        "dave's kernel outlived its memory limit"
    if hub.cgroups == "v1":
        assert "oom_kill 0" not in (memory / "memory.oom_control").read_text()
    assert all(psutil.pid_exists(pid) for pid in server_before), "dave's server died with his kernel"
    assert loop.run(run_code(carol, "print(6 * 7)")).strip() == "42", "carol's kernel was touched by dave's hog"
    assert hub.api("GET", "/hub/api/users/dave")["servers"][""]["ready"]


@pytest.mark.hub
@pytest.mark.slow
def test_a_restart_keeps_servers_kernels_and_files(hub, loop):
    """The hub is restarted mid-class (killed, as by a crash; then stopped cleanly, as for an upgrade): the
    student's server, running kernel (with its variables) and saved notebook are all still there."""
    from scripts.hub.students import _fetch, connect_kernel, run_code

    kernel_id, kernel, kernel_pid, _ = _kernel_pid_and_uid(loop, hub, "erin")
    loop.run(run_code(kernel, "answer = 6 * 7"))
    notebook = {"type": "notebook", "content": {
        "cells": [{"cell_type": "code", "source": "answer", "metadata": {}, "outputs": [], "execution_count": None}],
        "metadata": {}, "nbformat": 4, "nbformat_minor": 5}}
    hub.api("PUT", "/user/erin/api/contents/mine.ipynb", notebook)
    loop.loop.call_soon_threadsafe(kernel.connection.close)
    for crash in (True, False):
        hub.restart(crash=crash)
        user = hub.api("GET", "/hub/api/users/erin")
        assert user["servers"][""]["ready"], f"erin's server is gone after the hub's {'crash' if crash else 'restart'}"
        assert kernel_id in [k["id"] for k in hub.api("GET", "/user/erin/api/kernels")]

        async def ask():
            again = await connect_kernel(hub, "erin", kernel_id)
            try:
                return await run_code(again, "print(answer)")
            finally:
                again.connection.close()

        assert loop.run(ask()).strip() == "42", "the kernel lost its state"
        saved = hub.api("GET", "/user/erin/api/contents/mine.ipynb")
        assert saved["content"]["cells"][0]["source"] == "answer"
    assert (hub.home("erin") / "mine.ipynb").is_file()
    loop.run(_fetch(hub, f"/user/erin/api/kernels/{kernel_id}", "DELETE"))


@pytest.mark.hub
@pytest.mark.slow
def test_students_run_the_students_environment(hub, loop):
    """A student's kernel runs from the students' environment (what the student repository's Binder installs:
    requirements.txt, otter-grader for the notebooks' checks, the data wheel; and the hub's server), not the
    course's development environment: none of the book or test tools, and not the optional extra the
    environment leaves out to keep servers light."""
    from scripts.hub import SHARED
    from scripts.hub.environment import LEFT_OUT, ensure_environment
    from scripts.hub.students import run_code

    _, kernel, _, _ = _kernel_pid_and_uid(loop, hub, "frank")
    try:
        prefix = loop.run(run_code(kernel, "import sys; print(sys.prefix)")).strip()
        assert Path(prefix) == ensure_environment(SHARED).parent
        present = ["therapybrain", "nilearn", "ipywidgets", "nbgitpuller", "jupyterlab_myst", "otter", "brainspace"]
        absent = ["pytest", "jupyter_book", "myst_nb", "ruff", "text2qti", *(m.replace("-", "_") for m in LEFT_OUT)]
        found = loop.run(run_code(kernel, "import importlib.util, json; print(json.dumps({m: bool("
                                          f"importlib.util.find_spec(m)) for m in {present + absent!r}}}))"))
        assert json.loads(found) == {m: m in present for m in present + absent}
    finally:
        loop.loop.call_soon_threadsafe(kernel.connection.close)
