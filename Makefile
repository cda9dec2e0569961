# Two commands do everything: `make run` (the demo) and `make test` (the suite).
SHELL := /bin/bash
PYTHON ?= $(shell command -v python3.11 || command -v python3)
VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# make test runs on every core (pytest-xdist); TEST_WORKERS=0 runs in one process.
TEST_WORKERS ?= auto
export PORT

.PHONY: run test e2e install migrate demo bench loadtest scaletest lint messages clean backup restore

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
	DJANGO_SETTINGS_MODULE=config.settings.test $(VENV)/bin/pytest -n $(TEST_WORKERS)

# The journeys in a real browser and the accessibility checks: Playwright drives
# Debian's Chromium (`apt-get install chromium fonts-noto-cjk`; no browser is
# downloaded) against the demo served on 127.0.0.1 with a Celery worker.
# axe-core comes from npm, pinned and checked. Screenshots and the server's and
# worker's logs: var/e2e-artifacts/.
AXE_VERSION := 4.14.1
AXE_INTEGRITY := sha512-FHfa+lmNjQZfJz1q8wKqIDwC6DExcHt/pkjNQb09a3NPjCKg2rhu5qb2S4r76ASyFNNtuFooJpZe37OgudVGtQ==
AXE_JS := var/e2e-node/axe-core-$(AXE_VERSION)/axe.min.js
$(AXE_JS):
	mkdir -p $(@D)
	cd $(@D) && npm pack --silent axe-core@$(AXE_VERSION) >/dev/null
	test "sha512-$$(openssl dgst -sha512 -binary $(@D)/axe-core-$(AXE_VERSION).tgz | base64 -w0)" = "$(AXE_INTEGRITY)"
	tar -xzf $(@D)/axe-core-$(AXE_VERSION).tgz -C $(@D) --strip-components=1 package/axe.min.js
	rm $(@D)/axe-core-$(AXE_VERSION).tgz

e2e: install $(AXE_JS)
	SANGSAENG_E2E=1 SANGSAENG_AXE_JS=$(CURDIR)/$(AXE_JS) DJANGO_SETTINGS_MODULE=config.settings.test \
		$(VENV)/bin/pytest tests/e2e --durations=0

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
# LOADTEST_BUSY=5 runs it beside five busy loops: a slower or busier host.
LOADTEST_DATABASE_URL ?= postgres://sangsaeng:sangsaeng@127.0.0.1:5432/sangsaeng_load
loadtest: install
	scripts/services.sh sangsaeng_load
	LOADTEST_DATABASE_URL=$(LOADTEST_DATABASE_URL) $(PY) -m bench.loadtest

# Two web nodes and a worker node (gunicorn, Celery, each with folders of its
# own) sharing only PostgreSQL, Redis and the storage: a preview confirmed on
# the other node, a report built by the worker downloaded from a web node, a
# cached figure changed on both, beat sending once, a node killed mid-request.
# Both flavours: a shared folder (NAS) and a local S3 server (moto). Prints
# `name: value` lines; logs in var/scale/. See bench/scaletest/.
SCALETEST_DATABASE_URL ?= postgres://sangsaeng:sangsaeng@127.0.0.1:5432/sangsaeng_scale
scaletest: install
	scripts/services.sh sangsaeng_scale
	SCALETEST_DATABASE_URL=$(SCALETEST_DATABASE_URL) $(PY) -m bench.scaletest

# mypy checks the modules listed under [tool.mypy] files in pyproject.toml
# (cache in var/mypy).
lint: install
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/mypy
	$(VENV)/bin/lint-imports

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
