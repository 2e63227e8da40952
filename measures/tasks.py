"""Celery tasks: thin — they take ids, load, and call idempotent code in jobs.py and reminders.py."""

from celery import Task, shared_task
from django.db import InterfaceError, OperationalError

TRANSIENT = (OperationalError, InterfaceError, OSError)


class MeasuresRenderTask(Task):
    def on_failure(self, exc, task_id, args, kwargs, einfo):
        """Retries ran out (or the task itself broke): say so on the job, so that the officer sees a
        reason and a button to try again instead of a job queued forever."""
        from django.utils import translation
        from django.utils.translation import gettext as _

        from . import jobs
        from .job_models import RenderJob

        job = RenderJob.objects.filter(pk=args[0] if args else kwargs.get("job_id")).first()
        if job is not None:
            with translation.override("th"):
                jobs.fail(job, _("The document could not be produced after several attempts (%(error)s).") % {
                    "error": f"{type(exc).__name__}: {exc}"})


@shared_task(bind=True, base=MeasuresRenderTask, autoretry_for=TRANSIENT, retry_backoff=True, retry_backoff_max=600,
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
