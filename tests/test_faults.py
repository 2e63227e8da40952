"""Services failing where the portal runs: Redis (the cache and the broker) unreachable or killed
mid-way, and a worker killed with SIGKILL mid-job. Real processes throughout: a throwaway
redis-server of the test's own that is killed, real Celery workers, the PostgreSQL test database."""

import datetime
import os
import signal
import time
from pathlib import Path

import pytest
from django.conf import settings
from django.core import signing
from django.test import override_settings
from django.urls import reverse

from ita_portal.lib.models import PendingTask
from ita_portal.lib.queue import resend_pending
from oit_items.channels.forms import SALT
from oit_items.channels.models import Complaint
from oit_items.evidence.models import Evidence, ItemPeriod
from reports import jobs
from reports.models import RenderJob, RenderOutput
from tests.conftest import free_port, start_worker, stop_worker, wait_for
from tests.test_reports_support import enter_procurement, render_url, status_url

pytestmark = [pytest.mark.services]

PUBLIC = ["/u/sn-buengkum/", "/u/sn-buengkum/ita/2567/", "/u/sn-buengkum/ita/2567/o7/",
          "/api/v1/units/sn-buengkum/ita/2567/", "/api/v1/units/sn-buengkum/ita/2567/o7/",
          "/api/v1/units/sn-buengkum/ita/2567/items.csv", "/u/sn-buengkum/questions/", "/u/sn-buengkum/complaints/new/"]


def redis_cache(url):
    return override_settings(CACHES={"default": {
        "BACKEND": "ita_portal.lib.cache.ResilientRedisCache", "LOCATION": url,
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 0.5}}})


def timed_get(client, url):
    started = time.monotonic()
    response = client.get(url)
    return response, time.monotonic() - started


def sent_long_ago(**fields) -> dict:
    """A public form as a person sends it: the signed start time well before the minimum fill time."""
    return {"started": signing.dumps(time.time() - 60, salt=SALT), "website": "", **fields}


def test_public_pages_answer_from_the_database_when_redis_dies(client, approved_o7, own_redis, capsys):
    with redis_cache(own_redis.url):
        for url in PUBLIC:  # warm: the pages are in Redis now
            assert client.get(url).status_code == 200, url
        own_redis.kill()
        timings = {}
        for url in PUBLIC:
            response, timings[url] = timed_get(client, url)
            assert response.status_code == 200, url
        assert "รายงานผลการปฏิบัติราชการ" in client.get("/u/sn-buengkum/ita/2567/o7/").content.decode()
        asked = client.post("/u/sn-buengkum/questions/", sent_long_ago(subject="เวลาทำการ", text="เปิดกี่โมงครับ"))
        assert asked.status_code == 302  # the rate limit cannot be counted: the citizen is let through
    with capsys.disabled():
        print("\nRedis killed: " + ", ".join(f"{u} {t * 1000:.0f} ms" for u, t in timings.items()))


def test_public_pages_answer_when_redis_is_down_from_the_start(client, approved_o7):
    with redis_cache(f"redis://127.0.0.1:{free_port()}/0"):
        for url in PUBLIC:
            assert client.get(url).status_code == 200, url


def dead_broker() -> str:
    return f"redis://127.0.0.1:{free_port()}/0"  # nothing listens there


def test_broker_down_a_complaint_still_gets_its_tracking_code(client, committed_demo, broker_at, test_redis_url, tmp_path):
    broker_at(dead_broker())
    started = time.monotonic()
    response = client.post(reverse("public-complaint", args=["sn-buengkum"]), sent_long_ago(
        subject="เรียกรับเงิน", text="เจ้าหน้าที่เรียกรับเงินค่าดำเนินการ", anonymous="on"))
    took = time.monotonic() - started
    assert response.status_code == 302, response.content[:300]
    complaint = Complaint.objects.get()
    page = client.get(response["Location"]).content.decode()
    assert complaint.code in page
    assert list(PendingTask.objects.values_list("task", "args")) == [
        ("oit_items.channels.tasks.notify_new_message", ["complaint", complaint.pk])]
    print(f"\ncomplaint with the broker down answered in {took * 1000:.0f} ms")


def test_broker_down_submit_succeeds_and_the_mail_goes_when_it_is_back(client, committed_demo, broker_at,
                                                                       test_redis_url, tmp_path, upload_files, settings):
    from django.contrib.auth import get_user_model

    User = get_user_model()
    User.objects.filter(username__in=["bk-controller", "bk-commander"]).update(email="boss@example.go.th")
    responsible = User.objects.get(username="bk-responsible")
    from tests.conftest import make_pdf

    assert upload_files(client, responsible, [("รายงาน ต.ค.66.pdf", make_pdf())]).status_code == 302
    broker_at(dead_broker())
    started = time.monotonic()
    response = client.post("/staff/units/sn-buengkum/ita/2567/o7/m10/submit/", follow=True)
    took = time.monotonic() - started
    assert response.status_code == 200
    assert ItemPeriod.objects.get(unit__slug="sn-buengkum", item__code="O7", month__month=10).state == ItemPeriod.SUBMITTED
    [pending] = PendingTask.objects.all()
    assert pending.task == "oit_items.tasks.notify_transition"
    # The broker is back: the sweeper hands the mail to a real worker, which sends it.
    log_path = tmp_path / "worker.log"
    worker = start_worker(test_redis_url, log_path, EMAIL_URL="consolemail://")
    try:
        broker_at(test_redis_url)
        assert resend_pending() == 1 and not PendingTask.objects.exists()
        assert wait_for(lambda: "notify_transition" in log_path.read_text() and "succeeded" in log_path.read_text()), \
            log_path.read_text()
        assert "boss@example.go.th" in log_path.read_text()
    finally:
        stop_worker(worker)
    print(f"\nsubmit with the broker down answered in {took * 1000:.0f} ms")


def test_broker_down_a_document_waits_for_the_queue_then_runs(client, committed_demo, broker_at, test_redis_url,
                                                              tmp_path, monkeypatch, media_root):
    from django.contrib.auth import get_user_model

    monkeypatch.setenv("MEDIA_ROOT", str(media_root))
    client.force_login(get_user_model().objects.get(username="bk-admin"))
    broker_at(dead_broker())
    response = client.post("/staff/units/sn-buengkum/measures/2567/documents/measures_document/render/")
    assert response.status_code == 302
    job = RenderJob.objects.get(kind="measures_document")
    assert job.state == RenderJob.WAITING and PendingTask.objects.count() == 1
    box = client.get("/staff/units/sn-buengkum/measures/2567/documents/measures_document/status/").content.decode()
    assert 'hx-trigger="every 2s"' in box and "data-waiting" in box
    worker = start_worker(test_redis_url, tmp_path / "worker.log")
    try:
        broker_at(test_redis_url)
        assert resend_pending() == 1
        assert wait_for(lambda: RenderJob.objects.get(pk=job.pk).state == RenderJob.DONE), (tmp_path / "worker.log").read_text()
    finally:
        stop_worker(worker)


# --- a worker killed mid-job ------------------------------------------------------------------------

MANY_PURCHASES = [{"item": f"จัดซื้อวัสดุสำนักงาน รายการที่ {n}", "budget": "12,500.00", "reference_price": "12,500.00",
                   "method": "specific", "bids_text": f"ร้านค้าที่ {n} 12,000.00", "winner": f"ร้านค้าที่ {n}",
                   "agreed_price": "12,000.00", "reason": "ราคาต่ำสุด", "contract_number": f"บส {n}/2567",
                   "contract_date": "5/10/2566"} for n in range(1, 81)]


def one_set_of_files():
    current = Evidence.objects.current().filter(item_period__item__code="O15", item_period__month__month=10)
    return sorted(e.current_revision.format for e in current)


def test_a_worker_killed_mid_job_leaves_a_retryable_job_and_a_retry_makes_one_set(client, committed_demo, broker_at,
                                                                                  test_redis_url, tmp_path, monkeypatch,
                                                                                  media_root):
    from django.contrib.auth import get_user_model

    monkeypatch.setenv("MEDIA_ROOT", str(media_root))
    client.force_login(get_user_model().objects.get(username="bk-responsible"))
    assert enter_procurement(client, purchases=MANY_PURCHASES).status_code == 302
    log_path = tmp_path / "worker.log"
    worker = start_worker(test_redis_url, log_path)
    broker_at(test_redis_url)
    client.post(render_url("procurement_summary", "m10"))
    assert wait_for(lambda: RenderJob.objects.filter(state=RenderJob.RUNNING).exists(), every=0.05), log_path.read_text()
    os.kill(worker.pid, signal.SIGKILL)  # mid-job, as `kill -9` or a machine restart would
    worker.wait()
    job = RenderJob.objects.get()
    observed = (job.state, job.progress)
    assert job.state == RenderJob.RUNNING  # nobody is left to say otherwise…
    assert 'data-action="render"' not in client.get(status_url("procurement_summary", "m10")).content.decode()

    # …until the sweeper finds it past its deadline (what beat does every minute, a deadline later).
    later = job.started_at + datetime.timedelta(seconds=settings.RENDER_JOB_DEADLINE + 1)
    assert jobs.fail_lost(now=later) == 1
    box = client.get(status_url("procurement_summary", "m10")).content.decode()
    assert 'data-state="failed"' in box and 'data-action="render"' in box and "ลองอีกครั้ง" in box

    worker = start_worker(test_redis_url, log_path)
    try:
        client.post(render_url("procurement_summary", "m10"))  # the Retry button
        assert wait_for(lambda: RenderJob.objects.get().state == RenderJob.DONE), log_path.read_text()
    finally:
        stop_worker(worker)
    assert one_set_of_files() == ["pdf", "xlsx"] and RenderOutput.objects.count() == 2
    print(f"\nSIGKILL at state={observed[0]} progress={observed[1]}%; after retry: {one_set_of_files()}")


def children_of(pid: int) -> list[int]:
    """The worker's pool processes, from /proc."""
    found = []
    for entry in Path("/proc").iterdir():
        if entry.name.isdigit():
            try:
                stat = (entry / "stat").read_text()
            except OSError:
                continue
            if int(stat.rsplit(")", 1)[1].split()[1]) == pid:
                found.append(int(entry.name))
    return found


def test_when_the_pool_process_dies_the_message_goes_back_and_the_job_completes(client, committed_demo, broker_at,
                                                                                test_redis_url, tmp_path, monkeypatch,
                                                                                media_root):
    """The out-of-memory killer takes the pool child, not the worker: the message is handed back
    (reject on worker lost) and the job runs again to one set of files, with no one pressing Retry."""
    from django.contrib.auth import get_user_model

    monkeypatch.setenv("MEDIA_ROOT", str(media_root))
    client.force_login(get_user_model().objects.get(username="bk-responsible"))
    assert enter_procurement(client, purchases=MANY_PURCHASES).status_code == 302
    log_path = tmp_path / "worker.log"
    worker = start_worker(test_redis_url, log_path, pool="prefork")
    broker_at(test_redis_url)
    try:
        client.post(render_url("procurement_summary", "m10"))
        assert wait_for(lambda: RenderJob.objects.filter(state=RenderJob.RUNNING).exists(), every=0.05), log_path.read_text()
        [child] = children_of(worker.pid)
        os.kill(child, signal.SIGKILL)
        assert wait_for(lambda: RenderJob.objects.get().state == RenderJob.DONE), log_path.read_text()
    finally:
        stop_worker(worker)
    job = RenderJob.objects.get()
    assert job.attempts == 2 and one_set_of_files() == ["pdf", "xlsx"] and RenderOutput.objects.count() == 2


def test_the_sweeper_drops_an_unknown_task_and_two_sweeps_never_send_one_twice(committed_demo, caplog):
    """A row of a task renamed in an upgrade is logged and dropped (it used to block every later
    sweep); a row another sweep holds is skipped, not sent a second time."""
    import threading

    from django.db import connections, transaction

    from tests.conftest import require

    require(connections["default"].vendor == "postgresql", "two connections need PostgreSQL")
    from units.models import Unit

    unit = Unit.objects.get(slug="sn-buengkum")
    PendingTask.objects.create(task="oit_items.tasks.no_such_task", args=[1])
    held = PendingTask.objects.create(task="oit_items.tasks.rebuild_search_index", args=[unit.pk])
    free = PendingTask.objects.create(task="oit_items.tasks.rebuild_search_index", args=[unit.pk])
    locked, release = threading.Event(), threading.Event()

    def other_sweep():  # holds `held` the way a concurrent sweep would
        try:
            with transaction.atomic():
                PendingTask.objects.select_for_update().get(pk=held.pk)
                locked.set()
                release.wait(timeout=30)
        finally:
            connections.close_all()

    thread = threading.Thread(target=other_sweep)
    thread.start()
    try:
        assert locked.wait(timeout=10)
        assert resend_pending() == 1  # `free` only
    finally:
        release.set()
        thread.join(timeout=30)
    assert list(PendingTask.objects.values_list("pk", flat=True)) == [held.pk]
    assert "no_such_task" in caplog.text and not PendingTask.objects.filter(pk=free.pk).exists()
