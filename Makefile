# mlmath — build the course and run every check. See README.md.
#   make book    install the pinned environment into .venv (once) and build the site into _build/html
#   make test    ruff, unit tests and doctests, every chapter under nbval, the site in Chromium,
#                the JupyterLab check
#   make lab     JupyterLab with the chapters opening as notebooks
#   make serve   the built site on http://127.0.0.1:$(PORT)
#   make clean   remove the build, the caches and .venv

PYTHON ?= python3
VENV   := .venv
BIN    := $(VENV)/bin
STAMP  := $(VENV)/.installed
PORT   ?= 8000
# The root user must say so to start a Jupyter server.
ROOT_FLAG := $(if $(filter 0,$(shell id -u)),--allow-root,)

.PHONY: book test unit notebooks site lab serve clean lint

# The environment: requirements.txt is the one place where versions are pinned.
$(STAMP): requirements.txt pyproject.toml
	@$(PYTHON) -c 'import sys; assert sys.version_info[:2] >= (3, 11), "Python >= 3.11 needed"'
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --disable-pip-version-check -r requirements.txt
	$(BIN)/python -m pip install --quiet --disable-pip-version-check --no-deps --no-build-isolation -e .
	touch $@

book: $(STAMP)
	$(BIN)/jupyter-book build . -W -n --keep-going

test: book lint
	$(BIN)/python -m pytest --nbval-lax

unit: $(STAMP)
	$(BIN)/python -m pytest mlmath tests -m "not browser and not lab"

notebooks: $(STAMP)
	$(BIN)/python -m pytest --nbval-lax book

lint: $(STAMP)
	$(BIN)/ruff check mlmath tests tools conftest.py book/_ext

lab: $(STAMP)
	$(BIN)/jupyter lab --ip=127.0.0.1 --no-browser $(ROOT_FLAG)

serve:
	@test -f _build/html/index.html || { echo "no site yet: run 'make book' first"; exit 1; }
	$(BIN)/python -m http.server $(PORT) --bind 127.0.0.1 --directory _build/html

clean:
	rm -rf _build $(VENV) .pytest_cache .hypothesis .ruff_cache *.egg-info
	find . -name __pycache__ -not -path './.git/*' -prune -exec rm -rf {} +
