# Psychotherapy and the Brain: two commands on a fresh machine.
#   make book   set up .venv, execute every notebook, build the site into _build/html (warnings are errors)
#   make test   set up .venv, run the whole test suite (package, notebooks, book build, browser)
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
JOBS ?= 2
PORT ?= 8000

.PHONY: book test test-browser serve clean distclean lint venv handouts slides

venv: $(STAMP)

# (Re)create the environment when it is missing or a requirements file changed.
$(STAMP): requirements.txt requirements-dev.txt pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] == (3, 11), "Python 3.11 is required, found " + sys.version' \
	  || { echo "Set PYTHON=/path/to/python3.11"; exit 1; }
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	touch $@

# Notebooks are executed in parallel (one process per core) into the jupyter-cache first; the build
# then finds them cached. Unchanged notebooks are not executed again.
book: $(STAMP)
	$(BIN)/python scripts/execute_parallel.py _build
	$(BIN)/jupyter-book build . -W -n --keep-going

# The book is built first (executing every notebook once, into the jupyter-cache); the tests then
# check that build (a warm rebuild with -W, the browser tests) instead of building it again.
# The browser tests install Debian's Chromium when it is missing (scripts/install-chromium.sh).
test: book
	$(BIN)/python -m pytest -n $(JOBS) --dist loadgroup

# Only the browser tests of the built site (Chromium + Playwright + axe-core).
test-browser: book
	bash scripts/install-chromium.sh
	$(BIN)/python -m pytest -n $(JOBS) -m browser

lint: $(STAMP)
	$(BIN)/ruff check therapybrain tests scripts

# Printable handouts (one HTML per chapter, print CSS inlined, solutions hidden) into _build/handouts
handouts: book
	$(BIN)/python scripts/handouts.py

# One self-hosted reveal.js deck per chapter into _build/slides (reveal.js installed once with npm into ~/.cache)
slides: book
	$(BIN)/python scripts/slides.py

serve: book
	@echo "Serving the book on http://localhost:$(PORT) (Ctrl-C stops)"
	$(BIN)/python -m http.server --bind 127.0.0.1 --directory _build/html $(PORT)

clean:
	rm -rf _build .pytest_cache .ruff_cache
	find . -name __pycache__ -not -path './$(VENV)/*' -prune -exec rm -rf {} +

distclean: clean
	rm -rf $(VENV)
