# Two commands for a newcomer: `make run` (the dashboard with the full record) and
# `make test` (the whole test suite). Each sets up what it needs: virtualenv, packages,
# a PostgreSQL cluster of its own (unless DATABASE_URL is set), migrations, data.

SHELL := /bin/bash
.SHELLFLAGS := -eu -o pipefail -c
.DEFAULT_GOAL := help

VENV := .venv
PY := $(VENV)/bin/python
PORT ?= 8000
# A Python 3.12+ (Django 6.1 needs it); the first that works, pyenv's included.
PYTHON ?= $(shell for p in python3.13 python3.12 python3 $$HOME/.pyenv/versions/3.1[3-9]*/bin/python3 $$HOME/.pyenv/versions/3.12*/bin/python3; do \
	$$p -c 'import sys; sys.exit(sys.version_info < (3, 12))' >/dev/null 2>&1 && { echo $$p; break; }; done)

step = @printf '\n==> %s\n' "$(1)"

.PHONY: help run test stop load check superuser editor screenshots bench bench-admin clean serve db backup restore soak drill synthesize

help:
	@echo "make run        set up everything and serve the dashboard at http://127.0.0.1:$(PORT)"
	@echo "make test       set up everything and run the whole test suite"
	@echo "make stop       stop the local PostgreSQL clusters (the data stays)"
	@echo "make load       reload the record from meetings/record/ (overwrites edits to the same events)"
	@echo "make check      check the record in the database for broken rules"
	@echo "make superuser  create an account manager (superuser) for the admin"
	@echo "make editor     create an editor: may correct the record, not manage accounts"
	@echo "make screenshots  refresh docs/screenshots/ from the browser tests"
	@echo "make bench      serve with gunicorn (DEBUG off) and measure each page under load"
	@echo "make bench-admin  time the admin change page of the 2014 event"
	@echo "make serve      serve the site as in production (gunicorn, DEBUG off) at http://127.0.0.1:$(PORT)"
	@echo "make db         start the local database alone and print its DATABASE_URL"
	@echo "make backup     write a timestamped pg_dump of the make run database to backups/"
	@echo "make restore FILE=backups/...dump   restore a backup into an empty database"
	@echo "make soak       60 s of load at 64 connections against make serve: errors, 5xx, worker memory"
	@echo "make drill      stop and restart the database under load: what readers get meanwhile"
	@echo "make synthesize FACTOR=100   a scratch database with a record 100x the shipped one"
	@echo "make clean      remove the virtualenv and the local clusters (their data too)"

$(VENV)/.installed: pyproject.toml
	$(call step,virtualenv and packages)
	@test -n "$(PYTHON)" || { echo "No Python 3.12 or newer found; install one or set PYTHON=/path/to/python3.12"; exit 1; }
	@echo "    using $(PYTHON) ($$($(PYTHON) --version))"
	@test -x $(PY) || $(PYTHON) -m venv $(VENV)
	@$(PY) -m pip install --quiet --disable-pip-version-check --upgrade pip 2>&1 | grep -v "is ignored" || true
	@# The project is an application, not a package: install its declared dependencies only.
	@$(PY) -c "import tomllib; p = tomllib.load(open('pyproject.toml', 'rb'))['project']; 		print('\n'.join(p['dependencies'] + p['optional-dependencies']['test']))" > $(VENV)/requirements.txt
	@$(PY) -m pip install --quiet --disable-pip-version-check -r $(VENV)/requirements.txt 2>&1 | grep -v "is ignored" || true
	@$(PY) -c "import django, django_htmx, psycopg, pytest_django, playwright" || { echo "package install failed"; exit 1; }
	@touch $@

# DATABASE_URL wins; otherwise the project's own cluster ("run": crash-safe, kept).
run: $(VENV)/.installed
	$(call step,database)
	@export DATABASE_URL="$${DATABASE_URL:-$$($(PY) -m council.localdb up run)}" DJANGO_DEBUG="$${DJANGO_DEBUG:-true}"; \
	printf '\n==> %s\n' "migrations"; $(PY) manage.py migrate --no-input | sed 's/^/    /'; \
	printf '\n==> %s\n' "the record"; $(PY) manage.py load_record --if-empty | sed 's/^/    /'; \
	printf '\n==> %s\n' "serving http://127.0.0.1:$(PORT)/ (Ctrl-C to stop; \`make stop\` stops the database)"; \
	exec $(PY) manage.py runserver 127.0.0.1:$(PORT)

# The tests get a throwaway cluster of their own ("test"); pytest-django makes test_record in it.
test: $(VENV)/.installed
	$(call step,test database)
	@export DATABASE_URL="$${DATABASE_URL:-$$($(PY) -m council.localdb up test)}" DJANGO_DEBUG=true DJANGO_ALLOW_ASYNC_UNSAFE=true; \
	printf '\n==> %s\n' "lint (ruff)"; $(PY) -m ruff check . && \
	printf '\n==> %s\n' "tests"; $(PY) -m pytest $(PYTEST_ARGS)

stop: $(VENV)/.installed
	$(call step,stopping the local PostgreSQL clusters)
	@$(PY) -m council.localdb down run
	@$(PY) -m council.localdb down test
	@$(PY) -m council.localdb down outage

load: $(VENV)/.installed
	$(call step,loading the record)
	@export DATABASE_URL="$${DATABASE_URL:-$$($(PY) -m council.localdb up run)}" DJANGO_DEBUG=true; \
	$(PY) manage.py migrate --no-input >/dev/null; $(PY) manage.py load_record

check: $(VENV)/.installed
	$(call step,checking the record)
	@export DATABASE_URL="$${DATABASE_URL:-$$($(PY) -m council.localdb up run)}" DJANGO_DEBUG=true; \
	$(PY) manage.py migrate --no-input >/dev/null; $(PY) manage.py check_record

superuser: $(VENV)/.installed
	@export DATABASE_URL="$${DATABASE_URL:-$$($(PY) -m council.localdb up run)}" DJANGO_DEBUG=true; \
	$(PY) manage.py migrate --no-input >/dev/null; $(PY) manage.py createsuperuser

# Asks for a user name and password, or takes EDITOR_USER and EDITOR_PASSWORD from the environment.
editor: $(VENV)/.installed
	@export DATABASE_URL="$${DATABASE_URL:-$$($(PY) -m council.localdb up run)}" DJANGO_DEBUG=true; \
	$(PY) manage.py migrate --no-input >/dev/null; $(PY) manage.py create_editor

screenshots: $(VENV)/.installed
	$(call step,screenshots of every page, desktop and phone)
	@export DATABASE_URL="$${DATABASE_URL:-$$($(PY) -m council.localdb up test)}" DJANGO_DEBUG=true DJANGO_ALLOW_ASYNC_UNSAFE=true \
		SCREENSHOT_DIR=docs/screenshots; \
	$(PY) -m pytest tests/browser/test_dashboard.py -k 'axe or matrix' -q; \
	$(PY) -m pytest tests/browser/test_layout.py -k 'event-2014 or event-2024' -q

# -- Serving as in production (issue 8): make serve, db, backup, restore, soak, bench, drill -----

WORKERS ?= 2
BENCH_PORT ?= 8001
SOAK_SECONDS ?= 60
SOAK_CONNECTIONS ?= 64
# Production settings on loopback: DEBUG off, a secret key kept in .local/, no TLS redirect
# (there is no TLS on 127.0.0.1), hashed and compressed static files.
PRODUCTION_ENV = mkdir -p .local; test -s .local/secret-key || $(PY) -c "import secrets; print(secrets.token_urlsafe(50))" > .local/secret-key; \
	export DJANGO_DEBUG=false DJANGO_SECRET_KEY="$${DJANGO_SECRET_KEY:-$$(cat .local/secret-key)}" \
		DJANGO_ALLOWED_HOSTS="$${DJANGO_ALLOWED_HOSTS:-127.0.0.1,localhost}" \
		DJANGO_SECURE_SSL_REDIRECT="$${DJANGO_SECURE_SSL_REDIRECT:-false}"
# Migrations, the record if the database is empty, static files; then $(1) is served in the background.
SET_UP_SITE = printf '\n==> %s\n' "migrations, the record, static files"; \
	$(PY) manage.py migrate --no-input | sed 's/^/    /'; $(PY) manage.py load_record --if-empty | sed 's/^/    /'; \
	$(PY) manage.py collectstatic --no-input | sed 's/^/    /'
START_SERVER = $(VENV)/bin/gunicorn council.wsgi --bind 127.0.0.1:$(1) --workers $(WORKERS) --log-level warning \
		--pid .local/gunicorn-$(1).pid & server=$$!; trap "kill $$server 2>/dev/null; wait $$server 2>/dev/null" EXIT; \
	for i in $$(seq 100); do curl -sf -o /dev/null http://127.0.0.1:$(1)/healthz && break; sleep 0.1; done

serve: $(VENV)/.installed
	$(call step,database)
	@$(PRODUCTION_ENV); export DATABASE_URL="$${DATABASE_URL:-$$($(PY) -m council.localdb up run)}" \
		DJANGO_SITE_URL="$${DJANGO_SITE_URL:-http://127.0.0.1:$(PORT)}"; \
	$(SET_UP_SITE); \
	printf '\n==> %s\n' "serving http://127.0.0.1:$(PORT)/ with gunicorn ($(WORKERS) workers, DEBUG off; Ctrl-C to stop)"; \
	exec $(VENV)/bin/gunicorn council.wsgi --bind 127.0.0.1:$(PORT) --workers $(WORKERS) --log-level warning

db: $(VENV)/.installed
	$(call step,database)
	@$(PY) -m council.localdb up run

backup: $(VENV)/.installed
	$(call step,backup of the make run database)
	@export DATABASE_URL="$${DATABASE_URL:-$$($(PY) -m council.localdb up run)}"; \
	$(PY) -m council.backup dump "$$DATABASE_URL" backups | sed 's/^/    wrote /'

# Into the make run database when it is empty (a new machine: make db, then make restore), or
# with RESTORE_DB=name into a new database of that name in the local cluster, beside the data.
restore: $(VENV)/.installed
	$(call step,restoring $(FILE))
	@test -n "$(FILE)" || { echo "usage: make restore FILE=backups/record-....dump [RESTORE_DB=name]"; exit 1; }
	@if [ -n "$(RESTORE_DB)" ]; then target="$$($(PY) -m council.localdb createdb run $(RESTORE_DB))"; \
	else target="$${DATABASE_URL:-$$($(PY) -m council.localdb up run)}"; fi; \
	$(PY) -m council.backup restore "$(FILE)" "$$target" && echo "    restored into $${target%%\?*}" | sed 's#//[^@]*@#//#'

# Cold renders in this process, then warm pages with wrk against gunicorn on $(BENCH_PORT).
bench: $(VENV)/.installed
	$(call step,benchmark: gunicorn with production settings on 127.0.0.1:$(BENCH_PORT))
	@$(PRODUCTION_ENV); export DATABASE_URL="$${DATABASE_URL:-$$($(PY) -m council.localdb up run)}"; \
	$(SET_UP_SITE) >/dev/null; $(call START_SERVER,$(BENCH_PORT)); \
	$(PY) manage.py bench --url http://127.0.0.1:$(BENCH_PORT) $(BENCH_ARGS)

# The admin's event change page, timed in-process (no server): median of 20 renders of
# the 2014 event with production settings; the target is 150 ms (issue 9).
bench-admin: $(VENV)/.installed
	$(call step,admin change page of the 2014 event: median render time)
	@export DATABASE_URL="$${DATABASE_URL:-$$($(PY) -m council.localdb up run)}" DJANGO_DEBUG=false DJANGO_MANIFEST_STATIC=false \
		DJANGO_SECRET_KEY=bench-only-not-a-secret-$$RANDOM$$RANDOM$$RANDOM$$RANDOM DJANGO_ALLOWED_HOSTS=127.0.0.1; \
	$(PY) manage.py migrate --no-input >/dev/null; $(PY) manage.py load_record --if-empty >/dev/null; \
	$(PY) manage.py bench_admin $(BENCH_ADMIN_ARGS)

soak: $(VENV)/.installed
	$(call step,soak: $(SOAK_SECONDS) s at $(SOAK_CONNECTIONS) connections against gunicorn on 127.0.0.1:$(BENCH_PORT))
	@$(PRODUCTION_ENV); export DATABASE_URL="$${DATABASE_URL:-$$($(PY) -m council.localdb up run)}"; \
	$(SET_UP_SITE) >/dev/null; $(call START_SERVER,$(BENCH_PORT)); \
	$(PY) manage.py soak --url http://127.0.0.1:$(BENCH_PORT) --seconds $(SOAK_SECONDS) \
		--connections $(SOAK_CONNECTIONS) --pidfile .local/gunicorn-$(BENCH_PORT).pid

FACTOR ?= 100
# A scratch database (record_x$(FACTOR), in the make run cluster) holding $(FACTOR)x the shipped
# record; measure against it with DATABASE_URL=<the printed URL> make bench (or serve).
synthesize: $(VENV)/.installed
	$(call step,a record $(FACTOR)x the shipped one, in the database record_x$(FACTOR))
	@# A scratch database: made again from nothing on every run.
	@url="$$($(PY) -m council.localdb recreatedb run record_x$(FACTOR))"; export DATABASE_URL="$$url" DJANGO_DEBUG=true; \
	$(PY) manage.py migrate --no-input >/dev/null; $(PY) manage.py synthesize --factor $(FACTOR); \
	echo "    DATABASE_URL=$$DATABASE_URL"

# The database stopped and started again under load. It uses a cluster of its own ("outage"),
# so the make run data is never touched, with the same server set-up as make serve.
drill: $(VENV)/.installed
	$(call step,drill: a database outage under load, gunicorn on 127.0.0.1:$(BENCH_PORT))
	@$(PRODUCTION_ENV); export DATABASE_URL="$$($(PY) -m council.localdb up outage)"; \
	$(SET_UP_SITE) >/dev/null; $(call START_SERVER,$(BENCH_PORT)); \
	$(PY) manage.py drill --url http://127.0.0.1:$(BENCH_PORT) --cluster outage

clean:
	-@test -x $(PY) && $(PY) -m council.localdb down run; test -x $(PY) && $(PY) -m council.localdb down test; true
	-@test -x $(PY) && $(PY) -m council.localdb down outage; true
	rm -rf $(VENV) .local *.egg-info
