# The two commands of the README are `make book` and `make test`; everything else here
# is what they are made of, plus `make check` (the quick loop while editing) and `make lab`.
# Each target installs what it needs, so a fresh Debian machine with Python 3.11 and the
# package registries needs nothing done by hand.
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

.PHONY: help book html test check lint lab kernel refresh validate system-deps env clean bench

help:  ## list the commands
	@grep -E '^[a-z-]+:.*## ' $(MAKEFILE_LIST) | sed 's/:.*## /\t/' | expand -t 14

system-deps:  ## Debian packages: Chromium (PDF, browser tests), poppler, fonts, shellcheck
	@tools/install-system-deps.sh

env: $(VENV)/.installed  ## the project's Python environment in .venv, from requirements.lock

$(VENV)/.installed: requirements.lock pyproject.toml
	@test -x $(PY) || python3 -m venv $(VENV)
	@test -x $(BIN)/uv || { $(PY) -m pip --version >/dev/null 2>&1 || $(PY) -m ensurepip >/dev/null; \
		$(PY) -m pip install -q "uv==$(UV_VERSION)"; }
	$(BIN)/uv pip sync -q --python $(PY) requirements.lock
	$(BIN)/uv pip install -q --python $(PY) --no-deps -e .
	@touch $@

validate: env  ## check everything the book reads (data package, tables, seeds, ledger and coverage, outside files and tables, notebooks)
	$(PY) -m china_kazakhstan validate

html: system-deps env  ## the HTML book only, in _build/html (warnings are errors)
	$(PY) -m china_kazakhstan build --no-pdf

book: system-deps env  ## build the book: HTML in _build/html, PDF in _build/pdf
	$(PY) -m china_kazakhstan build

# actionlint also checks the workflow's `run:` scripts with shellcheck, and the shell scripts
# here are checked too, when shellcheck is installed (`make system-deps`, hence `make test`).
lint: env  ## lint the code, the shell scripts, the data package's schema, the CI workflow and CITATION.cff
	$(BIN)/ruff check src tests tools
	@if command -v shellcheck >/dev/null; then echo "shellcheck tools/*.sh .ci/run"; shellcheck tools/*.sh .ci/run; \
		else echo "shellcheck is not installed (make system-deps): shell scripts and workflow steps not checked"; fi
	$(PY) tools/check_datapackage.py data/datapackage.json
	$(BIN)/actionlint
	$(PY) tools/check_citation.py CITATION.cff

test: system-deps env validate lint  ## every test: lint, unit, data, strict nbval on committed outputs, the build, the PDF, the browser
	@if [ ! -d node_modules ] || [ package-lock.json -nt node_modules ]; then npm ci --no-audit --no-fund; fi
	$(BIN)/pytest

# The quick loop after editing a row or a module, on both cores: everything except what builds
# the book (marker build), drives Chromium (browser), starts JupyterLab (lab), runs a command
# on a broken copy, frictionless over every table or re-reads the IMF workbooks (end_to_end),
# or runs notebooks: the chapters' nbval (collected from chapters/, not from tests/; the nbval
# plugin is off here) and the execution-cache tests in tests/test_notebooks_cache.py, which run
# small notebooks in real kernels (about 15 s). `make test` runs all of them.
CHECK_PYTEST := -n 2 --dist worksteal -p no:nbval -o addopts="-ra --strict-markers" tests -m "not build and not browser and not lab and not end_to_end" --ignore=tests/test_notebooks_cache.py

check: env  ## the quick check while editing (about 30 s): validate, lint, unit and data tests; no build, no browser
	@$(MAKE) --no-print-directory -j2 --output-sync=target validate lint
	$(BIN)/pytest $(CHECK_PYTEST)

# JupyterLab refuses to start as root without --allow-root (containers, CI images, cloud
# notebooks): pass it only then. LAB_ARGS adds server options, e.g.
# `make lab LAB_ARGS="--no-browser --ServerApp.port=8899"` (tests/test_lab.py does so).
LAB_ALLOW_ROOT := $(if $(filter 0,$(shell id -u)),--allow-root)
LAB_ARGS ?=

lab: env  ## JupyterLab on the project, with its environment, opened on the introduction (LAB_ARGS=...)
	$(BIN)/jupyter lab $(LAB_ALLOW_ROOT) --ServerApp.root_dir="$(CURDIR)" $(LAB_ARGS) chapters/introduction.ipynb

# For an existing JupyterLab: a kernel named $(KERNEL_NAME) that runs .venv's Python and
# reads this project's data wherever the notebook is opened from. KERNEL_INSTALL says where
# the kernelspec goes (default: the user's Jupyter folder, which every JupyterLab reads).
KERNEL_NAME := china-kazakhstan
KERNEL_INSTALL ?= --user

kernel: env  ## install the project's kernel, "china-kazakhstan", for another JupyterLab (sets CHINA_KZ_ROOT)
	$(PY) -m ipykernel install $(KERNEL_INSTALL) --name $(KERNEL_NAME) \
		--display-name "Python (china-kazakhstan)" --env CHINA_KZ_ROOT "$(CURDIR)"

refresh: env validate  ## re-execute every book notebook in place (after changing data or code), deterministically
	$(PY) -m china_kazakhstan execute

bench: env  ## time clean and incremental builds, PDF, page weight, reproducibility (BENCH_ARGS=--with-tests)
	$(PY) bench/benchmark.py $(BENCH_ARGS)

clean:  ## remove the build (and its execution cache)
	rm -rf $(BUILD)
