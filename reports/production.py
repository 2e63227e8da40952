"""What the monthly reports' render jobs produce (the pipeline is reports.jobs): one document kind's
documents for a unit and month, in every format its OIT item requires, attached as draft evidence
of that month (or of the whole year, for items that are not monthly)."""

import datetime
import logging

from django.utils import timezone
from django.utils.translation import gettext as _

from ita_portal.lib import thaidate
from oit_items.rulebook.models import Item
from reports import builders, jobs
from reports.builders import NoData
from reports.kinds import DOCUMENT_KINDS, DocumentKind, units_with_data
from reports.models import OperationsReport
from reports.renderers import FORMATS
from reports.system import system_user

log = logging.getLogger(__name__)


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


def check(kind_key: str, unit, month) -> None:
    try:
        period_month(item_for(DOCUMENT_KINDS[kind_key], unit, month), month)
    except NoData as refused:
        raise jobs.JobRefused(refused.message) from None


def produce(job) -> jobs.Production:
    kind = DOCUMENT_KINDS[job.kind]
    item = item_for(kind, job.unit, job.month)
    month = period_month(item, job.month)
    document = kind.build(job.unit, job.month)
    title = f"{kind.title} {thaidate.month_label(job.month, 'full')}"
    pieces = [jobs.Piece(fmt, builders.file_name(kind.file_stem, job.month, fmt), title, document=document, fmt=fmt)
              for fmt in required_formats(item)]
    if kind.attach_photos and _photos_counted(item):
        pieces += _photos(job)
    return jobs.Production(pieces, item=item, month=month, about_date=_last_day(job.month))


def _photos_counted(item: Item) -> bool:
    """Immigration O6 counts photo evidence (min_count photo): give it the report's photos too."""
    return any(r["type"] == "min_count" and r["kind"] == "photo" for r in item.rules)


def _photos(job) -> list[jobs.Piece]:
    report = OperationsReport.objects.filter(unit=job.unit, month=job.month).first()
    pieces = []
    for photo in report.photos.all() if report else []:
        with photo.file.open("rb") as stored:
            pieces.append(jobs.Piece(f"photo-{photo.pk}", photo.original_name, photo.caption or photo.original_name,
                                     content=stored.read()))
    return pieces


def _last_day(month) -> datetime.date:
    return (month.replace(day=28) + datetime.timedelta(days=4)).replace(day=1) - datetime.timedelta(days=1)


def schedule_month(today: datetime.date | None = None) -> int:
    """Queue every kind, for every unit with data, for the month before `today`; return the count."""
    today = today or timezone.localdate()
    month = (today.replace(day=1) - datetime.timedelta(days=1)).replace(day=1)
    user, queued = system_user(), 0
    for kind in DOCUMENT_KINDS.values():
        for unit in units_with_data(kind, month):
            try:
                jobs.request(kind.key, unit, month, user)
            except jobs.JobRefused as refused:  # e.g. April: the OIT needs no monthly document for it
                log.info("not rendering %s for %s %s: %s", kind.key, unit.slug, month, refused.message)
                continue
            queued += 1
    return queued
