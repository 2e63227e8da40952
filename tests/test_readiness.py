"""Health that tells the truth (issue 22): `/healthz/` says the process answers; `/readyz/` says whether the
node can serve — the database, the cache and the storage each asked within a short time — and answers 503
when one is down, so a load balancer stops sending traffic to a node that can only answer 500."""

import json
import os
import subprocess
import sys
import time

from django.conf import settings

from tests.conftest import require, service_up

# The view asked in a separate process configured as a node would be (the environment), through Django's
# test client: nothing of this test process's own database or cache is involved.
ASK = """
import json, django
django.setup()
from django.test import Client
client = Client()
ready, live = client.get("/readyz/"), client.get("/healthz/")
print(json.dumps({"ready": ready.status_code, "body": ready.json(), "live": live.status_code}))
"""


def ask(tmp_path, **env) -> tuple[dict, float]:
    media = tmp_path / "media"
    media.mkdir(exist_ok=True)
    full_env = {**os.environ, "DJANGO_SETTINGS_MODULE": "ita_portal.settings", "MEDIA_ROOT": str(media),
                "ALLOWED_HOSTS": "testserver", **env}
    for name, value in env.items():
        if value is None:
            full_env.pop(name)
    started = time.monotonic()
    done = subprocess.run([sys.executable, "-c", ASK], env=full_env, capture_output=True, text=True,
                          cwd=settings.BASE_DIR, timeout=60)
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout.strip().splitlines()[-1]), time.monotonic() - started


def postgres_url() -> str:
    url = os.environ.get("TEST_DATABASE_URL") or os.environ.get("DATABASE_URL") or "postgres://postgres@127.0.0.1:5432/postgres"
    require(url.startswith("postgres") and service_up(url), "PostgreSQL is needed")
    return url.rsplit("/", 1)[0] + "/postgres"


def test_ready_when_everything_answers(tmp_path):
    answer, _seconds = ask(tmp_path, DATABASE_URL=postgres_url(), REDIS_URL=None)
    assert answer["ready"] == 200 and answer["body"] == {
        "status": "ready", "checks": {"database": "ok", "cache": "ok", "storage": "ok"}}


def test_503_with_the_database_unreachable_while_liveness_stays_ok(tmp_path):
    answer, seconds = ask(tmp_path, DATABASE_URL="postgres://postgres@127.0.0.1:1/nowhere", REDIS_URL=None)
    assert answer["ready"] == 503 and answer["live"] == 200
    assert answer["body"]["status"] == "unavailable"
    assert answer["body"]["checks"]["database"] != "ok" and answer["body"]["checks"]["storage"] == "ok"
    assert seconds < 20


def test_503_with_redis_unreachable(tmp_path):
    """The portal itself serves without Redis (the cache degrades), but a node whose configured cache is
    gone is not the node to send traffic to while others have theirs."""
    answer, _seconds = ask(tmp_path, DATABASE_URL=postgres_url(), REDIS_URL="redis://127.0.0.1:1/0")
    assert answer["ready"] == 503
    assert answer["body"]["checks"]["cache"] != "ok" and answer["body"]["checks"]["database"] == "ok"


def test_503_with_the_media_storage_missing(tmp_path):
    answer, _seconds = ask(tmp_path, DATABASE_URL=postgres_url(), REDIS_URL=None, MEDIA_ROOT=str(tmp_path / "unmounted"))
    assert answer["ready"] == 503
    assert "unmounted" in answer["body"]["checks"]["storage"]


def test_ready_with_redis_when_it_answers(tmp_path):
    redis_url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    require(service_up(redis_url), "Redis is needed")
    answer, _seconds = ask(tmp_path, DATABASE_URL=postgres_url(), REDIS_URL=redis_url)
    assert answer["ready"] == 200, answer
