# Internboard. `make run` and `make test` work on a fresh machine with Python 3.11+.
PYTHON ?= python3
VENV ?= .venv
BIN := $(VENV)/bin
PORT ?= 8000
# Two stamps: `make run` needs the runtime dependencies only; tests, lint and
# the benchmark add the dev extras (pytest, ruff, Playwright: ~200 MB more).
RUNTIME_STAMP := $(VENV)/.installed-runtime
DEV_STAMP := $(VENV)/.installed-dev

.PHONY: install run manage test test-sqlite test-postgres lint format migrations-check bench serve clean

$(RUNTIME_STAMP): pyproject.toml
	test -x $(BIN)/python || $(PYTHON) -m venv $(VENV)
	$(BIN)/pip install --quiet --upgrade pip
	$(BIN)/pip install --quiet -e .
	touch $(RUNTIME_STAMP)

$(DEV_STAMP): $(RUNTIME_STAMP)
	$(BIN)/pip install --quiet -e ".[dev]"
	touch $(DEV_STAMP)

# Everything CI needs (runtime, tests, lint).
install: $(DEV_STAMP)

run: $(RUNTIME_STAMP)
	$(BIN)/python manage.py migrate --noinput
	$(BIN)/python manage.py load_demo
	$(BIN)/python manage.py runserver 127.0.0.1:$(PORT)

# Any management command with the project's virtualenv:
#   make manage ARGS="createsuperuser"
manage: $(RUNTIME_STAMP)
	$(BIN)/python manage.py $(ARGS)

# The whole suite on SQLite, and again on PostgreSQL when DATABASE_URL is set.
test: $(DEV_STAMP)
	env -u DATABASE_URL $(BIN)/pytest
	@if [ -n "$$DATABASE_URL" ]; then echo "== again on $$DATABASE_URL"; $(BIN)/pytest; fi

# Style, and the shape of the code: the import contracts of pyproject.toml
# ([tool.importlinter]; docs/layout.md says why).
lint: $(DEV_STAMP)
	$(BIN)/ruff check .
	$(BIN)/ruff format --check .
	$(BIN)/lint-imports

format: $(DEV_STAMP)
	$(BIN)/ruff format .
	$(BIN)/ruff check --fix .

migrations-check: $(RUNTIME_STAMP)
	$(BIN)/python manage.py makemigrations --check --dry-run

# The performance budgets of docs/quality.md: N generated postings (POSTINGS, default
# 100000) in a fresh benchmark database next to DATABASE_URL (default: the
# local PostgreSQL's internboard_bench). Prints one table; JSON in bench/results/.
POSTINGS ?= 100000
bench: $(DEV_STAMP)
	POSTINGS=$(POSTINGS) DATABASE_URL="$(DATABASE_URL)" $(BIN)/python bench/run.py

# The production stack locally: production settings, collectstatic, gunicorn
# with gunicorn.conf.py on http://127.0.0.1:$(PORT), against DATABASE_URL
# (the SQLite file when unset). Plain HTTP on loopback, so the HTTPS redirect
# is off; SECRET_KEY is random per run unless set.
SERVE_ENV = DJANGO_ENV=production SECURE_SSL_REDIRECT=0 HOST=127.0.0.1 PORT=$(PORT) \
	SITE_URL="$${SITE_URL:-http://127.0.0.1:$(PORT)}" \
	ALLOWED_HOSTS="$${ALLOWED_HOSTS:-127.0.0.1,localhost}" \
	SECRET_KEY="$${SECRET_KEY:-$$($(BIN)/python -c 'import secrets; print(secrets.token_urlsafe(50))')}"

serve: $(RUNTIME_STAMP)
	$(SERVE_ENV) $(BIN)/python manage.py collectstatic --noinput
	$(SERVE_ENV) $(BIN)/python manage.py migrate --noinput
	$(SERVE_ENV) $(BIN)/gunicorn -c gunicorn.conf.py

clean:
	rm -rf $(VENV) staticfiles db.sqlite3 db.sqlite3-*
