"""The render pipeline's files are never left behind by a failed job, a refusal through htmx answers
the job's row, reminders survive a broker outage, and signs leave Pillow strict."""

import datetime

from celery import current_app
from django.conf import settings
from django.urls import reverse
from django.utils import timezone
from PIL import ImageFile

from ita_portal.lib.models import PendingTask
from ita_portal.lib.uploads import UploadRejected
from measures import kinds, reminders, signs
from measures.models import MeasurePlan
from measures.tasks import send_reminders
from reports import jobs
from reports.models import RenderJob, RenderOutput
from tests.test_evidence_views import stored_files

FY = 2567


def run_job(kind, unit, user, capture):
    with capture(execute=True):
        job = jobs.request(kind, unit, FY, user)
    job.refresh_from_db()
    return job


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


def test_a_job_failing_after_it_stored_a_sign_leaves_no_file_in_the_storage(
        users, station, media_root, monkeypatch, django_capture_on_commit_callbacks):
    save = RenderOutput.save

    def failing_once_the_file_is_written(output, *args, **kwargs):
        if output.file:
            raise RuntimeError("the database went away")
        return save(output, *args, **kwargs)

    monkeypatch.setattr(RenderOutput, "save", failing_once_the_file_is_written)
    job = run_job(kinds.SIGN_NO_GIFT_TH, station, users["admin"], django_capture_on_commit_callbacks)
    assert job.state == RenderJob.FAILED and "RuntimeError" in job.error
    assert stored_files(media_root) == []


def test_a_refusal_asked_through_htmx_answers_the_row_with_the_reason(client, users, other_unit):
    client.force_login(users["other-admin"])
    response = client.post(reverse("measures-render", args=[other_unit.slug, FY, kinds.SIGN_EIT]), HTTP_HX_REQUEST="true")
    assert response.status_code == 200
    page = response.content.decode()
    assert "ยังไม่ได้กำหนดที่อยู่แบบวัด EIT กรุณาบันทึกในหน้าแผนก่อน" in page and "data-refused" in page
    assert page.startswith("<li") and "<html" not in page  # the row htmx swaps in, not the whole page
    assert not RenderJob.objects.filter(unit=other_unit, kind=kinds.SIGN_EIT).exists()


def test_a_job_queued_past_the_render_deadline_is_queued_anew(users, station, django_capture_on_commit_callbacks):
    with django_capture_on_commit_callbacks():
        job = jobs.request(kinds.MEASURES_DOCUMENT, station, FY, users["admin"])
    lost = timezone.now() - datetime.timedelta(seconds=settings.RENDER_JOB_DEADLINE + 1)
    RenderJob.objects.filter(pk=job.pk).update(updated_at=lost)
    with django_capture_on_commit_callbacks() as callbacks:
        jobs.request(kinds.MEASURES_DOCUMENT, station, FY, users["admin"])
    assert len(callbacks) == 1


def test_each_plans_reminders_are_kept_when_the_broker_is_down(db, settings, monkeypatch,
                                                              django_capture_on_commit_callbacks):
    settings.MEASURES_REMINDER_DAYS = 7
    today = datetime.date(2024, 4, 25)

    def broker_down(*args, **kwargs):
        raise OSError("connection refused")

    monkeypatch.setattr(current_app.tasks["measures.tasks.send_plan_reminders"], "apply_async", broker_down)
    with django_capture_on_commit_callbacks(execute=True):
        assert send_reminders(today.isoformat()) == 2
    plans = reminders.plans_due(today, today + datetime.timedelta(days=7)).values_list("pk", flat=True)
    assert sorted(PendingTask.objects.values_list("task", "args")) == sorted(
        ("measures.tasks.send_plan_reminders", [pk, today.isoformat()]) for pk in plans)


def test_rendering_a_sign_leaves_pillow_refusing_truncated_images(station, monkeypatch):
    monkeypatch.setattr(ImageFile, "LOAD_TRUNCATED_IMAGES", True)  # what importing WeasyPrint does
    signs.render(kinds.SIGN_NO_GIFT_TH, MeasurePlan.objects.get(unit=station, fiscal_year=FY))
    assert ImageFile.LOAD_TRUNCATED_IMAGES is False
