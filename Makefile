# The two commands of the README are `make book` and `make test`; everything else here
# is what they are made of. Each target installs what it needs, so a fresh Debian
# machine with Python 3.11 and the package registries needs nothing done by hand.
SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

VENV := .venv
BIN := $(VENV)/bin
PY := $(BIN)/python
BUILD := _build
# Notebooks and commands read this project's data wherever they are started from.
export CHINA_KZ_ROOT := $(CURDIR)
# uv: compile bytecode at install (this machine sets PYTHONDONTWRITEBYTECODE=1; imports
# take 3x longer without it) and never touch the user's uv cache settings otherwise.
export UV_COMPILE_BYTECODE := 1
export PYTHONDONTWRITEBYTECODE :=
export PLAYWRIGHT_SKIP_BROWSER_DOWNLOAD := 1
UV_VERSION := $(shell sed -n 's/^uv==\([0-9.]*\).*/\1/p' requirements.lock)

.PHONY: help book html test lab refresh validate system-deps env clean bench

help:  ## list the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 14

system-deps:  ## Debian packages: Chromium (PDF, browser tests), poppler, fonts
	@tools/install-system-deps.sh

env: $(VENV)/.installed  ## the project's Python environment in .venv, from requirements.lock

$(VENV)/.installed: requirements.lock pyproject.toml
	@test -x $(PY) || python3 -m venv $(VENV)
	@test -x $(BIN)/uv || { $(PY) -m pip --version >/dev/null 2>&1 || $(PY) -m ensurepip >/dev/null; \
		$(PY) -m pip install -q "uv==$(UV_VERSION)"; }
	$(BIN)/uv pip sync -q --python $(PY) requirements.lock
	$(BIN)/uv pip install -q --python $(PY) --no-deps -e .
	@touch $@

validate: env  ## check seeds, data and coverage; stops on the first bad input with its file, line and field
	$(PY) -m china_kazakhstan validate

html: system-deps env  ## the HTML book only, in _build/html (warnings are errors)
	$(PY) -m china_kazakhstan build --no-pdf

book: system-deps env  ## build the book: HTML in _build/html, PDF in _build/pdf
	$(PY) -m china_kazakhstan build

test: system-deps env  ## every test: lint, unit, data, strict nbval on committed outputs, the build, the PDF, the browser
	@if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; then npm ci --no-audit --no-fund; fi
	$(BIN)/ruff check src tests
	$(BIN)/frictionless validate --trusted data/datapackage.json
	$(BIN)/pytest

lab: env  ## open the chapters in JupyterLab with the project's environment
	$(BIN)/jupyter lab chapters/

refresh: env validate  ## re-execute every book notebook in place (after changing data or code), deterministically
	$(PY) -m china_kazakhstan execute

bench: env  ## time clean and incremental builds, PDF, page weight, reproducibility (BENCH_ARGS=--with-tests)
	$(PY) bench/benchmark.py $(BENCH_ARGS)

clean:  ## remove the build (and its execution cache)
	rm -rf $(BUILD)
