"""Celery tasks: thin — they take ids, load, and call reports.jobs, which is idempotent."""

import datetime

from celery import Task, shared_task
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext as _

from reports import jobs, production
from reports.jobs import TRANSIENT
from reports.models import RenderJob


class RenderTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        """Retries ran out, the time limit struck, or the task itself broke: say so on the job, so
        that the officer sees a reason and a Retry button instead of a job queued forever."""
        job = RenderJob.objects.filter(pk=args[0] if args else kwargs.get("job_id")).first()
        if job is not None:
            with translation.override("th"):
                job.fail(_("The documents could not be produced after several attempts (%(error)s).") % {
                    "error": f"{type(exc).__name__}: {exc}"})


@shared_task(bind=True, base=RenderTask, autoretry_for=TRANSIENT, retry_backoff=True, retry_backoff_max=600, max_retries=5,
             time_limit=settings.RENDER_JOB_TIME_LIMIT, soft_time_limit=settings.RENDER_JOB_TIME_LIMIT - 30)
def render_job(self, job_id: int) -> str | None:
    """Every generated document (reports and measures) goes through this one task."""
    job = RenderJob.objects.select_related("unit__unit_type", "unit__head", "requested_by").filter(pk=job_id).first()
    if job is None:  # deleted meanwhile (e.g. a benchmark cleaned up)
        return None
    return jobs.run(job).state


@shared_task(bind=True, autoretry_for=TRANSIENT, retry_backoff=True, max_retries=3)
def render_previous_month(self, day: str | None = None) -> int:
    """Beat runs it on REPORTS_RENDER_DAY: last month's documents for every unit with data."""
    return production.schedule_month(datetime.date.fromisoformat(day) if day else None)
