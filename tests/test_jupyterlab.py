"""Every notebook in a real JupyterLab (the Binder interface), driven by headless Chromium (Playwright).

JupyterLab and jupyterlab-myst (pinned in requirements.txt, as Binder installs them) are started from
the project's environment on 127.0.0.1 with a temporary copy of the notebooks (outputs are never saved
into the repository) and offline settings (no news, no update check, read-only extension manager).
Chromium is launched as tests/test_browser.py launches it, and every request to another host is refused.

For each notebook, in one JupyterLab one after the other: open it, *Run -> Run All Cells*, then check
- no cell shows an error or anything on stderr;
- no rendered markdown shows MyST source: a directive option (``:label:``, ``:class:``...), a directive or
  role name (``{exercise}``, ``{cite}``...) or a fence;
- every solution is closed: each is one ``{solution}`` box with ``:class: dropdown`` (its code a code block
  inside the box, not a cell, so *Run All* neither runs it nor unfolds its output) and is drawn closed;
- the region explorer is drawn (no "Loading widget" / "Error displaying widget"), and choosing another
  region and moving a slider (keyboard) change its picture (the <img>'s src).
A screenshot of each notebook is saved under _build/screenshots/jupyterlab/ (beside the site's).
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import time
import warnings
from pathlib import Path
from urllib.parse import quote
from urllib.request import Request, urlopen

import pytest
from support import CELLS_JS, answer_dialogs, free_port, raw_myst, refuse_other_hosts, run_all, run_started

from conftest import ROOT, notebooks

SCREENSHOTS = ROOT / "_build" / "screenshots" / "jupyterlab"
NOTEBOOKS = notebooks()
IDS = [str(p.relative_to(ROOT / "chapters")) for p in NOTEBOOKS]
RUN_TIMEOUT_S = 300  # one notebook, Run All (they take seconds to tens of seconds each)


# JupyterLab's own settings for this run (user settings folder of the temporary server).
LAB_SETTINGS = {
    # offline: no news feed, no update check
    "@jupyterlab/apputils-extension/notification": {"fetchNews": "false", "checkForUpdates": False},
    # every cell is rendered (not only those scrolled into view), so that every cell can be checked
    "@jupyterlab/notebook-extension/tracker": {"windowingMode": "none"},
    # never write the temporary copies back while the test runs
    "@jupyterlab/docmanager-extension/plugin": {"autosave": False},
}


def _api(base: str, path: str, method: str = "GET"):
    with urlopen(Request(base + path, method=method), timeout=10) as response:
        body = response.read()
    return json.loads(body) if body else None


@pytest.fixture(scope="module")
def jupyterlab(tmp_path_factory):
    """A JupyterLab server on 127.0.0.1 serving a temporary copy of chapters/; yields its URL and that copy."""
    work = tmp_path_factory.mktemp("jupyterlab")
    root = work / "notebooks"
    shutil.copytree(ROOT / "chapters", root / "chapters", ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    settings = work / "settings"
    for plugin, values in LAB_SETTINGS.items():
        path = settings / f"{plugin}.jupyterlab-settings"
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(values))
    port = free_port()
    # the kernels draw as a student's do (ipykernel's inline backend): no MPLBACKEND from the test process
    env = {key: value for key, value in os.environ.items() if key != "MPLBACKEND"}
    env.update(JUPYTER_CONFIG_DIR=str(work / "config"), JUPYTER_DATA_DIR=str(work / "data"),
               JUPYTER_RUNTIME_DIR=str(work / "runtime"))
    jupyter_lab = Path(sys.executable).parent / "jupyter-lab"
    command = [
        str(jupyter_lab), "--no-browser", "--ip=127.0.0.1", f"--port={port}", "--ServerApp.port_retries=0",
        "--IdentityProvider.token=", "--ServerApp.password=", "--allow-root",
        "--ServerApp.disable_check_xsrf=True",  # lets the test shut kernels down through the REST API
        f"--ServerApp.root_dir={root}",
        "--LabApp.news_url=None", "--LabApp.check_for_updates_class=jupyterlab.NeverCheckForUpdate",
        "--LabApp.extension_manager=readonly",
        # kernels over Unix domain sockets in the server's own folder (absolute: a kernel runs in its
        # notebook's folder), not TCP ports on 127.0.0.1, which other tests' kernels also pick at random
        "--KernelManager.transport=ipc", f"--KernelManager.ip={work / 'ipc' / 'kernel'}",
        f"--LabApp.user_settings_dir={settings}", f"--LabApp.workspaces_dir={work / 'workspaces'}",
    ]
    (work / "ipc").mkdir()
    log_path = work / "jupyterlab.log"
    with open(log_path, "w") as log:
        server = subprocess.Popen(command, cwd=root, env=env, stdout=log, stderr=subprocess.STDOUT)
    base = f"http://127.0.0.1:{port}/"
    try:
        deadline = time.monotonic() + 90
        while True:
            if server.poll() is not None:
                pytest.fail(f"JupyterLab stopped (exit {server.returncode}):\n{log_path.read_text()[-3000:]}")
            try:
                _api(base, "api/status")
                break
            except OSError:
                if time.monotonic() > deadline:
                    pytest.fail(f"JupyterLab did not start in 90 s:\n{log_path.read_text()[-3000:]}")
                time.sleep(0.5)
        yield base, root
    finally:
        server.terminate()
        try:
            server.wait(timeout=20)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


@pytest.fixture(scope="module")
def chromium(chromium_browser):
    """The process's one Chromium (tests/conftest.py), launched as the browser tests launch it."""
    return chromium_browser


# --- what is read from the page ------------------------------------------------------------------------

# The boxes jupyterlab-myst drew: admonitions, exercises and solutions, with their title and whether any of
# their body is visible (a closed dropdown's body is not).
_BOXES_JS = """() => Array.from(document.querySelectorAll(
    '.jp-NotebookPanel:not(.lm-mod-hidden) .myst-admonition, .jp-NotebookPanel:not(.lm-mod-hidden) .myst-exercise'))
  .map(box => {
    const header = box.querySelector('.myst-admonition-header, .myst-exercise-header, summary');
    const title = header ? header.innerText.trim() : '';
    return {
      kind: box.classList.contains('myst-admonition') ? 'admonition'
          : /^(Start of )?Solution/.test(title) ? 'solution'
          : /^(Start of )?Exercise/.test(title) ? 'exercise' : 'end',  // exercise-end, solution-end
      title: title,
      open: Array.from(box.querySelectorAll('.myst-admonition-body, .myst-exercise-body'))
                 .some(b => b.getClientRects().length > 0 && b.innerText.trim().length > 0),
    };
  })"""

# The directives of the notebooks, and the box each one is drawn as in JupyterLab; a directive not listed
# here has not been checked in JupyterLab (add it once it renders there).
DIRECTIVE_BOXES = {"admonition": "admonition", "exercise": "exercise", "exercise-start": "exercise",
                   "solution": "solution", "solution-start": "solution", "exercise-end": None, "solution-end": None}
_DIRECTIVE = re.compile(r"^\s*(?:`{3,}|:{3,})\{([\w-]+)\}", re.M)

# A code cell that draws: a static figure (``plot_*``) or an interactive view (``view_*``).
_DRAWS = re.compile(r"\b(plot|view)_\w+\(")


def _shutdown_kernels(base: str) -> None:
    """Ends every session (and its kernel): one notebook's kernel at a time on a 2-core machine."""
    for session in _api(base, "api/sessions") or []:
        _api(base, f"api/sessions/{session['id']}", method="DELETE")


def _wait_for_kernel(page, base: str, relative: str, timeout_s: float) -> dict:
    """Waits until the page is connected to the notebook's kernel and the kernel is idle (REST API).

    Returns the kernel's last model ({} when no session has one yet). Under load, starting a kernel
    was seen to take a minute. It waits with ``page.wait_for_timeout``, never ``time.sleep``: Playwright's
    sync API serves the page's events (and any route) only while the test is inside one of its calls.
    """
    deadline = time.monotonic() + timeout_s
    kernel: dict = {}
    while time.monotonic() < deadline:
        kernel = _session_kernel(base, relative)
        if kernel.get("execution_state") == "idle" and kernel.get("connections", 0) >= 1:
            break
        page.wait_for_timeout(500)
    return kernel


def _session_kernel(base: str, relative: str) -> dict:
    """The kernel model of the notebook's session, a connected one first; {} when there is none.

    JupyterLab 4 starts a session at ``<folder>/<uuid>`` under the notebook's name and moves it to the
    notebook's path once the page has it, so both are the notebook's.
    """
    folder, name = relative.rpartition("/")[::2]
    kernels = [session["kernel"] for session in _api(base, "api/sessions") or []
               if session.get("kernel") and (session.get("path") == relative or (
                   session.get("name") == name and session.get("path", "").rpartition("/")[0] == folder))]
    return max(kernels, key=lambda k: k.get("connections", 0), default={})


def _kernel_state(base: str, relative: str) -> str:
    return _session_kernel(base, relative).get("execution_state", "")


def _wait_until_run(page, base: str, relative: str, timeout_s: float, seen: list[str]) -> list[dict]:
    """Waits until Run All has finished; returns the cells.

    Finished: the kernel has been idle for 3 s (nothing queued: between two queued cells it is idle for
    milliseconds only) and every code cell in view shows an execution count, or one shows an error (Run All
    stops there). A collapsed cell's prompt cannot be read, so only cells in view count.
    """
    deadline = time.monotonic() + timeout_s
    idle_since = None
    while True:
        answer_dialogs(page, seen)
        cells = page.evaluate(CELLS_JS)
        prompts = [c["prompt"].strip() for c in cells if c["kind"] == "code" and not c["inputCollapsed"]]
        numbered = bool(prompts) and all(re.fullmatch(r"\[\d+\]:", p) for p in prompts)
        failed = any(c["stderr"] for c in cells)
        if _kernel_state(base, relative) == "idle":
            idle_since = idle_since or time.monotonic()
        else:
            idle_since = None
        if idle_since and time.monotonic() - idle_since >= 3 and (numbered or failed):
            return cells
        if time.monotonic() > deadline:
            pending = [p for p in prompts if not re.fullmatch(r"\[\d+\]:", p)]
            raise AssertionError(f"Run All did not finish in {timeout_s:.0f} s: prompts {pending[:5]}...; "
                                 f"JupyterLab's dialogs: {seen}")
        page.wait_for_timeout(500)


def _picture_src(explorer) -> str:
    images = explorer.locator(".widget-html img")
    return (images.first.get_attribute("src") or "") if images.count() else ""


def _wait_for_new_picture(page, explorer, before: str, what: str, timeout_s: float = 60) -> str | None:
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if _picture_src(explorer) not in ("", before):
            return None
        page.wait_for_timeout(250)
    return f"{what} did not change the explorer's picture within {timeout_s:.0f} s"


def _save_screenshot(page, name: str) -> Path:
    """The whole notebook: the viewport is made as tall as the notebook's scrolled content."""
    scroller = ".jp-NotebookPanel:not(.lm-mod-hidden) .jp-WindowedPanel-outer"
    height = page.evaluate(f"() => document.querySelector('{scroller}').scrollHeight")
    page.set_viewport_size({"width": 1400, "height": max(900, min(int(height) + 200, 16000))})
    page.wait_for_timeout(500)
    page.evaluate(f"() => {{ document.querySelector('{scroller}').scrollTop = 0; }}")
    page.wait_for_timeout(500)
    shot = SCREENSHOTS / f"{name}.png"
    shot.parent.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(shot))
    return shot


# --- the tests --------------------------------------------------------------------------------------

# MyST that Colab (CommonMark, no extension) would show in running text: a colon fence, a directive option,
# a target. Inside a backtick fence it is shown as a code block instead (see chapters/00-welcome/how-to-use.md).
_COLAB_STRAY = re.compile(r"^\s*(:{3,}|:[a-z][\w-]*:|\([\w-]+\)=\s*$)")


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_colab_shows_no_directive_option_in_running_text(path):
    """Every directive of the notebooks is a backtick fence: Colab shows it as a code block, its options inside."""
    stray = []
    for i, cell in enumerate(json.loads(path.read_text())["cells"]):
        if cell["cell_type"] != "markdown":
            continue
        fence = None
        for line in "".join(cell["source"]).splitlines():
            if fence:
                if re.fullmatch(rf"\s*{re.escape(fence[0])}{{{len(fence)},}}\s*", line):
                    fence = None
                continue
            opening = re.match(r"\s*(`{3,}|~{3,})", line)
            if opening:
                fence = opening.group(1)
            elif _COLAB_STRAY.match(line):
                stray.append(f"cell {i}: {line.strip()!r}")
    assert not stray, f"MyST outside a backtick fence (Colab shows it as text): {stray}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_solutions_are_single_closed_boxes(path):
    """Each solution is one markdown cell: a ``{solution}`` box with ``:class: dropdown``, its code inside.

    A gated solution (``solution-start`` ... ``solution-end`` around cells) cannot be closed in JupyterLab:
    jupyterlab-myst draws each of its markdown cells in full, and *Run All* runs its code cells and unfolds
    their outputs whatever ``jupyter.outputs_hidden`` says. tests/test_grading.py runs the solutions' code.
    """
    problems = []
    for i, cell in enumerate(json.loads(path.read_text())["cells"]):
        text = "".join(cell["source"])
        if re.search(r"\{solution-(start|end)\}", text):
            problems.append(f"cell {i}: a gated solution")
        for header in re.findall(r"(?m)^`{3,}\{solution\}[^\n]*\n((?::\w+:.*\n)*)", text):
            if ":class: dropdown" not in header:
                problems.append(f"cell {i}: a solution without ':class: dropdown'")
    assert not problems, problems


@pytest.mark.browser
@pytest.mark.slow
@pytest.mark.jupyterlab
@pytest.mark.xdist_group("jupyterlab")
@pytest.mark.parametrize("path", NOTEBOOKS, ids=IDS)
def test_notebook_in_jupyterlab(path, jupyterlab, chromium):
    base, root = jupyterlab
    relative = path.relative_to(ROOT).as_posix()
    external: list[str] = []
    context = chromium.new_context(viewport={"width": 1400, "height": 900})
    refuse_other_hosts(context, external)
    page = context.new_page()
    problems: list[str] = []
    try:
        page.goto(f"{base}lab/tree/{quote(relative)}?reset", wait_until="load")
        page.wait_for_selector(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-MarkdownCell .myst", timeout=90_000)
        page.wait_for_selector(".jp-Notebook-ExecutionIndicator[data-status='idle']", timeout=90_000)
        kernel = _wait_for_kernel(page, base, relative, timeout_s=150)
        assert kernel.get("execution_state") == "idle" and kernel.get("connections"), (
            f"{relative}: no idle kernel connected to the page in 150 s ({kernel}); sessions: "
            f"{_api(base, 'api/sessions')}; server log: {root.parent / 'jupyterlab.log'}")

        dialogs: list[str] = []
        run_all(page, dialogs)
        for _ in range(2):  # under load the first click can land before the kernel session takes commands
            if run_started(page, dialogs):
                break
            run_all(page, dialogs)
        cells = _wait_until_run(page, base, relative, RUN_TIMEOUT_S, dialogs)
        # a kernel that died while the notebook ran is a failure; JupyterLab's other questions are answered
        problems += [f"JupyterLab said: {text}" for text in dialogs if "appears to have died" in text]
        if dialogs:
            warnings.warn(f"{relative}: JupyterLab's dialogs, answered: {dialogs}", stacklevel=1)
        page.wait_for_timeout(1000)  # widget views are attached after the kernel's last message
        cells = page.evaluate(CELLS_JS)
        sources = [c["source"] for c in json.loads((root / relative).read_text())["cells"]]  # the copy opened
        assert len(sources) == len(cells), f"{len(sources)} cells in the notebook, {len(cells)} on the page"

        # no error output
        for i, cell in enumerate(cells):
            problems += [f"cell {i}: error or stderr output: {text}" for text in cell["stderr"]]

        # every figure and view the code draws is shown (plot_* with the inline backend, view_* as a frame)
        for i, (source, cell) in enumerate(zip(sources, cells)):
            if cell["kind"] == "code" and _DRAWS.search("".join(source)) and not cell["pictures"]:
                problems.append(f"cell {i} draws a figure, but none is shown: {''.join(source)[:80]!r}")

        # no MyST source in rendered markdown
        for i, cell in enumerate(cells):
            if cell["kind"] == "markdown":
                raw = raw_myst(cell["text"])
                if raw:
                    problems.append(f"cell {i}: rendered markdown shows MyST source {raw}: {cell['text'][:160]!r}")

        # solutions closed: every solution box is drawn closed
        boxes = page.evaluate(_BOXES_JS)
        problems += [f"solution box is open: {b['title']!r}" for b in boxes if b["kind"] == "solution" and b["open"]]

        # every directive is drawn as its box
        expected: dict[str, int] = {}
        for source, cell in zip(sources, cells):
            for name in _DIRECTIVE.findall("".join(source)) if cell["kind"] == "markdown" else []:
                if name not in DIRECTIVE_BOXES:
                    problems.append(f"directive {{{name}}} has not been checked in JupyterLab")
                elif DIRECTIVE_BOXES[name]:
                    expected[DIRECTIVE_BOXES[name]] = expected.get(DIRECTIVE_BOXES[name], 0) + 1
        for kind, count in expected.items():
            drawn = sum(b["kind"] == kind for b in boxes)
            if drawn != count:
                problems.append(f"{count} {kind} directives, but {drawn} {kind} boxes drawn")
        # the explorer: drawn, and it answers to its controls
        notebook = page.locator(".jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook")
        shown = notebook.inner_text()
        problems += [f"the page shows {m!r}" for m in ("Loading widget", "Error displaying widget") if m in shown]
        explorers = notebook.locator(".widget-vbox:has(.widget-select-multiple):has(.widget-html img)")
        if "region_explorer(" in "".join("".join(s) for s in sources):
            if explorers.count() == 0:
                problems.append("the region explorer is not displayed")
            else:
                explorer = explorers.last
                explorer.scroll_into_view_if_needed()
                before = _picture_src(explorer)
                if not before.startswith("data:image/png"):
                    problems.append(f"the explorer shows no picture (img src {before[:40]!r})")
                select = explorer.locator(".widget-select-multiple select")
                labels = select.locator("option").all_inner_texts()
                chosen = select.evaluate("s => Array.from(s.selectedOptions).map(o => o.textContent)")
                extra = next(label for label in labels if label not in chosen)
                select.select_option(label=[*chosen, extra])
                problem = _wait_for_new_picture(page, explorer, before, f"choosing the region {extra!r}")
                if problem:
                    problems.append(problem)
                before = _picture_src(explorer)
                handle = explorer.locator(".widget-slider .noUi-handle").first
                handle.focus()
                for _ in range(5):
                    handle.press("ArrowRight")
                problem = _wait_for_new_picture(page, explorer, before, "moving the x slider with the keyboard")
                if problem:
                    problems.append(problem)

        shot = _save_screenshot(page, relative.removeprefix("chapters/").removesuffix(".ipynb").replace("/", "-"))
        if not shot.is_file() or shot.stat().st_size < 1000:
            problems.append(f"no screenshot saved at {shot}")
        problems += [f"request to another host: {url}" for url in external]
    finally:
        context.close()
        _shutdown_kernels(base)
    assert not problems, f"{relative} in JupyterLab:\n  " + "\n  ".join(problems)
