# The two commands: `make run` (set up and serve the demo) and `make test` (install and test).
SHELL := /bin/bash
VENV := .venv
PY := $(VENV)/bin/python
FLASK := $(VENV)/bin/flask --app pilot
HOST ?= 127.0.0.1
PORT ?= 5000

PILOT_BIND ?= 127.0.0.1:8000

.PHONY: run serve backup restore test setup setup-test system-deps system-deps-test lint test-sqlite test-postgresql lock clean

run: setup
	$(FLASK) db upgrade
	$(FLASK) demo
	$(FLASK) jobs worker & WORKER=$$!; trap "kill $$WORKER 2>/dev/null" EXIT; \
	bash scripts/serve.sh $(PY) $(HOST) $(PORT)

# Production: migrate, then gunicorn (settings from the environment, see
# pilot/gunicorn_conf.py) with the job worker beside it; JSON logs; /gezondheid for checks.
serve: setup
	$(FLASK) db upgrade
	PILOT_BIND=$(PILOT_BIND) $(VENV)/bin/gunicorn -c python:pilot.gunicorn_conf "pilot:create_app()"

# Backup and restore (see README, "Backup en herstel"): make backup UIT=pad, make restore VAN=pad
backup:
	$(FLASK) backup maken --uit $(UIT)

restore:
	$(FLASK) backup terugzetten --van $(VAN) --ja

test: setup-test lint test-sqlite test-postgresql

system-deps:
	bash scripts/install-system-deps.sh

system-deps-test:
	bash scripts/install-system-deps.sh --test

$(VENV)/bin/uv:
	python3 -m venv $(VENV)
	$(VENV)/bin/pip install -q --upgrade pip uv

# The app alone (requirements.lock) for `make run`; the app plus the `test` extra
# (requirements-test.lock: pytest, playwright, pypdf, pdfplumber, ruff) for `make test`.
# Bytecode is compiled at install (--compile-bytecode, compileall): otherwise the first
# command after an install pays several seconds compiling the libraries it imports.
setup: system-deps $(VENV)/bin/uv
	$(VENV)/bin/uv pip sync -q --compile-bytecode --python $(PY) requirements.lock
	$(VENV)/bin/uv pip install -q --python $(PY) --no-deps -e .
	$(PY) -m compileall -q -j 0 pilot gemeenten

setup-test: system-deps-test $(VENV)/bin/uv
	$(VENV)/bin/uv pip sync -q --compile-bytecode --python $(PY) requirements-test.lock
	$(VENV)/bin/uv pip install -q --python $(PY) --no-deps -e .
	$(PY) -m compileall -q -j 0 pilot gemeenten

lint:
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .

test-sqlite:
	@echo "=== tests op SQLite ==="
	$(PY) -m pytest --db=sqlite -p no:cacheprovider $(PYTEST_ARGS)

# Tests whose result does not depend on the database (browser tests, pure functions; marker
# db_independent) run once, in the SQLite pass.
test-postgresql:
	@echo "=== tests op PostgreSQL ==="
	$(PY) -m pytest --db=postgresql -p no:cacheprovider -m "not db_independent" $(PYTEST_ARGS)

# The test set is constrained to the app's versions: the tests run what `make run` runs.
lock:
	$(VENV)/bin/uv pip compile -q --python $(PY) pyproject.toml -o requirements.lock
	$(VENV)/bin/uv pip compile -q --python $(PY) pyproject.toml --extra test \
		-c requirements.lock -o requirements-test.lock

clean:
	rm -rf $(VENV) instance .pytest_cache
