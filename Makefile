# Psychotherapy and the Brain: two commands on a fresh machine (Linux or macOS, Python 3.11-3.13, make).
#   make book   set up .venv, execute every notebook, build the site into _build/html (warnings are errors)
#   make test   set up .venv, run the whole test suite (lint, doctests, package, notebooks, book build, browser)
#   make unit   the quick loop: lint, the package's tests and its docstring examples (no book build)
SHELL := /bin/bash
# Python 3.11, 3.12 or 3.13 (Binder uses runtime.txt's 3.11). Unset: the newest of them on PATH.
PYTHON ?= $(shell bash scripts/find-python.sh)
SUPPORTED := (3, 11) <= sys.version_info[:2] <= (3, 13)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
JOBS ?= 2
PORT ?= 8000

.PHONY: book test unit doctest test-browser serve clean distclean lint venv handouts slides set-repository hub

venv: $(STAMP)

# (Re)create the environment when it is missing or a requirements file changed.
$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	@test -n "$(PYTHON)" || { bash scripts/find-python.sh; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(0 if $(SUPPORTED) else "Python 3.11, 3.12 or 3.13 is required, $(PYTHON) is " + sys.version)' \
	  || { echo "Set PYTHON=/path/to/python3.13 (or 3.12, 3.11)"; exit 1; }
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

# The repository's address is copied from _config.yml into the notebooks' Colab cells and the docs
# (scripts/repository.py; nothing is written when they agree). Then the notebooks are executed in
# parallel into the jupyter-cache (unchanged ones are not run again) and the site is built with
# warnings as errors: `python -m scripts.book` (scripts/book.py holds the build command).
book: $(STAMP)
	$(BIN)/python -m scripts.repository
	$(BIN)/python -m scripts.book

# Lint and doctests first (seconds), then the book is built (executing every notebook once, into the
# jupyter-cache); the tests then check that build (a warm rebuild with -W, the browser tests) instead
# of building it again. The browser tests find or install Chromium themselves (scripts/browser.py).
# The JupyterLab tests (a server, its kernels and Chromium) run last and alone: beside the parallel
# run's notebook kernels, a JupyterLab kernel was seen to start without the page connecting to it.
# Then the class hub's tests, alone too (a JupyterHub, students' servers and kernels: tests/test_hub.py).
test: lint doctest book
	$(BIN)/python -m pytest -n $(JOBS) --dist loadgroup -m "not jupyterlab and not hub"
	$(BIN)/python -m pytest -m jupyterlab
	$(BIN)/python -m pytest -m hub

# The quick loop: no book build, no notebook execution, no browser.
unit: lint doctest
	$(BIN)/python -m pytest -n $(JOBS) -m "not slow"

# The examples in the package's docstrings.
doctest: $(STAMP)
	$(BIN)/python -m pytest -q -p no:cacheprovider --doctest-modules therapybrain

# Only the browser tests of the built site (Chromium + Playwright + axe-core).
test-browser: book
	$(BIN)/python -m scripts.browser
	$(BIN)/python -m pytest -n $(JOBS) -m browser

# ruff over the Python; the GitHub workflows (which cannot run here) against GitHub's workflow schema.
lint: $(STAMP)
	$(BIN)/ruff check therapybrain tests scripts benchmarks conftest.py
	$(BIN)/check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml

# A fork: make set-repository URL=https://github.com/OWNER/REPO writes the address to _config.yml and
# every copy of it (Colab install cells, citation, contributing, licence, how-to-use page).
set-repository:
	@test -n "$(URL)" || { echo "usage: make set-repository URL=https://github.com/OWNER/REPO"; exit 1; }
	$(or $(PYTHON),python3) -m scripts.repository --set "$(URL)"   # standard library only: any Python 3

# Printable handouts into _build/handouts: one HTML and one PDF (headless Chromium) per chapter, with figures, without solutions
handouts: book
	$(BIN)/python -m scripts.handouts

# One self-hosted reveal.js deck per chapter into _build/slides (reveal.js installed once with npm into ~/.cache)
slides: book
	$(BIN)/python -m scripts.slides

# A class's JupyterHub on this machine (scripts/hub): prints the password and every lab's nbgitpuller link.
# HUB_ARGS="--ip 0.0.0.0 --password WORD --repo URL --branch main" (see python -m scripts.hub --help)
hub: $(STAMP)
	$(BIN)/python -m scripts.hub --port $(PORT) $(HUB_ARGS)

serve: book
	@echo "Serving the book on http://localhost:$(PORT) (Ctrl-C stops)"
	$(BIN)/python -m http.server --bind 127.0.0.1 --directory _build/html $(PORT)

clean:
	rm -rf _build .pytest_cache .ruff_cache
	find . -name __pycache__ -not -path './$(VENV)/*' -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV)
