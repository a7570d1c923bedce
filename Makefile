# EventHub: the two commands are `make run` and `make test` (see README.md).
PYTHON ?= python3
VENV   := .venv
PY     := $(VENV)/bin/python
PIP    := $(VENV)/bin/pip
HOST   ?= 127.0.0.1
PORT   ?= 8000
# Chromium for the browser tests comes from Debian (never `playwright install`).
CHROMIUM ?= /usr/bin/chromium

.PHONY: run run-prod test test-fast test-browser bench lint format messages check clean

$(VENV)/.installed: requirements.txt requirements-dev.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PIP) install --quiet --disable-pip-version-check -r requirements-dev.txt
	touch $@

# Compiled translations are build output, made from the committed .po files.
# Compiled only when a catalogue changed (var/.messages records the last
# compilation), so that test runs side by side never rewrite a .mo another reads.
PO_FILES := $(wildcard locale/*/LC_MESSAGES/*.po locale-django/*/LC_MESSAGES/*.po)
messages: var/.messages
var/.messages: $(VENV)/.installed $(PO_FILES)
	$(PY) manage.py compilemessages --ignore=.venv -v 0
	@mkdir -p var && touch $@

# Links in e-mails, PDFs, .ics and QR codes point at the port served here
# (the worker has no request to learn it from); an exported SITE_URL wins.
run: export SITE_URL ?= http://$(HOST):$(PORT)
run: $(VENV)/.installed messages
	$(PY) manage.py migrate --noinput -v 0
	$(PY) manage.py load_demo
	@echo ""
	@echo "  EventHub demo fair: http://$(HOST):$(PORT)/"
	@echo "  Staff logins (username / password): organizer / organizer, volunteer / volunteer, doctor / doctor"
	@echo "  Admin: http://$(HOST):$(PORT)/admin/   API docs: http://$(HOST):$(PORT)/api/docs/"
	@echo "  Links in e-mails and PDFs: $(SITE_URL)"
	@echo ""
	@# The task worker sends ticket e-mails (var/mail/ in this profile); it
	@# runs beside the web server, and both stop together on Ctrl-C.
	@$(PY) manage.py run_task_worker --interval 0.5 -v 0 & worker=$$!; \
	trap 'kill $$worker 2>/dev/null; wait $$worker 2>/dev/null' EXIT INT TERM; \
	$(VENV)/bin/uvicorn eventhub.asgi:application --host $(HOST) --port $(PORT) --lifespan off

# The production profile on loopback: PostgreSQL + Redis, DEBUG off, nginx on
# PORT in front of gunicorn (HTTP, WSGI_WORKERS, default 2 x cores) and
# uvicorn (WebSockets, ASGI_WORKERS, default 2), plus the task worker; Ctrl-C
# stops them all (deploy/run-prod, deploy/serve).
run-prod: $(VENV)/.installed messages
	PORT=$(PORT) bash deploy/run-prod

# The whole suite: everything but the browser tests, then the browser tests in
# their own process (sync Playwright and pytest-asyncio cannot share one).
# BROWSER=no leaves the browser tests out (.ci/run runs them once, on PostgreSQL).
test: $(VENV)/.installed messages
	$(PY) manage.py check --fail-level WARNING
	$(PY) manage.py makemigrations --check --dry-run -v 0
	$(PY) -m pytest -m "not browser" $(PYTEST_ARGS)
	@if [ "$(BROWSER)" = "no" ]; then \
		echo "make test: browser tests not run here (BROWSER=no)"; \
	elif [ -x $(CHROMIUM) ]; then \
		DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest -m browser $(PYTEST_ARGS); \
	else \
		echo "make test: $(CHROMIUM) missing, browser tests not run (.ci/run installs it)"; \
	fi

test-fast: $(VENV)/.installed messages
	$(PY) -m pytest -m "not browser" -x -q $(PYTEST_ARGS)

test-browser: $(VENV)/.installed messages
	DJANGO_ALLOW_ASYNC_UNSAFE=true $(PY) -m pytest -m browser $(PYTEST_ARGS)

# Benchmarks want PostgreSQL + Redis: bench/run sets them up on loopback.
# `make bench BENCH_ARGS=--compare`: the old profile (uvicorn only) against
# the production profile (nginx + gunicorn + uvicorn), side by side;
# BENCH_ARGS="--compare --baseline ac996c3": the old side is the code before
# issue 15 under its uvicorn-only profile (README, Benchmarks).
bench: $(VENV)/.installed messages
	bash bench/run $(BENCH_ARGS)

lint: $(VENV)/.installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/ruff format --check .
	$(VENV)/bin/lint-imports --no-cache

format: $(VENV)/.installed
	$(VENV)/bin/ruff check --fix .
	$(VENV)/bin/ruff format .

clean:
	rm -rf $(VENV) var db.sqlite3 staticfiles
