"""Render jobs: idempotent re-runs, failures with a reason and a Retry, transient errors retried,
the formats each item requires, and the monthly schedule."""

import datetime
import time
from decimal import Decimal
from unittest import mock

import pytest
from django.conf import settings
from django.utils import timezone

from ita_portal.lib.uploads import UploadRejected
from measures import kinds
from oit_items.evidence import edits as evidence_service
from oit_items.evidence.models import Evidence, Revision
from oit_items.rulebook.models import Item
from reports import jobs, production
from reports.models import Purchase, RenderJob, RenderOutput
from reports.system import SYSTEM_USERNAME, system_user
from reports.tasks import render_job
from tests.test_evidence_views import stored_files
from tests.test_measures_documents import run_job
from tests.test_reports_support import (
    APR,
    NOV,
    OCT,
    PURCHASES,
    ask_for,
    enter_procurement,
    in_pdf,
    pdf_text,
    render_url,
    status_url,
    stored,
)

FY = 2567


@pytest.fixture
def entered(client, users):
    client.force_login(users["responsible"])
    assert enter_procurement(client, purchases=PURCHASES).status_code == 302
    return client


def current_files(station, topic, month=OCT):
    return Evidence.objects.current().filter(item_period__unit=station, item_period__item__topic=topic,
                                             item_period__month=month)


def test_run_twice_one_set_of_files(entered, station, django_capture_on_commit_callbacks):
    ask_for(entered, "procurement_summary", "m10", django_capture_on_commit_callbacks)
    first = set(current_files(station, "procurement_summary").values_list("pk", flat=True))
    ask_for(entered, "procurement_summary", "m10", django_capture_on_commit_callbacks)
    assert set(current_files(station, "procurement_summary").values_list("pk", flat=True)) == first
    assert len(first) == 2 and RenderJob.objects.count() == 1 and RenderOutput.objects.count() == 2
    assert RenderJob.objects.get().attempts == 2


def test_a_job_asked_for_again_and_again_keeps_producing(entered, station, django_capture_on_commit_callbacks):
    """MAX_ATTEMPTS bounds the runs of one request (a message redelivered again and again), not a
    job's life: a document produced anew after each change must not stop working after 8 runs."""
    ask_for(entered, "procurement_summary", "m10", django_capture_on_commit_callbacks)
    RenderJob.objects.update(attempts=jobs.MAX_ATTEMPTS + 3)  # a year of edits, each producing it again
    ask_for(entered, "procurement_summary", "m10", django_capture_on_commit_callbacks)
    job = RenderJob.objects.get()
    assert job.state == RenderJob.DONE and job.error == "" and job.attempts == jobs.MAX_ATTEMPTS + 4
    # One request whose runs keep failing is still stopped.
    RenderJob.objects.update(attempts_at_request=0, state=RenderJob.QUEUED)
    assert jobs.run(RenderJob.objects.get()).state == RenderJob.FAILED


def test_changed_data_replaces_the_files_as_new_revisions(entered, station, django_capture_on_commit_callbacks):
    ask_for(entered, "procurement_summary", "m10", django_capture_on_commit_callbacks)
    first = set(current_files(station, "procurement_summary").values_list("pk", flat=True))
    purchase = Purchase.objects.get(item=PURCHASES[0]["item"])
    purchase.agreed_price = Decimal("11999.75")
    purchase.save()
    ask_for(entered, "procurement_summary", "m10", django_capture_on_commit_callbacks)
    files = current_files(station, "procurement_summary").select_related("current_revision")
    assert set(files.values_list("pk", flat=True)) == first  # the same evidence, no duplicates
    assert Revision.objects.filter(evidence__in=first).count() == 4 and {e.current_revision.number for e in files} == {2}
    assert in_pdf("11,999.75", pdf_text(stored(files.get(current_revision__format="pdf"))))


def test_evidence_removed_by_an_officer_is_produced_again(entered, users, station, django_capture_on_commit_callbacks):
    ask_for(entered, "procurement_summary", "m10", django_capture_on_commit_callbacks)
    pdf = current_files(station, "procurement_summary").get(current_revision__format="pdf")
    evidence_service.remove(pdf, users["responsible"], "ผิดเดือน")
    ask_for(entered, "procurement_summary", "m10", django_capture_on_commit_callbacks)
    formats = sorted(current_files(station, "procurement_summary").values_list("current_revision__format", flat=True))
    assert formats == ["pdf", "xlsx"]
    assert RenderOutput.objects.get(key="pdf").evidence_id != pdf.pk


def test_a_job_without_data_fails_with_its_reason_and_retry_works(client, users, station,
                                                                   django_capture_on_commit_callbacks):
    client.force_login(users["responsible"])
    ask_for(client, "procurement_summary", "m10", django_capture_on_commit_callbacks)
    job = RenderJob.objects.get()
    assert job.state == RenderJob.FAILED and "ตุลาคม 2566" in job.error
    partial = client.get(status_url("procurement_summary", "m10")).content.decode()
    assert 'data-state="failed"' in partial and job.error in partial and 'data-action="render"' in partial
    assert "hx-trigger" not in partial.split("<form")[0]  # nothing to poll for

    enter_procurement(client, purchases=PURCHASES)
    with django_capture_on_commit_callbacks(execute=True):
        retried = client.post(render_url("procurement_summary", "m10"), HTTP_HX_REQUEST="true")
    # The answer shows the queued job polling for its progress; the job runs after the request.
    assert retried.status_code == 200 and 'data-state="queued"' in retried.content.decode()
    assert 'hx-trigger="every 2s"' in retried.content.decode()
    job.refresh_from_db()
    assert job.state == RenderJob.DONE and job.error == "" and job.attempts == 2
    done = client.get(status_url("procurement_summary", "m10")).content.decode()
    assert 'data-state="done"' in done and "hx-trigger" not in done
    assert ".pdf" in done and ".xlsx" in done


def test_a_job_failing_after_it_attached_a_file_leaves_no_file_in_the_storage(
        users, station, media_root, monkeypatch, django_capture_on_commit_callbacks):
    validate = jobs.validate_upload
    calls = []

    def second_refused(uploaded):  # the PDF is attached, then the Word file is refused
        calls.append(uploaded.name)
        if len(calls) == 2:
            raise UploadRejected("refused")
        return validate(uploaded)

    monkeypatch.setattr(jobs, "validate_upload", second_refused)
    job = run_job(kinds.MEASURES_DOCUMENT, station, users["admin"], django_capture_on_commit_callbacks)
    assert job.state == RenderJob.FAILED and len(calls) == 2
    assert stored_files(media_root) == []


def test_a_queued_job_is_polled_every_two_seconds_and_not_queued_twice(entered, station, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks(execute=False) as callbacks:
        entered.post(render_url("procurement_summary", "m10"))
        entered.post(render_url("procurement_summary", "m10"))  # a double click
    assert len(callbacks) == 1 and RenderJob.objects.get().state == RenderJob.QUEUED
    partial = entered.get(status_url("procurement_summary", "m10")).content.decode()
    assert 'hx-trigger="every 2s"' in partial and 'data-state="queued"' in partial
    assert 'data-action="render"' not in partial
    assert not Evidence.objects.exists()  # nothing rendered inside the web requests


def test_a_job_queued_past_the_render_deadline_is_queued_anew(users, station, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks():
        job = jobs.request(kinds.MEASURES_DOCUMENT, station, FY, users["admin"])
    lost = timezone.now() - datetime.timedelta(seconds=settings.RENDER_JOB_DEADLINE + 1)
    RenderJob.objects.filter(pk=job.pk).update(updated_at=lost)
    with django_capture_on_commit_callbacks() as callbacks:
        jobs.request(kinds.MEASURES_DOCUMENT, station, FY, users["admin"])
    assert len(callbacks) == 1


def test_a_month_the_item_does_not_need_is_refused_without_a_job(entered, django_capture_on_commit_callbacks):
    response = ask_for(entered, "procurement_summary", "m4", django_capture_on_commit_callbacks)
    assert response.status_code == 302 and not RenderJob.objects.exists()
    assert "O15" in entered.get(response["Location"]).content.decode()


@pytest.fixture
def worker_like(monkeypatch):
    """Run tasks as a worker would: retries happen instead of surfacing to the caller."""
    from ita_portal.celery import app

    monkeypatch.setitem(app.conf, "task_eager_propagates", False)


def queued_job(client, capture):
    with capture(execute=False):
        client.post(render_url("procurement_summary", "m10"))
    return RenderJob.objects.get()


def test_a_transient_error_is_retried(entered, station, worker_like, django_capture_on_commit_callbacks):
    real, calls = jobs.render, []

    def flaky(document, fmt):
        calls.append(fmt)
        if len(calls) == 1:
            raise OSError("disk hiccup")
        return real(document, fmt)

    job = queued_job(entered, django_capture_on_commit_callbacks)
    with mock.patch("reports.jobs.render", flaky):
        result = render_job.apply(args=[job.pk])
    job.refresh_from_db()
    assert result.get() == RenderJob.DONE and job.state == RenderJob.DONE and job.attempts == 2
    assert current_files(station, "procurement_summary").count() == 2


def test_when_retries_run_out_the_job_says_so(entered, worker_like, django_capture_on_commit_callbacks):
    job = queued_job(entered, django_capture_on_commit_callbacks)
    with mock.patch("reports.jobs.render", side_effect=OSError("disk full")):
        result = render_job.apply(args=[job.pk])
    job.refresh_from_db()
    assert result.failed() and job.state == RenderJob.FAILED and "disk full" in job.error
    assert job.attempts == 6  # the first run and five retries


@pytest.mark.parametrize("unit_slug, topic, expected", [
    ("sn-buengkum", "procurement_summary", ["pdf", "xlsx"]),
    ("sn-buengkum", "monthly_report", ["pdf", "docx"]),
    ("sn-buengkum", "investigation_fund", ["pdf", "xlsx", "docx"]),
    ("sn-buengkum", "procurement_announcements", ["pdf"]),  # no formats rule
    ("imm-buengkan", "investigation_fund", ["pdf"]),
    ("imm-buengkan", "statistics", ["pdf", "xlsx"]),
])
def test_the_formats_each_item_requires(db, unit_slug, topic, expected):
    from units.models import Unit

    item = Item.objects.for_unit(Unit.objects.get(slug=unit_slug), 2567).get(topic=topic)
    assert production.required_formats(item) == expected


def test_the_system_user_cannot_log_in(db):
    user = system_user()
    assert user.username == SYSTEM_USERNAME and not user.is_active and not user.has_usable_password()
    assert system_user() == user


def test_the_monthly_schedule_renders_the_previous_month_for_units_with_data(entered, station,
                                                                             django_capture_on_commit_callbacks):
    enter_procurement(entered, period="m11", no_procurement=True)
    with django_capture_on_commit_callbacks(execute=True):
        queued = production.schedule_month(datetime.date(2023, 12, 28))
    assert queued == 2  # November: the announcements and the SKR.1 of the one unit with data
    assert set(RenderJob.objects.values_list("kind", "month", "state")) == {
        ("procurement_announcements", NOV, RenderJob.DONE), ("procurement_summary", NOV, RenderJob.DONE)}
    files = Evidence.objects.current().filter(item_period__month=NOV)
    assert files.count() == 3 and {e.created_by.username for e in files} == {SYSTEM_USERNAME}
    assert all(e.item_period.state == "draft" for e in files)


def test_the_schedule_skips_months_the_oit_does_not_ask_for(entered, django_capture_on_commit_callbacks):
    enter_procurement(entered, period="m4", no_procurement=True)
    with django_capture_on_commit_callbacks(execute=True):
        assert production.schedule_month(datetime.date(2024, 5, 28)) == 0
    assert not RenderJob.objects.filter(month=APR).exists()


def test_the_beat_runs_on_the_render_day():
    entry = settings.CELERY_BEAT_SCHEDULE["reports-previous-month"]
    assert entry["task"] == "reports.tasks.render_previous_month"
    assert entry["schedule"].day_of_month == {settings.REPORTS_RENDER_DAY} == {28}


def test_producing_an_unchanged_month_again_makes_no_new_version(entered, station, django_capture_on_commit_callbacks):
    """Every file of a render shows the same version: with the data unchanged, producing again gives
    the same bytes in every format (Excel and Word too), so no file gets a version 2 beside a version 1."""
    ask_for(entered, "procurement_summary", "m10", django_capture_on_commit_callbacks)
    time.sleep(2.1)  # a ZIP entry's time has a two-second grain; Excel's created/modified, one second
    ask_for(entered, "procurement_summary", "m10", django_capture_on_commit_callbacks)
    files = current_files(station, "procurement_summary").select_related("current_revision")
    assert sorted((e.current_revision.format, e.current_revision.number) for e in files) == [("pdf", 1), ("xlsx", 1)]
    assert RenderJob.objects.get().attempts == 2


@pytest.mark.parametrize("fmt", ["docx", "xlsx"])
def test_office_files_are_the_same_bytes_whenever_rendered(fmt):
    from reports.renderers import render
    from tests.test_reports_document import sample

    first = render(sample(), fmt)
    time.sleep(2.1)
    assert render(sample(), fmt) == first
