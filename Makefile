# Developer entry points (GNU make). Two commands matter:
#   make run    set everything up and serve http://127.0.0.1:8000/
#   make test   run the whole test suite (extra pytest arguments: make test PYTEST_ARGS="-k x")

SHELL := /bin/bash
.DEFAULT_GOAL := help

PYTHON ?= python3
VENV := .venv
PY := $(VENV)/bin/python
STAMP := $(VENV)/.installed-pyproject
HOST ?= 127.0.0.1
PORT ?= 8000
PYTEST_ARGS ?=
# Test processes (pytest-xdist): one per CPU. Each has its own test database, SQLite file,
# Meilisearch index prefix and channel-layer prefix. PYTEST_WORKERS=0 runs in this process.
PYTEST_WORKERS ?= auto
TEST_REDIS_URL ?= redis://127.0.0.1:6379/0

# CI (or REQUIRE_SERVICES=1) must not go green without Meilisearch: start it strictly there.
STRICT := $(if $(filter true 1,$(CI) $(REQUIRE_SERVICES)),--strict,)

.PHONY: help venv install provision migrate run test lint meilisearch-stop

help:
	@echo "make run    install, provision, migrate, load the demo data and serve http://$(HOST):$(PORT)/"
	@echo "make test   run the test suite (PYTEST_ARGS=... for extra pytest arguments)"
	@echo "make lint   ruff check, ruff format --check and the import contracts (.importlinter)"

$(PY):
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip

# Reinstall only when pyproject.toml changed since the last install.
$(STAMP): pyproject.toml | $(PY)
	$(PY) -m pip install --quiet -e '.[dev]'
	@touch $@

venv: $(PY)

install: $(STAMP)

provision:
	@scripts/provision.sh

migrate: install
	$(PY) manage.py migrate --noinput

# Pages and websockets from one ASGI process and the task worker beside it (honcho runs
# Procfile.dev; Ctrl+C stops both), SQLite, in-memory channel layer (no REDIS_URL). The
# search index is built or completed first, so the first search uses Meilisearch.
run: install provision migrate
	$(PY) manage.py seed_demo
	@scripts/meilisearch.sh start; \
	eval "$$(scripts/meilisearch.sh env)"; \
	$(PY) manage.py search_ensure_index; \
	echo "Plateforme sur http://$(HOST):$(PORT)/ (Ctrl+C pour arrêter)"; \
	exec env -u REDIS_URL DJANGO_SETTINGS_MODULE=community.settings.dev \
		RUN_HOST=$(HOST) RUN_PORT=$(PORT) $(VENV)/bin/honcho start -f Procfile.dev

test: install provision
	@scripts/meilisearch.sh start $(STRICT)
	@eval "$$(scripts/meilisearch.sh env)"; \
	export REDIS_URL=$(TEST_REDIS_URL); \
	$(VENV)/bin/pytest -n $(PYTEST_WORKERS) $(PYTEST_ARGS)

lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	PYTHONPATH=site $(VENV)/bin/lint-imports

meilisearch-stop:
	@scripts/meilisearch.sh stop
