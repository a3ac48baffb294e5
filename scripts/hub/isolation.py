"""Students kept apart on one machine: a system user each, and per-student memory, CPU and process limits.

A class hub started as root (``make hub`` run by root, a lab PC, a virtual machine) gives every student
a system user of their own (:func:`ensure_system_user`: created at their first login, home mode 0700,
no login shell), so one student can neither read another's files nor signal their processes; and a
control group per student (:class:`Limits`, :func:`cgroup_layout`) caps what their server and kernels
may use together, so that one student's runaway cell is stopped alone:

- **cgroups v2** (the unified tree at ``/sys/fs/cgroup`` with the ``memory``, ``cpu`` and ``pids``
  controllers: most current distributions): ``memory.max``, ``cpu.max``, ``cpu.weight``, ``pids.max``;
- **cgroups v1** (``/sys/fs/cgroup/memory``, ``cpu``, ``pids`` each a hierarchy of its own: older
  systems and some virtual machines): ``memory.limit_in_bytes``, ``cpu.cfs_quota_us``, ``cpu.shares``,
  ``pids.max``;
- neither (no root, or a container without writable control groups): no limit, and the hub says so.

Without root there is no isolation at all: the hub is a workshop hub (``scripts.hub``), and says so.

Example::

    limits = Limits(memory_mb=700, cpu=1.0, cpu_guarantee=0.5, pids=512)
    for path, value in cgroup_layout(detect_cgroups(), "therapybrain/class", "tb-ada", limits):
        path.write_text(value)
"""

from __future__ import annotations

import grp
import hashlib
import os
import pwd
import re
import shutil
import stat
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

CGROUP_ROOT = Path("/sys/fs/cgroup")
V1_CONTROLLERS = ("memory", "cpu", "pids")
NAME_MAX = 32          # the longest system user name useradd accepts
SHELL = "/usr/sbin/nologin"


class IsolationError(RuntimeError):
    """A student's user or limits could not be set up; the message says why."""


# --- users ------------------------------------------------------------------------------------------

def system_name(username: str, prefix: str = "tb-") -> str:
    """The system user name of a hub user: ``prefix`` and the name in the characters a user name may hold.

    A hub's names come from a login (a learning platform's identifier, an e-mail address), so any name
    is mapped: lower case, letters, digits, ``_`` and ``-`` kept, anything else or a name too long for
    the system replaced by a cut and a short hash of the whole name (two hub users never share one).

    Examples
    --------
    >>> system_name("ada")
    'tb-ada'
    >>> system_name("Ada.Lovelace@uni.example")
    'tb-ada-lovelace-uni-exa-c63b8a99'
    >>> len(system_name("x" * 100)) <= 32
    True
    """
    if not re.fullmatch(r"[a-z][a-z0-9_-]{0,15}", prefix.rstrip("-") or "x") or not prefix:
        raise ValueError(f"the user prefix {prefix!r} must start with a letter and hold a-z, 0-9, _ and -")
    if not username:
        raise ValueError("a hub user has no name")
    clean = re.sub(r"[^a-z0-9_-]+", "-", username.lower()).strip("-")
    name = prefix + clean
    if clean != username or len(name) > NAME_MAX:
        digest = hashlib.sha256(username.encode()).hexdigest()[:8]
        name = f"{prefix}{clean[:NAME_MAX - len(prefix) - 9]}".rstrip("-") + f"-{digest}"
    return name


def ensure_system_user(name: str, home: Path) -> pwd.struct_passwd:
    """The system user ``name`` with its home ``home`` (mode 0700, theirs), created when missing.

    The user has a group of its own and no login shell; a user that exists already is kept (their
    files with it), and their home is made theirs and private again.

    Example::

        ensure_system_user("tb-ada", Path("/srv/therapybrain-hub/homes/tb-ada"))
    """
    try:
        entry = pwd.getpwnam(name)
    except KeyError:
        entry = None
    if entry is None:
        command = ["useradd", "--create-home", "--home-dir", str(home), "--shell", SHELL, "--user-group",
                   "--no-log-init", "--comment", "therapybrain class hub student", name]
        for attempt in range(20):   # another useradd may hold /etc/passwd's lock for a moment
            done = subprocess.run(command, capture_output=True, text=True)
            if done.returncode == 0:
                break
            if done.returncode == 9:    # the name exists: created meanwhile
                break
            if "lock" not in done.stderr or attempt == 19:
                raise IsolationError(f"useradd could not create the student user {name}: {done.stderr.strip()}")
            time.sleep(0.1 * (attempt + 1))
        entry = pwd.getpwnam(name)
    home = Path(entry.pw_dir)
    home.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.chown(home, entry.pw_uid, entry.pw_gid)
    home.chmod(0o700)
    return entry


def remove_system_user(name: str) -> None:
    """Removes the system user ``name``, its group and its home (a test's or a benchmark's students).

    Example::

        remove_system_user("tb-ada")
    """
    try:
        entry = pwd.getpwnam(name)
    except KeyError:
        return
    done = subprocess.run(["userdel", "--remove", name], capture_output=True, text=True)
    if done.returncode not in (0, 6, 12):  # 12: the home could not be removed (removed below)
        raise IsolationError(f"userdel could not remove {name}: {done.stderr.strip()}")
    shutil.rmtree(entry.pw_dir, ignore_errors=True)
    try:
        grp.getgrnam(name)
        subprocess.run(["groupdel", name], capture_output=True)
    except KeyError:
        pass


def users_with_home_under(folder: Path) -> list[str]:
    """The system users whose home is inside ``folder`` (a hub's students).

    Examples
    --------
    >>> users_with_home_under(Path("/nonexistent-homes"))
    []
    """
    folder = Path(folder).resolve()
    return sorted(entry.pw_name for entry in pwd.getpwall()
                  if Path(entry.pw_dir) != folder and folder in Path(entry.pw_dir).parents)


def unreachable_for_others(path: Path) -> Path | None:
    """The first folder on the way to ``path`` that another user cannot pass (no ``x`` for others), or
    None when every student can reach it. A student's server must reach the course's environment, the
    shared atlas store and their home.

    Examples
    --------
    >>> unreachable_for_others(Path("/usr/bin/env")) is None
    True
    """
    path = Path(path).resolve()
    for folder in [*reversed(path.parents), path]:
        if folder.is_dir() and not folder.stat().st_mode & stat.S_IXOTH:
            return folder
    return None


# --- limits -----------------------------------------------------------------------------------------

@dataclass(frozen=True)
class Limits:
    """What one student's server and kernels may use together.

    Parameters
    ----------
    memory_mb : int
        Memory (resident, page cache included); over it the kernel's out-of-memory killer stops the
        biggest process of that student (their heaviest kernel), no one else's.
    cpu : float
        Cores at most (a quota per scheduling period).
    cpu_guarantee : float
        Cores guaranteed under contention (a relative weight).
    pids : int
        Processes and threads at most (a fork bomb stops there).

    Examples
    --------
    >>> Limits(memory_mb=700).cpu
    1.0
    >>> Limits(memory_mb=10)
    Traceback (most recent call last):
    ...
    ValueError: memory_mb must be at least 64 (MB), not 10
    """

    memory_mb: int
    cpu: float = 1.0
    cpu_guarantee: float = 0.5
    pids: int = 1024

    def __post_init__(self) -> None:
        if not isinstance(self.memory_mb, int) or self.memory_mb < 64:
            raise ValueError(f"memory_mb must be at least 64 (MB), not {self.memory_mb}")
        if not 0.01 <= self.cpu <= (os.cpu_count() or 1) * 4:
            raise ValueError(f"cpu must be between 0.01 and {(os.cpu_count() or 1) * 4} cores, not {self.cpu}")
        if not 0 < self.cpu_guarantee <= self.cpu:
            raise ValueError(f"cpu_guarantee must be above 0 and at most cpu ({self.cpu}), not {self.cpu_guarantee}")
        if not isinstance(self.pids, int) or self.pids < 32:
            raise ValueError(f"pids must be at least 32, not {self.pids}")


def detect_cgroups(root: Path = CGROUP_ROOT) -> str | None:
    """Which control groups this machine lets the hub write: ``"v2"``, ``"v1"`` or None.

    v2 counts when the unified tree's root offers the memory, cpu and pids controllers; v1 when the
    ``memory`` hierarchy is mounted and writable (cpu and pids are used when they are too).

    Examples
    --------
    >>> detect_cgroups(Path("/nonexistent")) is None
    True
    """
    controllers = root / "cgroup.controllers"
    if controllers.is_file() and {"memory", "cpu", "pids"} <= set(controllers.read_text().split()) \
            and os.access(root, os.W_OK):
        return "v2"
    if (root / "memory" / "memory.limit_in_bytes").is_file() and os.access(root / "memory", os.W_OK):
        return "v1"
    return None


def cgroup_dirs(version: str, group: str, student: str, root: Path = CGROUP_ROOT) -> list[Path]:
    """The student's control-group folders: one in v2, one per mounted controller in v1.

    Examples
    --------
    >>> [str(p) for p in cgroup_dirs("v2", "therapybrain/c1", "tb-ada", Path("/cg"))]
    ['/cg/therapybrain/c1/tb-ada']
    >>> [str(p) for p in cgroup_dirs("v1", "therapybrain/c1", "tb-ada", Path("/cg"))][0]
    '/cg/memory/therapybrain/c1/tb-ada'
    """
    if version == "v2":
        return [root / group / student]
    if version == "v1":
        return [root / c / group / student for c in V1_CONTROLLERS if c == "memory" or (root / c).is_dir()]
    raise ValueError(f"cgroups version must be 'v1' or 'v2', not {version!r}")


def cgroup_layout(version: str, group: str, student: str, limits: Limits,
                  root: Path = CGROUP_ROOT) -> list[tuple[Path, str]]:
    """The files to write, in order, to give ``student`` these limits: ``[(path, value), ...]``.

    Examples
    --------
    >>> for path, value in cgroup_layout("v2", "tb/c1", "tb-ada", Limits(700, cpu=1.0), Path("/cg")):
    ...     print(path, value)
    /cg/cgroup.subtree_control +memory +cpu +pids
    /cg/tb/cgroup.subtree_control +memory +cpu +pids
    /cg/tb/c1/cgroup.subtree_control +memory +cpu +pids
    /cg/tb/c1/tb-ada/memory.max 734003200
    /cg/tb/c1/tb-ada/memory.swap.max 0
    /cg/tb/c1/tb-ada/cpu.max 100000 100000
    /cg/tb/c1/tb-ada/cpu.weight 50
    /cg/tb/c1/tb-ada/pids.max 1024
    """
    memory = limits.memory_mb * 1024 * 1024
    if version == "v2":
        here, writes = root, []
        for part in ["", *Path(group).parts]:
            here = here / part if part else here
            writes.append((here / "cgroup.subtree_control", "+memory +cpu +pids"))
        folder = root / group / student
        return writes + [(folder / "memory.max", str(memory)), (folder / "memory.swap.max", "0"),
                         (folder / "cpu.max", f"{round(limits.cpu * 100_000)} 100000"),
                         (folder / "cpu.weight", str(max(1, round(limits.cpu_guarantee * 100)))),
                         (folder / "pids.max", str(limits.pids))]
    writes = []
    for folder in cgroup_dirs(version, group, student, root):
        controller = folder.relative_to(root).parts[0]
        if controller == "memory":
            writes.append((folder / "memory.limit_in_bytes", str(memory)))
        elif controller == "cpu":
            writes += [(folder / "cpu.cfs_period_us", "100000"),
                       (folder / "cpu.cfs_quota_us", str(round(limits.cpu * 100_000))),
                       (folder / "cpu.shares", str(max(2, round(limits.cpu_guarantee * 1024))))]
        elif controller == "pids":
            writes.append((folder / "pids.max", str(limits.pids)))
    return writes


def apply_limits(version: str, group: str, student: str, limits: Limits, root: Path = CGROUP_ROOT) -> list[Path]:
    """Creates the student's control groups with these limits; returns the folders whose ``cgroup.procs``
    a process joins (:func:`join`).

    Example::

        folders = apply_limits("v1", "therapybrain/class", "tb-ada", Limits(700))
    """
    folders = cgroup_dirs(version, group, student, root)
    for folder in folders:
        folder.mkdir(parents=True, exist_ok=True)
    for path, value in cgroup_layout(version, group, student, limits, root):
        try:
            path.write_text(value)
        except OSError as error:
            if path.name == "memory.swap.max" and not path.exists():
                continue   # a kernel without swap accounting: there is no swap to limit
            if path.name == "cgroup.subtree_control" and path.read_text().split() and error.errno == 16:
                continue   # EBUSY: enabled already by whoever owns that level
            raise IsolationError(f"could not set {path} to {value}: {error}") from None
    return folders


def join(folders: list[Path], pid: int = 0) -> None:
    """Moves process ``pid`` (0: the caller) into the student's control groups (its children follow).

    Example::

        join(apply_limits("v1", "therapybrain/class", "tb-ada", Limits(700)))
    """
    for folder in folders:
        (folder / "cgroup.procs").write_text(str(pid or os.getpid()))


def cgroup_pids(version: str | None, group: str, root: Path = CGROUP_ROOT) -> set[int]:
    """Every process inside ``group`` (all its students).

    Examples
    --------
    >>> cgroup_pids(None, "therapybrain/c1")
    set()
    """
    if version is None:
        return set()
    base = root / group if version == "v2" else root / "memory" / group
    found: set[int] = set()
    for procs in base.rglob("cgroup.procs") if base.is_dir() else []:
        try:
            found.update(int(line) for line in procs.read_text().split())
        except OSError:
            continue
    return found


def remove_cgroups(version: str | None, group: str, root: Path = CGROUP_ROOT) -> None:
    """Removes ``group``'s empty control groups, deepest first (a stopped hub's).

    Example::

        remove_cgroups("v1", "therapybrain/class")
    """
    if version is None:
        return
    bases = [root / group] if version == "v2" else [root / c / group for c in V1_CONTROLLERS]
    for base in bases:
        if not base.is_dir():
            continue
        for folder in sorted((p for p in base.rglob("*") if p.is_dir()), key=lambda p: -len(p.parts)):
            try:
                folder.rmdir()
            except OSError:
                pass
        try:
            base.rmdir()
        except OSError:
            pass
