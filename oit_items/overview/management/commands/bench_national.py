"""`make bench SCALE=national`: the national tree on PostgreSQL, every figure of issue 10 side by
side in one run. Seeds its own database (BENCH_DATABASE_URL, dropped and created again), serves it
with gunicorn in production mode on a free loopback port, Redis BENCH_REDIS_URL as the cache,
and loads it with wrk (Debian's) — traffic to 127.0.0.1 only, each load bounded in time. BENCH_PORT
chooses the loopback port (a free one when unset)."""

import http.client
import os
import re
import secrets
import statistics
import subprocess
import sys
import tempfile
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from oit_items.assessment import scores
from oit_items.evidence import readiness
from oit_items.management.commands.bench_public import free_port
from oit_items.overview import national_seed
from oit_items.public import search_bench
from oit_items.rulebook.models import Item
from units.models import Unit

RUNS = 7
TARGETS = {"overview": "≤ 300 ms, ≤ 12 queries, ≤ 100 KB", "workspace": "heavy ≤ 2× normal",
           "item": "≥ 0.8× /healthz/, p99 < 50 ms", "part": "≤ 50 ms", "public": "≤ 1 MB"}


def recreate_database():
    import psycopg

    db = settings.DATABASES["default"]
    if "postgresql" not in db["ENGINE"]:
        raise CommandError("SCALE=national runs on PostgreSQL: set BENCH_DATABASE_URL=postgres://…")
    with psycopg.connect(dbname="postgres", user=db["USER"], password=db["PASSWORD"] or None,
                         host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432, autocommit=True) as admin:
        admin.execute(f'DROP DATABASE IF EXISTS "{db["NAME"]}" WITH (FORCE)')
        admin.execute(f'CREATE DATABASE "{db["NAME"]}"')


class Command(BaseCommand):
    help = "Benchmark the overview, workspaces, sitemaps and public pages on a seeded national tree."
    requires_system_checks = []

    def add_arguments(self, parser):
        parser.add_argument("--seconds", type=float, default=4)
        parser.add_argument("--rounds", type=int, default=5)
        parser.add_argument("--workers", type=int, default=2)
        parser.add_argument("--connections", type=int, default=32)
        parser.add_argument("--only", choices=["search"], help="seed, then measure only this part")

    def handle(self, *args, seconds, rounds, workers, connections, only, **options):
        self.secret = secrets.token_urlsafe(50)
        self._seed()
        port = int(os.environ.get("BENCH_PORT") or 0) or free_port()
        server = self._serve(port, workers)
        try:
            self._wait(port)
            self.port = port
            if not only:
                self._pages()
                self._throughput(seconds, rounds, connections, workers)
                self._not_modified_share()
            self._search(seconds, rounds, connections, workers)
        finally:
            server.terminate()
            try:
                server.wait(timeout=20)
            except subprocess.TimeoutExpired:  # a loaded machine: the figures are printed, do not fail on it
                server.kill()
                server.wait()

    # --- seeding ---------------------------------------------------------------------------------

    def _seed(self):
        from django.contrib.auth import get_user_model


        recreate_database()
        started = time.monotonic()
        call_command("migrate", verbosity=0)
        call_command("load_demo", force=True, samples=True, stdout=open(os.devnull, "w"))
        demo = time.monotonic()
        self.search_demo = search_bench.query_time()  # before the nation is added, in the same run
        counts = national_seed.seed()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")  # fresh statistics for the planner after the bulk load
        seeded = time.monotonic()
        rows = readiness.rebuild()
        rebuilt = time.monotonic()
        scored = national_seed.seed_scores()  # derived from the readiness just rebuilt
        scores_done = time.monotonic()
        # The real prediction of every unit, timed, not stored: the seed's approvals are dated now, after
        # FY2567's deadline, so it would give every unit 0 and leave the overview nothing to sort.
        predicted = len(scores.computed_figures(national_seed.FISCAL_YEAR))
        predicted_at = time.monotonic()
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
        get_user_model().objects.create_superuser("bench-root", "root@example.go.th", secrets.token_urlsafe(12))
        self.stdout.write(f"national tree: {counts['units']} units ({counts['publishing']} publish OIT), "
                          f"{counts['periods']} item periods, {counts['evidence']} evidence rows")
        self.stdout.write(f"  seeding: migrate + demo {demo - started:.0f} s, bulk COPY {seeded - demo:.0f} s, "
                          f"rebuild_readiness {rebuilt - seeded:.0f} s ({rows} rows), "
                          f"scores {scores_done - rebuilt:.0f} s ({scored['verdicts']} item verdicts, "
                          f"{scored['scores']} unit scores, {national_seed.FISCAL_YEAR} and {national_seed.PREVIOUS_YEAR}), "
                          f"the assessment's own prediction of every unit {predicted_at - scores_done:.0f} s ({predicted} rows)")

    # --- the server ------------------------------------------------------------------------------

    def _serve(self, port, workers):
        static_root = tempfile.mkdtemp(prefix="ita-bench-static-")
        redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/11")
        if subprocess.run([sys.executable, "scripts/service_up.py", redis_url], cwd=settings.BASE_DIR).returncode:
            raise CommandError(f"Redis does not answer at {redis_url} (BENCH_REDIS_URL)")
        import redis

        redis.Redis.from_url(redis_url).flushdb()  # the bench's own database number only
        env = {**os.environ, "DEBUG": "false", "SECRET_KEY": self.secret, "ALLOWED_HOSTS": "127.0.0.1",
               "SITE_URL": "https://ita.example.go.th",  # production refuses a loopback address; links only
               "SECURE_SSL_REDIRECT": "false", "STATIC_ROOT": static_root, "LOG_LEVEL": "WARNING",
               "REDIS_URL": redis_url}
        subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], env=env, check=True,
                       cwd=settings.BASE_DIR)
        return subprocess.Popen([sys.executable, "-m", "gunicorn", "ita_portal.wsgi", "--bind", f"127.0.0.1:{port}",
                                 "--workers", str(workers), "--log-level", "warning"], env=env, cwd=settings.BASE_DIR)

    def _wait(self, port):
        for _ in range(150):
            try:
                client = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                client.request("GET", "/healthz/", headers={"Host": "127.0.0.1"})
                if client.getresponse().status == 200:
                    return
            except OSError:
                time.sleep(0.2)
        raise CommandError("gunicorn did not start")

    def _session(self, username) -> str:
        """A session cookie for gunicorn (same database, same SECRET_KEY), verified with a second factor as
        production requires of a supervisor (the middleware asks on every request)."""
        from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY, get_user_model
        from django.contrib.sessions.backends.db import SessionStore
        from django_otp import DEVICE_ID_SESSION_KEY
        from django_otp.plugins.otp_totp.models import TOTPDevice

        user = get_user_model().objects.get(username=username)
        settings.SECRET_KEY = self.secret  # the hash the server will verify
        session = SessionStore()
        session[SESSION_KEY], session[BACKEND_SESSION_KEY] = str(user.pk), "django.contrib.auth.backends.ModelBackend"
        session[HASH_SESSION_KEY] = user.get_session_auth_hash()
        device, _created = TOTPDevice.objects.get_or_create(user=user, name="bench", defaults={"confirmed": True})
        session[DEVICE_ID_SESSION_KEY] = device.persistent_id
        session.create()
        return f"{settings.SESSION_COOKIE_NAME}={session.session_key}"

    def _get(self, path, cookie=None, headers=None):
        client = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
        start = time.perf_counter()
        client.request("GET", path, headers={"Host": "127.0.0.1", **({"Cookie": cookie} if cookie else {}),
                                             **(headers or {})})
        response = client.getresponse()
        body = response.read()
        elapsed = (time.perf_counter() - start) * 1000
        client.close()
        if response.status >= 300 and response.status != 304:  # a redirect (login, second factor) measures nothing
            raise CommandError(f"{path} answered {response.status} {response.getheader('Location') or ''}")
        return elapsed, body, response

    def _timed(self, path, cookie=None):
        self._get(path, cookie)  # warm-up: caches, imports
        runs = [self._get(path, cookie) for _ in range(RUNS)]
        return statistics.median(r[0] for r in runs), len(runs[0][1])

    def _queries(self, path, username=None):
        """Query count of the same page in this process (PostgreSQL, the same data)."""
        from django.contrib.auth import get_user_model

        client = Client()
        if username:
            from django_otp import DEVICE_ID_SESSION_KEY
            from django_otp.plugins.otp_totp.models import TOTPDevice

            user = get_user_model().objects.get(username=username)
            client.force_login(user)
            device = TOTPDevice.objects.filter(user=user, confirmed=True).first()
            if device is not None:  # the second factor, presented as on the server
                session = client.session
                session[DEVICE_ID_SESSION_KEY] = device.persistent_id
                session.save()
        client.get(path)
        with CaptureQueriesContext(connection) as captured:
            response = client.get(path)
        assert response.status_code == 200, (path, response.status_code)
        return len(captured.captured_queries)

    def _line(self, label, ms, size, queries=None, note=""):
        count = f"{queries:3d} queries" if queries is not None else " " * 11
        self.stdout.write(f"  {label:46s} {ms:8.1f} ms  {count}  {size / 1024:7.1f} KB  {note}")

    # --- pages -----------------------------------------------------------------------------------

    def _pages(self):
        hq, root = self._session("hq-supervisor"), self._session("bench-root")
        division = Unit.objects.filter(slug__startswith="pr-1-").order_by("path").first().slug
        self.stdout.write(f"\npages (median of {RUNS}, gunicorn production mode; queries counted in-process)")
        pages = [
            ("overview: national, as it opens (1,564 units worst first)", "/staff/units/rtp/overview/2567/", hq,
             "hq-supervisor"),
            ("overview: national, by bureau", "/staff/units/rtp/overview/2567/?level=1&sort=tree", hq, "hq-supervisor"),
            ("overview: national, 1,564 units by readiness", "/staff/units/rtp/overview/2567/?level=3&sort=readiness",
             hq, "hq-supervisor"),
            ("overview: national, below the pass mark, worst first", "/staff/units/rtp/overview/2567/?outlook=below&sort=score",
             hq, "hq-supervisor"),
            (f"overview: one division ({division})", f"/staff/units/{division}/overview/2567/", hq, "hq-supervisor"),
            ("heatmap: national", "/staff/units/rtp/overview/2567/heatmap/", hq, "hq-supervisor"),
            ("export: national stations, Excel (as it opens)", "/staff/units/rtp/overview/2567/export.xlsx", hq, "hq-supervisor"),
        ]
        for label, path, cookie, username in pages:
            ms, size = self._timed(path, cookie)
            self._line(label, ms, size, self._queries(path, username), TARGETS["overview"] if "overview:" in label else "")
        paths = {(kind, page): f"/staff/units/bench-{kind}/ita/2567/{suffix}"
                 for kind in ("normal", "heavy") for page, suffix in (("workspace", ""), ("ITAP page", "itap/"))}
        runs = {key: [] for key in paths}
        for path in paths.values():
            self._get(path, root)  # warm-up
        for _ in range(RUNS):  # interleaved, so that the machine's ups and downs hit both alike
            for key, path in paths.items():
                elapsed, body, _response = self._get(path, root)
                runs[key].append((elapsed, len(body)))
        times = {key: statistics.median(r[0] for r in found) for key, found in runs.items()}
        for (kind, page), path in paths.items():
            self._line(f"{page}: {kind} unit ({'10' if kind == 'heavy' else '3'} files a period)", times[(kind, page)],
                       runs[(kind, page)][0][1], self._queries(path, "bench-root"))
        for page in ("workspace", "ITAP page"):
            self.stdout.write(f"  {page}: heavy / normal = {times[('heavy', page)] / times[('normal', page)]:.2f} "
                              f"(target {TARGETS['workspace']})")
        self._public()

    def _public(self):
        slugs = list(Unit.objects.filter(unit_type__publishes_oit=True).order_by("?").values_list("slug", flat=True)[:15])
        cold = [self._get(f"/sitemaps/{slug}-2567.xml") for slug in slugs]
        ms, size = self._timed(f"/sitemaps/{slugs[0]}-2567.xml")
        self._line("sitemap part, first request (15 units)", statistics.median(c[0] for c in cold), len(cold[0][1]),
                   note=TARGETS["part"])
        self._line("sitemap part, cached", ms, size, note=TARGETS["part"])
        first, body, _response = self._get("/sitemap.xml")
        ms, size = self._timed("/sitemap.xml")
        self._line(f"sitemap index, first request ({body.count(b'<sitemap>')} parts)", first, len(body))
        self._line("sitemap index, cached", ms, size, note=TARGETS["public"])
        first, body, _response = self._get("/")
        ms, size = self._timed("/?utm_source=bench")
        self._line("public home, first request", first, len(body))
        self._line("public home, cached (unknown query ignored)", ms, size, note=TARGETS["public"])
        ms, size = self._timed("/u/sn-buengkum/ita/2567/o7/?v=123")
        self._line("public item page, cached (?v=123 ignored)", ms, size)

    # --- throughput ------------------------------------------------------------------------------

    def _wrk(self, path, seconds, connections, header=None):
        command = ["wrk", "-t2", f"-c{connections}", f"-d{seconds:.0f}s", "--latency", "--timeout", "5s"]
        if header:
            command += ["-H", header]
        output = subprocess.run(command + [f"http://127.0.0.1:{self.port}{path}"], capture_output=True, text=True,
                                timeout=seconds + 30, check=True).stdout
        rps = float(re.search(r"Requests/sec:\s+([\d.]+)", output).group(1))
        p99 = re.search(r"99%\s+([\d.]+)(us|ms|s)", output)
        scale = {"us": 0.001, "ms": 1, "s": 1000}[p99.group(2)]
        if re.search(r"Non-2xx or 3xx responses", output):
            raise CommandError(f"{path}: errors under load\n{output}")
        return rps, float(p99.group(1)) * scale

    def _throughput(self, seconds, rounds, connections, workers):
        item = "/u/sn-buengkum/ita/2567/o7/"
        _ms, _body, response = self._get(item)
        etag = response.getheader("ETag")
        paths = {"/healthz/": None, item: None, item + " (If-None-Match)": f"If-None-Match: {etag}"}
        results = {label: [] for label in paths}
        for label, header in paths.items():
            self._wrk(label.split(" ")[0], 1, connections, header)  # warm-up
        for _ in range(rounds):
            for label, header in paths.items():
                results[label].append(self._wrk(label.split(" ")[0], seconds, connections, header))
        self.stdout.write(f"\nthroughput: wrk, {connections} connections, gunicorn {workers} sync workers, "
                          f"{rounds} rounds x {seconds:.0f} s, medians (wrk shares the two cores)")
        base = statistics.median(r[0] for r in results["/healthz/"])
        for label, runs in results.items():
            rps, p99 = statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)
            self.stdout.write(f"  {label:46s} {rps:8.0f} req/s  p99 {p99:6.1f} ms  {rps / base:5.2f}x /healthz/")
        self.stdout.write(f"  target for the cached item page: {TARGETS['item']}")

    def _search(self, seconds, rounds, connections, workers):
        """One query's time with the demo (measured before the seed) and at national size, and the
        search page's throughput against /healthz/ (same wrk, same run)."""
        national = search_bench.query_time()
        self.stdout.write(f"\nsearch: {search_bench.describe()}, in-process median of {search_bench.RUNS}")
        for label, (ms, rows, total) in (("demo", self.search_demo), ("national", national)):
            self.stdout.write(f"  one query, {label:8s} {ms:7.2f} ms  {rows:5d} entries hold the word, of {total:7d} in the index")
        self.stdout.write(f"  national / demo = {national[0] / self.search_demo[0]:.2f} (aim: within 2x)")
        paths = {"/healthz/": "/healthz/", "search page (one query, repeated)": search_bench.page_path()}
        results = {label: [] for label in paths}
        for path in paths.values():
            self._wrk(path, 1, connections)  # warm-up
        for _ in range(rounds):
            for label, path in paths.items():
                results[label].append(self._wrk(path, seconds, connections))
        base = statistics.median(r[0] for r in results["/healthz/"])
        for label, runs in results.items():
            rps, p99 = statistics.median(r[0] for r in runs), statistics.median(r[1] for r in runs)
            self.stdout.write(f"  {label:46s} {rps:8.0f} req/s  p99 {p99:6.1f} ms  {rps / base:5.2f}x /healthz/")
        self.stdout.write("  aim for the search page: at least 0.5x /healthz/")

    def _not_modified_share(self):
        units = list(Unit.objects.filter(unit_type__publishes_oit=True).order_by("?").select_related("unit_type")[:40])
        codes = {}
        for unit_type_id, code in Item.objects.filter(framework__fiscal_year=2567).values_list("framework__unit_type_id", "code"):
            codes.setdefault(unit_type_id, []).append(code.lower())
        paths = []
        for unit in units:
            paths += [f"/u/{unit.slug}/", f"/u/{unit.slug}/ita/2567/", f"/api/v1/units/{unit.slug}/ita/2567/"]
            paths += [f"/u/{unit.slug}/ita/2567/{code}/" for code in codes[unit.unit_type_id][:5]]
        tags = {path: self._get(path)[2].getheader("ETag") for path in paths}
        answers = [self._get(path, headers={"If-None-Match": tag})[2].status for path, tag in tags.items()]
        share = sum(status == 304 for status in answers) / len(answers)
        self.stdout.write(f"\nconditional GETs: {share:.0%} of {len(answers)} answered 304 Not Modified "
                          f"(public pages and open data of {len(units)} units, revalidated with their ETag)")
