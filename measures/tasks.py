"""Celery tasks: thin — they take ids, load, and call idempotent code in jobs.py and reminders.py."""

from celery import shared_task

from reports.job_base import TRANSIENT, RenderTask


@shared_task(bind=True, base=RenderTask, job_model="measures.RenderJob", autoretry_for=TRANSIENT, retry_backoff=True, retry_backoff_max=600,
             max_retries=5)
def render_measures(self, job_id: int) -> str | None:
    from .job_models import RenderJob

    job = RenderJob.objects.select_related("unit__unit_type", "unit__head", "requested_by").filter(pk=job_id).first()
    if job is None:
        return None
    return job.run().state


@shared_task(bind=True, autoretry_for=TRANSIENT, retry_backoff=True, max_retries=3)
def send_reminders(self, day: str | None = None) -> int:
    """Beat runs it every morning: e-mails about deadlines of the ITA calendar, measures and
    activities in the next days. A second run the same day sends nothing again."""
    import datetime

    from django.utils import timezone

    from . import reminders

    today = datetime.date.fromisoformat(day) if day else timezone.localdate()
    return reminders.send(today)
