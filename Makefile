# Two commands on a fresh machine: `make run` and `make test`. Everything they need is installed here.
SHELL := /bin/bash
VENV ?= .venv
PY := $(VENV)/bin/python
PYTEST := $(PY) -m pytest
PG_URL ?= postgres://postgres@127.0.0.1:5432/dti
export PYTHONPATH := $(CURDIR)
WEB_SETTINGS := DJANGO_SETTINGS_MODULE=dti.site.settings
# Test suites on every core (pytest-xdist). loadgroup keeps pytest-django's order within each worker
# (transactional tests last) and runs a module marked xdist_group("servers") on one worker.
XDIST ?= -n auto --dist loadgroup

.PHONY: setup system-deps run worker cron test lint typecheck test-engine test-web test-web-postgres test-browser bench schema clean

$(VENV)/.installed: requirements.txt requirements-dev.txt pyproject.toml
	test -x $(PY) || python3 -m venv $(VENV)
	$(PY) -m pip install -q --disable-pip-version-check -r requirements-dev.txt
	$(PY) -m pip install -q --disable-pip-version-check --no-deps -e .
	touch $@

# Apache ECharts for the results charts, vendored from the npm registry (no CDN, no build step):
# the published package's minified dist file, checked against its SHA-256, into the static files.
ECHARTS_VERSION := 6.1.0
ECHARTS_SHA256 := b66b25aeb4df84e33199dc21694014d336d222cbd9deb0e5a7c14bd6aa0d0fd0
ECHARTS := dti/site/static/vendor/echarts.min.js
$(ECHARTS):
	@command -v npm >/dev/null || { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq npm >/dev/null; }
	@tmp=$$(mktemp -d) && trap 'rm -rf "$$tmp"' EXIT && \
	  (cd "$$tmp" && npm pack --silent echarts@$(ECHARTS_VERSION) >/dev/null) && \
	  tar -xzf "$$tmp"/echarts-$(ECHARTS_VERSION).tgz -C "$$tmp" package/dist/echarts.min.js package/LICENSE && \
	  echo "$(ECHARTS_SHA256)  $$tmp/package/dist/echarts.min.js" | sha256sum -c --quiet && \
	  mkdir -p $(@D) && cp "$$tmp"/package/LICENSE $(@D)/echarts.LICENSE && cp "$$tmp"/package/dist/echarts.min.js $@

# Everything a newcomer needs, the browser tests' chromium included (system-deps).
setup: system-deps $(VENV)/.installed $(ECHARTS)

# Debian packages: chromium for the browser tests, gettext for the translation catalogues, npm to
# fetch the vendored chart library (setup), WeasyPrint's pango/harfbuzz, fonts with Vietnamese glyphs
# (Liberation Serif has Times New Roman's metrics), pdftotext for the document tests.
# Not root: through sudo when it needs no password, else say what to install and go on.
SYSTEM_COMMANDS := chromium:chromium msgfmt:gettext npm:npm pdftotext:poppler-utils
SYSTEM_LIBRARIES := libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core fonts-liberation
system-deps:
	@missing=; for pair in $(SYSTEM_COMMANDS); do command -v $${pair%%:*} >/dev/null || missing="$$missing $${pair##*:}"; done; \
	for p in $(SYSTEM_LIBRARIES); do dpkg -s $$p >/dev/null 2>&1 || missing="$$missing $$p"; done; \
	if [ -n "$$missing" ]; then \
	  if [ "$$(id -u)" = 0 ]; then SUDO=; elif sudo -n true 2>/dev/null; then SUDO="sudo -n"; \
	  else echo "system-deps: not root; install them yourself: sudo apt-get install$$missing" >&2; exit 0; fi; \
	  $$SUDO apt-get update -qq && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -qq $$missing >/dev/null; \
	fi

# SQLite in var/, the bundled frameworks, a demo province and campaign, then serve.
# A development server: DTI_DEBUG=1 (the settings refuse to start with debug off and no DTI_SECRET_KEY).
# make run PORT=8001 HOST=0.0.0.0
PORT ?= 8000
HOST ?= 127.0.0.1
run: export DTI_DEBUG ?= 1
run: setup
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo
	$(PY) manage.py run_jobs
	$(PY) manage.py runserver $(HOST):$(PORT)

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
	$(PYTEST) $(XDIST) tests/engine tests/frameworks tests/test_*.py

test-web: setup
	@if [ -d tests/web ]; then $(WEB_SETTINGS) $(PYTEST) $(XDIST) tests/web; fi

test-web-postgres: setup
	@if [ -d tests/web ]; then DATABASE_URL=$(PG_URL) $(WEB_SETTINGS) $(PYTEST) $(XDIST) tests/web; fi

test-browser: setup system-deps
	@if [ -d tests/browser ]; then $(WEB_SETTINGS) DJANGO_ALLOW_ASYNC_UNSAFE=true $(PYTEST) tests/browser; fi

test: lint typecheck test-engine test-web test-web-postgres test-browser

bench: setup
	$(PY) bench/engine.py
	$(PY) bench/web.py
	DATABASE_URL=$(PG_URL) $(PY) bench/web.py
	DATABASE_URL=$(PG_URL) $(PY) bench/rush.py
	DATABASE_URL=$(PG_URL) $(PY) bench/recompute.py
	$(PY) bench/workbooks.py
	$(PY) bench/documents.py
	$(PY) bench/gains.py
	DATABASE_URL=$(PG_URL) $(PY) bench/kpi.py

schema: setup
	$(PY) -m dti.cli schema > docs/framework.schema.json

clean:
	rm -rf $(VENV) var .hypothesis .mypy_cache

# Screenshots of the main pages at 1280 and 390 px into docs/screenshots/ (the demo on a throwaway
# SQLite file and a free port; Playwright with Debian's chromium).
.PHONY: screenshots
screenshots: setup system-deps
	$(PY) -m dti.site.screenshots
