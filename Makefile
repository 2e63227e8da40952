# ITA Portal — two commands: `make run` and `make test`.
# The newest Python 3.11–3.13 found on PATH (not a hard-coded python3.11).
PYTHON ?= $(shell scripts/find-python.sh)
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: run test check setup system test-system messages check-deploy bench clean

run: setup
	@echo http://127.0.0.1:$(PORT) > .run-site-url  # links made outside a request (invitations) follow PORT
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

# Testing needs more than running: the test packages (requirements-test.txt) and system packages
# (TEST_NEEDS in scripts/ensure-system.sh: Chromium, poppler, zbar, redis-server, …).
test: test-system $(VENV)/.installed $(VENV)/.test-installed node_modules/.installed messages check
	scripts/run-tests.sh

# The shape of the house, before the tests (CI runs it through `make test`): ruff (rules in ruff.toml),
# import-linter (the layers and no cycles, in .importlinter) and no model change without its migration.
check: $(VENV)/.installed $(VENV)/.test-installed
	$(VENV)/bin/ruff check .
	$(VENV)/bin/lint-imports --no-cache
	$(PY) manage.py makemigrations --check --dry-run

# Everything `run` needs, without prompting: system packages, venv, assets, database, demo data
# (`make run DEMO=no`: an empty portal with the frameworks only, to try the onboarding from scratch).
setup: system $(VENV)/.installed node_modules/.installed messages
	$(PY) manage.py migrate --noinput
	$(if $(filter no,$(DEMO)),$(PY) manage.py load_frameworks && $(PY) manage.py ensure_fiscal_year,$(PY) manage.py load_demo --samples)

system:
	scripts/ensure-system.sh run

test-system:
	scripts/ensure-system.sh test

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

$(VENV)/.test-installed: requirements-test.txt $(VENV)/.installed
	$(PY) -m pip install --quiet -r requirements-test.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

messages: $(VENV)/.installed
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v0

# Benchmarks: public page throughput vs a minimal view; report rendering (UNITS=N units).
# `make bench SCALE=national`: the national tree on PostgreSQL (BENCH_DATABASE_URL), see README.
bench: test-system $(VENV)/.installed $(VENV)/.test-installed node_modules/.installed messages
	scripts/ensure-system.sh bench
	scripts/bench.sh

check-deploy: $(VENV)/.installed
	DEBUG=false SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))') \
	  REDIS_URL=redis://127.0.0.1:6379/0 SITE_URL=https://ita.example.go.th \
	  ALLOWED_HOSTS=ita.example.go.th $(PY) manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) node_modules staticfiles
