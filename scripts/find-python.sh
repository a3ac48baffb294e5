#!/usr/bin/env bash
# Prints the path of the newest Python the course supports (3.14, 3.13, 3.12 or 3.11) found on PATH, as
# python3.14, python3.13, python3.12, python3.11 or python3; exits 1 (saying what it found) when there is none.
# A newer Python (3.15 and later) is not chosen: the pinned requirements are checked for wheels on
# the supported versions only (scripts/check_wheels.py); the Makefile refuses one given as PYTHON.
# A name that is on PATH but does not run (a pyenv shim of a version that is not selected) is skipped.
# Used by the Makefile when PYTHON is not set: `make book PYTHON=/path/to/python3.12` chooses another.
set -uo pipefail
SUPPORTED="3.14 3.13 3.12 3.11"   # keep in step with .github/workflows/pr.yml (tests/test_workflows.py checks it)
best="" best_minor=0 seen=""
for name in python3.14 python3.13 python3.12 python3.11 python3; do
  path=$(command -v "$name" 2>/dev/null) || continue
  version=$("$path" -c 'import sys; print("%d.%d" % sys.version_info[:2])' 2>/dev/null) || continue
  seen="$seen $name=$version"
  for supported in $SUPPORTED; do
    minor=${supported#3.}
    if [ "$version" = "$supported" ] && [ "$minor" -gt "$best_minor" ]; then
      best=$path best_minor=$minor
    fi
  done
done
if [ -z "$best" ]; then
  echo "find-python: no Python ${SUPPORTED// /, } found (found:${seen:- none});" \
       "install one, or run make with PYTHON=/path/to/python3.x" >&2
  exit 1
fi
echo "$best"
