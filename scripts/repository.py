"""The repository's address: one source of truth (``_config.yml``'s ``repository.url``), written everywhere.

The address also appears in every notebook's Colab install cell (``pip install "therapybrain @ git+URL"``,
so a stale copy installs someone else's package), in ``CITATION.cff``, ``CONTRIBUTING.md``,
``LICENSE-CONTENT.md`` and the how-to-use page. This script writes it there; tests/test_repository.py
fails when a copy disagrees with ``_config.yml``.

Usage (from the book's folder; only the standard library, so any Python 3 runs it)::

    python -m scripts.repository                     # copy _config.yml's address everywhere (make book does this)
    python -m scripts.repository --check             # list the copies that disagree; exit 1 if any
    python -m scripts.repository --set URL           # a fork: write URL to _config.yml, then everywhere
                                                     # (make set-repository URL=https://github.com/OWNER/REPO)
    python -m scripts.repository --set-student URL   # the class's student repository (_config.yml's
                                                     # student_edition.repository; make set-repository STUDENT_URL=)

Only the address is replaced, byte for byte: nothing else in a file (a notebook's JSON included) changes.
"""

from __future__ import annotations

import argparse
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
CONFIG = "_config.yml"
URL = r"https?://[^\s\"'<>\\]+?"
# _config.yml: the `url:` line of the `repository:` block (comment lines may stand between them).
CONFIG_URL = re.compile(r"(?m)^(repository:[ \t]*\n(?:[ \t]+(?:#.*)?\n|[ \t]+\w+:.*\n)*?[ \t]+url:[ \t]*)(?P<url>\S+)")
# _config.yml: the `repository:` line of the `student_edition:` block (the student repository).
STUDENT_URL = re.compile(r"(?m)^(student_edition:[ \t]*\n(?:[ \t]+(?:#.*)?\n|[ \t]+\w+:.*\n)*?[ \t]+repository:[ \t]*)"
                         r"(?P<url>\S+)")
# Every copy: the file (a glob, relative to the book) and a pattern whose group 'url' is the address.
COPIES: dict[str, re.Pattern] = {
    "chapters/**/*.ipynb": re.compile(rf"therapybrain @ git\+(?P<url>{URL})(?=\\\")"),
    "CITATION.cff": re.compile(rf"(?m)^repository-code: \"(?P<url>{URL})\""),
    "CONTRIBUTING.md": re.compile(rf"<(?P<url>{URL})/issues>"),
    "LICENSE-CONTENT.md": re.compile(rf"<(?P<url>{URL})>, licensed under"),
    "chapters/00-welcome/how-to-use.md": re.compile(rf"<(?P<url>{URL})/issues>"),
}


def normalise(url: str) -> str:
    """``https://github.com/OWNER/REPO`` without a trailing slash or ``.git``; anything but http(s) is refused."""
    url = url.strip()
    if not re.fullmatch(r"https?://[^\s\"'<>\\]+", url):
        raise ValueError(f"not a web address: {url!r} (expected https://github.com/OWNER/REPO)")
    url = url.rstrip("/")
    return url.removesuffix(".git")


def configured(root: Path = ROOT) -> str:
    """The address in ``_config.yml`` (``repository.url``)."""
    match = CONFIG_URL.search((root / CONFIG).read_text(encoding="utf-8"))
    if match is None:
        raise ValueError(f"{root / CONFIG} has no repository: url: line")
    return match.group("url").strip("\"'")


def copies(root: Path = ROOT) -> list[tuple[Path, str]]:
    """Every copy of the address: (file, the address written there), in a stable order.

    A file that should hold a copy but holds none is listed with an empty address.
    """
    found: list[tuple[Path, str]] = []
    for pattern_glob, pattern in COPIES.items():
        files = sorted(p for p in root.glob(pattern_glob) if ".ipynb_checkpoints" not in p.parts)
        for path in files:
            urls = [m.group("url") for m in pattern.finditer(path.read_text(encoding="utf-8"))]
            found += [(path, url) for url in urls] or [(path, "")]
    return found


def disagreeing(root: Path = ROOT) -> list[str]:
    """The copies that differ from ``_config.yml``: 'file: address' lines (empty: all agree)."""
    url = configured(root)
    return [f"{path.relative_to(root)}: {copy or '(no address found)'}" for path, copy in copies(root) if copy != url]


def write(url: str, root: Path = ROOT) -> list[Path]:
    """Write ``url`` to every copy (not to ``_config.yml``); returns the files changed."""
    changed: list[Path] = []
    for pattern_glob, pattern in COPIES.items():
        for path in sorted(root.glob(pattern_glob)):
            if ".ipynb_checkpoints" in path.parts:
                continue
            text = path.read_text(encoding="utf-8")
            new = pattern.sub(lambda m: m.group(0).replace(m.group("url"), url), text)
            if new != text:
                path.write_text(new, encoding="utf-8")
                changed.append(path)
    return changed


def set_repository(url: str, root: Path = ROOT) -> list[Path]:
    """Write ``url`` to ``_config.yml`` and every copy; returns the files changed."""
    url = normalise(url)
    config = root / CONFIG
    text = config.read_text(encoding="utf-8")
    new = CONFIG_URL.sub(lambda m: m.group(1) + url, text, count=1)
    changed = [config] if new != text else []
    if changed:
        config.write_text(new, encoding="utf-8")
    return changed + write(url, root)


def set_student_repository(url: str, root: Path = ROOT) -> list[Path]:
    """Write ``url`` as the student repository (``student_edition.repository``); returns the files changed.

    The student repository must differ from the instructor's (whose main branch holds the solutions).
    """
    url = normalise(url)
    if url == normalise(configured(root)):
        raise ValueError(f"{url} is the instructor's repository: the student repository is another one")
    config = root / CONFIG
    text = config.read_text(encoding="utf-8")
    if STUDENT_URL.search(text) is None:
        new = text.rstrip("\n") + f"\n\nstudent_edition:\n  repository: {url}\n  branch: main\n"
    else:
        new = STUDENT_URL.sub(lambda m: m.group(1) + url, text, count=1)
    if new == text:
        return []
    config.write_text(new, encoding="utf-8")
    return [config]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--set", metavar="URL", help="write URL to _config.yml and every copy (a fork)")
    group.add_argument("--check", action="store_true", help="only list the copies that disagree")
    parser.add_argument("--set-student", metavar="URL", help="write URL as the student repository (_config.yml)")
    parser.add_argument("--root", type=Path, default=ROOT, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    root = args.root.resolve()
    if args.check:
        wrong = disagreeing(root)
        for line in wrong:
            print(f"repository: differs from {CONFIG}: {line}", file=sys.stderr)
        return 1 if wrong else 0
    try:
        changed = set_repository(args.set, root) if args.set else write(normalise(configured(root)), root)
        if args.set_student:
            for path in set_student_repository(args.set_student, root):
                print(f"repository: student repository {normalise(args.set_student)} written to "
                      f"{path.relative_to(root)}")
    except ValueError as error:
        parser.error(str(error))
    for path in changed:
        print(f"repository: {configured(root)} written to {path.relative_to(root)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
