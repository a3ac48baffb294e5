"""Run one submission's notebook in a bubblewrap sandbox, with limits, and bring back the runner's report.

What the submission's kernel sees (``bwrap_argv``):

- the system (``/usr`` and the few files of ``/etc`` that programs need: the loader's cache, fonts, time
  zone; ``passwd``, ``group`` and ``hosts`` written for the sandbox), the Python it runs on, the course's
  environment (``.venv``), the ``therapybrain`` package and the atlas store, all **read-only**;
- its own folder, ``/home/student``: an empty size-capped tmpfs holding only the notebook (read-only) as
  ``<lab>.ipynb``; the only place it can write, gone when it ends. ``$HOME`` is there too.

What it does not see: the rest of the course folder (the lab notebooks with their solutions and hidden tests,
``_build`` and its autograders), the instructor's home, the other submissions, the network (its own network
namespace, with only a loopback), the other processes (its own PID namespace) and the host's users (its
own user namespace, uid 1000, no capabilities, no further namespaces). Its environment is cleared.

Limits (``Limits``): a time per cell and per submission (the runner interrupts a cell; the sandbox is killed
``HARD_MARGIN`` seconds after the submission's time), the memory of the whole sandbox (a cgroup-v1 memory
controller when it can be written, else an address-space limit per process), its number of processes, its
folder's size, and the bytes of output of a cell.

Example::

    sandbox = Sandbox.for_course()          # raises SandboxUnavailable with the fix when bwrap cannot run
    run = sandbox.run(Path("alice.ipynb"), "hebbian-lab", ["weekly_stable"], Limits())
    run.result["answers"]                   # {"weekly_stable": 0.4786...} as encoded JSON data
"""

from __future__ import annotations

import itertools
import json
import os
import selectors
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass, field
from pathlib import Path

HERE = Path(__file__).resolve().parent
#: Seconds past the submission's own time limit before the whole sandbox is killed (the kernel's start,
#: the last interrupt and the answers' extraction fit in it).
HARD_MARGIN = 90.0
#: Bytes of the runner's report read at most, and of its log kept (the end).
MAX_REPORT = 60_000_000
LOG_TAIL = 20_000
HOME = "/home/student"
STORE = "/store"
_ETC = ("ld.so.cache", "ld.so.conf", "ld.so.conf.d", "fonts", "localtime", "alternatives", "nsswitch.conf",
        "mime.types")
_MEMORY = Path("/sys/fs/cgroup/memory")
_PIDS = Path("/sys/fs/cgroup/pids")
_counter = itertools.count()


class SandboxUnavailable(RuntimeError):
    """bubblewrap is missing or cannot start here (the message names the fix, and ``--no-sandbox``)."""


@dataclass(frozen=True)
class Limits:
    """What one submission may use (the grader's flags; defaults fit every lab of the course)."""

    cell_timeout: float = 120.0       #: seconds per cell (then interrupted, the next cell runs)
    timeout: float = 600.0            #: seconds for the whole notebook (then the rest is skipped)
    memory: int = 3 * 1024 ** 3       #: bytes for the whole sandbox (kernel, runner, their children)
    max_output: int = 20 * 1024 ** 2  #: bytes of output per cell (then interrupted)
    disk: int = 256 * 1024 ** 2       #: bytes in the submission's folder
    processes: int = 256              #: processes and threads at once (a fork bomb stops there)


@dataclass
class Run:
    """What came back from one sandboxed run."""

    result: dict | None = None        #: the runner's report (None: it never finished)
    last_cell: int | None = None      #: the cell that was running last
    returncode: int | None = None
    killed: bool = False              #: killed after the hard time limit
    oom: bool = False                 #: the memory limit was hit (a process was killed for it)
    peak_memory: int = 0              #: bytes (0 when not measured)
    seconds: float = 0.0
    log: str = ""                     #: the end of the runner's own output (its traceback, if it crashed)
    sandboxed: bool = True


@dataclass
class _Cgroups:
    """One submission's memory and pids cgroups (v1), when they can be made; removed by ``close``."""

    paths: list[Path] = field(default_factory=list)
    memory: Path | None = None

    @classmethod
    def make(cls, limits: Limits) -> _Cgroups:
        made = cls()
        name = f"therapybrain-grade-{os.getpid()}-{next(_counter)}"
        for root, settings in ((_MEMORY, {"memory.limit_in_bytes": limits.memory}),
                               (_PIDS, {"pids.max": limits.processes})):
            try:
                path = _own(root) / name
                path.mkdir()
            except OSError:
                continue
            made.paths.append(path)
            try:
                for key, value in settings.items():
                    (path / key).write_text(str(value))
                if root is _MEMORY and (path / "memory.memsw.limit_in_bytes").exists():
                    (path / "memory.memsw.limit_in_bytes").write_text(str(limits.memory))
            except OSError:
                continue
            if root is _MEMORY:
                made.memory = path
        return made

    def join_command(self) -> str:
        """Shell words that move the shell into the cgroups before it execs the sandbox."""
        return "".join(f'echo $$ > "{p}/cgroup.procs" && ' for p in self.paths)

    def peak_and_oom(self) -> tuple[int, bool]:
        if self.memory is None:
            return 0, False
        try:
            peak = int((self.memory / "memory.max_usage_in_bytes").read_text())
            control = dict(line.split() for line in (self.memory / "memory.oom_control").read_text().splitlines())
            return peak, int(control.get("oom_kill", 0)) > 0 or int(control.get("under_oom", 0)) > 0
        except (OSError, ValueError):
            return 0, False

    def kill_all(self) -> None:
        for path in self.paths:
            for _ in range(50):
                try:
                    pids = [int(p) for p in (path / "cgroup.procs").read_text().split()]
                except OSError:
                    break
                if not pids:
                    break
                for pid in pids:
                    try:
                        os.kill(pid, signal.SIGKILL)
                    except OSError:
                        pass
                time.sleep(0.05)

    def close(self) -> None:
        self.kill_all()
        for path in self.paths:
            for _ in range(40):
                try:
                    path.rmdir()
                    break
                except OSError:
                    time.sleep(0.05)


def _own(root: Path) -> Path:
    """This process's own cgroup under a v1 controller's mount (so that its own limits still apply)."""
    for line in Path("/proc/self/cgroup").read_text().splitlines():
        _, controllers, path = line.split(":", 2)
        if root.name in controllers.split(","):
            return root / path.lstrip("/")
    return root


def probe(bwrap: str | None = None) -> None:
    """Raise ``SandboxUnavailable`` (with the fix) unless bubblewrap can start a sandbox like the grader's."""
    bwrap = bwrap or shutil.which("bwrap")
    if not bwrap:
        raise SandboxUnavailable(
            "bubblewrap (bwrap) is not installed, so submissions cannot be isolated. Install it (Debian/Ubuntu: "
            "`sudo apt-get install bubblewrap`, or `make sandbox`; Fedora: `sudo dnf install "
            "bubblewrap`), or grade with --no-sandbox on a machine and account you can afford to lose (see "
            "--help).")
    run = subprocess.run([bwrap, "--unshare-all", "--unshare-user", "--disable-userns", "--uid", "1000",
                          "--ro-bind", "/", "/", "--proc", "/proc", "--dev", "/dev", "true"],
                         capture_output=True, text=True, timeout=60)
    if run.returncode != 0:
        why = run.stderr.strip()
        fix = ("Allow unprivileged user namespaces: `sudo sysctl -w kernel.unprivileged_userns_clone=1` (Debian), "
               "`sudo sysctl -w kernel.apparmor_restrict_unprivileged_userns=0` (Ubuntu 24.04), or "
               "`sudo sysctl -w user.max_user_namespaces=15000`; in a container, run it with user namespaces "
               "allowed (Docker: --security-opt seccomp=unconfined)")
        raise SandboxUnavailable(f"bubblewrap cannot start a sandbox here ({why or 'exit ' + str(run.returncode)}). "
                                 f"{fix}. Or grade with --no-sandbox (see --help for what that risks).")


@dataclass
class Sandbox:
    """Where things are on the host, and how to start one submission's run (sandboxed or not)."""

    venv: Path                        #: the course environment (sys.prefix)
    base: Path                        #: the Python it was made from (sys.base_prefix)
    package: Path                     #: the therapybrain package folder
    store: Path                       #: the atlas store (read-only inside)
    bwrap: str | None = None          #: None: no sandbox (--no-sandbox)

    @classmethod
    def for_course(cls, *, sandbox: bool = True) -> Sandbox:
        """The running course environment's sandbox; ``probe()`` first unless ``sandbox`` is false."""
        from therapybrain._store import cache_dir

        bwrap = None
        if sandbox:
            probe()
            bwrap = shutil.which("bwrap")
        import therapybrain

        store = cache_dir()
        store.mkdir(parents=True, exist_ok=True)
        return cls(venv=Path(sys.prefix), base=Path(sys.base_prefix), package=Path(therapybrain.__file__).parent,
                   store=store, bwrap=bwrap)

    @property
    def python(self) -> Path:
        return self.venv / "bin" / "python"

    def environment(self, home: str, store: str) -> dict[str, str]:
        """The whole environment of the runner and its kernel (nothing inherited but OpenBLAS's CPU settings)."""
        env = {"HOME": home, "USER": "student", "LOGNAME": "student", "LANG": "C.UTF-8",
               "PATH": f"{self.venv}/bin:/usr/local/bin:/usr/bin:/bin", "MPLBACKEND": "Agg",
               "MPLCONFIGDIR": f"{home}/.config/matplotlib", "XDG_CACHE_HOME": f"{home}/.cache",
               "IPYTHONDIR": f"{home}/.ipython", "JUPYTER_RUNTIME_DIR": f"{home}/.runtime",
               "JUPYTER_PLATFORM_DIRS": "1", "THERAPYBRAIN_CACHE": store, "PYTHONDONTWRITEBYTECODE": "1",
               "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
        for name in ("OPENBLAS_CORETYPE", "OPENBLAS_L2_SIZE"):
            if os.environ.get(name):
                env[name] = os.environ[name]
        return env

    def bwrap_argv(self, work: Path, notebook_name: str, limits: Limits) -> list[str]:
        """bubblewrap's command line for one run; ``work`` (on the host) holds the notebook and the sandbox's
        ``passwd``/``group``/``hosts``."""
        argv = [str(self.bwrap), "--die-with-parent", "--new-session", "--unshare-all", "--unshare-user",
                "--disable-userns", "--uid", "1000", "--gid", "1000", "--hostname", "grader",
                "--ro-bind", "/usr", "/usr", "--proc", "/proc", "--dev", "/dev",
                "--size", str(limits.disk), "--tmpfs", "/tmp"]
        for name in ("bin", "lib", "lib32", "lib64", "sbin"):
            path = Path("/") / name
            if path.is_symlink():
                argv += ["--symlink", os.readlink(path), str(path)]
            elif path.is_dir():
                argv += ["--ro-bind", str(path), str(path)]
        for name in _ETC:
            if (Path("/etc") / name).exists():
                argv += ["--ro-bind", f"/etc/{name}", f"/etc/{name}"]
        for name in ("passwd", "group", "hosts"):
            argv += ["--ro-bind", str(work / name), f"/etc/{name}"]
        for path in dict.fromkeys((self.base, self.venv, self.package)):
            argv += ["--ro-bind", str(path), str(path)]
        argv += ["--ro-bind", str(self.store), STORE,
                 "--ro-bind", str(HERE / "runner.py"), "/grader/runner.py",
                 "--ro-bind", str(HERE / "plaindata.py"), "/grader/plaindata.py",
                 "--size", str(limits.disk), "--perms", "0700", "--tmpfs", HOME,
                 "--ro-bind", str(work / "submission.ipynb"), f"{HOME}/{notebook_name}",
                 "--chdir", HOME, "--clearenv"]
        for key, value in self.environment(HOME, STORE).items():
            argv += ["--setenv", key, value]
        return argv

    def run(self, notebook: Path, lab: str, names: list[str], limits: Limits) -> Run:
        """Execute ``notebook`` as ``<lab>.ipynb`` and take out the answers ``names``; never raises for what
        the notebook does."""
        with tempfile.TemporaryDirectory(prefix="tb-grade-") as tmp:
            work = Path(tmp)
            shutil.copyfile(notebook, work / "submission.ipynb")
            (work / "passwd").write_text(f"student:x:1000:1000:student:{HOME}:/bin/sh\n")
            (work / "group").write_text("student:x:1000:\n")
            (work / "hosts").write_text("127.0.0.1 localhost\n::1 localhost\n")
            name = f"{lab}.ipynb"
            if self.bwrap:
                home, grader = HOME, "/grader"
                command = [*self.bwrap_argv(work, name, limits), str(self.python)]
            else:   # --no-sandbox: the same runner in a folder of its own, as the instructor, with the limits
                home, grader = str(work / "home"), str(HERE)
                Path(home).mkdir()
                shutil.copyfile(notebook, Path(home) / name)
                command = ["env", "-i", *(f"{k}={v}" for k, v in self.environment(home, str(self.store)).items()),
                           str(self.python)]
            read, write = os.pipe()
            job = {"notebook": f"{home}/{name}", "names": names, "cell_timeout": limits.cell_timeout,
                   "deadline": limits.timeout, "max_output": limits.max_output, "encoder": f"{grader}/plaindata.py",
                   "report_fd": write}
            command += [f"{grader}/runner.py", json.dumps(job)]
            return self._supervise(command, read, write, limits, cwd=home if not self.bwrap else tmp)

    def _supervise(self, command: list[str], read: int, write: int, limits: Limits, cwd: str) -> Run:
        cgroups = _Cgroups.make(limits)
        ulimits = "ulimit -c 0; "
        if cgroups.memory is None:   # no memory cgroup: each process's address space instead
            ulimits += f"ulimit -v {limits.memory // 1024}; "
        shell = cgroups.join_command() + ulimits + 'exec "$@"'
        started = time.monotonic()
        run = Run(sandboxed=self.bwrap is not None)
        try:
            proc = subprocess.Popen(["/bin/sh", "-c", shell, "sh", *command], stdin=subprocess.DEVNULL,
                                    stdout=subprocess.PIPE, stderr=subprocess.STDOUT, pass_fds=(write,),
                                    start_new_session=True, cwd=cwd)
        finally:
            os.close(write)
        report, log = bytearray(), bytearray()
        ends = started + limits.timeout + HARD_MARGIN
        selector = selectors.DefaultSelector()
        selector.register(read, selectors.EVENT_READ, report)
        selector.register(proc.stdout.fileno(), selectors.EVENT_READ, log)
        try:
            while selector.get_map():
                left = ends - time.monotonic()
                if left <= 0:
                    run.killed = True
                    break
                for key, _ in selector.select(timeout=min(left, 1.0)):
                    chunk = os.read(key.fd, 1 << 16)
                    if not chunk:
                        selector.unregister(key.fd)
                    elif key.data is report and len(report) < MAX_REPORT:
                        report += chunk
                    elif key.data is log:
                        log = (log + chunk)[-LOG_TAIL:]
            if run.killed:
                _kill(proc)
                cgroups.kill_all()
            try:
                run.returncode = proc.wait(timeout=max(5.0, ends - time.monotonic()))
            except subprocess.TimeoutExpired:
                run.killed = True
                _kill(proc)
                run.returncode = proc.wait()
        finally:
            selector.close()
            os.close(read)
            proc.stdout.close()
            run.peak_memory, run.oom = cgroups.peak_and_oom()
            cgroups.close()
        run.seconds = time.monotonic() - started
        run.log = log.decode(errors="replace")
        for line in report.decode(errors="replace").splitlines():
            try:
                event = json.loads(line)
            except ValueError:
                continue
            if isinstance(event, dict) and isinstance(event.get("cell"), int):
                run.last_cell = event["cell"]
            elif isinstance(event, dict) and isinstance(event.get("result"), dict):
                run.result = event["result"]
        return run


def _kill(proc: subprocess.Popen) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except OSError:
        pass
