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

# `make run`: the webhook on https://127.0.0.1:$(RUN_PORT), deciding against examples/nodes.json, with
# development certificates made once into certs/ (git-ignored). Ctrl+C stops it.
RUN_PORT ?= 8443
RUN_URL := https://127.0.0.1:$(RUN_PORT)/validate
RUN_CURL := curl -sS --cacert certs/ca.crt -H 'Content-Type: application/json' --data-binary
run: install certs
	@echo "node-agent-webhook: serving $(RUN_URL) (nodes from examples/nodes.json). In another terminal:"
	@echo "  a denial:  $(RUN_CURL) @examples/review-deny.json $(RUN_URL) | python3 -m json.tool"
	@echo "  warnings:  $(RUN_CURL) @examples/review-warn.json $(RUN_URL) | python3 -m json.tool"
	@echo "Ctrl+C stops it."
	@$(BIN)/node-agent-webhook serve --tls-cert certs/tls.crt --tls-key certs/tls.key \
	  --host 127.0.0.1 --port $(RUN_PORT) --nodes-file examples/nodes.json --log-format text

# Development certificates for `make run` (CA, serving certificate and key); kept once made.
.PHONY: certs
certs: install
	@test -f certs/ca.crt -a -f certs/tls.crt -a -f certs/tls.key || \
	  $(BIN)/node-agent-webhook certs --out-dir certs --force
