# node-agent-webhook: every developer and CI step goes through these targets.
# `make install` is idempotent: it rebuilds .venv only when pyproject.toml changes.
SHELL := /bin/bash
PYTHON ?= python3.11
VENV := .venv
BIN := $(VENV)/bin
STAMP := $(VENV)/.installed
TOOLS := .bin
export PATH := $(CURDIR)/$(TOOLS):$(CURDIR)/$(BIN):$(PATH)

.PHONY: all install lint typecheck unit test run bench clean
all: test

$(STAMP): pyproject.toml
	@test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip
	$(BIN)/python -m pip install --quiet -e '.[dev]'
	@touch $(STAMP)

install: $(STAMP)

lint: install
	$(BIN)/ruff check
	$(BIN)/ruff format --check
	$(BIN)/lint-imports

typecheck: install
	$(BIN)/mypy

unit: install
	$(BIN)/pytest -m "not e2e and not oracle" -q

clean:
	rm -rf $(VENV) .pytest_cache .mypy_cache .ruff_cache bench/out

# Fragments owned by the tool chains (kube-apiserver, Velero oracle, helm, ...).
-include $(sort $(wildcard mk/*.mk))

# `test` runs everything: lint, types, unit, and whatever the fragments add to TEST_DEPS
# (the cluster tools, the oracle) before the whole pytest suite.
test: lint typecheck install $(TEST_DEPS)
	$(BIN)/pytest -q

run: install
	$(BIN)/node-agent-webhook validate examples/ || true
