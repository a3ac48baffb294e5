"""Which Chromium the browser tests (tests/test_browser.py) drive, found the way each platform provides one.

In this order:

1. ``CHROMIUM=/path/to/chromium``: an explicit browser, used as it is (a path that does not exist is an error);
2. on Debian, its ``chromium`` package (``/usr/bin/chromium``), installed when missing by
   ``scripts/install-chromium.sh`` (``apt-get``, as root or with sudo);
3. elsewhere (Ubuntu, whose ``chromium`` package is only a stub of the snap; GitHub's runners; macOS) and
   when 2 fails: Playwright's own Chromium, installed when missing with
   ``python -m playwright install --with-deps chromium`` (on Linux its system libraries need root or sudo).

Where none can be had, :class:`NoBrowser` says why: the tests skip with that reason, or fail when
``REQUIRE_BROWSER=1`` (the GitHub workflows set it, so that a run without a browser is not green).

Usage (from the book's folder)::

    .venv/bin/python -m scripts.browser      # find or install the browser; print which (exit 1: none, and why)
"""

from __future__ import annotations

import os
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
DEBIAN_CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
    "--disable-sync", "--disable-quic", "--no-first-run",
]
INSTALL_TIMEOUT = 900  # seconds for apt-get or Playwright's download


class NoBrowser(RuntimeError):
    """No Chromium could be found or installed; the message says what was tried and why it failed."""


@dataclass(frozen=True)
class Chromium:
    executable: str | None  # for Playwright's ``launch(executable_path=...)``; None: Playwright's own Chromium
    source: str             # where it comes from, for the test log

    def __str__(self) -> str:
        return f"{self.source}: {self.executable or 'the browser Playwright installed'}"


def is_debian(os_release: Path = Path("/etc/os-release")) -> bool:
    """Debian itself (not Ubuntu or another derivative, whose ``chromium`` package differs)."""
    try:
        fields = dict(line.split("=", 1) for line in os_release.read_text().splitlines() if "=" in line)
    except OSError:
        return False
    return fields.get("ID", "").strip().strip('"') == "debian"


def launch_error(executable: str | None) -> str | None:
    """None when Playwright starts this Chromium headless (None: its own); else the first line of the error."""
    from playwright.sync_api import sync_playwright

    try:
        with sync_playwright() as pw:
            pw.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS).close()
    except Exception as error:  # Playwright raises its own Error with the browser's message
        return str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
    return None


def _run(command: list[str]) -> str | None:
    """None when the install command succeeded, else the end of its output."""
    try:
        result = subprocess.run(command, capture_output=True, text=True, stdin=subprocess.DEVNULL,
                                timeout=INSTALL_TIMEOUT)
    except (OSError, subprocess.TimeoutExpired) as error:
        return str(error)
    if result.returncode == 0:
        return None
    return " ".join((result.stderr or result.stdout).split())[-600:] or f"exit status {result.returncode}"


def find_chromium(install: bool = True) -> Chromium:
    """The Chromium to drive: explicit, Debian's package, or Playwright's (installed when missing)."""
    explicit = os.environ.get("CHROMIUM")
    if explicit:
        if not Path(explicit).is_file():
            raise NoBrowser(f"CHROMIUM={explicit} does not exist")
        return Chromium(explicit, "CHROMIUM")

    tried: list[str] = []
    if is_debian():
        if not os.access(DEBIAN_CHROMIUM, os.X_OK) and install:
            error = _run(["bash", str(ROOT / "scripts" / "install-chromium.sh")])
            if error:
                tried.append(f"Debian's chromium could not be installed by scripts/install-chromium.sh: {error}")
        if os.access(DEBIAN_CHROMIUM, os.X_OK):
            return Chromium(DEBIAN_CHROMIUM, "Debian's chromium package")

    error = launch_error(None)
    if error is None:
        return Chromium(None, "Playwright's Chromium")
    if not install:
        raise NoBrowser("; ".join([*tried, f"Playwright's Chromium is not installed ({error})"]))
    error = _run([sys.executable, "-m", "playwright", "install", "--with-deps", "chromium"])
    if error is None:
        error = launch_error(None)
        if error is None:
            return Chromium(None, "Playwright's Chromium (installed now)")
    tried.append(f"`playwright install --with-deps chromium` failed: {error}")
    raise NoBrowser("no Chromium for the browser tests: " + "; ".join(tried)
                    + " (set CHROMIUM=/path/to/chromium to use another)")


def main() -> int:
    try:
        print(f"browser: {find_chromium()}")
    except NoBrowser as why:
        print(f"browser: {why}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
