"""A unit's workspace for a fiscal year: every item × period with its state, its checks, its
deadline, and the unit's readiness — assembled from a fixed number of queries."""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.conf import settings

from ita_portal.lib import thaidate
from oit_items.evidence import checks
from oit_items.evidence.models import Assignment, Evidence, ItemPeriod
from oit_items.rulebook.models import Item

OPEN_STATES = {ItemPeriod.EMPTY, ItemPeriod.DRAFT, ItemPeriod.RETURNED}


def due_date(item: Item, month: datetime.date | None) -> datetime.date:
    if month is None:
        end_year = thaidate.ce_year(item.framework.fiscal_year)
        return datetime.date(end_year, settings.ITA_ITEM_DUE_MONTH, settings.ITA_ITEM_DUE_DAY)
    following = datetime.date(month.year + month.month // 12, month.month % 12 + 1, 1)
    return following.replace(day=settings.ITA_MONTHLY_DUE_DAY)


class PeriodFace:
    """How a period shows, from its `state`, `month`, `due` and `today` (a cell, an entry of my work)."""

    @property
    def state_label(self) -> str:
        return ItemPeriod.LABELS[self.state]

    @property
    def badge(self) -> str:
        return ItemPeriod.BADGES[self.state]

    @property
    def overdue(self) -> bool:
        return self.state in OPEN_STATES and self.today > self.due

    @property
    def slug(self) -> str:
        return f"m{self.month.month}" if self.month else "all"


@dataclass
class Cell(PeriodFace):
    item: Item
    month: datetime.date | None
    period: ItemPeriod | None
    evidence: list
    passed: bool
    failures: list
    due: datetime.date
    today: datetime.date

    @property
    def state(self) -> str:
        if self.period is None or (self.period.state == ItemPeriod.DRAFT and not self.evidence):
            return ItemPeriod.EMPTY
        return self.period.state

    @property
    def due_soon(self) -> bool:
        return self.state in OPEN_STATES and 0 <= (self.due - self.today).days <= 7


@dataclass
class Row:
    item: Item
    assignment: Assignment | None
    check: checks.ItemCheck
    cells: list[Cell]
    responsible_mine: bool = False
    controller_mine: bool = False

    @property
    def mine(self) -> bool:
        return self.responsible_mine or self.controller_mine

    @property
    def approved(self) -> bool:
        return all(c.state == ItemPeriod.APPROVED for c in self.cells)

    @property
    def ready(self) -> bool:
        """What the assessor would score: every check passes and every period is approved."""
        return self.check.passed and self.approved

    @property
    def overdue(self) -> bool:
        return any(c.overdue for c in self.cells)


@dataclass
class Workspace:
    unit: object
    fiscal_year: int
    rows: list[Row] = field(default_factory=list)

    @property
    def readiness(self) -> int:
        """Share of items ready, in percent — what the OIT score would be."""
        return round(100 * sum(r.ready for r in self.rows) / len(self.rows)) if self.rows else 0

    @property
    def ready_count(self) -> int:
        return sum(r.ready for r in self.rows)

    @property
    def months(self) -> list[datetime.date]:
        wanted = sorted({m for r in self.rows for m in r.item.months})
        return thaidate.fiscal_year_months(self.fiscal_year, wanted)

    @property
    def my_rows(self) -> list[Row]:
        return sorted((r for r in self.rows if r.mine), key=lambda r: (not r.overdue, r.item.number))


def evidence_by_period(unit, items) -> dict:
    """{(item id, month): [current evidence]} for the given items, one query."""
    grouped = defaultdict(list)
    evidence = (
        Evidence.objects.current()
        .filter(item_period__unit=unit, item_period__item__in=items)
        # Only the period's key: its approved snapshot (`published`) can be megabytes for a unit
        # with many files, and would be repeated for every piece of evidence.
        .select_related("current_revision", "item_period")
        .defer("item_period__published")
        .order_by("about_date", "pk")
    )
    for piece in evidence:
        grouped[(piece.item_period.item_id, piece.item_period.month)].append(piece)
    return grouped


def build(unit, fiscal_year: int, user=None, today: datetime.date | None = None, items=None,
          assignments: dict | None = None) -> Workspace:
    today = today or datetime.date.today()
    items = list(items if items is not None else Item.objects.for_unit(unit, fiscal_year).select_related("framework"))
    periods = {(p.item_id, p.month): p for p in ItemPeriod.objects.filter(unit=unit, item__in=items).defer("published")}
    grouped = evidence_by_period(unit, items)
    if assignments is None:
        assignments = {a.item_id: a for a in Assignment.objects.filter(unit=unit, item__in=items)
                       .prefetch_related("responsible", "controllers")}
    officer_id = getattr(getattr(user, "officer", None), "pk", None) if user and user.is_authenticated else None
    workspace = Workspace(unit, fiscal_year)
    for item in items:
        months = thaidate.fiscal_year_months(fiscal_year, item.months) if item.months else [None]
        by_month = {m: grouped.get((item.pk, m), []) for m in months}
        result = checks.evaluate(item, by_month)
        cells = [
            Cell(item, m, periods.get((item.pk, m)), by_month[m], result.passed_for(m), result.failures_for(m),
                 due_date(item, m), today)
            for m in months
        ]
        assignment = assignments.get(item.pk)
        responsible = {o.pk for o in assignment.responsible.all()} if assignment else set()
        controllers = {o.pk for o in assignment.controllers.all()} if assignment else set()
        workspace.rows.append(Row(item, assignment, result, cells, bool(officer_id) and officer_id in responsible,
                                  bool(officer_id) and officer_id in controllers))
    return workspace
