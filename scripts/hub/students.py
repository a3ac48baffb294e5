"""Simulated students on a class hub: each one logs in (a user and a server started through the hub's REST
API), pulls the course with nbgitpuller (its ``git-pull/api`` event stream, as the link's page does) and runs
a lab notebook's code cells in a kernel over the kernels' websocket protocol, as JupyterLab does.

Used by tests/test_hub.py (two students at once) and benchmarks/hub.py (N students, at once or staggered).

Example::

    with Hub(state) as hub:
        results = asyncio.run(run_class(hub, repo, "main", "chapters/03-therapies/cbt-lab.ipynb", 5))
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from dataclasses import asdict, dataclass, field
from urllib.parse import quote, urlencode

from tornado.httpclient import AsyncHTTPClient, HTTPClientError, HTTPRequest
from tornado.websocket import websocket_connect

from scripts.hub import Hub, pull_folder

# The kernel's own peak memory (VmHWM: resident set high-water mark), in kB.
PEAK_CODE = "print(next(int(l.split()[1]) for l in open('/proc/self/status') if l.startswith('VmHWM')))"


@dataclass
class Student:
    """What one simulated student saw. Times in seconds from the student's arrival (``t_arrive``)."""

    name: str
    notebook: str
    server_start_s: float | None = None     # the hub reports the server ready
    pull_s: float | None = None             # nbgitpuller's pull, alone
    first_figure_s: float | None = None     # from arrival to the first figure (a PNG) the kernel sent
    notebook_s: float | None = None         # the notebook's code cells, first sent to last answered
    kernel_peak_mb: float | None = None     # the kernel's peak resident memory
    cells: int = 0
    figures: int = 0
    errors: list[str] = field(default_factory=list)    # an error output, a failed step
    stderr: list[str] = field(default_factory=list)    # anything the kernel wrote to stderr
    lost_kernel: bool = False               # the kernel died or its channel closed mid-run
    total_s: float | None = None

    def ok(self) -> bool:
        return not self.errors and not self.lost_kernel and self.figures > 0

    def as_dict(self) -> dict:
        return asdict(self)


class _Kernel:
    """A kernel of a student's server, over its websocket channels (JSON messages)."""

    def __init__(self, connection, session: str) -> None:
        self.connection = connection
        self.session = session

    async def execute(self, code: str, timeout_s: float, on_output) -> dict:
        msg_id = uuid.uuid4().hex
        await self.connection.write_message(json.dumps({
            "header": {"msg_id": msg_id, "msg_type": "execute_request", "username": "student",
                       "session": self.session, "version": "5.3", "date": ""},
            "parent_header": {}, "metadata": {}, "channel": "shell",
            "content": {"code": code, "silent": False, "store_history": True, "user_expressions": {},
                        "allow_stdin": False, "stop_on_error": True},
        }))
        reply, idle = None, False
        deadline = time.monotonic() + timeout_s
        while reply is None or not idle:
            remaining = deadline - time.monotonic()
            if remaining <= 0:
                raise TimeoutError(f"no answer in {timeout_s:.0f} s")
            raw = await asyncio.wait_for(self.connection.read_message(), remaining)
            if raw is None:
                raise ConnectionError("the kernel's channel closed")
            msg = json.loads(raw)
            if msg.get("parent_header", {}).get("msg_id") != msg_id:
                if msg.get("msg_type") == "status" and msg["content"].get("execution_state") in ("dead", "restarting"):
                    raise ConnectionError(f"the kernel is {msg['content']['execution_state']}")
                continue
            kind = msg["msg_type"]
            if kind == "execute_reply":
                reply = msg["content"]
            elif kind == "status" and msg["content"].get("execution_state") == "idle":
                idle = True
            elif kind == "status" and msg["content"].get("execution_state") in ("dead", "restarting"):
                raise ConnectionError(f"the kernel is {msg['content']['execution_state']}")
            else:
                on_output(kind, msg["content"])
        return reply


async def _fetch(hub: Hub, path: str, method: str = "GET", body: dict | None = None, timeout: float = 300, **kw):
    request = HTTPRequest(hub.url + path, method=method, body=json.dumps(body) if body is not None else None,
                          headers={"Authorization": f"token {hub.token}"}, request_timeout=timeout,
                          connect_timeout=60, **kw)
    response = await AsyncHTTPClient().fetch(request)
    return json.loads(response.body) if response.body and "streaming_callback" not in kw else None


async def start_server(hub: Hub, name: str, timeout_s: float = 300) -> None:
    """Creates the user (when new) and starts their server; returns once the hub says it is ready."""
    try:
        await _fetch(hub, f"/hub/api/users/{name}", "POST", {})
    except HTTPClientError as error:
        if error.code != 409:  # 409: the user exists already
            raise
    try:
        await _fetch(hub, f"/hub/api/users/{name}/server", "POST", {})
    except HTTPClientError as error:
        if error.code != 400:  # 400: the server is running already
            raise
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        user = await _fetch(hub, f"/hub/api/users/{name}")
        server = user.get("servers", {}).get("")
        if server and server.get("ready"):
            return
        await asyncio.sleep(0.5)
    raise TimeoutError(f"{name}'s server was not ready in {timeout_s:.0f} s")


async def pull(hub: Hub, name: str, repo: str, branch: str, timeout_s: float = 300) -> None:
    """nbgitpuller's pull into the student's home (``targetpath`` as the links give it); raises on its error."""
    events: list[dict] = []
    buffer = b""

    def on_chunk(chunk: bytes) -> None:
        nonlocal buffer
        buffer += chunk
        while b"\n\n" in buffer:
            block, buffer = buffer.split(b"\n\n", 1)
            for line in block.decode(errors="replace").splitlines():
                if line.startswith("data:"):
                    events.append(json.loads(line[5:]))

    query = urlencode({"repo": repo, "branch": branch, "targetpath": pull_folder(repo)})
    await _fetch(hub, f"/user/{name}/git-pull/api?{query}", timeout=timeout_s, streaming_callback=on_chunk)
    phases = [e.get("phase") for e in events]
    if "finished" not in phases:
        errors = [e.get("message", "") for e in events if e.get("phase") == "error"]
        raise RuntimeError(f"nbgitpuller did not finish: {errors or phases[-3:]}")


async def open_kernel(hub: Hub, name: str, path: str | None = None) -> tuple[str, _Kernel]:
    """A new kernel on ``name``'s server (a notebook session for ``path``, as JupyterLab opens it; a bare
    kernel when None), connected over its websocket; returns (kernel id, kernel)."""
    if path is None:
        kernel_id = (await _fetch(hub, f"/user/{name}/api/kernels", "POST", {"name": "python3"}))["id"]
    else:
        session = await _fetch(hub, f"/user/{name}/api/sessions", "POST",
                               {"path": path, "name": path.rsplit("/", 1)[-1], "type": "notebook",
                                "kernel": {"name": "python3"}})
        kernel_id = session["kernel"]["id"]
    return kernel_id, await connect_kernel(hub, name, kernel_id)


async def connect_kernel(hub: Hub, name: str, kernel_id: str) -> _Kernel:
    """A websocket connection to a running kernel of ``name``'s server (a tab opened on it)."""
    ws = await websocket_connect(HTTPRequest(
        hub.url.replace("http", "ws", 1) + f"/user/{name}/api/kernels/{kernel_id}/channels"
        f"?session_id={uuid.uuid4().hex}", headers={"Authorization": f"token {hub.token}"},
        connect_timeout=120, request_timeout=120), max_message_size=200 * 1024 * 1024)
    return _Kernel(ws, uuid.uuid4().hex)


async def run_code(kernel: _Kernel, code: str, timeout_s: float = 120) -> str:
    """Runs ``code`` in the kernel; returns what it printed (stdout), or raises RuntimeError with its error."""
    out: list[str] = []
    errors: list[str] = []

    def on_output(kind: str, content: dict) -> None:
        if kind == "stream" and content.get("name") == "stdout":
            out.append(content.get("text", ""))
        elif kind == "error":
            errors.append(f"{content.get('ename')}: {content.get('evalue')}")

    reply = await kernel.execute(code, timeout_s, on_output)
    if reply.get("status") != "ok" or errors:
        raise RuntimeError(errors[0] if errors else f"{reply.get('ename')}: {reply.get('evalue')}")
    return "".join(out)


async def run_student(hub: Hub, name: str, repo: str, branch: str, notebook: str,
                      cell_timeout_s: float = 600) -> Student:
    """One student: start, pull, open ``notebook`` (a session, as JupyterLab opens it) and run its code cells."""
    student = Student(name, notebook)
    arrive = time.monotonic()
    kernel_id = None
    try:
        await start_server(hub, name)
        student.server_start_s = time.monotonic() - arrive
        started = time.monotonic()
        await pull(hub, name, repo, branch)
        student.pull_s = time.monotonic() - started
        path = f"{pull_folder(repo)}/{notebook}"
        model = await _fetch(hub, f"/user/{name}/api/contents/{quote(path)}?content=1&type=notebook")
        cells = ["".join(c["source"]) if isinstance(c["source"], list) else c["source"]
                 for c in model["content"]["cells"] if c["cell_type"] == "code"]
        kernel_id, kernel = await open_kernel(hub, name, path)

        def on_output(kind: str, content: dict) -> None:
            if kind in ("display_data", "execute_result") and "image/png" in content.get("data", {}):
                student.figures += 1
                if student.first_figure_s is None:
                    student.first_figure_s = time.monotonic() - arrive
            elif kind == "error":
                student.errors.append(f"{content.get('ename')}: {content.get('evalue')}"[:300])
            elif kind == "stream" and content.get("name") == "stderr":
                student.stderr.append(content.get("text", "")[:300])

        try:
            first = time.monotonic()
            for code in cells:
                reply = await kernel.execute(code, cell_timeout_s, on_output)
                student.cells += 1
                if reply.get("status") != "ok":
                    if not student.errors:
                        student.errors.append(f"cell {student.cells}: {reply.get('ename')}: {reply.get('evalue')}")
                    break
            student.notebook_s = time.monotonic() - first
            student.kernel_peak_mb = int((await run_code(kernel, PEAK_CODE, 60)).split()[-1]) / 1024
        except ConnectionError as error:
            student.lost_kernel = True
            student.errors.append(f"kernel lost: {error}")
        finally:
            kernel.connection.close()
    except Exception as error:  # a failed step is recorded (the class goes on), never swallowed silently
        student.errors.append(f"{type(error).__name__}: {error}"[:500])
    finally:
        if kernel_id:
            try:  # the notebook is closed: its kernel ends (a student's tab closed)
                await _fetch(hub, f"/user/{name}/api/kernels/{kernel_id}", "DELETE", timeout=60)
            except Exception as error:
                student.errors.append(f"kernel shutdown: {error}"[:300])
    student.total_s = time.monotonic() - arrive
    return student


async def run_class(hub: Hub, repo: str, branch: str, notebook: str, students: int, *,
                    stagger_s: float = 0.0, prefix: str = "student") -> list[Student]:
    """``students`` students running ``notebook``: all at once (``stagger_s=0``) or one every ``stagger_s``."""

    async def arrive(i: int) -> Student:
        await asyncio.sleep(i * stagger_s)
        return await run_student(hub, f"{prefix}-{i + 1}", repo, branch, notebook)

    return list(await asyncio.gather(*(arrive(i) for i in range(students))))


async def stop_servers(hub: Hub, names: list[str]) -> None:
    """Stops these students' servers (their memory is freed before the next round)."""
    for name in names:
        try:
            await _fetch(hub, f"/hub/api/users/{name}/server", "DELETE", timeout=120)
        except HTTPClientError as error:
            if error.code not in (400, 404):
                raise
    deadline = time.monotonic() + 120
    while time.monotonic() < deadline:
        users = [await _fetch(hub, f"/hub/api/users/{name}") for name in names]
        if not any(u.get("servers") for u in users):
            return
        await asyncio.sleep(0.5)


def run(coroutine):
    """Runs a coroutine to its end in a thread of its own and returns its result: a test process may
    already run an event loop in its main thread (Playwright's sync API does)."""
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, coroutine).result()


class EventLoop:
    """One event loop in a thread of its own, for a caller that keeps kernels open between steps (a test):
    each :meth:`run` runs a coroutine on it and returns its result.

    Example::

        with EventLoop() as loop:
            kernel_id, kernel = loop.run(open_kernel(hub, "ada"))
            print(loop.run(run_code(kernel, "print(6 * 7)")))
    """

    def __init__(self) -> None:
        import threading

        self.loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self.loop.run_forever, daemon=True)

    def run(self, coroutine, timeout_s: float | None = None):
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop).result(timeout_s)

    def __enter__(self) -> EventLoop:
        self._thread.start()
        return self

    def __exit__(self, *exc) -> None:
        self.loop.call_soon_threadsafe(self.loop.stop)
        self._thread.join(10)
        self.loop.close()
