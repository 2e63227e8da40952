"""Render jobs: ask for a report's documents, render them in a worker, attach them as draft evidence.

    job = jobs.request("procurement_summary", unit, month, user)   # from a view; enqueued on commit
    jobs.run(job)                                                   # in the worker (reports.tasks)

One RenderJob per (kind, unit, month). Running it again replaces the files of the evidence it
produced before (a new revision), never adds evidence beside them: run twice, get one set of files.
"""

import datetime
import logging
from dataclasses import dataclass

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ita_portal import thaidate
from oit_items import evidence as evidence_service
from oit_items.models import Item
from oit_items.permissions import period_of
from oit_items.uploads import UploadRejected, ValidatedFile, validate_upload

from . import builders
from .builders import NoData
from .job_base import run_job
from .kinds import DOCUMENT_KINDS, DocumentKind, units_with_data
from .models import OperationsReport, RenderJob, RenderOutput
from .renderers import FORMATS, render
from .system import system_user

log = logging.getLogger(__name__)

# Worth retrying (the task does, with back-off): the database or the disk hiccuped.
# A job queued or running for longer than this is taken as lost (a worker died) and may be asked again.
STALE_AFTER = datetime.timedelta(minutes=15)


class JobRefused(Exception):
    def __init__(self, message):
        self.message = message
        super().__init__(message)


@dataclass
class Output:
    key: str  # "pdf", "xlsx", "photo-12"
    file: ValidatedFile
    title: str


def item_for(kind: DocumentKind, unit, month) -> Item:
    """The OIT item a document kind is attached to, for the unit's type and the month's fiscal year."""
    found = (Item.objects.for_unit(unit, thaidate.fiscal_year(month)).select_related("framework")
             .filter(topic=kind.topic).first())
    if found is None:
        raise NoData(_("There is no OIT item for “%(report)s” in fiscal year %(year)s for this unit.") % {
            "report": kind.title, "year": thaidate.fiscal_year(month)})
    return found


def period_month(item: Item, month):
    """The item period the month's documents go to: the month itself, or the whole year."""
    if not item.months:
        return None
    if month.month not in item.months:
        raise NoData(_("%(code)s needs no document for %(month)s.") % {
            "code": item.code, "month": thaidate.month_label(month, "full")})
    return month


def required_formats(item: Item) -> list[str]:
    """For each group of the item's `formats` rule, its first format we can render; PDF if no rule."""
    rule = item.rule("formats")
    if not rule:
        return ["pdf"]
    formats = []
    for group in rule["all_of"]:
        fmt = next((f for f in group if f in FORMATS), None)
        if fmt and fmt not in formats:
            formats.append(fmt)
    return formats or ["pdf"]


# --- asking ---------------------------------------------------------------------------------------

def request(kind_key: str, unit, month, user) -> RenderJob:
    """Queue a kind's documents for a unit and month; asking again while it runs changes nothing."""
    kind = DOCUMENT_KINDS[kind_key]
    try:
        period_month(item_for(kind, unit, month), month)
    except NoData as refused:
        raise JobRefused(refused.message) from None
    with transaction.atomic():
        job, created = RenderJob.objects.select_for_update().get_or_create(kind=kind_key, unit=unit, month=month)
        if not created and job.active and timezone.now() - job.updated_at < STALE_AFTER:
            return job
        job.state, job.progress, job.error, job.finished_at = RenderJob.QUEUED, 0, "", None
        job.requested_by = user if user is not None and user.is_authenticated else None
        job.save()
        job_id = job.pk
        transaction.on_commit(lambda: enqueue(job_id))
    return job


def enqueue(job_id: int) -> None:
    """Hand the job to Celery; if that fails, say so on the job rather than leave it queued."""
    from .tasks import render_report

    try:
        render_report.delay(job_id)
    except Exception as error:  # the broker is down (or, with tasks run in-process, the run broke)
        log.exception("render job %s could not be queued", job_id)
        job = RenderJob.objects.filter(pk=job_id).first()
        if job is not None and job.state != RenderJob.DONE:
            with translation.override("th"):
                job.fail(_("The job could not be run (%(error)s). Try again later.") % {
                    "error": f"{type(error).__name__}: {error}"})


def schedule_month(today: datetime.date | None = None) -> int:
    """Queue every kind, for every unit with data, for the month before `today`; return the count."""
    today = today or timezone.localdate()
    month = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    user, queued = system_user(), 0
    for kind in DOCUMENT_KINDS.values():
        for unit in units_with_data(kind, month):
            try:
                request(kind.key, unit, month, user)
            except JobRefused as refused:  # e.g. April: the OIT needs no monthly document for it
                log.info("not rendering %s for %s %s: %s", kind.key, unit.slug, month, refused.message)
                continue
            queued += 1
    return queued


# --- running --------------------------------------------------------------------------------------


def run(job: RenderJob) -> RenderJob:
    """Render and attach, as a render job (see job_base.run_job)."""
    kind = DOCUMENT_KINDS[job.kind]

    def work():
        item = item_for(kind, job.unit, job.month)
        _attach(job, item, _render(job, kind, item))

    return run_job(job, work, refusals=(NoData, evidence_service.EvidenceError, UploadRejected))


def file_name(kind: DocumentKind, month, fmt: str) -> str:
    """"สขร.1 ต.ค.66.pdf"."""
    return builders.file_name(kind.file_stem, month, fmt)


def _render(job: RenderJob, kind: DocumentKind, item: Item) -> list[Output]:
    period_month(item, job.month)
    document = kind.build(job.unit, job.month)
    job.set_fields(progress=20)
    formats = required_formats(item)
    title = f"{kind.title} {thaidate.month_label(job.month, 'full')}"
    outputs = []
    for done, fmt in enumerate(formats, start=1):
        content = render(document, fmt)
        outputs.append(Output(fmt, validate_upload(SimpleUploadedFile(file_name(kind, job.month, fmt), content)), title))
        job.set_fields(progress=20 + 60 * done // len(formats))
    if kind.attach_photos and _photos_counted(item):
        outputs += _photo_outputs(job)
    return outputs


def _photos_counted(item: Item) -> bool:
    """Immigration O6 counts photo evidence (min_count photo): give it the report's photos too."""
    return any(r["type"] == "min_count" and r["kind"] == "photo" for r in item.rules)


def _photo_outputs(job: RenderJob) -> list[Output]:
    report = OperationsReport.objects.filter(unit=job.unit, month=job.month).first()
    outputs = []
    for photo in report.photos.all() if report else []:
        with photo.file.open("rb") as stored:
            upload = SimpleUploadedFile(photo.original_name, stored.read())
        outputs.append(Output(f"photo-{photo.pk}", validate_upload(upload), photo.caption or photo.original_name))
    return outputs


def _last_day(month) -> datetime.date:
    return (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1) - datetime.timedelta(days=1)


@transaction.atomic
def _attach(job: RenderJob, item: Item, outputs: list[Output]) -> None:
    """Replace the files of the evidence this job produced before, add the missing ones, and
    remove what it no longer produces. The job row is locked: two runs never both add."""
    job = RenderJob.objects.select_for_update().get(pk=job.pk)
    user = job.requested_by or system_user()
    period = period_of(job.unit, item, period_month(item, job.month))
    previous = {o.key: o for o in job.outputs.select_related("evidence__current_revision", "evidence__item_period")}
    for output in outputs:
        existing = previous.pop(output.key, None)
        evidence = existing.evidence if existing else None
        if evidence is not None and evidence.removed_at is None and evidence.item_period_id == period.pk:
            if evidence.current_revision is None or evidence.current_revision.sha256 != output.file.sha256:
                evidence_service.replace_file(evidence, output.file, user)
            continue
        [evidence] = evidence_service.add_files(period, [output.file], {"about_date": _last_day(job.month),
                                                                        "title": output.title}, user)
        RenderOutput.objects.update_or_create(job=job, key=output.key, defaults={"evidence": evidence})
    for stale in previous.values():  # a format the item no longer asks for, a photo taken out
        evidence_service.remove(stale.evidence, user, _("No longer produced by the report."))
        stale.delete()
