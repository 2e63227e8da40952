#!/usr/bin/env bash
# `make bench`: seeds its own database (bench.sqlite3, never the development one), measures,
# prints figures. Loopback traffic only, bounded in time.
set -euo pipefail
PY=${PY:-.venv/bin/python}
export EMAIL_URL=dummymail://  # the seeding sends workflow e-mails; nobody needs them here
if [ "${SCALE:-}" = "national" ]; then
  # The national tree: 1,564 publishing units with a year of evidence, on PostgreSQL only.
  export DATABASE_URL=${BENCH_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/ita_bench}
  unset REDIS_URL
  $PY manage.py bench_national
  exec $PY manage.py bench_freeze  # the nation's ITAP records, frozen through Celery by two workers
fi
export DATABASE_URL=${BENCH_DATABASE_URL:-sqlite:///$(pwd)/bench.sqlite3}
unset REDIS_URL
$PY manage.py bench_public "$@"
if $PY manage.py help bench_reports >/dev/null 2>&1; then
  $PY manage.py bench_reports --units "${UNITS:-5}"
fi
DATABASE_URL=${ONBOARDING_BENCH_DATABASE_URL:-sqlite:///$(pwd)/bench-onboarding.sqlite3} $PY manage.py bench_onboarding
