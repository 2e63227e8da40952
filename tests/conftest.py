"""Shared fixtures: the demo data (loaded once per session), one user per role on the demo
police station, the same roles on the other demo unit, supervisors above, and anonymous."""

import os
from pathlib import Path

import pytest
from django.conf import settings
from django.contrib.auth import get_user_model
from django.contrib.auth.models import AnonymousUser
from django.core.cache import cache
from django.core.management import call_command
from django.utils import translation

from ita_portal.lib import pagecache
from units.models import Unit
from units.signals import published_record_changed

IN_CI = os.environ.get("CI") == "true"
SEEDS_DIR = Path(os.environ.get("SEEDS_DIR", settings.BASE_DIR.parent / "shared" / "seeds"))
POLICE_SEED = "001_b3e245e352bc0d25.txt"
IMMIGRATION_SEED = "000_95422698b7bc3941.txt"


def pytest_configure(config):
    # Hashing a dozen demo passwords with PBKDF2 would dominate the suite's set-up.
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    # Tests roll the database back between them; a worker's in-process page memory would not be.
    settings.PUBLIC_LOCAL_CACHE_SECONDS = 0
    database = settings.DATABASES["default"]
    if database["ENGINE"].endswith("sqlite3") and not database.get("TEST", {}).get("NAME"):
        # A file, like `make run`: threads (tests/together.py) each open their own connection, which an
        # in-memory database shares with table locks that fail at once instead of waiting.
        import tempfile

        database.setdefault("TEST", {})["NAME"] = str(Path(tempfile.mkdtemp(prefix="ita-test-")) / "test.sqlite3")


@pytest.fixture(scope="session")
def django_db_setup(django_db_setup, django_db_blocker):
    """The demo data, loaded once; each test runs in a transaction rolled back afterwards."""
    with django_db_blocker.unblock():
        call_command("load_demo", force=True, verbosity=0, stdout=open(os.devnull, "w"))


def require(condition: bool, reason: str):
    """Skip when a machine lacks something — but fail under CI=true, where it must be there."""
    if condition:
        return
    if IN_CI:
        pytest.fail(f"required under CI=true: {reason}")
    pytest.skip(reason)


@pytest.fixture
def seed_text():
    def read(name):
        path = SEEDS_DIR / name
        require(path.exists(), f"seed {path} not found (set SEEDS_DIR)")
        return path.read_text(encoding="utf-8")

    return read


@pytest.fixture
def station(db):
    return Unit.objects.get(slug="sn-buengkum")


@pytest.fixture
def other_unit(db):
    return Unit.objects.get(slug="imm-buengkan")


def _user(username):
    return get_user_model().objects.get(username=username)


ROLES = ("admin", "responsible", "controller", "commander", "viewer")


@pytest.fixture
def users(db):
    """Own unit (bk-*), other unit (bg-*), supervisors and anonymous, by short name."""
    found = {role: _user(f"bk-{role}") for role in ROLES}
    found.update({f"other-{role}": _user(f"bg-{role}") for role in ROLES})
    found["hq-supervisor"] = _user("hq-supervisor")
    found["division-supervisor"] = _user("mpd4-supervisor")
    found["anonymous"] = AnonymousUser()
    return found


def admin_of(slug, username):
    """A login that administers `slug` (and so, for a top or supervising unit, every unit below)."""
    from units.models import Role

    user = get_user_model().objects.create_user(username, f"{username}@example.go.th", "pw-admin-2567")
    Role.objects.create(user=user, unit=Unit.objects.get(slug=slug), role=Role.ADMIN)
    return user


@pytest.fixture
def national_admin(db):
    return admin_of("rtp", "national-admin")


@pytest.fixture
def division_admin(db):
    """Admin of บก.น.4, the division above สน.บึงกุ่ม (not above ตม.จว.บึงกาฬ)."""
    return admin_of("mpd-4", "mpd4-admin")


@pytest.fixture
def superuser(db):
    return get_user_model().objects.create_superuser("root", "root@example.com", "pw-root-2567")


def service_up(url: str) -> bool:
    import subprocess
    import sys

    script = settings.BASE_DIR / "scripts" / "service_up.py"
    return subprocess.run([sys.executable, str(script), url]).returncode == 0


@pytest.fixture
def committed_demo(transactional_db):
    """The demo data, committed, for tests whose other processes (worker, browser) must see it.
    Transactional tests flush the database afterwards, so each loads it again."""
    call_command("load_demo", force=True, verbosity=0, stdout=open(os.devnull, "w"))


def start_worker(redis_url: str, log_path, pool: str = "solo", **env):
    """A real `celery worker` process on `redis_url` and the PostgreSQL test database."""
    import subprocess
    import sys
    import uuid

    from django.db import connection

    db = connection.settings_dict
    require("postgresql" in db["ENGINE"], "the worker is another process: it needs the PostgreSQL test database")
    db_url = f"postgres://{db['USER']}@{db['HOST'] or '127.0.0.1'}:{db['PORT'] or 5432}/{db['NAME']}"
    full_env = {**os.environ, "DATABASE_URL": db_url, "REDIS_URL": redis_url, "DJANGO_SETTINGS_MODULE": "ita_portal.settings",
                **env}
    log = open(log_path, "a")
    return subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "ita_portal", "worker", f"--pool={pool}", "--concurrency=1",
         "--loglevel=INFO", "--without-gossip", "--without-mingle", "--without-heartbeat",
         "-n", f"test-{uuid.uuid4().hex[:8]}@%h"],
        cwd=settings.BASE_DIR, env=full_env, stdout=log, stderr=subprocess.STDOUT,
    )


def stop_worker(worker) -> None:
    import subprocess

    worker.terminate()
    try:
        worker.wait(timeout=20)
    except subprocess.TimeoutExpired:
        worker.kill()
        worker.wait()


@pytest.fixture
def broker_at():
    """Point this process's Celery at a broker (tasks really queued, not run in-process); restored after."""
    from ita_portal.celery import app

    saved = {key: app.conf[key] for key in ("broker_url", "task_always_eager")}

    def point(url):
        _drop_broker_connections(app)  # earlier tests may have bound the pools to another broker
        app.conf.update(broker_url=url, task_always_eager=False)

    yield point
    app.conf.update(saved)
    _drop_broker_connections(app)


@pytest.fixture
def test_redis_url():
    import redis

    redis_url = os.environ.get("TEST_REDIS_URL", "redis://127.0.0.1:6379/15")
    require(service_up(redis_url), f"Redis does not answer at {redis_url}")
    redis.Redis.from_url(redis_url).flushdb()
    return redis_url


@pytest.fixture
def celery_worker_on_redis(committed_demo, tmp_path, test_redis_url, broker_at):
    """A real `celery worker` process consuming a real Redis queue, on the real test database."""
    log_path = tmp_path / "worker.log"
    worker = start_worker(test_redis_url, log_path)
    broker_at(test_redis_url)
    try:
        yield worker, log_path
    finally:
        stop_worker(worker)


def _drop_broker_connections(app):
    """Celery caches its connection and producer pools on first use, bound to the broker URL of
    that moment; drop them so the next publish connects to the broker configured now."""
    import kombu.pools

    if app._pool is not None:
        app._pool.force_close_all()
        app._pool = None
    app.amqp._producer_pool = None
    kombu.pools.reset()  # kombu's own registry would otherwise hand out the closed pool again


CHROMIUM = "/usr/bin/chromium"
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
    "--disable-component-update", "--disable-sync", "--no-first-run",
]


@pytest.fixture(scope="session")
def browser():
    """Debian's Chromium driven by Playwright; never a downloaded browser."""
    require(Path(CHROMIUM).exists(), f"{CHROMIUM} not installed (apt-get install chromium)")
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the test's own ORM calls are
    # still plain synchronous code, which Django would otherwise refuse.
    os.environ["DJANGO_ALLOW_ASYNC_UNSAFE"] = "true"
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_FLAGS)
        yield chromium
        chromium.close()


@pytest.fixture
def phone(browser):
    context = browser.new_context(viewport={"width": 390, "height": 844}, locale="th-TH", device_scale_factor=2)
    page = context.new_page()
    page.set_default_timeout(15000)
    yield page
    context.close()


def log_in(page, base_url, username):
    page.goto(f"{base_url}/login/")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", settings.DEMO_PASSWORD)
    page.click("button:has-text('เข้าสู่ระบบ')")
    page.wait_for_load_state("networkidle")


@pytest.fixture(autouse=True)
def thai_first():
    """Each test starts in Thai: the middleware activates a request's language for the thread, and
    reverse() of a page under i18n_patterns follows it, so a test that last requested an /en/ page
    would otherwise hand the next test English addresses."""
    translation.activate(settings.LANGUAGE_CODE)
    yield
    translation.activate(settings.LANGUAGE_CODE)


@pytest.fixture(autouse=True)
def media_root(settings, tmp_path):
    """Uploaded files go to a fresh directory per test, never into the working tree."""
    settings.MEDIA_ROOT = tmp_path / "media"
    return settings.MEDIA_ROOT


def make_pdf(pages: int = 1, marker: str | None = None) -> bytes:
    """A real PDF; each call a different file (a unique marker in its metadata) unless `marker`
    is given: the portal asks before storing the same file twice in one period."""
    import io
    import uuid

    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(pages):
        writer.add_blank_page(595, 842)
    writer.add_metadata({"/Subject": marker or uuid.uuid4().hex})
    buffer = io.BytesIO()
    writer.write(buffer)
    return buffer.getvalue()


def make_docx(text: str = "รายงานผลการปฏิบัติราชการ") -> bytes:
    import io

    import docx

    document = docx.Document()
    document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


@pytest.fixture
def o7(station):
    from oit_items.rulebook.models import Item

    return Item.objects.for_unit(station, 2567).get(code="O7")


@pytest.fixture
def upload_files():
    """Upload files as the given user through the real view; returns the response."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    def post(client, user, files, code="o7", period="m10", **fields):
        client.force_login(user)
        data = {"about_date": "31/10/2566", "language": "th", **fields,
                "files": [SimpleUploadedFile(name, content) for name, content in files]}
        return client.post(f"/staff/units/sn-buengkum/ita/2567/{code}/{period}/upload/", data)

    return post


def approve_period(users, unit, item, month, files, publish=True):
    """Take one period through upload → submit → check → approve with the real services."""
    from django.core.files.uploadedfile import SimpleUploadedFile

    from ita_portal.lib.uploads import validate_upload
    from oit_items.evidence import edits as evidence_service
    from oit_items.evidence import workflow
    from oit_items.evidence.models import Assignment
    from oit_items.evidence.permissions import item_access, period_of
    from units.permissions import unit_access

    period = period_of(unit, item, month)
    validated = [validate_upload(SimpleUploadedFile(name, content)) for name, content in files]
    evidence_service.add_files(period, validated, {"about_date": month or unit_today()}, users["responsible"])
    assignment = Assignment.objects.get(unit=unit, item=item)
    steps = [("submit", "responsible"), ("check", "controller")] + ([("approve", "commander")] if publish else [])
    for action, role in steps:
        user = users[role]
        # Tests publish a PDF alone where the item wants PDF and Word: the controller and the
        # commander pass it anyway, with a reason, as the guarded workflow requires.
        period = workflow.transition(period, action, user, item_access(user, unit_access(user, unit), assignment),
                                     override="ทดสอบ: ผ่านแม้ผลตรวจอัตโนมัติไม่ผ่าน")
    return period


def unit_today():
    import datetime

    return datetime.date(2024, 1, 15)


@pytest.fixture
def approved_o7(users, station, o7):
    import datetime

    from units.models import Unit

    period = approve_period(users, station, o7, datetime.date(2023, 10, 1), [
        ("รายงานผลการปฏิบัติราชการ ต.ค.66.pdf", make_pdf(2)), ("รายงานผลการปฏิบัติราชการ ต.ค.66.docx", make_docx())])

    published_record_changed.send(sender=None, unit=Unit.objects.get(pk=station.pk))  # on_commit does this in real requests
    return period


def wait_for(predicate, timeout=90, every=0.5) -> bool:
    """Poll until `predicate()` is true (another process — a worker — is doing the work)."""
    import time

    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(every)
    return False


def free_port() -> int:
    """A free loopback port, chosen by the system (throwaway servers of the tests)."""
    import socket

    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def own_redis(tmp_path):
    """A throwaway redis-server of this test's own, so that it can be killed mid-test (never the
    machine's shared one). Yields an object with .url, .kill() and .start()."""
    import shutil
    import subprocess

    require(shutil.which("redis-server") is not None, "redis-server not installed (apt-get install redis-server)")

    class OwnRedis:
        def __init__(self):
            self.port = free_port()
            self.url = f"redis://127.0.0.1:{self.port}/0"
            self.process = None

        def start(self):
            self.process = subprocess.Popen(
                ["redis-server", "--port", str(self.port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
                 "--dir", str(tmp_path)], stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT)
            assert wait_for(lambda: service_up(self.url), timeout=10), "redis-server did not start"

        def kill(self):
            if self.process is not None:
                self.process.kill()
                self.process.wait()
                self.process = None

    server = OwnRedis()
    server.start()
    yield server
    server.kill()


@pytest.fixture(scope="session")
def s3_server(tmp_path_factory):
    """A real S3 API server — moto in server mode — on a free loopback port, for the session."""
    import importlib.util
    import subprocess
    import sys
    import time
    import urllib.request

    require(importlib.util.find_spec("moto") is not None and importlib.util.find_spec("flask") is not None,
            "moto[server] is not installed (it is in requirements.txt)")
    port = free_port()
    log = open(tmp_path_factory.mktemp("s3") / "moto.log", "w")
    server = subprocess.Popen([sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
                              stdout=log, stderr=subprocess.STDOUT)
    url = f"http://127.0.0.1:{port}"
    try:
        for _ in range(150):
            try:
                urllib.request.urlopen(url + "/moto-api/", timeout=1)
                break
            except OSError:
                time.sleep(0.2)
        else:
            pytest.fail(f"the S3 server (moto) did not start on {url}")
        yield url
    finally:
        server.terminate()
        server.wait(timeout=20)
        log.close()


@pytest.fixture
def s3_storage(s3_server, settings):
    """Every stored file goes to a fresh bucket on the S3 server, as S3_BUCKET would configure it.
    Yields (boto3 client, bucket name)."""
    import uuid

    import boto3

    bucket = f"ita-test-{uuid.uuid4().hex[:12]}"
    credentials = {"aws_access_key_id": "testing", "aws_secret_access_key": "testing", "region_name": "us-east-1"}
    client = boto3.client("s3", endpoint_url=s3_server, **credentials)
    client.create_bucket(Bucket=bucket)
    settings.STORAGES = {**settings.STORAGES, "default": {"BACKEND": "storages.backends.s3.S3Storage", "OPTIONS": {
        "bucket_name": bucket, "endpoint_url": s3_server, "access_key": "testing", "secret_key": "testing",
        "region_name": "us-east-1", "default_acl": None, "querystring_auth": True, "file_overwrite": False,
        "signature_version": "s3v4",
        "addressing_style": "path"}}}
    yield client, bucket


@pytest.fixture
def empty_caches():
    """The shared cache and this process's stamps and pages, emptied before and after."""
    def clear():
        cache.clear()
        pagecache.local.stamps.clear(), pagecache.local.pages.clear()

    clear()
    yield
    clear()
