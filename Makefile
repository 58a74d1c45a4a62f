# MotCua — the two commands a newcomer needs are `make demo` and `make test`.
SHELL := /bin/bash
.DEFAULT_GOAL := help

UV_VERSION := 0.13.8
TOOLS := .tools
UV := $(TOOLS)/bin/uv
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1
export UV_PYTHON_DOWNLOADS := never
export UV_NO_CONFIG := 1

.PHONY: help install demo serve test lint typecheck architecture translations schema-check schema pytest-sqlite pytest-postgres pytest-cluster bench lock messages clean

help:
	@echo "make install   create .venv (Python 3.12, uv) and install MotCua into it"
	@echo "make demo      install + migrate + load the demo province + serve on http://$(HOST):$(PORT), with the worker"
	@echo "make test      ruff, mypy, import contracts, OpenAPI drift check, pytest on SQLite, then on a throwaway PostgreSQL, then the cluster test"
	@echo "make bench     run the benchmarks under benchmarks/"
	@echo "make lock      re-resolve dependencies and rewrite the hash-pinned requirements/*.txt"
	@echo "make translations  regenerate the Vietnamese catalogues from the code and scripts/vi_messages.py"

$(UV):
	python3 -m pip install --quiet --disable-pip-version-check --root-user-action=ignore --target $(TOOLS) uv==$(UV_VERSION)

# The stamp makes `install` idempotent and cheap; it reinstalls when a requirements file changes.
$(VENV)/.installed: $(UV) requirements/dev.txt pyproject.toml
	test -x $(BIN)/python || $(UV) venv --quiet --python 3.12 $(VENV)
	$(UV) pip install --quiet --compile-bytecode --python $(BIN)/python --require-hashes -r requirements/dev.txt
	$(UV) pip install --quiet --python $(BIN)/python --no-deps -e .
	touch $@

install: $(VENV)/.installed messages

# After changing user-facing text: regenerate every catalogue, fill it from scripts/vi_messages.py, compile.
translations: $(VENV)/.installed
	scripts/translations.sh

messages: $(VENV)/.installed
	@cd src/motcua && ../../$(BIN)/motcua compilemessages --verbosity 0

demo: install
	$(BIN)/motcua migrate --no-input
	$(BIN)/motcua demo-data
	scripts/demo.sh $(HOST) $(PORT)

serve: install
	$(BIN)/motcua serve --host $(HOST) --port $(PORT)

lint: install
	$(BIN)/ruff check src tests benchmarks
	$(BIN)/ruff format --check src tests benchmarks

typecheck: install
	$(BIN)/mypy

# The import contracts of pyproject.toml: pure rules, the web layer, the two sides apart.
architecture: install
	$(BIN)/lint-imports --no-cache

schema:
	$(BIN)/motcua spectacular --format openapi-json --file docs/openapi.json --validate --fail-on-warn

schema-check: install
	@tmp=$$(mktemp); $(BIN)/motcua spectacular --format openapi-json --file $$tmp --validate --fail-on-warn \
	  && diff -u docs/openapi.json $$tmp > /dev/null \
	  || { echo "docs/openapi.json is out of date with the code: run 'make schema' and commit it"; diff -u docs/openapi.json $$tmp | head -40; rm -f $$tmp; exit 1; }; \
	rm -f $$tmp; echo "OpenAPI document matches the code"

pytest-sqlite: install
	MOTCUA_DATABASE_URL= $(BIN)/pytest -q -m "not cluster"

pytest-postgres: install
	scripts/with-postgres.sh $(BIN)/pytest -q -m "not cluster"

# Once, not in both legs: it starts its own PostgreSQL (primary + replica), Redis and nginx.
pytest-cluster: install
	MOTCUA_DATABASE_URL= $(BIN)/pytest -q -m cluster tests/test_cluster.py

test: lint typecheck architecture schema-check pytest-sqlite pytest-postgres pytest-cluster

bench: install
	scripts/with-postgres.sh $(BIN)/python -m benchmarks

lock: $(UV)
	$(UV) lock --quiet
	$(UV) export --quiet --format requirements-txt --no-emit-project --no-dev --no-header -o requirements/base.txt
	$(UV) export --quiet --format requirements-txt --no-emit-project --all-groups --no-header -o requirements/dev.txt

clean:
	rm -rf $(VENV) $(TOOLS) var staticfiles
