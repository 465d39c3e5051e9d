# Two commands: `make demo` and `make test`. Everything else here is what they need.
SHELL := /bin/bash
.DEFAULT_GOAL := help

# Django 6 needs Python 3.12 or newer: take the first one found (pyenv installs included).
PYTHON ?= $(shell for p in python3.14 python3.13 python3.12 python3 $$(ls -d $${PYENV_ROOT:-$$HOME/.pyenv}/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -rV); do \
	if $$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1; then command -v $$p; break; fi; done)
VENV := .venv
BIN := $(VENV)/bin
JS_BUILD := scrutiny/frontend/static/frontend/build/scrutiny.js
# Two workers (pytest-xdist): the browser crawl runs on one while the rest runs on the other.
PYTEST_ARGS ?= -n 2

.PHONY: help setup demo test test-sqlite test-postgres lint typecheck format clean

help:
	@echo "make demo   set everything up and serve the demonstration on http://127.0.0.1:8000"
	@echo "make test   set everything up and run the whole test suite (SQLite, and PostgreSQL when DATABASE_URL is set)"
	@echo "make lint   ruff, mypy and the import-linter contracts"

$(BIN)/.installed: pyproject.toml
	@test -n "$(PYTHON)" || { echo "Python 3.12 or newer is needed (Django 6). Install it, or set PYTHON=/path/to/python3.12."; exit 1; }
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

$(JS_BUILD): node_modules/.installed scrutiny/frontend/assets/scrutiny.js
	npm run --silent build

setup: $(BIN)/.installed node_modules/.installed $(JS_BUILD)

demo: setup
	$(BIN)/scrutiny demo

test: setup
	$(MAKE) --no-print-directory test-sqlite
	@if [ -n "$${DATABASE_URL:-}" ]; then $(MAKE) --no-print-directory test-postgres; \
	else echo "DATABASE_URL is not set: the PostgreSQL run was skipped (see README, Tests)."; fi

test-sqlite:
	@echo "== Tests on SQLite =="
	env -u DATABASE_URL $(BIN)/pytest $(PYTEST_ARGS)

# The browser tests exercise the pages, not the database: they run once, on SQLite.
test-postgres:
	@echo "== Tests on PostgreSQL ($${DATABASE_URL%%@*}@…), browser tests already run on SQLite =="
	$(BIN)/pytest $(PYTEST_ARGS) -m "not browser"

lint: setup
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/mypy scrutiny tests benchmarks
	$(BIN)/lint-imports

format: setup
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

clean:
	rm -rf $(VENV) node_modules var scrutiny/frontend/static/frontend/build
