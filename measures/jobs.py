"""Render jobs for the measures documents and signs.

    job = jobs.request(RenderJob.MEASURES_DOCUMENT, unit, 2567, user)   # a view; enqueued on commit
    jobs.run(job)                                                      # the worker (measures.tasks)

One job per (kind, unit, fiscal year). Documents go to the unit's O24/O25 (police) or O23/O24
(immigration) item as *draft* evidence of the whole year; signs are kept as private files. Running
a job again replaces its files (a new revision), never adds beside them.
"""

import datetime
import logging
from dataclasses import dataclass

from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from ita_portal import thaidate
from oit_items import evidence as evidence_service
from oit_items.models import Item
from oit_items.permissions import period_of
from oit_items.uploads import UploadRejected, ValidatedFile, validate_upload
from reports.job_base import run_job
from reports.renderers import render
from reports.system import system_user

from . import documents, signs
from .job_models import RenderJob, RenderOutput
from .models import MeasurePlan

log = logging.getLogger(__name__)

STALE_AFTER = datetime.timedelta(minutes=15)  # a job "running" this long lost its worker
TOPICS = {RenderJob.MEASURES_DOCUMENT: "integrity_measures", RenderJob.PROGRESS_REPORT: "integrity_measures_report"}
DOCUMENT_FORMATS = ("pdf", "docx")


class JobRefused(Exception):
    def __init__(self, message):
        self.message = message
        super().__init__(message)


@dataclass
class Output:
    key: str
    name: str
    content: bytes


def plan_of(unit, fiscal_year: int) -> MeasurePlan:
    plan = documents.plan_queryset().filter(unit=unit, fiscal_year=fiscal_year).first()
    if plan is None:
        raise JobRefused(_("There are no integrity measures for fiscal year %(year)s yet.") % {"year": fiscal_year})
    return plan


def item_for(kind: str, unit, fiscal_year: int) -> Item:
    item = Item.objects.for_unit(unit, fiscal_year).filter(topic=TOPICS[kind]).first()
    if item is None:
        raise JobRefused(_("This unit has no OIT item for this document in fiscal year %(year)s.") % {"year": fiscal_year})
    return item


def check(kind: str, unit, fiscal_year: int) -> None:
    """Refuse at once what could never succeed, with the reason the officer can act on."""
    if kind not in dict(RenderJob.KINDS):
        raise JobRefused(_("Unknown document."))
    plan = plan_of(unit, fiscal_year)
    if kind in RenderJob.DOCUMENTS:
        item_for(kind, unit, fiscal_year)
    elif kind == RenderJob.SIGN_EIT and not plan.eit_survey_url:
        raise JobRefused(_("The EIT survey address is not set: enter it in the plan first."))
    elif kind == RenderJob.SIGN_MANUAL and signs.manual_item(plan) is None:
        raise JobRefused(_("There is no public service manual item for this unit and fiscal year."))


def request(kind: str, unit, fiscal_year: int, user) -> RenderJob:
    """Queue a document or sign; asking again while it is queued or running changes nothing."""
    check(kind, unit, fiscal_year)
    from .tasks import render_measures

    with transaction.atomic():
        job, created = RenderJob.objects.select_for_update().get_or_create(kind=kind, unit=unit, fiscal_year=fiscal_year)
        if not created and job.active and timezone.now() - job.updated_at < STALE_AFTER:
            return job
        job.state, job.progress, job.error, job.finished_at = RenderJob.QUEUED, 0, "", None
        job.requested_by = user if user is not None and user.is_authenticated else None
        job.save()
        job_id = job.pk
        transaction.on_commit(lambda: render_measures.delay(job_id))
    return job



def run(job: RenderJob) -> RenderJob:
    """Render and store, as a render job (see reports.job_base.run_job)."""

    def work():
        check(job.kind, job.unit, job.fiscal_year)
        plan = plan_of(job.unit, job.fiscal_year)
        if job.kind in RenderJob.DOCUMENTS:
            _attach(job, item_for(job.kind, job.unit, job.fiscal_year), _render_document(job, plan))
        else:
            _store(job, [Output("pdf", signs.file_name(job.kind, plan), signs.render(job.kind, plan))])

    return run_job(job, work, refusals=(JobRefused, signs.SignError, evidence_service.EvidenceError, UploadRejected))


def document_title(job: RenderJob, plan: MeasurePlan, item: Item) -> str:
    title = plan.title if job.kind == RenderJob.MEASURES_DOCUMENT else item.title_th
    return f"{title} ปีงบประมาณ {job.fiscal_year}"


def _render_document(job: RenderJob, plan: MeasurePlan) -> list[Output]:
    item = item_for(job.kind, job.unit, job.fiscal_year)
    document = documents.build(job.kind, plan, title=item.title_th)
    job.set_fields(progress=20)
    outputs = []
    for done, fmt in enumerate(DOCUMENT_FORMATS, start=1):
        outputs.append(Output(fmt, documents.file_name(job.kind, plan, item, fmt), render(document, fmt)))
        job.set_fields(progress=20 + 60 * done // len(DOCUMENT_FORMATS))
    return outputs


def _about_date(fiscal_year: int) -> datetime.date:
    """Today, kept inside the fiscal year the document is about."""
    start, end = thaidate.fiscal_year_bounds(fiscal_year)
    return min(max(timezone.localdate(), start), end)


@transaction.atomic
def _attach(job: RenderJob, item: Item, outputs: list[Output]) -> None:
    """Replace the files of the evidence this job produced before and add the missing ones, on the
    item's whole-year period. The job row is locked: two runs never both add."""
    job = RenderJob.objects.select_for_update().get(pk=job.pk)
    user = job.requested_by or system_user()
    period = period_of(job.unit, item, None)
    previous = {o.key: o for o in job.outputs.select_related("evidence__current_revision")}
    plan = plan_of(job.unit, job.fiscal_year)
    for output in outputs:
        validated: ValidatedFile = validate_upload(SimpleUploadedFile(output.name, output.content))
        existing = previous.pop(output.key, None)
        evidence = existing.evidence if existing else None
        if evidence is not None and evidence.removed_at is None and evidence.item_period_id == period.pk:
            if evidence.current_revision is None or evidence.current_revision.sha256 != validated.sha256:
                evidence_service.replace_file(evidence, validated, user)
            continue
        [evidence] = evidence_service.add_files(
            period, [validated], {"about_date": _about_date(job.fiscal_year), "title": document_title(job, plan, item)}, user)
        RenderOutput.objects.update_or_create(job=job, key=output.key, defaults={"evidence": evidence})
    for stale in previous.values():
        if stale.evidence and stale.evidence.removed_at is None:
            evidence_service.remove(stale.evidence, user, _("No longer produced."))
        stale.delete()


@transaction.atomic
def _store(job: RenderJob, outputs: list[Output]) -> None:
    """Keep a sign's PDF privately, replacing the previous file of the same key."""
    import hashlib

    for output in outputs:
        stored, _created = RenderOutput.objects.get_or_create(job=job, key=output.key)
        old = stored.file.name if stored.file else ""
        stored.file.save("sign.pdf", ContentFile(output.content), save=False)
        stored.file_name, stored.sha256 = output.name, hashlib.sha256(output.content).hexdigest()
        stored.save()
        if old:
            transaction.on_commit(lambda name=old: stored.file.storage.delete(name))
