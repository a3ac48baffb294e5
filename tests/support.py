"""Helpers shared by several test files (pytest puts tests/ on ``sys.path``: ``from support import ...``).

- a quiet static HTTP server for a folder (the built site), and a free port on 127.0.0.1;
- what is read from, and done on, a notebook open in JupyterLab (tests/test_jupyterlab.py, and the hub's
  JupyterLab in tests/test_hub.py): the cells' state, MyST source left unrendered, *Run All*, its dialogs;
- a browser context that reaches no other host (every test that drives Chromium).
"""

from __future__ import annotations

import contextlib
import functools
import re
import socket
import threading
import time
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

# --- serving a folder ---------------------------------------------------------------------------------


class QuietHandler(SimpleHTTPRequestHandler):
    """Serves files without writing a line per request to stderr."""

    def log_message(self, format, *args):  # noqa: A002 - the base class's name
        pass


@contextlib.contextmanager
def serve(folder: Path) -> Iterator[str]:
    """Serves ``folder`` on 127.0.0.1 (a free port) in a background thread; yields its URL (ends in ``/``)."""
    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(QuietHandler, directory=str(folder)))
    server.daemon_threads = True
    threading.Thread(target=server.serve_forever, daemon=True).start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}/"
    finally:
        server.shutdown()
        server.server_close()


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago (for a server started in another process)."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- a notebook in JupyterLab ---------------------------------------------------------------------------

# Each cell of the notebook: its kind, its source's first line, the text of its rendered markdown and
# whether its input / outputs are collapsed (JupyterLab's placeholders).
CELLS_JS = """() => Array.from(document.querySelectorAll('.jp-NotebookPanel:not(.lm-mod-hidden) .jp-Notebook-cell'))
  .map(cell => {
    const rendered = cell.querySelector('.jp-MarkdownOutput, .myst');
    const visible = el => !!el && el.getClientRects().length > 0;
    return {
      kind: cell.classList.contains('jp-CodeCell') ? 'code'
            : cell.classList.contains('jp-MarkdownCell') ? 'markdown' : 'raw',
      prompt: (cell.querySelector('.jp-InputPrompt') || {}).textContent || '',
      text: rendered ? rendered.innerText : '',
      inputCollapsed: visible(cell.querySelector('.jp-InputPlaceholder')),
      // the outputs drawn on the page (none while they are collapsed: JupyterLab's placeholder instead)
      outputsShown: Array.from(cell.querySelectorAll('.jp-OutputArea-output'))
                         .filter(o => visible(o) && (o.innerText.trim() || o.querySelector('img, svg, canvas')))
                         .map(o => o.innerText.trim().slice(0, 80) || '(a picture)'),
      // the figures and interactive views drawn in its outputs
      pictures: cell.querySelectorAll('.jp-OutputArea-output img, .jp-OutputArea-output svg, '
                                      + '.jp-OutputArea-output canvas, .jp-OutputArea-output iframe').length,
      // the rendered markdown's text outside the titles of its boxes (a closed box shows its title only)
      bodyText: rendered ? Array.from(rendered.querySelectorAll(
                  '.myst-admonition-header, .myst-exercise-header, summary'))
                .reduce((text, title) => text.replace(title.innerText.trim(), ''), rendered.innerText).trim() : '',
      stderr: Array.from(cell.querySelectorAll(
                '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]'))
              .map(o => o.innerText.slice(0, 400)),
    };
  })"""

# MyST source that should never be seen in rendered markdown.
RAW_MYST = [
    re.compile(r"(^|\n)\s*:[a-z][\w-]*:\s"),                   # a directive option, e.g. ':class: dropdown'
    re.compile(r"\{[a-z][\w-]*(:[a-z]+)?\}"),                  # a directive or role name, e.g. '{exercise}', '{cite}'
    re.compile(r"(^|\n)\s*(```|:::)"),                         # a directive's fence
]


def raw_myst(text: str) -> list[str]:
    """The MyST source left in rendered text (empty when it was all rendered)."""
    return [m.group(0).strip() for pattern in RAW_MYST for m in pattern.finditer(text)]


def answer_dialogs(page, seen: list[str]) -> None:
    """Answers JupyterLab's dialogs as a student would, and records each one's text in ``seen``.

    "Select Kernel" (JupyterLab asks when *Run All* finds no kernel, e.g. after a kernel failed to start)
    is answered with its default choice, the notebook's own kernel; any other dialog with its OK button.
    """
    dialogs = page.locator("dialog.jp-Dialog")
    for _ in range(5):
        if not dialogs.count() or not dialogs.first.is_visible():
            return
        dialog = dialogs.first
        seen.append(" ".join(dialog.inner_text().split())[:300])
        accept = dialog.locator("button.jp-mod-accept")
        (accept.first if accept.count() else dialog.locator("button").last).click()
        page.wait_for_timeout(500)


def run_all(page, seen: list[str]) -> None:
    """Run -> Run All Cells, from the menu bar, as a student would."""
    answer_dialogs(page, seen)
    page.get_by_role("menuitem", name="Run", exact=True).click()
    page.get_by_role("menuitem", name=re.compile(r"^Run All Cells")).click()
    page.wait_for_timeout(1000)
    answer_dialogs(page, seen)


def run_started(page, seen: list[str], timeout_s: float = 30) -> bool:
    """True once any code cell's prompt leaves "[ ]:" (queued "[*]:" or numbered) within ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        answer_dialogs(page, seen)
        prompts = [c["prompt"].strip() for c in page.evaluate(CELLS_JS) if c["kind"] == "code"]
        if any(p not in ("", "[ ]:") for p in prompts):
            return True
        page.wait_for_timeout(500)
    return False


# --- a browser page that reaches no other host --------------------------------------------------------------

#: Any URL that is not this machine's (http(s)/ws(s) on 127.0.0.1 or localhost) nor a local scheme.
OTHER_HOSTS = re.compile(r"^(?!(?:https?|wss?)://(?:127\.0\.0\.1|localhost)(?::\d+)?(?:[/?#]|$))"
                         r"(?!(?:data|blob|about|javascript):)")


def refuse_other_hosts(context, refused: list[str] | None = None) -> None:
    """Every request of ``context`` to another host is refused (and its URL appended to ``refused``).

    The route is a regular expression, matched by Playwright's driver: this machine's requests are never
    intercepted. (A Python predicate intercepts *every* request and decides in the test's thread, which the
    sync API serves only while the test is inside a Playwright call: while a test waited in ``time.sleep``,
    JupyterLab's session requests stood still, and its page never started or connected to its kernel.)

    >>> bool(OTHER_HOSTS.match("https://cdn.example.org/x.js")), bool(OTHER_HOSTS.match("http://127.0.0.1:8888/lab"))
    (True, False)
    >>> bool(OTHER_HOSTS.match("ws://localhost:9/api/kernels")), bool(OTHER_HOSTS.match("data:image/png;base64,"))
    (False, False)
    >>> bool(OTHER_HOSTS.match("http://127.0.0.1.evil.org/"))
    True
    """
    def refuse(route) -> None:
        if refused is not None:
            refused.append(route.request.url)
        route.abort("blockedbyclient")

    context.route(OTHER_HOSTS, refuse)


@contextlib.contextmanager
def class_hub_folder(prefix: str = "hub-test-") -> Iterator[Path]:
    """A fresh folder for a class hub's state, homes and course (removed after): under /tmp, mode 0711,
    because a hub run as root gives each student a system user who must pass through it to their home
    (pytest's own temporary folders let no other user in). Yields the folder.

    Example::

        with class_hub_folder() as folder, Hub(folder / "hub", remove_users=True) as hub:
            ...
    """
    import os
    import shutil
    import tempfile

    folder = Path(tempfile.mkdtemp(prefix=prefix, dir="/tmp"))
    os.chmod(folder, 0o711)
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def hub_user_prefix() -> str:
    """A prefix of the students' system users unique to one hub of one test run (two runs at once on one
    machine never share a user)."""
    import secrets

    return f"t{secrets.token_hex(3)}-"
