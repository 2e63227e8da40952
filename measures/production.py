"""What the measures' render jobs produce (the pipeline is reports.jobs): the O24/O25 (police) or
O23/O24 (immigration) documents as draft evidence of the whole year, and service-point signs kept as
private files. One job per (kind, unit, fiscal year)."""

import datetime

from django.utils import timezone
from django.utils.translation import gettext as _

from ita_portal.lib import thaidate
from measures import documents, kinds, signs
from measures.models import MeasurePlan
from oit_items.rulebook.models import Item
from reports import jobs

TOPICS = {kinds.MEASURES_DOCUMENT: "integrity_measures", kinds.PROGRESS_REPORT: "integrity_measures_report"}
DOCUMENT_FORMATS = ("pdf", "docx")
REFUSALS = (signs.SignError,)


def plan_of(unit, fiscal_year: int) -> MeasurePlan:
    plan = documents.plan_queryset().filter(unit=unit, fiscal_year=fiscal_year).first()
    if plan is None:
        raise jobs.JobRefused(_("There are no integrity measures for fiscal year %(year)s yet.") % {"year": fiscal_year})
    return plan


def item_for(kind: str, unit, fiscal_year: int) -> Item:
    item = Item.objects.for_unit(unit, fiscal_year).filter(topic=TOPICS[kind]).first()
    if item is None:
        raise jobs.JobRefused(_("This unit has no OIT item for this document in fiscal year %(year)s.") % {"year": fiscal_year})
    return item


def check(kind: str, unit, fiscal_year: int) -> tuple[MeasurePlan, Item | None]:
    """Refuse at once what could never succeed, with the reason the officer can act on; return the
    plan and, for a document, its OIT item (what produce() needs)."""
    plan = plan_of(unit, fiscal_year)
    if kind in kinds.DOCUMENTS:
        return plan, item_for(kind, unit, fiscal_year)
    reason = signs.refusal(kind, plan)
    if reason:
        raise jobs.JobRefused(reason)
    return plan, None


def produce(job) -> jobs.Production:
    plan, item = check(job.kind, job.unit, job.fiscal_year)  # checked again: the plan may have changed since
    if job.kind in kinds.SIGNS:
        return jobs.Production([jobs.Piece("pdf", signs.file_name(job.kind, plan), content=signs.render(job.kind, plan))])
    document = documents.build(job.kind, plan, title=item.title_th)
    title = f"{documents.title(job.kind, plan, item)} ปีงบประมาณ {job.fiscal_year}"
    pieces = [jobs.Piece(fmt, documents.file_name(job.kind, plan, item, fmt), title, document=document, fmt=fmt)
              for fmt in DOCUMENT_FORMATS]
    return jobs.Production(pieces, item=item, month=None, about_date=_about_date(job.fiscal_year))


def _about_date(fiscal_year: int) -> datetime.date:
    """Today, kept inside the fiscal year the document is about."""
    start, end = thaidate.fiscal_year_bounds(fiscal_year)
    return min(max(timezone.localdate(), start), end)
