# The two commands of the README: `make build` and `make test`.
# Each creates .venv on first use and installs what it needs, so a fresh
# Debian machine with only Python and pip is enough.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed

.PHONY: build test lint system-deps clean

$(STAMP): pyproject.toml
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --upgrade pip
	$(BIN)/pip install -q -e '.[test]'
	touch $(STAMP)

# Fonts for the PDF and Chromium for the browser tests come from Debian.
system-deps:
	@scripts/system-deps.sh

build: $(STAMP) system-deps
	$(BIN)/clausekit check
	$(BIN)/clausekit build --to md,docx,pdf,html
	$(BIN)/mkdocs build --strict

lint: $(STAMP)
	$(BIN)/ruff check src tests scripts
	$(BIN)/ruff format --check src tests scripts
	$(BIN)/mypy

test: $(STAMP) system-deps lint
	$(BIN)/pytest -n 2

clean:
	rm -rf dist site .pytest_cache .mypy_cache .ruff_cache
