# govlab — the two commands: `make run` (the demo) and `make test` (the whole suite).
PYTHON ?= python3
VENV := .venv
BIN := $(VENV)/bin
PORT ?= 8000
HOST ?= 127.0.0.1
export DJANGO_SETTINGS_MODULE ?= govlab.settings.local

.PHONY: run test install install-dev migrate demo messages makemessages lint format check ci clean bench

$(BIN)/python:
	$(PYTHON) -m venv $(VENV)
	$(BIN)/python -m pip install --quiet --upgrade pip

$(VENV)/.installed: $(BIN)/python requirements.lock pyproject.toml
	$(BIN)/pip install --quiet -r requirements.lock
	$(BIN)/pip install --quiet --no-deps -e .
	touch $@

$(VENV)/.installed-dev: $(VENV)/.installed requirements-dev.lock
	$(BIN)/pip install --quiet -r requirements-dev.lock
	touch $@

install: $(VENV)/.installed messages

install-dev: $(VENV)/.installed-dev messages

# Compiled message catalogues (.mo) are built from the committed .po files, never committed.
messages: $(VENV)/.installed
	$(BIN)/python -m govlab compile_translations

# Extract new UI strings into the catalogues (developers only: needs GNU gettext).
makemessages: $(VENV)/.installed
	mkdir -p govlab/locale
	cd govlab && env -u DJANGO_SETTINGS_MODULE ../$(BIN)/django-admin makemessages \
		-l es -l fr -l pt -l sv --no-location --no-wrap --no-obsolete

migrate: install
	@mkdir -p var
	$(BIN)/python -m govlab migrate --no-input
	$(BIN)/python -m govlab createcachetable

demo: migrate
	$(BIN)/python -m govlab load_demo

run: demo
	$(BIN)/python -m govlab demo_accounts
	$(BIN)/python -m govlab runserver $(HOST):$(PORT)

test: install-dev
	DJANGO_SETTINGS_MODULE=govlab.settings.test $(BIN)/python -m pytest -n "$${PYTEST_WORKERS:-auto}" --dist "$${PYTEST_DIST:-worksteal}" $(PYTEST_ARGS)

lint: install-dev
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .

format: install-dev
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

# Load test of the public pages against gunicorn on loopback (docs/performance.md).
# BENCH_ARGS e.g. "--duration 30 --users 16"; DATABASE_URL=postgres://... to measure PostgreSQL.
bench: install-dev
	$(BIN)/python bench/run.py $(BENCH_ARGS)

clean:
	rm -rf $(VENV) var .pytest_cache
