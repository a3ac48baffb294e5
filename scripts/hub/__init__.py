"""A class's JupyterHub on one machine: real JupyterHub and configurable-http-proxy, started by the project.

What it starts (``make hub``, ``python -m scripts.hub``; tests/test_hub.py and benchmarks/hub.py use
:class:`Hub` directly):

- JupyterHub (pinned in requirements-dev.txt) with configurable-http-proxy 5.3.0, installed once with
  npm into ``~/.cache/therapybrain-hub`` (:func:`ensure_proxy`), on 127.0.0.1, no root needed;
- JupyterHub's shared-password authenticator (a workshop: any name, one password) and its simple
  local-process spawner: each student's home is a folder under ``<state>/homes``;
- the course's environment (this venv: jupyterlab, jupyterlab-myst, therapybrain) as every student's
  single-user server, with nbgitpuller in it (its ``git-pull`` links pull the course into the home);
- one prebuilt atlas store shared by every student (``THERAPYBRAIN_CACHE``, outside the homes, built once
  with ``python -m therapybrain.atlases --build``: :func:`ensure_store`).

The settings are written to ``<state>/settings.json``, which ``scripts/hub/jupyterhub_config.py`` reads.

Example::

    with Hub(state) as hub:
        print(nbgitpuller_link(hub.url, "file:///srv/course.git", "main", "chapters/03-therapies/cbt-lab.ipynb"))
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
from pathlib import Path
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode
from urllib.request import Request, urlopen

from scripts.book import toc_docnames

ROOT = Path(__file__).resolve().parents[2]
CONFIG = Path(__file__).with_name("jupyterhub_config.py")
PROXY_VERSION = "5.3.0"
CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "therapybrain-hub"
STORE = CACHE / "atlas-store"  # the shared prebuilt atlas store (THERAPYBRAIN_CACHE of every student)
ADMIN_SERVICE = "class-admin"  # the hub service whose token drives the REST API (tests, benchmark)


class HubError(RuntimeError):
    """The hub could not be set up or started; the message says why (and where its log is)."""


# --- the links --------------------------------------------------------------------------------------

def lab_notebooks(toc: Path = ROOT / "_toc.yml") -> list[str]:
    """The lab notebooks: every notebook of the table of contents outside the instructor part, in reading
    order (the graded labs, as ``scripts.editions.labs`` finds them).

    Examples
    --------
    >>> lab_notebooks()[:2]
    ['chapters/00-welcome/brain-map.ipynb', 'chapters/01-plasticity/hebbian-lab.ipynb']
    """
    root = toc.parent
    return [f"{name}.ipynb" for name in toc_docnames(toc)
            if name.startswith("chapters/") and not name.startswith("chapters/instructor/")
            and (root / f"{name}.ipynb").exists()]


def pull_folder(repo: str) -> str:
    """The folder a link's repository is pulled into: its address's last part without ``.git``.

    nbgitpuller's own default is the last part *with* ``.git`` (``course.git``), so a link whose ``urlpath``
    names ``course/`` opens nothing; :func:`nbgitpuller_link` therefore always gives ``targetpath``.

    Examples
    --------
    >>> pull_folder("https://github.com/owner/course.git")
    'course'
    >>> pull_folder("file:///srv/course/")
    'course'
    """
    name = repo.rstrip("/").rsplit("/", 1)[-1]
    name = name.removesuffix(".git")
    if not name:
        raise ValueError(f"no folder name in the repository address {repo!r}")
    return name


def nbgitpuller_link(hub_url: str, repo: str, branch: str, notebook: str, *, app: str = "lab") -> str:
    """The nbgitpuller link that pulls ``repo`` (``branch``) into the student's home and opens ``notebook``.

    ``targetpath`` is given explicitly (:func:`pull_folder`), so an address ending in ``.git`` opens the
    same folder as one without.

    Examples
    --------
    >>> nbgitpuller_link("https://hub.example.edu", "https://github.com/o/course.git", "main",
    ...                  "chapters/03-therapies/cbt-lab.ipynb")  # doctest: +NORMALIZE_WHITESPACE
    'https://hub.example.edu/hub/user-redirect/git-pull?repo=https%3A%2F%2Fgithub.com%2Fo%2Fcourse.git&branch=main&targetpath=course&urlpath=lab%2Ftree%2Fcourse%2Fchapters%2F03-therapies%2Fcbt-lab.ipynb'
    """
    if app not in ("lab", "notebooks"):
        raise ValueError(f"app must be 'lab' or 'notebooks', not {app!r}")
    folder = pull_folder(repo)
    query = urlencode({"repo": repo, "branch": branch, "targetpath": folder,
                       "urlpath": f"{'lab/tree' if app == 'lab' else 'notebooks'}/{folder}/{notebook}"})
    return f"{hub_url.rstrip('/')}/hub/user-redirect/git-pull?{query}"


# --- what the hub needs -----------------------------------------------------------------------------

def ensure_proxy(cache: Path = CACHE) -> Path:
    """configurable-http-proxy 5.3.0, installed with npm into ``cache`` when missing; returns its command."""
    command = cache / "node_modules" / ".bin" / "configurable-http-proxy"
    if command.exists():
        try:
            version = subprocess.run([str(command), "--version"], capture_output=True, text=True, timeout=60)
            if version.stdout.strip() == PROXY_VERSION:
                return command
        except (OSError, subprocess.TimeoutExpired):
            pass
    npm = shutil.which("npm")
    if npm is None:
        raise HubError("npm is needed to install configurable-http-proxy (Debian: apt-get install npm)")
    cache.mkdir(parents=True, exist_ok=True)
    done = subprocess.run([npm, "install", "--no-audit", "--no-fund", "--prefix", str(cache),
                           f"configurable-http-proxy@{PROXY_VERSION}"], capture_output=True, text=True)
    if done.returncode or not command.exists():
        raise HubError(f"npm could not install configurable-http-proxy {PROXY_VERSION}:\n{done.stderr[-2000:]}")
    return command


def ensure_store(store: Path = STORE) -> Path:
    """The shared atlas store, built once (``python -m therapybrain.atlases --build``; a store is rebuilt
    only when the atlases or the package change, so this is quick when it is up to date)."""
    store.mkdir(parents=True, exist_ok=True)
    done = subprocess.run([sys.executable, "-m", "therapybrain.atlases", "--build"], capture_output=True, text=True,
                          env=dict(os.environ, THERAPYBRAIN_CACHE=str(store)), cwd=ROOT)
    if done.returncode:
        raise HubError(f"the atlas store could not be built in {store}:\n{done.stderr[-2000:]}")
    return store


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- the hub ----------------------------------------------------------------------------------------

class Hub:
    """A running JupyterHub (a context manager: everything it started is stopped on exit, also on error).

    Parameters
    ----------
    state : Path
        Its folder: settings, database, log, students' homes (``state/homes/<name>``).
    port : int, optional
        Where students connect (``http://127.0.0.1:<port>``); a free port when None.
    password : str, optional
        The workshop password (8 characters or more); a random one when None.
    store : Path
        The shared atlas store (built when missing or stale).
    lti : dict, optional
        A learning platform's LTI 1.3 settings (``scripts.hub.lti.configure`` reads them); students then
        log in from the platform. None: the workshop's shared-password login.
    """

    def __init__(self, state: Path, *, port: int | None = None, password: str | None = None,
                 store: Path = STORE, ip: str = "127.0.0.1", lti: dict | None = None) -> None:
        self.state = Path(state).resolve()
        self.port = port or free_port()
        self.ip = ip
        self.password = password or secrets.token_urlsafe(9)
        if len(self.password) < 8:
            raise ValueError("the workshop password must have 8 characters or more (JupyterHub's rule)")
        self.token = secrets.token_hex(32)
        self.store = store
        self.lti = lti  # a learning platform's LTI 1.3 settings (scripts/hub/lti.py), or None: the workshop login
        self.homes = self.state / "homes"
        self.log_path = self.state / "jupyterhub.log"
        self.process: subprocess.Popen | None = None
        self._pids: set[int] = set()

    @property
    def url(self) -> str:
        return f"http://{self.ip}:{self.port}"

    def settings(self) -> dict:
        bin_dir = Path(sys.executable).parent
        return {
            "state": str(self.state), "ip": self.ip, "port": self.port, "hub_port": free_port(),
            "proxy_api_port": free_port(), "proxy": str(ensure_proxy()), "password": self.password,
            "admin_token": self.token, "admin_service": ADMIN_SERVICE, "homes": str(self.homes),
            "store": str(ensure_store(self.store)), "singleuser": str(bin_dir / "jupyterhub-singleuser"),
            "path": f"{bin_dir}{os.pathsep}{os.environ.get('PATH', '')}", "allow_root": os.geteuid() == 0,
            "root": str(ROOT), "lti": self.lti,
        }

    def start(self, timeout_s: float = 120) -> Hub:
        self.homes.mkdir(parents=True, exist_ok=True)
        settings = self.state / "settings.json"
        settings.write_text(json.dumps(self.settings(), indent=1))
        settings.chmod(0o600)  # the admin token and the password
        env = {k: v for k, v in os.environ.items() if k not in ("MPLBACKEND", "JUPYTERHUB_API_TOKEN")}
        env["THERAPYBRAIN_HUB_SETTINGS"] = str(settings)
        env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
        with open(self.log_path, "ab") as log:
            # its own process group: stop() ends the hub, the proxy and every student's server
            self.process = subprocess.Popen(
                [sys.executable, "-m", "jupyterhub", "-f", str(CONFIG)], cwd=self.state, env=env,
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True)
        deadline = time.monotonic() + timeout_s
        while True:
            self._remember_children()
            if self.process.poll() is not None:
                raise HubError(f"JupyterHub stopped (exit {self.process.returncode}); log {self.log_path}:\n"
                               + self.log_tail())
            try:
                self.api("GET", "/hub/api/")
                return self
            except (OSError, HubError):
                if time.monotonic() > deadline:
                    self.stop()
                    raise HubError(f"JupyterHub did not answer in {timeout_s:.0f} s; log {self.log_path}:\n"
                                   + self.log_tail()) from None
                time.sleep(0.5)

    def log_tail(self, chars: int = 3000) -> str:
        return self.log_path.read_text(errors="replace")[-chars:] if self.log_path.exists() else ""

    def api(self, method: str, path: str, body: dict | None = None, timeout: float = 30):
        """A request to the hub (``/hub/api/...``) or a student's server (``/user/<name>/api/...``) with the
        admin service's token; returns the decoded JSON (None when empty)."""
        data = json.dumps(body).encode() if body is not None else None
        request = Request(self.url + path, data=data, method=method,
                          headers={"Authorization": f"token {self.token}", "Content-Type": "application/json"})
        try:
            with urlopen(request, timeout=timeout) as response:
                text = response.read()
        except HTTPError as error:
            raise HubError(f"{method} {path}: HTTP {error.code} {error.read()[:500]!r}") from None
        except URLError as error:
            raise OSError(str(error)) from None
        return json.loads(text) if text else None

    def _remember_children(self) -> None:
        """Records every process the hub started (the spawner starts students' servers in new sessions,
        so a process-group signal alone would miss them)."""
        import psutil

        if self.process is None:
            return
        try:
            parent = psutil.Process(self.process.pid)
            self._pids.update(child.pid for child in parent.children(recursive=True))
        except psutil.Error:
            pass

    def processes(self):
        """The hub's running processes (psutil), itself first."""
        import psutil

        self._remember_children()
        found = []
        for pid in [self.process.pid, *sorted(self._pids)] if self.process else []:
            try:
                found.append(psutil.Process(pid))
            except psutil.Error:
                continue
        return found

    def stop(self, timeout_s: float = 30) -> None:
        """Ends the hub (which stops the students' servers and the proxy), then anything it left behind."""
        import psutil

        if self.process is None:
            return
        self._remember_children()
        leftovers = self.processes()[1:]
        if self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.process.wait(timeout=timeout_s)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        for proc in leftovers:
            try:
                for child in proc.children(recursive=True):
                    child.kill()
                proc.kill()
            except psutil.Error:
                pass
        psutil.wait_procs([p for p in leftovers if p.is_running()], timeout=10)
        self.process = None

    def __enter__(self) -> Hub:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
