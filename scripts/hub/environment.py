"""The students' environment of a class hub: what Binder and a Zero to JupyterHub image give them, built once.

Every student's server and kernels run from one Python environment built for them, not from the
project's development environment: what the **student repository**'s Binder installs (``requirements.txt``,
the pin of otter-grader that the student notebooks' checks need, and the data wheel of
``requirements-data.txt`` without its dependencies, as ``postBuild`` installs it) with the single-user
server of the hub's JupyterHub version and nbgitpuller (as the guide's Dockerfile adds them to the image),
and nothing of the book build or tests (nor the optional extra :data:`LEFT_OUT`). It is:

- made from a Python every student's system user can run (a class hub runs each student as their own
  user: a Python under root's home, as pyenv installs it, is out of their reach): :func:`student_python`;
- kept in ``<cache>/env-<hash>``, the hash over what it is made of (the requirements, the two pins, the
  Python), so a change gives a new environment and an unchanged one is reused; built under a lock
  (two hubs, or a test and a benchmark, at once), readable by everyone, writable by no student.

Example::

    bin_dir = ensure_environment(Path("/var/cache/therapybrain-hub"))
    print(bin_dir / "jupyterhub-singleuser")
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

from scripts.hub.isolation import unreachable_for_others

ROOT = Path(__file__).resolve().parents[2]
SERVER_PACKAGES = ("jupyterhub", "nbgitpuller")   # pinned in requirements-dev.txt: the hub's own versions
# Installed by an optional extra and left out: jupyter-events asks for jsonschema[format-nongpl], whose
# rfc3987-syntax compiles a lark grammar at every server's start (about 16 MB of each student's server) to
# check the "iri" string format, which no schema of the server uses; without it jsonschema skips that format.
LEFT_OUT = ("rfc3987-syntax", "lark")
SUPPORTED = ((3, 11), (3, 14))


class StudentEnvironmentError(RuntimeError):
    """The students' environment could not be found or built; the message says why."""


def server_pins(requirements_dev: Path = ROOT / "requirements-dev.txt") -> list[str]:
    """The single-user server's pins: the hub's JupyterHub version and nbgitpuller, as requirements-dev.txt
    pins them (a hub's single-user servers carry its JupyterHub version).

    Examples
    --------
    >>> [pin.split("==")[0] for pin in server_pins()]
    ['jupyterhub', 'nbgitpuller']
    """
    found = {}
    for line in requirements_dev.read_text().splitlines():
        match = re.match(r"\s*([A-Za-z0-9_.-]+)==([^\s#;]+)", line)
        if match and match.group(1).lower() in SERVER_PACKAGES:
            found[match.group(1).lower()] = f"{match.group(1).lower()}=={match.group(2)}"
    missing = [name for name in SERVER_PACKAGES if name not in found]
    if missing:
        raise StudentEnvironmentError(f"{requirements_dev.name} pins no {', '.join(missing)} (name==version)")
    return [found[name] for name in SERVER_PACKAGES]


def _version(python: str) -> tuple[int, int] | None:
    try:
        done = subprocess.run([python, "-c", "import sys, venv; print(*sys.version_info[:2])"],
                              capture_output=True, text=True, timeout=30)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if done.returncode:
        return None
    major, minor = map(int, done.stdout.split())
    return major, minor


def student_python(candidates: list[str] | None = None) -> Path:
    """A Python 3.11-3.14 with ``venv`` that every user of this machine can run: this one when it can,
    else the first of python3.14 ... python3.11, python3 on PATH, in /usr/local/bin or /usr/bin (Debian's
    ``/usr/bin/python3``).

    Examples
    --------
    >>> (3, 11) <= _version(str(student_python())) <= (3, 14)
    True
    """
    versions = ("python3.14", "python3.13", "python3.12", "python3.11", "python3")
    names = candidates or [sys.executable, *(shutil.which(n) or "" for n in versions),
                           *(f"{folder}/{n}" for folder in ("/usr/local/bin", "/usr/bin") for n in versions)]
    tried = []
    for name in names:
        if not name:
            continue
        real = Path(name).resolve()
        if not real.is_file():
            continue
        blocked = unreachable_for_others(real.parent)
        if blocked is not None or not os.stat(real).st_mode & 0o001:
            tried.append(f"{name} (not runnable by other users: {blocked or real})")
            continue
        version = _version(str(real))
        if version is None or not SUPPORTED[0] <= version <= SUPPORTED[1]:
            tried.append(f"{name} ({'no venv module' if version is None else '%d.%d' % version})")
            continue
        return real
    raise StudentEnvironmentError("the students' environment needs a Python 3.11-3.14 with venv that every user can "
                            "run (Debian: apt-get install python3 python3-venv); tried: " + "; ".join(tried))


def student_pins() -> list[str]:
    """What the student repository adds to requirements.txt (scripts/editions.py writes it there).

    Examples
    --------
    >>> student_pins()
    ['otter-grader==7.0.0']
    """
    from scripts.editions import STUDENT_REQUIREMENT

    return [STUDENT_REQUIREMENT.split("#")[0].strip()]


def environment_key(python: Path, requirements: Path = ROOT / "requirements.txt") -> str:
    """The hash that names an environment: its Python, the requirements, the data wheel and the pins.

    Examples
    --------
    >>> len(environment_key(Path("/usr/bin/python3")))
    16
    """
    digest = hashlib.sha256()
    digest.update(str(python).encode())
    digest.update(requirements.read_bytes())
    digest.update((ROOT / "requirements-data.txt").read_bytes())
    digest.update(" ".join([*server_pins(), *student_pins()]).encode())
    digest.update(" ".join(LEFT_OUT).encode())
    return digest.hexdigest()[:16]


def ensure_environment(cache: Path, python: Path | None = None) -> Path:
    """The students' environment's ``bin`` folder, built in ``cache/env-<hash>`` when missing.

    Example::

        ensure_environment(Path("/var/cache/therapybrain-hub")) / "python"
    """
    python = python or student_python()
    env = Path(cache) / f"env-{environment_key(python)}"
    done_mark = env / ".complete"
    if done_mark.exists():
        return env / "bin"
    cache.mkdir(parents=True, exist_ok=True)
    with open(cache / ".env.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if done_mark.exists():
            return env / "bin"
        shutil.rmtree(env, ignore_errors=True)
        pip = [str(env / "bin" / "python"), "-m", "pip"]
        steps = [[str(python), "-m", "venv", str(env)],
                 [*pip, "install", "--quiet", "--disable-pip-version-check", "-r", "requirements.txt", *student_pins(),
                  *server_pins()],
                 [*pip, "uninstall", "--quiet", "--yes", *LEFT_OUT],
                 [*pip, "check"],   # nothing an installed package needs was left out
                 # the data wheel last, without its dependencies (as postBuild installs it: brainspace's
                 # own would pull in vtk; the course only reads its files), so pip check does not count it
                 [*pip, "install", "--quiet", "--disable-pip-version-check", "--no-deps", "-r",
                  "requirements-data.txt"]]
        for step in steps:
            result = subprocess.run(step, cwd=ROOT, capture_output=True, text=True)
            if result.returncode:
                shutil.rmtree(env, ignore_errors=True)
                raise StudentEnvironmentError(f"building the students' environment failed at "
                                              f"{' '.join(step[:4])} ...:\n{(result.stdout + result.stderr)[-3000:]}")
        if os.geteuid() == 0:
            subprocess.run(["chmod", "-R", "a+rX,go-w", str(env)], check=True)
        done_mark.touch()
    return env / "bin"
