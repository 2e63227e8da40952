"""Monthly complaint statistics for the O17 (police) / O16 (immigration) item, computed from the
complaints themselves, each figure by its own date: received in the month (by the day it was
received), finished in the month (by the day it was finished), in progress at the month's end.

The pages that show them are cached on a live stamp of their own (pagecache.live_stamp) that
every change of a complaint moves (Complaint.save), so they are fresh without waiting for an approval."""

import datetime
from dataclasses import dataclass

from django.db.models import Max
from django.utils import timezone

from ita_portal.lib import pagecache, thaidate
from oit_items.channels.models import STATISTICS, Complaint


@dataclass
class MonthStats:
    month: datetime.date
    received: int
    finished: int
    in_progress: int

    @property
    def none(self) -> bool:
        """Nothing at all this month: "no complaints" is then what the page says."""
        return self.received == 0 and self.finished == 0 and self.in_progress == 0

    def as_data(self) -> dict:
        return {"month": self.month.strftime("%Y-%m"), "received": self.received, "in_progress": self.in_progress,
                "finished": self.finished}


LIVE = STATISTICS


def _latest(**unit):
    """When a complaint of the unit last changed (received, triaged, finished), or None."""
    return Complaint.objects.filter(**unit).aggregate(latest=Max("updated_at"))["latest"]


def stamp(slug: str) -> str:
    """Changes with every complaint of the unit."""
    return pagecache.live_stamp(LIVE, slug, lambda: _latest(unit__slug=slug))


def last_change(unit):
    return _latest(unit=unit)


def _end_of(month: datetime.date) -> datetime.datetime:
    following = datetime.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return timezone.make_aware(datetime.datetime.combine(following, datetime.time()))


def monthly(unit, fiscal_year: int, months=(10, 11, 12, 1, 2, 3), today: datetime.date | None = None) -> list[MonthStats]:
    """The months up to the current one (`today`'s): a month not yet begun has no figures — not
    even "in progress" carried over from the month before. One query for the whole year, counted in
    Python (a unit has tens of complaints, not millions)."""
    return monthly_many([unit.pk], fiscal_year, months, today)[unit.pk]


def monthly_many(unit_ids, fiscal_year: int, months=(10, 11, 12, 1, 2, 3),
                 today: datetime.date | None = None) -> dict[int, list[MonthStats]]:
    """{unit id: monthly()} of several units from one query (the ITAP record freezes them in batches)."""
    today = today or timezone.localdate()
    begun = [m for m in thaidate.fiscal_year_months(fiscal_year, months) if m <= today]
    rows = {unit_id: [] for unit_id in unit_ids}
    if begun:
        for unit_id, created, finished in (Complaint.objects.filter(unit_id__in=unit_ids, created_at__lt=_end_of(begun[-1]))
                                           .values_list("unit_id", "created_at", "finished_at")):
            rows[unit_id].append((created, finished))
    return {unit_id: _counted(found, begun) for unit_id, found in rows.items()}


def _counted(rows, months) -> list[MonthStats]:
    result = []
    for month in months:
        begin = timezone.make_aware(datetime.datetime.combine(month, datetime.time()))
        end = _end_of(month)
        result.append(MonthStats(
            month=month,
            received=sum(1 for created, _f in rows if begin <= created < end),
            finished=sum(1 for _c, finished in rows if finished and begin <= finished < end),
            # Open at the month's end, whenever received (an old complaint still open counts).
            in_progress=sum(1 for created, finished in rows if created < end and not (finished and finished < end)),
        ))
    return result
