# Two commands do everything: `make run` (the demo) and `make test` (the suite).
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
export PORT

.PHONY: run test install migrate demo bench lint messages clean backup restore

$(VENV)/.installed: requirements.txt requirements-dev.txt
	$(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements-dev.txt
	touch $@

install: $(VENV)/.installed

migrate: install
	$(PY) manage.py migrate --noinput

demo: migrate
	$(PY) manage.py seed_demo

# The demo: SQLite, a filesystem broker, console e-mail. Ctrl-C stops all three.
run: demo
	@echo "Starting web (http://127.0.0.1:$(PORT)), Celery worker and Celery beat…"
	SANGSAENG_PORT=$(PORT) $(VENV)/bin/honcho --no-colour -f Procfile.dev start

test: install
	DJANGO_SETTINGS_MODULE=config.settings.test $(VENV)/bin/pytest

# Benchmarks run against a real PostgreSQL (started by scripts/services.sh) in a
# database of their own, so they never touch the demo's data.
BENCH_DATABASE_URL ?= postgres://sangsaeng:sangsaeng@127.0.0.1:5432/sangsaeng_bench
bench: install
	scripts/services.sh sangsaeng_bench
	DJANGO_SETTINGS_MODULE=config.settings.dev DATABASE_URL=$(BENCH_DATABASE_URL) \
		$(PY) manage.py migrate --noinput -v0
	DJANGO_SETTINGS_MODULE=config.settings.dev DATABASE_URL=$(BENCH_DATABASE_URL) \
		$(PY) -m bench $(BENCH)

# The deadline rush: 200 district officers and 3 city managers (Locust) against
# gunicorn, PostgreSQL, Redis and a Celery worker on 127.0.0.1, in a database of
# its own made afresh from the demo; prints p50_ms, p95_ms, error_rate and lost.
# Bounded in users, time (LOADTEST_SECONDS) and requests; logs in var/load/.
LOADTEST_DATABASE_URL ?= postgres://sangsaeng:sangsaeng@127.0.0.1:5432/sangsaeng_load
loadtest: install
	scripts/services.sh sangsaeng_load
	LOADTEST_DATABASE_URL=$(LOADTEST_DATABASE_URL) $(PY) -m bench.loadtest

lint: install
	$(VENV)/bin/ruff check .

# Regenerate .po files after changing strings (needs GNU gettext), then compile.
messages: install
	$(PY) manage.py makemessages -l en -l ko --ignore=.venv --ignore=var
	$(PY) manage.py compilemessages --ignore=.venv

# A consistent dump of the database and the uploaded files into backups/.
backup: install
	$(PY) manage.py backup --output-dir backups

# make restore FILE=backups/sangsaeng-….tar.gz
restore: install
	@test -n "$(FILE)" || (echo "usage: make restore FILE=backups/sangsaeng-YYYYmmdd-HHMMSS.tar.gz"; exit 2)
	$(PY) manage.py restore "$(FILE)"

clean:
	rm -rf var/test .pytest_cache
