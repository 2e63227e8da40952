# ITA Portal — two commands: `make run` and `make test`.
PYTHON ?= python3.11
VENV ?= .venv
PY := $(VENV)/bin/python
PORT ?= 8000

.PHONY: run test setup system messages check-deploy bench clean

run: setup
	$(PY) manage.py runserver 127.0.0.1:$(PORT)

test: system $(VENV)/.installed node_modules/.installed messages
	scripts/run-tests.sh

# Everything `run` needs, without prompting: system packages, venv, assets, database, demo data.
setup: system $(VENV)/.installed node_modules/.installed messages
	$(PY) manage.py migrate --noinput
	$(PY) manage.py load_demo --samples

system:
	scripts/ensure-system.sh

$(VENV)/.installed: requirements.txt
	test -x $(PY) || $(PYTHON) -m venv $(VENV)
	$(PY) -m pip install --quiet --upgrade pip
	$(PY) -m pip install --quiet -r requirements.txt
	touch $@

node_modules/.installed: package.json package-lock.json
	npm ci --no-audit --no-fund --loglevel=error
	touch $@

messages: $(VENV)/.installed
	$(PY) manage.py compilemessages --ignore=.venv --ignore=node_modules -v0

# Benchmarks: public page throughput vs a minimal view; report rendering (UNITS=N units).
# `make bench SCALE=national`: the national tree on PostgreSQL (BENCH_DATABASE_URL), see README.
bench: system $(VENV)/.installed node_modules/.installed messages
	scripts/ensure-system.sh bench
	scripts/bench.sh

check-deploy: $(VENV)/.installed
	DEBUG=false SECRET_KEY=$$($(PY) -c 'import secrets; print(secrets.token_urlsafe(50))') \
	  ALLOWED_HOSTS=ita.example.go.th $(PY) manage.py check --deploy --fail-level WARNING

clean:
	rm -rf $(VENV) node_modules staticfiles
