#!/usr/bin/env bash
# Installs Debian's Chromium for the browser tests on Debian (scripts/browser.py runs it there; other
# platforms get Playwright's Chromium). Idempotent: does nothing when /usr/bin/chromium is already there.
# Needs root (or sudo) and Debian's package archive.
set -euo pipefail
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
if [ -x "$CHROMIUM" ]; then
  exit 0
fi
SUDO=""
if [ "$(id -u)" -ne 0 ]; then
  if command -v sudo >/dev/null 2>&1; then SUDO="sudo -n"; else
    echo "install-chromium: not root and no sudo; install the Debian package 'chromium' by hand" >&2
    exit 1
  fi
fi
export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq chromium >/dev/null
test -x "$CHROMIUM"
"$CHROMIUM" --version
