"""The one render pipeline, for every generated document: monthly reports (reports.production) and
the integrity measures' documents and signs (measures.production).

    job = jobs.request("procurement_summary", unit, month, user)   # a view; enqueued after commit
    job = jobs.request("measures_document", unit, 2567, user)      # the period: a month or a year
    jobs.run(job)                                                   # the worker (reports.tasks)

A *producer* (a module registered for its kinds) says what a job makes: `check(kind, unit, period)`
refuses at once what could never succeed; `produce(job)` returns a Production — documents to render
and ready files, and the OIT item they go to as draft evidence (or none: private files).
One RenderJob per (kind, unit, period). Running it again replaces the files it produced before (a
new revision), never adds beside them: run twice — or once more after a killed worker — and there
is one set of files.
"""

import datetime
import hashlib
import logging
from dataclasses import dataclass

from django.conf import settings
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import InterfaceError, OperationalError, transaction
from django.db.models import F
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ita_portal.lib import stored, thaidate
from ita_portal.lib.queue import enqueue
from ita_portal.lib.uploads import UploadRejected, validate_upload
from oit_items.evidence import edits as evidence_service
from oit_items.evidence.permissions import period_of
from oit_items.rulebook.models import Item
from reports.builders import NoData
from reports.models import RenderJob, RenderOutput
from reports.renderers import render
from reports.system import system_user

log = logging.getLogger(__name__)

# Worth retrying (the task does, with back-off): the database or the disk hiccuped.
TRANSIENT = (OperationalError, InterfaceError, OSError)
# A job asked again while queued or running for longer than this is taken as lost and queued anew:
# the same deadline after which the sweeper fails a running job (fail_lost).
STALE_AFTER = datetime.timedelta(seconds=settings.RENDER_JOB_DEADLINE)
# A job its workers died on this many times (a document that kills the worker) is failed, not rerun.
MAX_ATTEMPTS = 8


class JobRefused(Exception):
    def __init__(self, message):
        self.message = message
        super().__init__(message)


# Exceptions with a `.message` for the officer; a producer adds its own as REFUSALS.
REFUSALS = (JobRefused, NoData, evidence_service.EvidenceError, UploadRejected)


@dataclass
class Piece:
    """One file of a job: a document to render in `fmt`, or ready `content` (a photo, a sign)."""

    key: str  # "pdf", "xlsx", "photo-12"
    name: str  # the file name the officer downloads
    title: str = ""
    document: object = None
    fmt: str = ""
    content: bytes = b""


@dataclass
class Production:
    pieces: list[Piece]
    item: Item | None = None  # None: the files are kept privately on the job (signs)
    month: datetime.date | None = None  # the item period: a month, or None for the whole year
    about_date: datetime.date | None = None


PRODUCERS = {}  # kind -> producer module; filled by each app's ready()


def register(producer, kinds) -> None:
    for kind in kinds:
        PRODUCERS[kind] = producer


def producer_for(kind: str):
    try:
        return PRODUCERS[kind]
    except KeyError:
        raise JobRefused(_("Unknown document.")) from None


# --- asking ---------------------------------------------------------------------------------------

def period_fields(period) -> dict:
    """A month (a date) for monthly kinds, a fiscal year (an int) for yearly ones."""
    if isinstance(period, datetime.date):
        return {"month": period, "fiscal_year": thaidate.fiscal_year(period)}
    return {"month": None, "fiscal_year": int(period)}


def request(kind: str, unit, period, user) -> RenderJob:
    """Queue a job; asking again while it is queued or running changes nothing."""
    producer_for(kind).check(kind, unit, period)
    with transaction.atomic():
        job, created = RenderJob.objects.select_for_update().get_or_create(kind=kind, unit=unit, **period_fields(period))
        if not created and job.active and timezone.now() - job.updated_at < STALE_AFTER:
            return job
        job.state, job.progress, job.error, job.finished_at = RenderJob.QUEUED, 0, "", None
        job.attempts_at_request = job.attempts  # a new request starts a new count towards MAX_ATTEMPTS
        job.requested_by = user if user is not None and user.is_authenticated else None
        job.save()
        enqueue("reports.tasks.render_job", job.pk, on_hold=mark_waiting)
    return job


def mark_waiting(job_id: int) -> None:
    """The broker did not take the job: it waits for the sweeper (ita_portal.queue), visibly."""
    with translation.override("th"):
        RenderJob.objects.filter(pk=job_id, state=RenderJob.QUEUED).update(
            state=RenderJob.WAITING, error=_("The task queue is not answering; the job will start when it is back."),
            updated_at=timezone.now())


def fail_lost(now=None) -> int:
    """Jobs "running" past their deadline lost their worker: failed, with a reason and a Retry button."""
    with translation.override("th"):
        return RenderJob.objects.lost(now).update(
            state=RenderJob.FAILED, finished_at=timezone.now(), updated_at=timezone.now(),
            error=_("The job was interrupted (the worker stopped). Press Retry to produce the documents again."))


# --- running --------------------------------------------------------------------------------------

def run(job: RenderJob) -> RenderJob:
    """Render and attach. A refusal (an exception with a `.message` for the officer) or a bug is
    recorded on the job with its reason; a transient error is raised for the task to retry."""
    if job.attempts - job.attempts_at_request >= MAX_ATTEMPTS:
        job.fail(_("The documents could not be produced after several attempts."))
        return job
    job.set_fields(state=RenderJob.RUNNING, progress=5, error="", started_at=timezone.now(), attempts=F("attempts") + 1)
    producer = producer_for(job.kind)
    refusals = REFUSALS + getattr(producer, "REFUSALS", ())
    try:
        with translation.override("th"):  # the documents and their messages are Thai
            production = producer.produce(job)
            files = _render(job, production.pieces)
            if production.item is None:
                _store(job, files)
            else:
                _attach(job, production, files)
    except TRANSIENT:
        job.set_fields(state=RenderJob.QUEUED, error=_("A temporary error occurred; trying again."))
        raise
    except refusals as refused:
        job.fail(refused.message)
    except Exception as error:
        log.exception("render job %s failed", job.pk)  # a bug: recorded for the officer, logged for us
        job.fail(_("The documents could not be produced (%(error)s).") % {"error": f"{type(error).__name__}: {error}"})
    else:
        job.set_fields(state=RenderJob.DONE, progress=100, finished_at=timezone.now())
    return job


def _render(job: RenderJob, pieces: list[Piece]) -> list[tuple[Piece, bytes]]:
    job.set_fields(progress=20)
    documents = [p for p in pieces if p.document is not None]
    files = []
    for done, piece in enumerate(pieces, start=1):
        content = render(piece.document, piece.fmt) if piece.document is not None else piece.content
        files.append((piece, content))
        if piece.document is not None:
            job.set_fields(progress=20 + 60 * done // len(documents))
    return files


@stored.atomic()  # a failure after some files were written deletes them again
def _attach(job: RenderJob, production: Production, files) -> None:
    """Replace the files of the evidence this job produced before, add the missing ones, and remove
    what it no longer produces. The job row is locked: two runs never both add."""
    job = RenderJob.objects.select_for_update().get(pk=job.pk)
    user = job.requested_by or system_user()
    period = period_of(job.unit, production.item, production.month)
    previous = {o.key: o for o in job.outputs.select_related("evidence__current_revision", "evidence__item_period")}
    for piece, content in files:
        validated = validate_upload(SimpleUploadedFile(piece.name, content))
        existing = previous.pop(piece.key, None)
        evidence = existing.evidence if existing else None
        if evidence is not None and evidence.removed_at is None and evidence.item_period_id == period.pk:
            if evidence.current_revision is None or evidence.current_revision.sha256 != validated.sha256:
                evidence_service.replace_file(evidence, validated, user)
            continue
        [evidence] = evidence_service.add_files(period, [validated], {"about_date": production.about_date,
                                                                      "title": piece.title}, user)
        RenderOutput.objects.update_or_create(job=job, key=piece.key, defaults={"evidence": evidence})
    for stale in previous.values():  # a format the item no longer asks for, a photo taken out
        if stale.evidence and stale.evidence.removed_at is None:
            evidence_service.remove(stale.evidence, user, _("No longer produced."))
        stale.delete()


@stored.atomic()
def _store(job: RenderJob, files) -> None:
    """Keep private files (a sign's PDF) on the job, replacing the previous file of the same key."""
    for piece, content in files:
        output, _created = RenderOutput.objects.get_or_create(job=job, key=piece.key)
        old = output.file.name if output.file else ""
        output.file.save("render.pdf", ContentFile(content), save=False)
        stored.remember(output.file)
        output.file_name, output.sha256 = piece.name, hashlib.sha256(content).hexdigest()
        output.save()
        if old:
            transaction.on_commit(lambda name=old, storage=output.file.storage: storage.delete(name))


def output_files(job: RenderJob | None) -> list[RenderOutput]:
    """What the job's status box lists: current evidence, or the private files."""
    if job is None:
        return []
    return [o for o in job.outputs.all() if (o.evidence is None and o.file) or (o.evidence and o.evidence.removed_at is None)]

