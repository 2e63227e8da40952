"""The ITA calendar of a unit for a fiscal year: where the unit stands (current phase) and what is
due next, for the workspace and for the reminder e-mails."""

import datetime
from dataclasses import dataclass, field

from django.db.models import CharField, F, Value
from django.db.models.functions import Concat
from django.utils import timezone

from measures.models import Activity, CalendarPhase, Measure, MeasurePlan, Tracked


@dataclass
class Deadline:
    date: datetime.date
    label: str
    kind: str  # "phase", "measure" or "activity"
    obj: object = None

    def days_from(self, today: datetime.date) -> int:
        return (self.date - today).days


@dataclass
class CalendarStatus:
    unit: object
    fiscal_year: int
    today: datetime.date
    phases: list = field(default_factory=list)
    current: list = field(default_factory=list)  # phases that run today (several may overlap)
    upcoming: CalendarPhase | None = None  # the next phase to start
    next_deadline: Deadline | None = None

    @property
    def has_calendar(self) -> bool:
        return bool(self.phases)

    @property
    def days_left(self) -> int | None:
        return self.next_deadline.days_from(self.today) if self.next_deadline else None

    @property
    def finished(self) -> bool:
        return bool(self.phases) and all(p.ends < self.today for p in self.phases)


def _label(row) -> str:
    if isinstance(row, Measure):
        return f"{row.code} {row.aspect}".strip()
    return row.activity


def deadlines(plan: MeasurePlan, start: datetime.date, end: datetime.date | None = None,
              phases=None, with_people: bool = False) -> list[Deadline]:
    """Phase ends, and deadlines of measures and activities not done, from `start` to `end`
    (inclusive; open-ended without `end`), soonest first."""
    phases = list(plan.phases.all()) if phases is None else phases
    found = [Deadline(p.ends, p.label, "phase", p) for p in phases if p.ends >= start and (end is None or p.ends <= end)]
    for model, kind in ((Measure, "measure"), (Activity, "activity")):
        rows = model.objects.filter(plan=plan).open().filter(deadline__gte=start)
        if end is not None:
            rows = rows.filter(deadline__lte=end)
        else:
            rows = rows.order_by("deadline")[:1]
        if with_people:
            rows = rows.prefetch_related("responsible__user", "controllers__user")
        found += [Deadline(r.deadline, _label(r), kind, r) for r in rows]
    return sorted(found, key=lambda d: (d.date, d.kind != "phase", d.label))


def _next_row_deadline(unit, fiscal_year: int, today: datetime.date) -> Deadline | None:
    """The soonest deadline of a measure or activity not done, in one query (a UNION)."""
    text = CharField()
    mine = {"plan__unit": unit, "plan__fiscal_year": fiscal_year, "deadline__gte": today}
    measures = (Measure.objects.filter(**mine).exclude(status=Tracked.DONE)
                .annotate(row_kind=Value("measure", output_field=text), label=Concat("code", Value(" "), "aspect", output_field=text))
                .values_list("deadline", "row_kind", "label").order_by())
    activities = (Activity.objects.filter(**mine).exclude(status=Tracked.DONE)
                  .annotate(row_kind=Value("activity", output_field=text), label=F("activity"))
                  .values_list("deadline", "row_kind", "label").order_by())
    first = list(measures.union(activities).order_by("deadline", "row_kind")[:1])
    return Deadline(first[0][0], first[0][2].strip(), first[0][1]) if first else None


def calendar_status(unit, fiscal_year: int, today: datetime.date | None = None) -> CalendarStatus:
    """Where `unit` stands in the ITA calendar of `fiscal_year` on `today` (two queries: it sits
    on the workspace, the unit's busiest page)."""
    today = today or timezone.localdate()
    status = CalendarStatus(unit=unit, fiscal_year=fiscal_year, today=today)
    status.phases = list(CalendarPhase.objects.filter(plan__unit=unit, plan__fiscal_year=fiscal_year)
                         .order_by("order", "starts"))
    status.current = [p for p in status.phases if p.starts <= today <= p.ends]
    status.upcoming = min((p for p in status.phases if p.starts > today), key=lambda p: p.starts, default=None)
    candidates = [Deadline(p.ends, p.label, "phase", p) for p in status.phases if p.ends >= today]
    row = _next_row_deadline(unit, fiscal_year, today)
    if row is not None:
        candidates.append(row)
    status.next_deadline = min(candidates, key=lambda d: (d.date, d.kind != "phase", d.label), default=None)
    return status
