"""`manage.py bench_freeze` (run by `make bench SCALE=national` after bench_national): on the national tree
it seeded, freeze the record as submitted to ITAP of every publishing unit through the real Celery path
— the daily beat task queued on Redis (BENCH_REDIS_URL), two `celery worker` processes taking the
chunks — and print the wall time, units per second and the median time per unit (from the workers'
own task timings), then check the counts against the published snapshots. Target: the nation within
10 minutes with two workers. The year's records are deleted first, so that it can run again."""

import os
import re
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from datetime import timedelta

import redis
from celery import current_app
from django.conf import settings
from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction

from ita_portal.lib.queue import send
from oit_items.assessment.models import FrozenFile, FrozenItem, ItapRecord
from oit_items.rulebook.models import Framework, Item
from units.models import Unit

TARGET_SECONDS = 600
DONE = re.compile(r"Task oit_items\.tasks\.freeze_itap_records\[[^\]]+\] succeeded in ([0-9.]+)s: (\d+)")


class Command(BaseCommand):
    help = "Freeze every unit's ITAP record through Celery with two workers; print the figures."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--fiscal-year", type=int, default=2567)
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--timeout", type=float, default=1800)

    def handle(self, *args, fiscal_year, workers, timeout, **options):
        if "postgresql" not in settings.DATABASES["default"]["ENGINE"]:
            raise CommandError("bench_freeze runs on the PostgreSQL database seeded by bench_national")
        frameworks = list(Framework.objects.filter(fiscal_year=fiscal_year))
        if not frameworks:
            raise CommandError(f"no framework for fiscal year {fiscal_year}: run bench_national first")
        units = Unit.objects.filter(unit_type__publishes_oit=True, unit_type__frameworks__fiscal_year=fiscal_year).count()
        self._reset(fiscal_year)
        redis_url = self._redis()
        log_dir = tempfile.mkdtemp(prefix="ita-bench-freeze-")
        processes = [self._worker(redis_url, os.path.join(log_dir, f"worker-{n}.log")) for n in range(workers)]
        try:
            self._wait_ready(log_dir, workers)
            self._point_celery_at(redis_url)
            day = max(f.deadline for f in frameworks) + timedelta(days=1)  # the day after the deadline
            started = time.monotonic()
            send("oit_items.tasks.freeze_due_records", [day.isoformat()])
            frozen = 0
            while frozen < units and time.monotonic() - started < timeout:
                time.sleep(0.5)
                frozen = ItapRecord.objects.filter(fiscal_year=fiscal_year).count()
            wall = time.monotonic() - started
        finally:
            for process in processes:
                process.terminate()
            for process in processes:
                try:
                    process.wait(timeout=30)
                except subprocess.TimeoutExpired:
                    process.kill()
        per_unit, chunks = self._timings(log_dir)
        left = redis.Redis.from_url(redis_url).llen("celery")
        redis.Redis.from_url(redis_url).flushdb()
        self._report(fiscal_year, units, frozen, wall, per_unit, chunks, workers)
        # The seed never indexed its units: their first new publication stamp queues a first build.
        self.stdout.write(f"  left in the queue, not waited for: {left} tasks (first search-index builds)")

    def _reset(self, fiscal_year):
        with transaction.atomic():
            FrozenFile.objects.filter(frozen_item__record__fiscal_year=fiscal_year).delete()
            FrozenItem.objects.filter(record__fiscal_year=fiscal_year).delete()
            ItapRecord.objects.filter(fiscal_year=fiscal_year).delete()

    def _redis(self) -> str:
        redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/11")
        if subprocess.run([sys.executable, "scripts/service_up.py", redis_url], cwd=settings.BASE_DIR).returncode:
            raise CommandError(f"Redis does not answer at {redis_url} (BENCH_REDIS_URL)")
        redis.Redis.from_url(redis_url).flushdb()  # the bench's own database number only
        return redis_url

    def _worker(self, redis_url, log_path):
        db = settings.DATABASES["default"]
        password = f":{db['PASSWORD']}" if db["PASSWORD"] else ""
        db_url = f"postgres://{db['USER']}{password}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
        env = {**os.environ, "DATABASE_URL": db_url, "REDIS_URL": redis_url, "DJANGO_SETTINGS_MODULE": "ita_portal.settings",
               "EMAIL_URL": "dummymail://", "LOG_LEVEL": "WARNING"}
        log = open(log_path, "a")
        return subprocess.Popen(
            [sys.executable, "-m", "celery", "-A", "ita_portal", "worker", "--pool=solo", "--concurrency=1",
             "--loglevel=INFO", "--without-gossip", "--without-mingle", "--without-heartbeat",
             "-n", f"bench-{uuid.uuid4().hex[:8]}@%h"],
            cwd=settings.BASE_DIR, env=env, stdout=log, stderr=subprocess.STDOUT)

    def _wait_ready(self, log_dir, workers):
        for _ in range(240):
            ready = sum("ready." in open(os.path.join(log_dir, name)).read() for name in os.listdir(log_dir))
            if ready >= workers:
                return
            time.sleep(0.5)
        raise CommandError(f"the workers did not start: see {log_dir}")

    def _point_celery_at(self, redis_url):
        current_app.conf.update(broker_url=redis_url, task_always_eager=False)

    def _timings(self, log_dir):
        per_unit, chunks = [], []
        for name in os.listdir(log_dir):
            for seconds, count in DONE.findall(open(os.path.join(log_dir, name)).read()):
                chunks.append(float(seconds))
                if int(count):
                    per_unit.append(float(seconds) / int(count))
        return per_unit, chunks

    def _report(self, fiscal_year, units, frozen, wall, per_unit, chunks, workers):
        items = ItapRecord.objects.filter(fiscal_year=fiscal_year).values_list("unit__unit_type_id", flat=True)
        per_type = {}
        for item_type in Item.objects.filter(framework__fiscal_year=fiscal_year, retired=False).values_list(
                "framework__unit_type_id", flat=True):
            per_type[item_type] = per_type.get(item_type, 0) + 1
        expected_items = sum(per_type.get(t, 0) for t in items)
        with connection.cursor() as cursor:
            cursor.execute("""
                SELECT count(*) FROM (
                  SELECT DISTINCT ip.unit_id, ip.item_id, (e->>'revision')::bigint
                  FROM oit_items_itemperiod ip
                  JOIN oit_items_item i ON i.id = ip.item_id
                  JOIN oit_items_framework f ON f.id = i.framework_id
                  CROSS JOIN LATERAL jsonb_array_elements(ip.published) e
                  WHERE ip.published_version > 0 AND f.fiscal_year = %s AND NOT i.retired
                    AND e->>'revision' IS NOT NULL) files""", [fiscal_year])
            expected_files = cursor.fetchone()[0]
        frozen_items = FrozenItem.objects.filter(record__fiscal_year=fiscal_year).count()
        frozen_files = FrozenFile.objects.filter(frozen_item__record__fiscal_year=fiscal_year).count()
        median = statistics.median(per_unit) * 1000 if per_unit else float("nan")
        verdict = "OK" if wall <= TARGET_SECONDS and frozen == units else "OVER TARGET"
        self.stdout.write(f"freeze ITAP records, fiscal year {fiscal_year}, {workers} Celery workers (solo):")
        self.stdout.write(f"  {frozen} of {units} units frozen in {wall:.1f} s wall ({frozen / wall:.1f} units/s) "
                          f"— target ≤ {TARGET_SECONDS} s: {verdict}")
        self.stdout.write(f"  median per unit {median:.0f} ms (task time / units, {len(chunks)} chunk tasks, "
                          f"median chunk {statistics.median(chunks) if chunks else float('nan'):.2f} s)")
        self.stdout.write(f"  frozen items {frozen_items} (expected {expected_items}), "
                          f"frozen files {frozen_files} (expected {expected_files})")
        if frozen != units or frozen_items != expected_items or frozen_files != expected_files:
            raise CommandError("the counts do not match")
