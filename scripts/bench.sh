#!/usr/bin/env bash
# `make bench`: seeds its own database (bench.sqlite3, never the development one), measures,
# prints figures. Loopback traffic only, bounded in time.
set -euo pipefail
PY=${PY:-.venv/bin/python}
export DATABASE_URL=${BENCH_DATABASE_URL:-sqlite:///$(pwd)/bench.sqlite3}
unset REDIS_URL
export EMAIL_URL=dummymail://  # the seeding sends workflow e-mails; nobody needs them here
$PY manage.py bench_public "$@"
if $PY manage.py help bench_reports >/dev/null 2>&1; then
  $PY manage.py bench_reports --units "${UNITS:-5}"
fi
DATABASE_URL=${ONBOARDING_BENCH_DATABASE_URL:-sqlite:///$(pwd)/bench-onboarding.sqlite3} $PY manage.py bench_onboarding
