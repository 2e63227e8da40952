"""The record as submitted to ITAP: each item of a unit's year frozen as an assessor saw its live public
page — titles, requirements, every period's approved snapshot, the contact details or complaint
statistics the page shows live — with each file referenced (revisions never change), its name, size
and SHA-256, the time and the live URL that ITAP holds.

Frozen when the commander submits, at the end of the OIT reporting phase for every unit not yet
frozen (the daily beat task), or by an administrator's command. Freezing is idempotent: the units'
rows are locked, a unit already frozen keeps its record, and the caller is told so. A batch of units
costs a fixed number of queries, whatever its size.

Never changed afterwards — but by a PDPA takedown (`take_down_files`), which removes the file's name
and description from the record and leaves when, why, the size and the hash.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db import transaction
from django.db.models import F, JSONField, Value
from django.urls import reverse
from django.utils import timezone

from ita_portal.lib import pagecache, thaidate
from ita_portal.lib.queue import enqueue
from ita_portal.lib.site import site_url
from oit_items.assessment import signals
from oit_items.assessment.models import FrozenFile, FrozenItem, ItapRecord
from oit_items.channels import stats
from oit_items.evidence.models import ItemPeriod, Revision
from oit_items.rulebook.models import Framework, Item
from units.models import Unit

CHUNK = 25  # units per Celery task: a task of a few seconds, retried whole if it fails
CONTACT, COMPLAINTS = "contact_qa", "complaints"  # the items whose public page shows live data (public.item)
PUBLISHED, NONE, MISSING, LIVE = "published", "none", "missing", "live"
RECORD_STAMP = "itap-record"  # pagecache live stamp of a record's pages: moves with a takedown


@dataclass
class Outcome:
    """What a call froze, and what it found already frozen (both {unit id: record})."""

    frozen: dict = field(default_factory=dict)
    already: dict = field(default_factory=dict)


def freeze(unit: Unit, fiscal_year: int, trigger: str, user=None) -> tuple[ItapRecord, bool]:
    """Freeze one unit's year; returns (record, created) — created False: it was frozen already, and
    nothing changed. ValueError for a unit with no items that year (nothing to freeze)."""
    outcome = freeze_many([unit.pk], fiscal_year, trigger, user)
    if unit.pk in outcome.frozen:
        return outcome.frozen[unit.pk], True
    if unit.pk in outcome.already:
        return outcome.already[unit.pk], False
    raise ValueError(f"{unit.slug} publishes no OIT items in fiscal year {fiscal_year}")


def freeze_many(unit_ids, fiscal_year: int, trigger: str, user=None) -> Outcome:
    """Freeze the year of each unit of `unit_ids` not frozen yet, in one transaction, with a fixed
    number of queries. Units without items that year are skipped."""
    outcome = Outcome()
    with transaction.atomic():
        # The units' rows, locked: two triggers at once (a commander's click, the beat) freeze once.
        units = {u.pk: u for u in Unit.objects.select_for_update(of=("self",)).select_related("head")
                 .filter(pk__in=list(unit_ids), unit_type__publishes_oit=True).order_by("pk")}
        for record in ItapRecord.objects.filter(unit_id__in=list(units), fiscal_year=fiscal_year):
            outcome.already[record.unit_id] = record
        todo = [u for pk, u in units.items() if pk not in outcome.already]
        if not todo:
            return outcome
        items = defaultdict(list)
        for item in (Item.objects.filter(framework__fiscal_year=fiscal_year, retired=False,
                                         framework__unit_type_id__in={u.unit_type_id for u in todo})
                     .annotate(unit_type_id=F("framework__unit_type_id")).order_by("number")):
            items[item.unit_type_id].append(item)
        todo = [u for u in todo if items.get(u.unit_type_id)]
        if not todo:
            return outcome
        now = timezone.now()
        periods = _published(todo, [i.pk for found in items.values() for i in found])
        hashes = dict(Revision.objects.filter(pk__in=[e["revision"] for found in periods.values() for _m, _a, entries in found
                                                      for e in entries if e.get("revision")]).values_list("pk", "sha256"))
        complaints = stats.monthly_many([u.pk for u in todo], fiscal_year)
        name = _name_of(user)
        records = ItapRecord.objects.bulk_create([
            ItapRecord(unit=u, fiscal_year=fiscal_year, frozen_at=now, frozen_by=user, frozen_by_name=name, trigger=trigger)
            for u in todo])
        frozen_items, pending_files = [], []
        for unit, record in zip(todo, records):
            for item in items[unit.unit_type_id]:
                found = periods.get((unit.pk, item.pk), [])
                content = content_of(unit, item, fiscal_year, found, complaints.get(unit.pk))
                # Value(): Django would otherwise insert the batch through UNNEST of a jsonb[] array, whose
                # quoting in Python costs seconds per batch; as an expression each row is a plain parameter.
                frozen = FrozenItem(record=record, item=item, code=item.code, number=item.number, title_th=item.title_th,
                                    live_url=live_url(unit, item, fiscal_year), content=Value(content, JSONField()))
                frozen_items.append(frozen)
                pending_files.append((frozen, found))
        FrozenItem.objects.bulk_create(frozen_items, batch_size=2000)
        files = []
        for frozen, found in pending_files:
            seen = set()
            for month, _approved_at, entries in found:
                for entry in entries:
                    revision = entry.get("revision")
                    if revision and revision not in seen and revision in hashes:
                        seen.add(revision)
                        files.append(FrozenFile(frozen_item=frozen, revision_id=revision, month=month,
                                                original_name=entry.get("original_name") or entry.get("title", ""),
                                                size=entry.get("size") or 0, sha256=hashes[revision]))
        FrozenFile.objects.bulk_create(files, batch_size=5000)
        for unit, record in zip(todo, records):
            outcome.frozen[unit.pk] = record
            transaction.on_commit(lambda unit=unit: announce(unit, fiscal_year))
    return outcome


def announce(unit, fiscal_year) -> None:
    """The unit's pages change (the live item pages link to the record): a new publication stamp."""
    pagecache.touch_live(RECORD_STAMP, f"{unit.slug}-{fiscal_year}")
    signals.record_frozen.send(sender=ItapRecord, unit=unit, fiscal_year=fiscal_year)


def _published(units, item_ids) -> dict:
    """{(unit id, item id): [(month, approved_at, snapshot entries)]}, approved snapshots only, in one query."""
    result = defaultdict(list)
    rows = (ItemPeriod.objects.filter(unit__in=units, item_id__in=item_ids, published_version__gt=0)
            .order_by("unit_id", "item_id", "month").values_list("unit_id", "item_id", "month", "approved_at", "published"))
    for unit_id, item_id, month, approved_at, published in rows:
        result[(unit_id, item_id)].append((month, approved_at, published))
    return result


def _name_of(user) -> str:
    if user is None:
        return ""
    officer = getattr(user, "officer", None)
    return officer.display_name if officer else (user.get_full_name() or user.username)


def live_url(unit, item, fiscal_year) -> str:
    """The address ITAP holds for the item: the live public item page."""
    return site_url() + reverse("public-item", args=[unit.slug, fiscal_year, item.code.lower()])


def _status(item, entries) -> str:
    """As the public item page says it (public.item.status, a layer above)."""
    if any(e["kind"] != "none" for e in entries):
        return PUBLISHED
    if entries:
        return NONE
    return LIVE if item.topic in (CONTACT, COMPLAINTS) else MISSING


def _day(value) -> str | None:
    return value.isoformat() if value else None


def content_of(unit, item, fiscal_year, periods, complaint_stats=None) -> dict:
    """What the live item page showed: requirements in both languages, then every period — the required
    ones, and any other with an approved snapshot — with its entries, or "none", "missing", "live"."""
    by_month = {month: (approved_at, entries) for month, approved_at, entries in periods}
    months = thaidate.fiscal_year_months(fiscal_year, item.months) if item.is_monthly else [None]
    months += sorted(m for m in by_month if m not in months and m is not None)
    if None in by_month and None not in months:
        months.insert(0, None)
    rows = []
    for month in months:
        approved_at, entries = by_month.get(month, (None, []))
        rows.append({"month": _day(month), "approved_at": _day(approved_at), "status": _status(item, entries),
                     "entries": entries})
    content = {
        "title_th": item.title_th, "title_en": item.title_en, "guidance_th": item.guidance_th,
        "guidance_en": item.guidance_en, "sub_requirements": item.sub_requirements or [], "topic": item.topic,
        "monthly": item.is_monthly, "periods": rows,
    }
    if item.topic == CONTACT:
        head = unit.head
        content["contact"] = {
            "name_th": unit.name_th, "name_en": unit.name_en, "address": unit.address, "phone": unit.phone,
            "email": unit.email, "website": unit.website, "social_links": unit.social_links or [],
            "latitude": str(unit.latitude) if unit.latitude is not None else "",
            "longitude": str(unit.longitude) if unit.longitude is not None else "",
            "head": head.display_name if head else "", "head_position": head.position if head else ""}
    if item.topic == COMPLAINTS and complaint_stats is not None:
        wanted = set(thaidate.fiscal_year_months(fiscal_year, item.months or (10, 11, 12, 1, 2, 3)))
        content["statistics"] = [{"month": s.month.isoformat(), "received": s.received, "finished": s.finished,
                                  "in_progress": s.in_progress} for s in complaint_stats if s.month in wanted]
    return content


def take_down_files(revision_ids, reason: str, at: datetime.datetime) -> int:
    """A PDPA takedown reaches the frozen records: each file leaves them — its name and description
    go — and they keep when, why, its size and its SHA-256. Returns the files taken down."""
    frozen = list(FrozenFile.objects.select_for_update(of=("self",)).filter(revision_id__in=list(revision_ids), taken_down_at__isnull=True)
                  .select_related("frozen_item__record__unit"))
    if not frozen:
        return 0
    gone = {f.revision_id for f in frozen}
    FrozenFile.objects.filter(pk__in=[f.pk for f in frozen]).update(taken_down_at=at, takedown_reason=reason, original_name="")
    items = {f.frozen_item_id: f.frozen_item for f in frozen}
    for item in items.values():
        for row in item.content.get("periods", []):
            row["entries"] = [_withdrawn(e, at) if e.get("revision") in gone else e for e in row["entries"]]
    FrozenItem.objects.bulk_update(list(items.values()), ["content"])
    for record in {f.frozen_item.record for f in frozen}:
        transaction.on_commit(lambda record=record: pagecache.touch_live(
            RECORD_STAMP, f"{record.unit.slug}-{record.fiscal_year}"))
    return len(frozen)


def _withdrawn(entry, at) -> dict:
    """What remains of a taken-down entry in the record: no name, no description, no address."""
    return {"evidence": entry.get("evidence"), "kind": entry.get("kind"), "revision": entry.get("revision"),
            "format": entry.get("format", ""), "extension": entry.get("extension", ""), "size": entry.get("size"),
            "taken_down_at": at.isoformat()}


def on_evidence_taken_down(sender, revision_ids, reason, at, **kwargs) -> None:
    """Receiver of evidence.signals.evidence_taken_down (connected in AssessmentConfig.ready)."""
    if revision_ids:
        take_down_files(revision_ids, reason, at)


# --- who is due ---------------------------------------------------------------------------------

def unfrozen_unit_ids(framework) -> list[int]:
    """The publishing units of the framework's type that have no record of its year yet."""
    return list(Unit.objects.filter(unit_type_id=framework.unit_type_id, unit_type__publishes_oit=True)
                .exclude(itap_records__fiscal_year=framework.fiscal_year).order_by("pk").values_list("pk", flat=True))


def queue(fiscal_year: int, unit_ids, chunk: int = CHUNK) -> int:
    """Queue the freezing of these units' year in tasks of `chunk` units; returns the tasks queued."""
    unit_ids = list(unit_ids)
    for start in range(0, len(unit_ids), chunk):
        enqueue("oit_items.tasks.freeze_itap_records", fiscal_year, unit_ids[start:start + chunk])
    return -(-len(unit_ids) // chunk)


def queue_due(today: datetime.date) -> int:
    """Every framework whose OIT reporting phase has ended: queue its units not yet frozen. Returns
    the units queued."""
    queued = 0
    for framework in Framework.objects.order_by("fiscal_year", "pk"):
        if framework.deadline < today:
            unit_ids = unfrozen_unit_ids(framework)
            queue(framework.fiscal_year, unit_ids)
            queued += len(unit_ids)
    return queued


def submitted_at(unit, item, fiscal_year):
    """When this item of the unit's year was frozen for ITAP, or None (the live page links to it)."""
    return (FrozenItem.objects.filter(record__unit=unit, record__fiscal_year=fiscal_year, item=item)
            .values_list("record__frozen_at", flat=True).first())
