"""Celery tasks: thin — they take ids, load, and call reports.jobs, which is idempotent."""

import datetime

from celery import shared_task

from .job_base import TRANSIENT, RenderTask


@shared_task(bind=True, base=RenderTask, job_model="reports.RenderJob", autoretry_for=TRANSIENT, retry_backoff=True, retry_backoff_max=600,
             max_retries=5)
def render_report(self, job_id: int) -> str | None:
    from .models import RenderJob

    job = RenderJob.objects.select_related("unit__unit_type", "unit__head", "requested_by").filter(pk=job_id).first()
    if job is None:  # deleted meanwhile (e.g. a benchmark cleaned up)
        return None
    return job.run().state


@shared_task(bind=True, autoretry_for=TRANSIENT, retry_backoff=True, max_retries=3)
def render_previous_month(self, day: str | None = None) -> int:
    """Beat runs it on REPORTS_RENDER_DAY: last month's documents for every unit with data."""
    from . import jobs

    return jobs.schedule_month(datetime.date.fromisoformat(day) if day else None)
