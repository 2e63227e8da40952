"""Year beside year, for the unit's staff and supervisors: every item's predicted verdict (and the
assessors' result, where they entered one) in each fiscal year, side by side, items matched by
their code (the NACC keeps a code from year to year, though its number of items may change), with
the year's predicted score and final result underneath. Read from the stored rows only: a fixed
number of queries whatever the number of years."""

from dataclasses import dataclass, field
from decimal import Decimal

from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import render

from oit_items.assessment.models import HAS, AssessedItem, ItemVerdict, UnitScore
from oit_items.rulebook.models import Item
from units.permissions import get_unit_for


@dataclass
class Cell:
    """One item in one fiscal year (None in a row where the year has no item with that code)."""

    item: Item
    verdict: ItemVerdict | None = None  # None: not computed (counts as "hasn't")
    assessed: AssessedItem | None = None

    @property
    def has(self) -> bool:
        return self.verdict is not None and self.verdict.verdict == HAS

    @property
    def reason(self) -> str:
        reasons = self.verdict.reasons if self.verdict is not None else []
        return reasons[0].get("reason", "") if reasons and isinstance(reasons[0], dict) else ""


@dataclass
class Year:
    fiscal_year: int
    pass_mark: Decimal
    score: UnitScore | None = None
    final: Decimal | None = None   # the assessors' final result, where they entered one
    assessed: int = 0              # items with a final verdict
    items: int = 0


@dataclass
class Row:
    code: str
    title: str
    cells: list = field(default_factory=list)  # one per year, in the years' order


def final_score(items, assessed: dict) -> tuple[Decimal | None, int]:
    """(the final result 0-100, items with a final verdict) of one year; an item without one yet
    counts as not found. None where no item has a final verdict."""
    finals = [assessed[i.pk] for i in items if i.pk in assessed and assessed[i.pk].final]
    total = sum(i.points for i in items)
    if not finals or not total:
        return None, len(finals)
    found = sum(i.points for i in items if i.pk in assessed and assessed[i.pk].final == HAS)
    return (Decimal(100 * found) / total).quantize(Decimal("0.01")), len(finals)


def side_by_side(unit) -> tuple[list[Year], list[Row]]:
    """The unit's fiscal years, oldest first, and one row per item code (in the newest year's
    order; codes of earlier years only after them). Four queries."""
    items = list(Item.objects.filter(framework__unit_type_id=unit.unit_type_id, retired=False)
                 .select_related("framework").order_by("-framework__fiscal_year", "number"))
    verdicts = {v.item_id: v for v in ItemVerdict.objects.filter(unit=unit)}
    assessed = {a.item_id: a for a in AssessedItem.objects.filter(unit=unit)}
    scores = {s.fiscal_year: s for s in UnitScore.objects.filter(unit=unit)}
    by_year = {}
    for item in items:
        by_year.setdefault(item.framework.fiscal_year, []).append(item)
    years = []
    for fiscal_year in sorted(by_year):
        found = by_year[fiscal_year]
        final, count = final_score(found, assessed)
        years.append(Year(fiscal_year, Decimal(str(found[0].framework.pass_mark)), scores.get(fiscal_year), final,
                          count, len(found)))
    rows = {}
    for item in items:  # newest year first: its titles and order lead
        rows.setdefault(item.code, Row(item.code, item.title_th, [None] * len(years)))
    index = {year.fiscal_year: n for n, year in enumerate(years)}
    for item in items:
        rows[item.code].cells[index[item.framework.fiscal_year]] = Cell(item, verdicts.get(item.pk),
                                                                        assessed.get(item.pk))
    return years, list(rows.values())


@login_required
def compare_years(request, slug):
    """/staff/units/<slug>/ita/compare/: the unit's own staff and the supervisors above it."""
    unit, access = get_unit_for(request.user, slug, "view")
    if not unit.unit_type.publishes_oit:
        raise Http404
    years, rows = side_by_side(unit)
    return render(request, "assessment/compare.html", {"unit": unit, "access": access, "years": years, "rows": rows})
