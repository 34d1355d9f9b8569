# The two commands of the README: `make build` and `make test`.
# Each creates .venv on first use and installs what it needs, so a fresh
# Debian machine with only Python and pip is enough.
PY ?= python3
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
# The exact versions, with their hashes, of everything the build and the tests install
# (requirements/runtime.txt: what the GitHub Action installs; requirements/test.txt:
# that plus the test tools, at the same versions; requirements/release.txt: the
# release workflow's build and twine). `make lock` refreshes them.
LOCKS := requirements/runtime.txt requirements/test.txt
PIP_TOOLS := pip-tools==7.6.2
COMPILE := .venv-lock/bin/pip-compile -q --generate-hashes --allow-unsafe --strip-extras \
	--all-build-deps --no-emit-index-url --no-emit-find-links

.PHONY: build test lint lock system-deps clean

$(STAMP): pyproject.toml $(LOCKS)
	$(PY) -m venv $(VENV)
	$(BIN)/pip install -q --require-hashes -r requirements/test.txt
	$(BIN)/pip install -q --no-deps --no-build-isolation -e .
	touch $(STAMP)

# Refreshes the locks to the newest versions pyproject.toml's ranges allow (see
# docs/ci.md before upgrading pandoc or typst).
lock:
	$(PY) -m venv .venv-lock
	.venv-lock/bin/pip install -q $(PIP_TOOLS)
	CUSTOM_COMPILE_COMMAND="make lock" $(COMPILE) --upgrade -o requirements/runtime.txt pyproject.toml
	CUSTOM_COMPILE_COMMAND="make lock" $(COMPILE) --upgrade --extra test \
		-c requirements/runtime.txt -o requirements/test.txt pyproject.toml
	CUSTOM_COMPILE_COMMAND="make lock" $(COMPILE) --upgrade \
		-c requirements/test.txt -o requirements/release.txt requirements/release.in

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
	rm -rf dist site .pytest_cache .mypy_cache .ruff_cache .venv-lock
