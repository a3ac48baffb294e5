#!/usr/bin/env bash
# Installs one of Debian's packages when its program is missing: install-debian.sh PROGRAM PACKAGE
# (PROGRAM: a command on PATH or an absolute path). Idempotent: does nothing when PROGRAM is there.
# Needs root (or sudo) and Debian's package archive; elsewhere, install PACKAGE with the system's own tool.
# Used for Chromium (the browser tests: install-chromium.sh) and bubblewrap (the grader's sandbox: make sandbox).
set -euo pipefail
PROGRAM=$1
PACKAGE=$2
if command -v "$PROGRAM" >/dev/null 2>&1; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo -n"; else
    echo "install-debian: not root and no sudo; install the package '$PACKAGE' by hand" >&2
    exit 1
  fi
fi
if ! command -v apt-get >/dev/null 2>&1; then
  echo "install-debian: no apt-get here; install '$PACKAGE' with this system's package manager" >&2
  exit 1
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq "$PACKAGE" >/dev/null
command -v "$PROGRAM" >/dev/null
