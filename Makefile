# mlmath — build the course and run every check. `make` (or `make help`) lists the targets;
# README.md says more. Each target is documented by its `## ` comment, which `make help` prints.

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
# IPython reads its per-environment configuration from <sys.prefix>/etc/ipython: every kernel
# started from .venv (the book's build, nbval, JupyterLab) gets this one.
KERNEL_CONFIG := $(VENV)/etc/ipython/ipython_kernel_config.py
PIP    := $(BIN)/python -m pip --disable-pip-version-check --no-input
PINNED  = $(shell grep -cE '^[A-Za-z0-9]' requirements.txt)
PORT   ?= 8000
# The root user must say so to start a Jupyter server.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)
# A failing command inside a pipe (pip | awk) fails the recipe.
SHELL := /bin/bash
.SHELLFLAGS := -o pipefail -c

.DEFAULT_GOAL := help
.PHONY: help book test test-all unit notebooks lint lab serve clean

help: ## list the targets (plain `make` does the same)
	@echo "mlmath: Mathematics for Machine Learning, as a tested executable course"
	@echo "Python >= 3.11 and the package registries are all it needs (see README.md)."
	@echo
	@grep -E '^[a-z-]+:.*## ' $(firstword $(MAKEFILE_LIST)) \
	  | awk -F ':.*## ' '{ printf "  make %-10s %s\n", $$1, $$2 }'

# The environment: requirements.txt is the one place where versions are pinned.
# pip's own output is reduced to one line per package, so that a first install (a minute or
# two) shows its progress without burying it in pip's detail.
$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] >= (3, 11), "Python >= 3.11 needed"'
	@test -x $(BIN)/python || { echo "==> creating $(VENV) with $(PYTHON)"; $(PYTHON) -m venv $(VENV); }
	@echo "==> installing the pinned packages of requirements.txt into $(VENV)"
	@$(PIP) install -r requirements.txt | awk ' \
	  /^Collecting / { printf "    [%d/%d] %s\n", ++n, $(PINNED), $$2; fflush() } \
	  /^Requirement already satisfied/ { kept++ } \
	  /^Installing collected packages/ { print "    installing (unpacking the wheels takes a while)..."; fflush() } \
	  /^Successfully installed/ { printf "    installed %d packages\n", NF - 2 } \
	  END { if (kept) printf "    %d packages already installed\n", kept }'
	@echo "==> installing mlmath itself (editable: edits in mlmath/ take effect at once)"
	@$(PIP) install --quiet --no-deps --no-build-isolation -e .
	@touch $@
	@echo "==> environment ready"

# Kernels stay quiet about their plain-TCP transport on 127.0.0.1 (see the file's docstring).
$(KERNEL_CONFIG): book/_ext/ipython_kernel_config.py | $(STAMP)
	@mkdir -p $(@D)
	@cp $< $@

book: $(STAMP) $(KERNEL_CONFIG) ## install the environment into .venv (once), build the site into _build/html
	$(BIN)/jupyter-book build . -W -n --keep-going

# Two workers; --dist loadfile keeps each file (a notebook's cells, a module's shared builds) on
# one, in conftest.py's longest-first order (--no-loadscope-reorder). A page's nbval run, its
# browser checks and the build checks are reused while their inputs are unchanged since they
# passed (tests/pass_records.py); test-all runs everything.
PYTEST_ALL := $(BIN)/python -m pytest --nbval -n 2 --dist loadfile --no-loadscope-reorder

test: book lint ## all checks: ruff, unit tests, doctests, every page re-run against the build (nbval), site in Chromium, Lab
	$(PYTEST_ALL)

test-all: book lint ## the same, re-running the checks whose results make test reuses (pass records)
	$(PYTEST_ALL) --recheck

unit: $(STAMP) $(KERNEL_CONFIG) ## unit tests, doctests and source checks only (no browser, no Jupyter server)
	$(BIN)/python -m pytest -n 2 --dist loadfile --no-loadscope-reorder mlmath tests -m "not browser and not lab"

notebooks: $(STAMP) $(KERNEL_CONFIG) ## run every chapter under nbval, from scratch (no cache)
	$(BIN)/python -m pytest --nbval-lax -n 2 --dist loadfile --no-loadscope-reorder book

lint: $(STAMP) ## ruff over the code (mlmath, tests, tools, book/_ext)
	$(BIN)/ruff check mlmath tests tools conftest.py book/_ext

lab: $(STAMP) $(KERNEL_CONFIG) ## JupyterLab, the chapters opening as notebooks
	$(BIN)/jupyter lab --ip=127.0.0.1 --no-browser $(ROOT_FLAG)

serve: ## serve the built site on http://127.0.0.1:8000 (PORT=... to change)
	@test -f _build/html/index.html || { echo "no site yet: run 'make book' first"; exit 1; }
	$(BIN)/python -m http.server $(PORT) --bind 127.0.0.1 --directory _build/html

clean: ## remove _build (and its execution cache), the test caches and .venv (1.7 GB)
	rm -rf _build $(VENV) .pytest_cache .hypothesis .ruff_cache *.egg-info
	find . -name __pycache__ -not -path './.git/*' -prune -exec rm -rf {} +
