"""Every pin of requirements.txt and requirements-dev.txt resolves to wheels on each supported Python.

For each version that ``scripts/find-python.sh`` supports (3.11-3.14), pip resolves the pins of both
files, with their dependencies, against the package index as ``pip install`` would on that Python,
wheels only, and installs nothing::

    pip install --dry-run --ignore-installed --only-binary :all: --python-version 3.X \\
        --target <empty temporary folder> --report <json> -r <the pins>

So a pin without a wheel for one of the supported Pythons (or a set of pins that cannot be installed
together there) fails ``make lint`` before it lands. The platform is this machine's (CI: Linux
x86-64, as Binder). ``-e .`` (the course's own package) and ``-r`` lines are not pins: the first is
skipped, the second followed. A result is cached per version, platform and set of pins (in
``~/.cache/therapybrain/wheels``), so the index is asked again only when a pin changes.

Usage (from the book's folder)::

    .venv/bin/python -m scripts.check_wheels [--no-cache] [--python 3.14 ...]
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import platform
import re
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
REQUIREMENTS = (ROOT / "requirements.txt", ROOT / "requirements-dev.txt")
_PIN = re.compile(r"^([A-Za-z0-9][A-Za-z0-9._-]*)(\[[^\]]*\])?\s*==\s*([A-Za-z0-9.+!_-]+)\s*(;.*)?$")


@dataclass(frozen=True)
class Pin:
    """One ``name==version`` line of a requirements file (with its environment marker, if any)."""

    name: str
    version: str
    line: str  # as written, without its comment
    source: str  # "requirements.txt:3"

    @property
    def key(self) -> str:
        """The name as the index compares it (PEP 503: lower case, runs of -_. as one -)."""
        return re.sub(r"[-_.]+", "-", self.name).lower()


def read_pins(path: Path, seen: set[Path] | None = None) -> list[Pin]:
    """The pins of a requirements file, in order, following its ``-r`` includes (each file once).

    ``-e`` lines (an editable local package) are skipped; a comment, blank line or ``# ...`` tail is
    dropped. Any other requirement must be pinned with ``==``, and an option pip would read (``-c``,
    ``--index-url``...) is refused, so that what is checked is what is installed.

    Examples
    --------
    >>> import pathlib, tempfile
    >>> folder = pathlib.Path(tempfile.mkdtemp())
    >>> _ = (folder / "base.txt").write_text("numpy==2.4.6  # arrays\\n-e .\\n")
    >>> _ = (folder / "dev.txt").write_text("-r base.txt\\npytest==9.2.0\\n")
    >>> [(p.name, p.version, p.source) for p in read_pins(folder / "dev.txt")]
    [('numpy', '2.4.6', 'base.txt:1'), ('pytest', '9.2.0', 'dev.txt:2')]
    """
    seen = set() if seen is None else seen
    path = Path(path).resolve()
    if path in seen:
        return []
    seen.add(path)
    pins: list[Pin] = []
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        line = re.sub(r"(^|\s)#.*$", "", raw).strip()
        where = f"{path.name}:{number}"
        if not line:
            continue
        if line.startswith(("-e ", "--editable ")):
            continue
        if line.startswith(("-r ", "--requirement ")):
            pins += read_pins(path.parent / line.split(None, 1)[1].strip(), seen)
            continue
        if line.startswith("-"):
            raise ValueError(f"{where}: {line!r}: only pins (name==version), -r and -e lines are checked; "
                             "this option would change what pip installs")
        match = _PIN.match(line)
        if match is None:
            raise ValueError(f"{where}: {line!r} is not pinned: write it as name==version")
        pins.append(Pin(match.group(1), match.group(3), line, where))
    return pins


def unique_pins(pins: list[Pin]) -> list[Pin]:
    """Each package once (requirements-dev.txt includes requirements.txt); two different pins of one
    package are an error naming both lines.

    Examples
    --------
    >>> a, b = Pin("numpy", "2.4.6", "numpy==2.4.6", "a.txt:1"), Pin("NumPy", "2.4.6", "NumPy==2.4.6", "b.txt:1")
    >>> [p.source for p in unique_pins([a, b])]
    ['a.txt:1']
    """
    first: dict[str, Pin] = {}
    for pin in pins:
        if pin.key in first and first[pin.key].version != pin.version:
            raise ValueError(f"{first[pin.key].source} pins {first[pin.key].line} but {pin.source} pins {pin.line}")
        first.setdefault(pin.key, pin)
    return list(first.values())


def supported_versions(script: Path = ROOT / "scripts" / "find-python.sh") -> list[str]:
    """The Python versions the course supports, as ``scripts/find-python.sh`` lists them (oldest first).

    Examples
    --------
    >>> supported_versions()[0]
    '3.11'
    """
    match = re.search(r'^SUPPORTED="([^"]+)"', script.read_text(), re.M)
    return sorted(match.group(1).split(), key=lambda v: tuple(int(n) for n in v.split(".")))


def pip_command(version: str, requirements: Path, target: Path, report: Path) -> list[str]:
    """The ``pip install --dry-run`` that resolves ``requirements`` for Python ``version``, wheels only.

    Examples
    --------
    >>> from pathlib import Path
    >>> command = pip_command("3.14", Path("pins.txt"), Path("t"), Path("r.json"))
    >>> command[command.index("--python-version") + 1], "--dry-run" in command, "--only-binary" in command
    ('3.14', True, True)
    """
    return [sys.executable, "-m", "pip", "install", "--dry-run", "--ignore-installed", "--quiet",
            "--disable-pip-version-check", "--only-binary", ":all:", "--python-version", version,
            "--target", str(target), "--report", str(report), "-r", str(requirements)]


def check_report(pins: list[Pin], report: dict) -> list[str]:
    """What is wrong in pip's installation report for the pins: a pin resolved to another version, or
    missing, or anything that is not a wheel. Empty when every pin resolved to a wheel.

    Examples
    --------
    >>> pin = Pin("numpy", "2.4.6", "numpy==2.4.6", "requirements.txt:4")
    >>> wheel = {"metadata": {"name": "numpy", "version": "2.4.6"},
    ...          "download_info": {"url": "https://files.example/numpy-2.4.6-cp314-cp314-manylinux.whl"}}
    >>> check_report([pin], {"install": [wheel]})
    []
    >>> check_report([pin], {"install": []})
    ['requirements.txt:4: numpy==2.4.6 is not in the resolution']
    """
    resolved = {}
    problems = []
    for item in report.get("install", []):
        name = re.sub(r"[-_.]+", "-", item["metadata"]["name"]).lower()
        resolved[name] = item["metadata"]["version"]
        url = item.get("download_info", {}).get("url", "")
        if not url.split("#")[0].endswith(".whl"):
            problems.append(f"{item['metadata']['name']} {item['metadata']['version']} is not a wheel: {url}")
    for pin in pins:
        if pin.key not in resolved:
            problems.append(f"{pin.source}: {pin.line} is not in the resolution")
        elif resolved[pin.key] != pin.version:
            problems.append(f"{pin.source}: {pin.line} resolved to {resolved[pin.key]}")
    return problems


def _cache_file(version: str, pins: list[Pin]) -> Path:
    base = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache").expanduser()
    text = "\n".join([version, sys.platform, platform.machine(), *sorted(p.line for p in pins)])
    return base / "therapybrain" / "wheels" / f"{hashlib.sha256(text.encode()).hexdigest()[:20]}.json"


def check(versions: list[str], pins: list[Pin], use_cache: bool = True) -> dict[str, list[str]]:
    """Resolve the pins for every version at once (one pip per version); version -> problems (empty: fine)."""
    results: dict[str, list[str]] = {}
    running = {}
    with tempfile.TemporaryDirectory(prefix="check-wheels-") as folder:
        pins_file = Path(folder) / "pins.txt"
        pins_file.write_text("".join(f"{p.line}\n" for p in pins), encoding="utf-8")
        for version in versions:
            cached = _cache_file(version, pins)
            if use_cache and cached.exists():
                results[version] = []
                continue
            report = Path(folder) / f"report-{version}.json"
            command = pip_command(version, pins_file, Path(folder) / f"target-{version}", report)
            running[version] = (subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                                                 text=True), report)
        for version, (process, report) in running.items():
            _, stderr = process.communicate()
            if process.returncode != 0:
                errors = [line for line in stderr.splitlines() if line.startswith("ERROR")] or stderr.splitlines()[-5:]
                results[version] = ["pip could not resolve the pins with wheels only (or could not reach the "
                                    "package index):", *errors]
                continue
            results[version] = check_report(pins, json.loads(report.read_text(encoding="utf-8")))
            if not results[version]:
                cached = _cache_file(version, pins)
                cached.parent.mkdir(parents=True, exist_ok=True)
                cached.write_text(json.dumps({"version": version, "pins": [p.line for p in pins]}), encoding="utf-8")
    return dict(sorted(results.items()))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--python", action="append", help="a version to check (default: every supported one)")
    parser.add_argument("--no-cache", action="store_true", help="ask the index even when the pins are unchanged")
    args = parser.parse_args(argv)
    pins = unique_pins([pin for path in REQUIREMENTS for pin in read_pins(path, seen=set())])
    versions = args.python or supported_versions()
    failed = False
    for version, problems in check(versions, pins, use_cache=not args.no_cache).items():
        if problems:
            failed = True
            print(f"check-wheels: Python {version}: FAILED", *("  " + p for p in problems), sep="\n", file=sys.stderr)
        else:
            print(f"check-wheels: Python {version}: all {len(pins)} pins resolve to wheels")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
