"""The class hub's spawner: each student's server as a local process, apart from the others when it can.

:class:`ClassSpawner` is JupyterHub's ``LocalProcessSpawner`` (a local process per student, its pid kept
in the hub's database so that a restarted hub finds the running servers again) with two modes:

- **class** (the hub runs as root): each hub user gets a system user of their own at their first
  login (:func:`scripts.hub.isolation.ensure_system_user`: home 0700 under ``homes``), their server and
  kernels run as that user, inside control groups holding the student's memory, CPU and process
  limits (v2, else v1, else none: the hub's log says which);
- **workshop** (no root): every server runs as the hub's own user, home ``homes/<name>``; no isolation.

Either way the kernels talk to their server over Unix sockets in the student's home (``~/.ipc``, mode
0700), not over TCP ports on 127.0.0.1 that any local process could reach.

Configured by scripts/hub/jupyterhub_config.py::

    c.JupyterHub.spawner_class = "scripts.hub.spawner.ClassSpawner"
    c.ClassSpawner.homes = "/srv/therapybrain-hub/homes"
"""

from __future__ import annotations

import asyncio
import os
import pwd
from pathlib import Path

from jupyterhub.spawner import LocalProcessSpawner, set_user_setuid
from traitlets import Bool, Float, Integer, List, Unicode

from scripts.hub import isolation

_USERS_LOCK = asyncio.Lock()   # one useradd at a time (they lock /etc/passwd)


class ClassSpawner(LocalProcessSpawner):
    """A student's server: a local process, as the student's own system user when the hub is root."""

    homes = Unicode(help="The folder of the students' homes.").tag(config=True)
    isolate = Bool(False, help="A system user per student (needs root).").tag(config=True)
    user_prefix = Unicode("tb-", help="The prefix of the students' system user names.").tag(config=True)
    cgroups = Unicode("", help="The control groups to use: 'v2', 'v1' or '' (none).").tag(config=True)
    cgroup_group = Unicode("therapybrain/class", help="The hub's control group (one below per student).").tag(
        config=True)
    memory_limit_mb = Integer(0, help="Memory per student (MB; 0: none).").tag(config=True)
    cpu_limit_cores = Float(1.0, help="Cores per student at most.").tag(config=True)
    cpu_guarantee_cores = Float(0.5, help="Cores per student under contention.").tag(config=True)
    pids_limit = Integer(1024, help="Processes and threads per student at most.").tag(config=True)
    safe_directories = List(Unicode(), help="Repositories of this machine (another user's) that git may read "
                            "for the student: safe.directory in their ~/.gitconfig.").tag(config=True)

    @property
    def system_user(self) -> str:
        """The student's system user: their own in a class hub, the hub's in a workshop."""
        if self.isolate:
            return isolation.system_name(self.user.name, self.user_prefix)
        return pwd.getpwuid(os.getuid()).pw_name

    @property
    def home(self) -> Path:
        name = isolation.system_name(self.user.name, self.user_prefix) if self.isolate else self.user.name
        return Path(self.homes) / name

    def limits(self) -> isolation.Limits | None:
        if not (self.cgroups and self.memory_limit_mb):
            return None
        return isolation.Limits(memory_mb=self.memory_limit_mb, cpu=self.cpu_limit_cores,
                                cpu_guarantee=self.cpu_guarantee_cores, pids=self.pids_limit)

    async def start(self):
        loop = asyncio.get_running_loop()
        if self.isolate:
            async with _USERS_LOCK:
                entry = await loop.run_in_executor(None, isolation.ensure_system_user, self.system_user, self.home)
        else:
            self.home.mkdir(parents=True, exist_ok=True)
            entry = None
        ipc = self.home / ".ipc"
        ipc.mkdir(mode=0o700, exist_ok=True)
        gitconfig = self.home / ".gitconfig"
        text = gitconfig.read_text() if gitconfig.exists() else ""
        missing = [f"\tdirectory = {folder}\n" for folder in self.safe_directories
                   if f"directory = {folder}\n" not in text]
        if missing:   # git reads a repository of another user only when told (its safe.directory)
            gitconfig.write_text(text + "[safe]\n" + "".join(missing))
        if entry is not None:
            for path in (ipc, *([gitconfig] if gitconfig.exists() else [])):
                os.chown(path, entry.pw_uid, entry.pw_gid)
        self._cgroup_dirs = []
        limits = self.limits()
        if limits is not None:
            self._cgroup_dirs = await loop.run_in_executor(
                None, isolation.apply_limits, self.cgroups, self.cgroup_group, self.system_user, limits)
        return await super().start()

    def get_args(self):
        ipc = self.home / ".ipc" / "kernel"
        return [*super().get_args(), "--KernelManager.transport=ipc", f"--KernelManager.ip={ipc}"]

    def make_preexec_fn(self, name):
        folders = list(getattr(self, "_cgroup_dirs", []))
        home = str(self.home)
        become = set_user_setuid(self.system_user, chdir=True) if self.isolate else None

        def preexec():
            if folders:   # into the student's control groups first: the server and its kernels count there
                isolation.join(folders)
            if become is not None:
                become()
            else:
                os.chdir(home)

        return preexec

    def user_env(self, env):
        env["USER"] = self.system_user
        env["HOME"] = str(self.home)
        env["SHELL"] = "/bin/bash"
        return env

    async def move_certs(self, paths):
        return paths   # the hub talks to its servers over 127.0.0.1 without internal TLS
