#!/usr/bin/env bash
# Runs the suite on the machine's PostgreSQL when it answers (always under CI=true, where a
# missing PostgreSQL or Redis is a failure, not a skip); otherwise on SQLite with the
# service tests skipped and a warning.
set -euo pipefail
PY=${PY:-.venv/bin/python}
PG_URL=${TEST_DATABASE_URL:-postgres://postgres@127.0.0.1:5432/ita_portal}

if $PY scripts/service_up.py "$PG_URL"; then
  export DATABASE_URL="$PG_URL"
elif [ "${CI:-}" = "true" ]; then
  echo "PostgreSQL does not answer at $PG_URL; CI requires it." >&2
  exit 1
else
  echo "warning: PostgreSQL does not answer at $PG_URL; running on SQLite, service tests skipped." >&2
  unset DATABASE_URL
fi
unset REDIS_URL  # the suite runs tasks in-process; the worker test brings its own Redis queue
exec $PY -m pytest "$@"
