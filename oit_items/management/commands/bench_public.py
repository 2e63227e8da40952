"""`make bench`: the public item page's throughput against the smallest Django view (/healthz/),
both served by the same gunicorn in production mode, measured in the same run.

Traffic goes to 127.0.0.1 only, for a bounded time. The load generator runs on the same two
cores as the server, so absolute figures are low; compare the ratio."""

import http.client
import os
import secrets
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time

from django.conf import settings
from django.core.management import call_command
from django.core.management.base import BaseCommand, CommandError

from oit_items.public import search_bench

ITEM = "/u/sn-buengkum/ita/2567/o7/"
BASELINE = "/healthz/"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def load(port: int, path: str, seconds: float, concurrency: int, headers=None, expect=200) -> tuple[float, float]:
    """Requests per second and median latency (ms) of `path` under `concurrency` keep-alive clients."""
    deadline = time.monotonic() + seconds
    latencies, errors = [], []

    def client():
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        while time.monotonic() < deadline:
            start = time.perf_counter()
            connection.request("GET", path, headers={"Host": "127.0.0.1", **(headers or {})})
            response = connection.getresponse()
            response.read()
            if response.status != expect:
                errors.append(response.status)
            latencies.append(time.perf_counter() - start)
        connection.close()

    threads = [threading.Thread(target=client) for _ in range(concurrency)]
    began = time.monotonic()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    if errors:
        raise CommandError(f"{path} answered {sorted(set(errors))}")
    return len(latencies) / (time.monotonic() - began), statistics.median(latencies) * 1000


class Command(BaseCommand):
    help = "Benchmark the public item page against /healthz/ on the same gunicorn (loopback only)."

    def add_arguments(self, parser):
        parser.add_argument("--seconds", type=float, default=6)
        parser.add_argument("--rounds", type=int, default=3)
        parser.add_argument("--concurrency", type=int, default=8)
        parser.add_argument("--workers", type=int, default=2)

    def handle(self, *args, seconds, rounds, concurrency, workers, **options):
        call_command("migrate", verbosity=0)
        call_command("load_demo", force=True, samples=True, stdout=open(os.devnull, "w"))
        port = int(os.environ.get("BENCH_PORT") or free_port())  # BENCH_PORT: a port of your own on a shared machine
        env = self._server_env(tempfile.mkdtemp(prefix="ita-bench-static-"))
        subprocess.run([sys.executable, "manage.py", "collectstatic", "--noinput", "-v0"], env=env, check=True,
                       cwd=settings.BASE_DIR)
        server = subprocess.Popen(
            [sys.executable, "-m", "gunicorn", "ita_portal.wsgi", "--bind", f"127.0.0.1:{port}",
             "--workers", str(workers), "--log-level", "warning"], env=env, cwd=settings.BASE_DIR)
        try:
            self._wait(port)
            self._measure(port, seconds, rounds, concurrency, workers)
        finally:
            server.terminate()
            server.wait(timeout=20)

    def _server_env(self, static_root):
        env = {**os.environ, "DEBUG": "false", "SECRET_KEY": secrets.token_urlsafe(50), "ALLOWED_HOSTS": "127.0.0.1",
               "SITE_URL": "https://ita.example.go.th",  # production refuses a loopback address; links only
               "SECURE_SSL_REDIRECT": "false", "STATIC_ROOT": static_root, "LOG_LEVEL": "WARNING"}
        redis_url = os.environ.get("BENCH_REDIS_URL", "redis://127.0.0.1:6379/14")
        if subprocess.run([sys.executable, "scripts/service_up.py", redis_url], cwd=settings.BASE_DIR).returncode == 0:
            env["REDIS_URL"] = redis_url  # the production cache, shared by the workers
        return env

    def _wait(self, port):
        for _ in range(100):
            try:
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
                connection.request("GET", BASELINE, headers={"Host": "127.0.0.1"})
                if connection.getresponse().status == 200:
                    return
            except OSError:
                time.sleep(0.2)
        raise CommandError("gunicorn did not start")

    def _measure(self, port, seconds, rounds, concurrency, workers):
        etag = self._etag(port, ITEM)
        # (label, path, extra headers, expected status): the item page beside the cached home, the sitemap
        # index and a conditional GET of the item (a 304), all against the smallest view.
        pages = [("minimal view /healthz/", BASELINE, None, 200), (f"public item {ITEM}", ITEM, None, 200),
                 ("portal home /", "/", None, 200), ("sitemap index /sitemap.xml", "/sitemap.xml", None, 200),
                 (f"conditional GET {ITEM} (304)", ITEM, {"If-None-Match": etag}, 304),
                 (f"search page, {search_bench.describe()}", search_bench.page_path(), None, 200)]
        for _label, path, headers, expect in pages:
            load(port, path, 1, concurrency, headers, expect)  # warm-up: imports, caches
        results = {label: [] for label, *_rest in pages}
        for _ in range(rounds):
            for label, path, headers, expect in pages:
                results[label].append(load(port, path, seconds, concurrency, headers, expect))
        base = statistics.median(r[0] for r in results[pages[0][0]])
        self.stdout.write(f"public page benchmark: gunicorn {workers} workers, {concurrency} clients, "
                          f"{rounds} rounds x {seconds:.0f} s, medians, CONN_MAX_AGE={settings.DATABASES['default']['CONN_MAX_AGE']}")
        for label, *_rest in pages:
            rps = statistics.median(r[0] for r in results[label])
            latency = statistics.median(r[1] for r in results[label])
            self.stdout.write(f"  {label:48s} {rps:8.0f} req/s   median latency {latency:6.1f} ms   {rps / base:5.2f}× /healthz/")
        item = statistics.median(r[0] for r in results[pages[1][0]])
        self.stdout.write(f"  ratio item/minimal: {item / base:.2f} (aim: at least 0.50)")
        ms, found, entries = search_bench.query_time()
        self.stdout.write(f"  one search query in-process, {search_bench.describe()}: {ms:.2f} ms (median of "
                          f"{search_bench.RUNS}; {found} of {entries} entries hold the word; at national size: "
                          f"make bench SCALE=national)")

    @staticmethod
    def _etag(port, path) -> str:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
        connection.request("GET", path, headers={"Host": "127.0.0.1"})
        response = connection.getresponse()
        response.read()
        connection.close()
        etag = response.getheader("ETag")
        if not etag:
            raise CommandError(f"{path} gave no ETag")
        return etag
