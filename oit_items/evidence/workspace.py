"""A unit's workspace for a fiscal year: every item × period with its state, its checks, its
deadline, and the unit's readiness — assembled from a fixed number of queries."""

import datetime
from dataclasses import dataclass, field

from ita_portal.lib import thaidate
from oit_items.evidence import checks
from oit_items.evidence.models import Assignment, Evidence, ItemPeriod
from oit_items.rulebook.models import Item


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
        """Still open after its due date (as the stored readiness counts it: `open_due < today`)."""
        return self.state in ItemPeriod.OPEN_STATES and self.item.timing(self.month, self.today) == self.item.DUE

    @property
    def slug(self) -> str:
        return f"m{self.month.month}" if self.month else "all"

    @property
    def not_due(self) -> bool:
        """Not begun yet (ยังไม่ถึงกำหนด): nothing about it can be late or failing."""
        return self.item.timing(self.month, self.today) == self.item.NOT_DUE


@dataclass
class Cell(PeriodFace):
    item: Item
    month: datetime.date | None
    period: ItemPeriod | None
    evidence: list
    status: checks.PeriodStatus
    due: datetime.date
    today: datetime.date

    @property
    def state(self) -> str:
        return ItemPeriod.shown_state(self.period.state if self.period else None, bool(self.evidence))

    @property
    def passed(self) -> bool:
        return self.status.passed

    @property
    def failures(self) -> list:
        return self.status.failures

    @property
    def checks_shown(self) -> str:
        """checks.PASSED, FAILED, IN_PROGRESS or NOT_DUE: what its checks show today."""
        return self.status.shown

    @property
    def declared_none(self) -> bool:
        """Says "none this period": evidence cannot be added beside it (edits.add_files, add_link)."""
        return any(e.kind == Evidence.NONE for e in self.evidence)

    @property
    def holds_evidence(self) -> bool:
        """Holds a file or a link: "none" cannot be declared beside it (edits.declare_none)."""
        return any(e.kind != Evidence.NONE for e in self.evidence)

    @property
    def due_soon(self) -> bool:
        return self.state in ItemPeriod.OPEN_STATES and 0 <= (self.due - self.today).days <= 7


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

    @property
    def rules_today(self) -> list:
        """The item's rule results as they show today (checks.ItemCheck.rules_on)."""
        return self.check.rules_on(self.cells[0].today) if self.cells else self.check.rule_results


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


def cells_of(item: Item, periods: dict, evidence: dict, today: datetime.date) -> tuple[checks.ItemCheck, list[Cell]]:
    """The item's checks, evaluated once, and its periods as cells, from its period rows {month:
    ItemPeriod} and its current evidence {month: [Evidence]}."""
    result = checks.evaluate(item, evidence)
    return result, [Cell(item, m, periods.get(m), evidence.get(m, []), result.period(m, today), item.due_date(m), today)
                    for m in item.period_months]


def build(unit, fiscal_year: int, user=None, today: datetime.date | None = None, items=None,
          assignments: dict | None = None) -> Workspace:
    today = today or datetime.date.today()
    items = list(items if items is not None else Item.objects.for_unit(unit, fiscal_year).select_related("framework"))
    periods = {}
    for period in ItemPeriod.objects.filter(unit=unit, item__in=items).defer("published"):
        periods.setdefault(period.item_id, {})[period.month] = period
    grouped = Evidence.objects.by_period([unit], items)
    if assignments is None:
        assignments = {a.item_id: a for a in Assignment.objects.filter(unit=unit, item__in=items)
                       .prefetch_related("responsible", "controllers")}
    officer_id = getattr(getattr(user, "officer", None), "pk", None) if user and user.is_authenticated else None
    workspace = Workspace(unit, fiscal_year)
    for item in items:
        result, cells = cells_of(item, periods.get(item.pk, {}), grouped.get((unit.pk, item.pk), {}), today)
        assignment = assignments.get(item.pk)
        responsible = {o.pk for o in assignment.responsible.all()} if assignment else set()
        controllers = {o.pk for o in assignment.controllers.all()} if assignment else set()
        workspace.rows.append(Row(item, assignment, result, cells, bool(officer_id) and officer_id in responsible,
                                  bool(officer_id) and officer_id in controllers))
    return workspace
