# Two commands on a fresh machine: `make run` and `make test`. Everything they need is installed here.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PYTEST := $(PY) -m pytest
PG_URL ?= postgres://postgres@127.0.0.1:5432/dti
export PYTHONPATH := $(CURDIR)
WEB_SETTINGS := DJANGO_SETTINGS_MODULE=dti.site.settings

.PHONY: setup system-deps run worker cron test lint typecheck test-engine test-web test-web-postgres test-browser bench schema clean

$(VENV)/.installed: requirements.txt requirements-dev.txt pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements-dev.txt
	$(PY) -m pip install -q --disable-pip-version-check --no-deps -e .
	touch $@

setup: $(VENV)/.installed

# Debian packages: chromium for the browser tests, gettext for the translation catalogues.
system-deps:
	@if ! command -v chromium >/dev/null || ! command -v msgfmt >/dev/null; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium gettext >/dev/null; \
	fi
	@# WeasyPrint's pango/harfbuzz, fonts with Vietnamese glyphs (Liberation Serif = Times New Roman's metrics), pdftotext for the tests
	@if ! command -v pdftotext >/dev/null || ! fc-list | grep -q LiberationSerif; then \
	  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-liberation poppler-utils >/dev/null; \
	fi

# SQLite in var/, the bundled frameworks, a demo province and campaign, then serve.
# A development server: DTI_DEBUG=1 (the settings refuse to start with debug off and no DTI_SECRET_KEY).
run: export DTI_DEBUG ?= 1
run: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	$(PY) manage.py run_jobs
	$(PY) manage.py runserver 127.0.0.1:8000

# Background jobs on Redis (DTI_REDIS_URL=redis://127.0.0.1:6379/0): a worker, and the scheduler
# that enqueues reminders and pulls. Without DTI_REDIS_URL jobs run in process (see README).
worker: setup
	$(PY) manage.py rqworker default --with-scheduler

cron: setup
	$(PY) manage.py rqcron dti.site.cron

lint: setup
	$(VENV)/bin/ruff check dti tests bench

# mypy: strict for dti/engine, its defaults for the rest, Django through django-stubs (pyproject.toml).
typecheck: setup
	DTI_DEBUG=1 $(VENV)/bin/mypy  # settings are loaded by the django-stubs plugin: no production key needed

test-engine: setup
	$(PYTEST) tests/engine tests/frameworks tests/test_*.py

test-web: setup
	@if [ -d tests/web ]; then $(WEB_SETTINGS) $(PYTEST) tests/web; fi

test-web-postgres: setup
	@if [ -d tests/web ]; then DATABASE_URL=$(PG_URL) $(WEB_SETTINGS) $(PYTEST) tests/web; fi

test-browser: setup system-deps
	@if [ -d tests/browser ]; then $(WEB_SETTINGS) DJANGO_ALLOW_ASYNC_UNSAFE=true $(PYTEST) tests/browser; fi

test: lint typecheck test-engine test-web test-web-postgres test-browser

bench: setup
	$(PY) bench/engine.py
	$(PY) bench/web.py
	DATABASE_URL=$(PG_URL) $(PY) bench/web.py
	DATABASE_URL=$(PG_URL) $(PY) bench/rush.py
	DATABASE_URL=$(PG_URL) $(PY) bench/recompute.py

schema: setup
	$(PY) -m dti.cli schema > docs/framework.schema.json

clean:
	rm -rf $(VENV) var .hypothesis .mypy_cache
