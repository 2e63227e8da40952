"""The public item page as the assessor's checklist: what the item requires, then every period of
it as a row — its approved evidence, the explicit "none this period" with its reason, or "not yet
published"; never silently absent.

Two items show live data of the unit beside (or instead of) uploaded evidence, so their periods
never read "not yet published" under it: the contact item (O5 police / O4 immigration: the unit's
own contact details, map and the question channel) and the complaint item (O17 / O16: the
complaint statistics, counted from the complaints themselves).
"""

import datetime
from dataclasses import dataclass, field

from django.urls import reverse
from django.utils import timezone, translation

from ita_portal.lib import thaidate
from oit_items.channels import stats
from oit_items.evidence.models import Revision

CONTACT, COMPLAINTS = "contact_qa", "complaints"
LIVE_TOPICS = (CONTACT, COMPLAINTS)
PUBLISHED, NONE, MISSING, LIVE = "published", "none", "missing", "live"
NOT_DUE = "not_due"  # a period not begun yet, with nothing in it (Item.timing): not "missing"


@dataclass
class Row:
    month: datetime.date | None
    status: str
    approved_at: datetime.datetime | None = None
    photos: list = field(default_factory=list)
    documents: list = field(default_factory=list)
    links: list = field(default_factory=list)
    nones: list = field(default_factory=list)
    stats: object = None  # the month's complaint figures (complaint item)


def readable(guidance: str) -> str:
    """The guidance as the data files wrap it, for reading: an indented line that is a bullet
    ("  - ที่อยู่") stays a line of its own, indented; any other indented line continues the one
    before it (the file wrapped it)."""
    lines = []
    for line in (guidance or "").splitlines():
        stripped = line.strip()
        if not stripped:
            continue
        if line[:1].isspace() and not stripped.startswith("-") and lines:
            lines[-1] += " " + stripped
        else:
            lines.append(("\u2003" if line[:1].isspace() else "") + stripped)
    return "\n".join(lines)


def requirements(item) -> dict:
    """Title, guidance and sub-requirements in the reader's language (Thai unless English is chosen
    and the item has English)."""
    english = translation.get_language() == "en"
    pick = (lambda en, th: en or th) if english else (lambda en, th: th)
    return {
        "title": pick(item.title_en, item.title_th), "guidance": readable(pick(item.guidance_en, item.guidance_th)),
        "sub_requirements": [pick(r.get("en"), r.get("th")) for r in item.sub_requirements or []],
    }


def file_url(slug, entry) -> str:
    return reverse("public-file", args=[slug, entry["revision"]])


def _decorated(slug, entries, revisions) -> list[dict]:
    """Snapshot entries with what the page shows of their file: pages, a thumbnail, the size of a photo."""
    out = []
    for entry in entries:
        entry = dict(entry)
        info = revisions.get(entry.get("revision"))
        if info:
            entry.update(page_count=info["page_count"], width=info["width"], height=info["height"])
            entry["file_url"] = file_url(slug, entry)
            if info["thumbnail"]:
                entry["thumbnail_url"] = reverse("public-thumbnail", args=[slug, info["pk"]])
        out.append(entry)
    return out


def _revisions(periods) -> dict:
    ids = [e["revision"] for _m, _a, entries in periods for e in entries if e.get("revision")]
    rows = Revision.objects.filter(pk__in=ids).values("pk", "page_count", "width", "height", "thumbnail")
    return {row["pk"]: row for row in rows}


def required_months(item, fiscal_year) -> list:
    """The periods the item asks for: its months of the fiscal year, or the whole year (None)."""
    return thaidate.fiscal_year_months(fiscal_year, item.months) if item.is_monthly else [None]


def every_period(item, fiscal_year, periods) -> list[tuple]:
    """(month, approved_at, entries) for every period of the item — its required months, and any
    other month that has an approved snapshot — published or not."""
    by_month = {month: (approved_at, entries) for month, approved_at, entries in periods}
    months = required_months(item, fiscal_year)
    months += sorted(m for m in by_month if m not in months and m is not None)
    if None in by_month and None not in months:
        months.insert(0, None)
    return [(month, *by_month.get(month, (None, []))) for month in months]


def status(item, entries) -> str:
    if any(e["kind"] != "none" for e in entries):
        return PUBLISHED
    if entries:
        return NONE
    return LIVE if item.topic in LIVE_TOPICS else MISSING


def shown_status(item, month, entries, today) -> str:
    """A period's status on the page on `today`: a period not yet begun with nothing in it is NOT_DUE."""
    found = status(item, entries)
    return NOT_DUE if found in (MISSING, LIVE) and item.timing(month, today) == item.NOT_DUE else found


def rows(unit, item, fiscal_year, periods, stats=None, today=None) -> list[Row]:
    """One row per period of the item (every_period), with its evidence sorted for the page."""
    stats_by_month = {s.month: s for s in stats or []}
    revisions = _revisions(periods)
    today = today or timezone.localdate()
    result = []
    for month, approved_at, entries in every_period(item, fiscal_year, periods):
        entries = _decorated(unit.slug, entries, revisions)
        row = Row(month=month, status=shown_status(item, month, entries, today), approved_at=approved_at,
                  stats=stats_by_month.get(month))
        for entry in entries:
            if entry["kind"] == "none":
                row.nones.append(entry)
            elif entry["kind"] == "link":
                row.links.append(entry)
            elif entry.get("format") == "image":
                row.photos.append(entry)
            else:
                row.documents.append(entry)
        result.append(row)
    return result


def latest_approval(periods):
    """When the newest of these periods (published_by_month) was approved, or None."""
    return max((approved_at for _m, approved_at, _e in periods or [] if approved_at), default=None)


def last_updated(unit, item, periods):
    """When what this page shows last changed."""
    times = [latest_approval(periods)]
    if item.topic == COMPLAINTS:
        times.append(stats.last_change(unit))
    elif item.topic == CONTACT:
        times.append(unit.history.order_by("-history_date").values_list("history_date", flat=True).first())
    times = [t for t in times if t]
    return max(times) if times else None


def complaint_totals(stats, today=None) -> dict | None:
    """The period's figures at a glance: received and finished over all its months, in progress at
    the end of the last."""
    if not stats:
        return None
    received, finished = sum(s.received for s in stats), sum(s.finished for s in stats)
    return {"first": stats[0].month, "last": stats[-1].month, "received": received, "finished": finished,
            "in_progress": stats[-1].in_progress, "none": all(s.none for s in stats),
            # The last month is the current one: its end has not come, its figures are "so far".
            "so_far": stats[-1].month == (today or timezone.localdate()).replace(day=1)}
