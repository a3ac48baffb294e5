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
from urllib.parse import unquote, urlencode, urlsplit
from urllib.request import Request, urlopen

from scripts.book import toc_docnames

ROOT = Path(__file__).resolve().parents[2]
CONFIG = Path(__file__).with_name("jupyterhub_config.py")
PROXY_VERSION = "5.3.0"
CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "therapybrain-hub"
# What every student's server reads: the students' environment (scripts/hub/environment.py) and the shared
# prebuilt atlas store (THERAPYBRAIN_CACHE). A class hub run as root keeps them where every student's user
# can read them (root's home lets no one pass).
SHARED = Path("/var/cache/therapybrain-hub") if os.geteuid() == 0 else CACHE
STORE = SHARED / "atlas-store"
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


def bare_course(folder: Path, branch: str, root: Path = ROOT) -> str:
    """A ``file://`` bare clone of ``root`` at HEAD (as ``branch``) in ``folder``, readable by every user, as a
    class's students pull it (a lab PC without internet, the tests, the load benchmark); returns its address
    (it ends in ``.git``, as a real one may). Give it to :class:`Hub` as one of its ``local_repos``.

    Example::

        repo = bare_course(Path("/srv/course"), "main")
    """
    bare = Path(folder) / "psychotherapy-brain.git"
    subprocess.run(["git", "init", "-q", "--bare", str(bare)], check=True)
    subprocess.run(["git", "-C", str(bare), "fetch", "-q", str(root), f"HEAD:refs/heads/{branch}"], check=True)
    subprocess.run(["chmod", "-R", "a+rX", str(bare)], check=True)   # every student's user pulls it
    return bare.as_uri()


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
    """The shared store, built once as ``postBuild`` builds it (``python -m therapybrain.atlases --build``
    and ``python -m therapybrain.resting --build``: the atlases' crops and the resting-state lab's cleaned
    run; each is rebuilt only when its sources change, so this is quick when it is up to date).
    Students read it and never write it: a class hub runs them as other users."""
    store.mkdir(parents=True, exist_ok=True)
    for module in ("therapybrain.atlases", "therapybrain.resting"):   # what postBuild builds, both
        done = subprocess.run([sys.executable, "-m", module, "--build"], capture_output=True, text=True,
                              env=dict(os.environ, THERAPYBRAIN_CACHE=str(store)), cwd=ROOT)
        if done.returncode:
            raise HubError(f"the shared store could not be built in {store} ({module}):\n{done.stderr[-2000:]}")
    if os.geteuid() == 0:   # every student reads it; no one but its builder writes it
        subprocess.run(["chmod", "-R", "a+rX,go-w", str(store)], check=True)
    return store


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- the hub ----------------------------------------------------------------------------------------

def _hub_id(state: Path) -> str:
    """A short name for the hub of ``state`` (its control group's)."""
    import hashlib

    return "c" + hashlib.sha256(str(state).encode()).hexdigest()[:10]


class Hub:
    """A class's JupyterHub and its proxy (a context manager: everything it started is stopped on exit,
    also on error).

    The proxy runs apart from the hub and the students' servers outlive it, so :meth:`restart` (an
    upgrade, a crash) keeps every running server, kernel and file; :meth:`stop` ends them all.

    Parameters
    ----------
    state : Path
        Its folder: settings, database, logs; the students' homes (``state/homes``) unless ``homes``.
        A state that holds a hub's settings already is resumed with them (its ports, tokens, password).
    port : int, optional
        Where students connect (``http://<ip>:<port>``); a free port when None.
    password : str, optional
        The workshop password (8 characters or more); a random one when None.
    store : Path
        The shared atlas store (built when missing or stale).
    lti : dict, optional
        A learning platform's LTI 1.3 settings (``scripts.hub.lti.configure`` reads them); students then
        log in from the platform. None: the workshop's shared-password login.
    isolate : bool, optional
        A system user per student, with limits (:mod:`scripts.hub.isolation`). None: when run as root.
    homes : Path, optional
        The students' homes (every folder on the way must let other users pass when ``isolate``).
    memory_mb, cpu, cpu_guarantee : optional
        Each student's limits (memory in MB over their server and kernels, cores at most, cores under
        contention), enforced by control groups when the machine allows (``isolate`` only).
    user_prefix : str
        The prefix of the students' system user names.
    remove_users : bool
        Remove the students' system users and homes when the hub stops (tests, benchmarks).
    local_repos : tuple of str
        ``file://`` repositories the links pull (a lab PC without internet; the tests): git lets a
        student's user read these, which belong to another user, as ``safe.directory``.
    """

    def __init__(self, state: Path, *, port: int | None = None, password: str | None = None,
                 store: Path = STORE, ip: str = "127.0.0.1", lti: dict | None = None,
                 isolate: bool | None = None, homes: Path | None = None, memory_mb: int = 1200,
                 cpu: float = 1.0, cpu_guarantee: float = 0.5, user_prefix: str = "tb-",
                 remove_users: bool = False, local_repos: tuple[str, ...] = ()) -> None:
        from scripts.hub import isolation

        self.state = Path(state).resolve()
        self.ip = ip
        previous = self._previous_settings()
        self.port = port or previous.get("port") or free_port()
        self.password = password or previous.get("password") or secrets.token_urlsafe(9)
        if len(self.password) < 8:
            raise ValueError("the workshop password must have 8 characters or more (JupyterHub's rule)")
        self.token = previous.get("admin_token") or secrets.token_hex(32)
        self.proxy_token = previous.get("proxy_token") or secrets.token_hex(32)
        self.store = store
        if lti is not None:   # a bad setting fails here, naming the valid ones, not in the hub's log
            from scripts.hub.lti import check_settings

            lti = check_settings(lti)
        self.lti = lti  # a learning platform's LTI 1.3 settings (scripts/hub/lti.py), or None: the workshop login
        is_root = os.geteuid() == 0
        self.isolate = is_root if isolate is None else isolate
        if self.isolate and not is_root:
            raise ValueError("students kept apart (isolate=True) need the hub to run as root; without root it is "
                             "a workshop hub (isolate=False)")
        self.homes = Path(homes).resolve() if homes else self.state / "homes"
        self.limits = isolation.Limits(memory_mb=memory_mb, cpu=cpu, cpu_guarantee=cpu_guarantee)
        isolation.system_name("x", user_prefix)  # a bad prefix fails here, with its reason
        self.user_prefix = user_prefix
        self.remove_users = remove_users
        self.local_repos = tuple(local_repos)
        for repo in self.local_repos:
            if not repo.startswith("file:///"):
                raise ValueError(f"local_repos are file:/// addresses of repositories on this machine, not {repo!r}")
        self.cgroups = isolation.detect_cgroups() if self.isolate else None
        self.cgroup_group = f"therapybrain/{_hub_id(self.state)}"
        self.log_path = self.state / "jupyterhub.log"
        self.proxy_log = self.state / "proxy.log"
        self.proxy_pid_file = self.state / "proxy.pid"
        self.process: subprocess.Popen | None = None
        self.proxy: subprocess.Popen | None = None
        self._pids: set[int] = set()
        self._ports: dict[str, int] = {k: previous[k] for k in ("hub_port", "proxy_api_port") if k in previous}

    @property
    def url(self) -> str:
        return f"http://{self.ip}:{self.port}"

    def home(self, name: str) -> Path:
        """The home folder of the hub user ``name`` (their system user's in a class hub)."""
        from scripts.hub.isolation import system_name

        return self.homes / (system_name(name, self.user_prefix) if self.isolate else name)

    def system_user(self, name: str) -> str | None:
        """The system user whose server ``name`` runs as in a class hub; None in a workshop hub."""
        from scripts.hub.isolation import system_name

        return system_name(name, self.user_prefix) if self.isolate else None

    @property
    def mode(self) -> str:
        """What keeps students apart, in a line (printed by ``make hub``, written in the hub's log)."""
        if not self.isolate:
            return ("workshop hub: no isolation (every student's server runs as this user; anyone with the "
                    "password logs in under any name). Run as root for a class hub.")
        limits = (f"limits {self.limits.memory_mb} MB, {self.limits.cpu:g} core(s) at most, "
                  f"{self.limits.cpu_guarantee:g} guaranteed, {self.limits.pids} processes, by cgroups "
                  f"{self.cgroups}") if self.cgroups else "no memory or CPU limit (no writable control groups)"
        return f"class hub: a system user per student ({self.user_prefix}*, home 0700); {limits}"

    def _previous_settings(self) -> dict:
        path = self.state / "settings.json"
        try:
            return json.loads(path.read_text())
        except (OSError, ValueError):
            return {}

    def settings(self) -> dict:
        from scripts.hub.environment import StudentEnvironmentError, ensure_environment

        try:
            bin_dir = ensure_environment(SHARED)   # the students' environment, not this one
        except StudentEnvironmentError as why:
            raise HubError(str(why)) from None
        for key in ("hub_port", "proxy_api_port"):
            self._ports.setdefault(key, free_port())
        return {
            "state": str(self.state), "ip": self.ip, "port": self.port, **self._ports,
            "proxy_token": self.proxy_token, "password": self.password,
            "admin_token": self.token, "admin_service": ADMIN_SERVICE, "homes": str(self.homes),
            "store": str(ensure_store(self.store)), "singleuser": str(bin_dir / "jupyterhub-singleuser"),
            "path": f"{bin_dir}{os.pathsep}/usr/local/bin:/usr/bin:/bin", "allow_root": os.geteuid() == 0,
            "root": str(ROOT), "lti": self.lti, "isolate": self.isolate, "user_prefix": self.user_prefix,
            "cgroups": self.cgroups or "", "cgroup_group": self.cgroup_group,
            "memory_mb": self.limits.memory_mb, "cpu": self.limits.cpu, "cpu_guarantee": self.limits.cpu_guarantee,
            "pids": self.limits.pids, "mode": self.mode,
            "safe_directories": [unquote(urlsplit(repo).path) for repo in self.local_repos],
        }

    def _check_reachable(self, settings: dict) -> None:
        """A class hub's students must reach their homes, the store and the course's environment."""
        from scripts.hub.isolation import unreachable_for_others

        for what, path in (("the students' homes", self.homes), ("the shared atlas store", Path(settings["store"])),
                           ("the course's environment", Path(settings["singleuser"]))):
            blocked = unreachable_for_others(path)
            if blocked is not None:
                raise HubError(f"{what} ({path}) cannot be reached by the students' users: {blocked} lets no other "
                               f"user pass (mode {blocked.stat().st_mode & 0o777:o}). Put it elsewhere (--homes, "
                               "--store) or chmod o+x the folder")

    def _env(self, settings_path: Path) -> dict[str, str]:
        env = {k: v for k, v in os.environ.items() if k not in ("MPLBACKEND", "JUPYTERHUB_API_TOKEN")}
        env["THERAPYBRAIN_HUB_SETTINGS"] = str(settings_path)
        env["THERAPYBRAIN_HUB"] = str(self.state)  # marks every process of this hub (stop() finds them)
        env["PATH"] = f"{Path(sys.executable).parent}{os.pathsep}{env.get('PATH', '')}"
        return env

    def _proxy_running(self) -> int | None:
        """The pid of this hub's proxy when it runs (a restarted hub keeps it), else None."""
        import psutil

        try:
            pid = int(self.proxy_pid_file.read_text())
            process = psutil.Process(pid)
            if "configurable-http-proxy" in " ".join(process.cmdline()) and \
                    str(self._ports.get("proxy_api_port")) in process.cmdline():
                return pid
        except (OSError, ValueError, psutil.Error):
            pass
        return None

    def _start_proxy(self, settings: dict, env: dict[str, str]) -> None:
        if self._proxy_running():
            return
        hub = f"http://127.0.0.1:{settings['hub_port']}"
        command = [settings["proxy_command"], "--ip", self.ip, "--port", str(self.port),
                   "--api-ip", "127.0.0.1", "--api-port", str(settings["proxy_api_port"]),
                   "--default-target", hub, "--error-target", f"{hub}/hub/error", "--log-level", "warn"]
        self.proxy_log.touch(mode=0o600)
        self.proxy_log.chmod(0o600)  # the proxy's errors name the hub's internal addresses: not for students
        with open(self.proxy_log, "ab") as log:
            self.proxy = subprocess.Popen(command, cwd=self.state,
                                          env=dict(env, CONFIGPROXY_AUTH_TOKEN=self.proxy_token), stdout=log,
                                          stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                                          start_new_session=True, umask=0o077)
        self.proxy_pid_file.write_text(str(self.proxy.pid))

    def start(self, timeout_s: float = 120) -> Hub:
        """Starts the proxy (unless this state's proxy runs still) and the hub; returns once the hub answers."""
        self.state.mkdir(parents=True, exist_ok=True)
        self.homes.mkdir(parents=True, exist_ok=True)
        settings_data = self.settings()
        settings_data["proxy_command"] = str(ensure_proxy())
        if self.isolate:
            self.state.chmod(0o711)    # students pass through to their homes; they list and read nothing here
            self.homes.chmod(0o711)
            self._check_reachable(settings_data)
        settings = self.state / "settings.json"
        settings.touch(mode=0o600)
        settings.chmod(0o600)  # the tokens and the password
        settings.write_text(json.dumps(settings_data, indent=1))
        env = self._env(settings)
        self._start_proxy(settings_data, env)
        self.log_path.touch(mode=0o600)
        with open(self.log_path, "ab") as log:
            # its own process group; umask 077: the database and the logs are the hub's alone
            self.process = subprocess.Popen(
                [sys.executable, "-m", "jupyterhub", "-f", str(CONFIG)], cwd=self.state, env=env,
                stdout=log, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL, start_new_session=True, umask=0o077)
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

    def pause(self, *, crash: bool = False) -> None:
        """Stops the hub alone (SIGTERM, or SIGKILL when ``crash``): the proxy, the students' servers, their
        kernels and their files stay as they are, for :meth:`start` (here or in a new ``Hub`` of the same
        state) to resume."""
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL if crash else signal.SIGTERM)
            try:
                self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self.process = None

    def restart(self, *, crash: bool = False, timeout_s: float = 120) -> Hub:
        """:meth:`pause` then :meth:`start`: an upgrade's restart, or (``crash``) a crash and its recovery."""
        self.pause(crash=crash)
        return self.start(timeout_s)

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

        for parent in (self.process, self.proxy):
            if parent is None:
                continue
            try:
                self._pids.add(parent.pid)
                self._pids.update(child.pid for child in psutil.Process(parent.pid).children(recursive=True))
            except psutil.Error:
                pass

    def processes(self):
        """The class's running processes (psutil): the hub first, its proxy, the students' servers and
        kernels (also those started before a restart)."""
        import psutil

        from scripts.hub.isolation import cgroup_pids

        self._remember_children()
        pids = [self.process.pid] if self.process else []
        proxy = self._proxy_running()
        pids += [pid for pid in sorted(self._pids | cgroup_pids(self.cgroups, self.cgroup_group)
                                       | ({proxy} if proxy else set())) if pid not in pids]
        found = []
        for pid in pids:
            try:
                found.append(psutil.Process(pid))
            except psutil.Error:
                continue
        return found

    def _marked(self) -> list:
        """Every process of this hub, found by the mark in its environment (after a restart, the servers
        are no children of the running hub)."""
        import psutil

        found = []
        for proc in psutil.process_iter():
            try:
                if proc.pid != os.getpid() and proc.environ().get("THERAPYBRAIN_HUB") == str(self.state):
                    found.append(proc)
            except psutil.Error:
                continue
        return found

    def stop(self, timeout_s: float = 30) -> None:
        """Ends the class: the hub, the proxy, every student's server and kernel (then removes the control
        groups, and the students' users when ``remove_users``)."""
        import psutil

        from scripts.hub import isolation

        self._remember_children()
        everything = {p.pid: p for p in [*self.processes()[1:], *self._marked()]}
        if self.process is not None and self.process.poll() is None:
            try:
                os.killpg(self.process.pid, signal.SIGTERM)
            except ProcessLookupError:
                pass
            try:
                self.process.wait(timeout=timeout_s)
            except subprocess.TimeoutExpired:
                os.killpg(self.process.pid, signal.SIGKILL)
                self.process.wait()
        leftovers = list(everything.values())
        for proc in leftovers:
            try:
                proc.terminate()
            except psutil.Error:
                pass
        _, alive = psutil.wait_procs(leftovers, timeout=5)
        for proc in alive:
            try:
                proc.kill()
            except psutil.Error:
                pass
        psutil.wait_procs(alive, timeout=10)
        for child in (self.proxy,):
            if child is not None:
                child.poll()
        self.process = self.proxy = None
        self.proxy_pid_file.unlink(missing_ok=True)
        isolation.remove_cgroups(self.cgroups, self.cgroup_group)
        if self.remove_users and self.isolate:
            for name in isolation.users_with_home_under(self.homes):
                if name.startswith(self.user_prefix):
                    isolation.remove_system_user(name)

    def __enter__(self) -> Hub:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
