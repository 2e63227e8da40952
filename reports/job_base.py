"""What every render job shares, whatever it renders (monthly reports here, integrity measures in
`measures`): its lifecycle on the model, the run skeleton, and the Celery task base.

A job is keyed by its own app (per month for reports, per fiscal year for measures); only the work
differs. Re-running a job replaces its outputs, never adds beside them.
"""

import logging

from celery import Task
from django.apps import apps
from django.conf import settings
from django.db import InterfaceError, OperationalError, models
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

log = logging.getLogger(__name__)

# Errors worth retrying: the database or the file system blinked.
TRANSIENT = (OperationalError, InterfaceError, OSError)


class RenderJobBase(models.Model):
    QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
    STATES = [(QUEUED, gettext_lazy("Queued")), (RUNNING, gettext_lazy("Running")), (DONE, gettext_lazy("Done")),
              (FAILED, gettext_lazy("Failed"))]
    BADGES = {QUEUED: "secondary", RUNNING: "primary", DONE: "success", FAILED: "danger"}

    state = models.CharField(gettext_lazy("status"), max_length=10, choices=STATES, default=QUEUED)
    progress = models.PositiveSmallIntegerField(gettext_lazy("progress (%)"), default=0)
    error = models.TextField(gettext_lazy("error"), blank=True)
    attempts = models.PositiveIntegerField(gettext_lazy("attempts"), default=0)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=gettext_lazy("requested by"))
    created_at = models.DateTimeField(gettext_lazy("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(gettext_lazy("updated at"), auto_now=True)
    started_at = models.DateTimeField(gettext_lazy("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(gettext_lazy("finished at"), null=True, blank=True)

    class Meta:
        abstract = True

    @property
    def active(self) -> bool:
        return self.state in (self.QUEUED, self.RUNNING)

    @property
    def badge(self) -> str:
        return self.BADGES[self.state]

    def set_fields(self, **fields) -> None:
        """Write at once (autocommit), so that the page polling the job sees its progress."""
        for name, value in fields.items():
            if not isinstance(value, F):
                setattr(self, name, value)
        type(self).objects.filter(pk=self.pk).update(updated_at=timezone.now(), **fields)

    def fail(self, message) -> None:
        self.set_fields(state=self.FAILED, error=str(message), finished_at=timezone.now())


def run_job(job: RenderJobBase, work, refusals: tuple) -> RenderJobBase:
    """Run `work()` for the job: a refusal (an exception with a `.message` for the officer) or a bug
    is recorded on the job with its reason; a transient error is raised for the task to retry."""
    job.set_fields(state=job.RUNNING, progress=5, error="", started_at=timezone.now(), attempts=F("attempts") + 1)
    try:
        with translation.override("th"):  # the documents and their messages are Thai
            work()
    except TRANSIENT:
        job.set_fields(state=job.QUEUED, error=_("A temporary error occurred; trying again."))
        raise
    except refusals as refused:
        job.fail(refused.message)
    except Exception as error:  # a bug: recorded for the officer, logged for us
        log.exception("render job %s %s failed", job._meta.label, job.pk)
        job.fail(_("The documents could not be produced (%(error)s).") % {"error": f"{type(error).__name__}: {error}"})
    else:
        job.set_fields(state=job.DONE, progress=100, finished_at=timezone.now())
    return job


class RenderTask(Task):
    """Base of the render tasks: `@shared_task(base=RenderTask, job_model="app.Model", …)`."""

    job_model = None

    def on_failure(self, exc, task_id, args, kwargs, einfo):
        """Retries ran out (or the task itself broke): say so on the job, so that the officer sees a
        reason and a Retry button instead of a job queued forever."""
        model = apps.get_model(self.job_model)
        job = model.objects.filter(pk=args[0] if args else kwargs.get("job_id")).first()
        if job is not None:
            with translation.override("th"):
                job.fail(_("The documents could not be produced after several attempts (%(error)s).") % {
                    "error": f"{type(exc).__name__}: {exc}"})
