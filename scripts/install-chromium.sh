#!/usr/bin/env bash
# Installs Debian's Chromium for the browser tests on Debian (scripts/browser.py runs it there; other
# platforms get Playwright's Chromium). Idempotent: does nothing when /usr/bin/chromium is already there.
# Needs root (or sudo) and Debian's package archive.
set -euo pipefail
CHROMIUM=${CHROMIUM:-/usr/bin/chromium}
bash "$(dirname "$0")/install-debian.sh" "$CHROMIUM" chromium
"$CHROMIUM" --version
