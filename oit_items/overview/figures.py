"""Readiness of every unit in a subtree, added up from the stored `ItemReadiness` rows.

A fixed number of queries whatever the size of the tree: the units, the items, one aggregate of
the stored rows per unit. A unit with no row for an item (nothing done yet) counts that item as
open, overdue once its first period is due. Middle levels are the sums of the units below them.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, F, Max, Q
from django.utils.translation import gettext_lazy as _

from ita_portal.lib import thaidate
from oit_items.evidence.models import ItemReadiness
from oit_items.evidence.readiness import items_by_type_and_year
from units.models import Unit

# Readiness bands: the filter and the distribution chart use the same ones.
BANDS = [("0", _("under 25%"), 0, 24), ("25", _("25–49%"), 25, 49), ("50", _("50–74%"), 50, 74),
         ("75", _("75–99%"), 75, 99), ("100", _("100%"), 100, 100)]
UNIT_FIELDS = ("id", "path", "parent_id", "slug", "name_th", "name_en", "short_name_th", "unit_type_id",
               "unit_type__level", "unit_type__publishes_oit", "unit_type__name_th", "unit_type__name_en")
COUNTS = ("items", "ready", "approved", "waiting_check", "waiting_approval", "returned", "overdue")


def band_of(pct: int | None) -> str | None:
    return None if pct is None else next(code for code, _label, low, high in BANDS if low <= pct <= high)


@dataclass
class Figures:
    unit: dict
    items: int = 0
    ready: int = 0
    approved: int = 0           # items with every period approved
    waiting_check: int = 0      # items with a period submitted, waiting for the controller
    waiting_approval: int = 0   # items with a period checked, waiting for the commander
    returned: int = 0           # items with a period returned for correction
    overdue: int = 0            # items with a period past its due date and not yet submitted
    last_activity: datetime.datetime | None = None
    units: int = 0              # publishing units counted in these figures
    units_overdue: int = 0
    depth: int = 0
    children: list = field(default_factory=list)

    @property
    def readiness(self) -> int | None:
        return round(100 * self.ready / self.items) if self.items else None

    @property
    def band(self) -> str | None:
        return band_of(self.readiness)

    @property
    def publishes(self) -> bool:
        return self.unit["unit_type__publishes_oit"]

    @property
    def pk(self) -> int:
        return self.unit["id"]

    def add(self, other: "Figures") -> None:
        for name in COUNTS + ("units", "units_overdue"):
            setattr(self, name, getattr(self, name) + getattr(other, name))
        if other.last_activity and (self.last_activity is None or other.last_activity > self.last_activity):
            self.last_activity = other.last_activity


@dataclass
class Tree:
    root: Figures
    fiscal_year: int
    by_id: dict            # unit id -> Figures, the root and every unit below it
    ancestors: list        # unit dicts above the root, top first
    years: list            # fiscal years with a framework, newest first
    items: dict            # unit type id -> [Item] of the fiscal year

    def below(self) -> list[Figures]:
        return [f for f in self.by_id.values() if f is not self.root]


def _items() -> tuple[dict, list]:
    """{(unit type id, fiscal year): [Item]} and the fiscal years, newest first (one query)."""
    grouped = items_by_type_and_year()
    return grouped, sorted({year for _type, year in grouped}, reverse=True)


def item_first_due(item) -> datetime.date:
    return min(item.due_date(m) for m in item.period_months)


def choose_year(years, fiscal_year, today) -> int:
    if fiscal_year is not None:
        return fiscal_year
    current = thaidate.fiscal_year(today)
    return current if current in years or not years else years[0]


def stored_by_unit(root, item_ids, today) -> dict:
    """One aggregate over the stored rows of the subtree: {unit id: counts}. The items (current,
    of one fiscal year) are named by id, which spares the query a join."""
    rows = (ItemReadiness.objects.filter(item_id__in=item_ids, unit__path__startswith=root.path)
            .order_by().values("unit_id").annotate(
                rows=Count("id"), ready=Count("id", filter=Q(ready=True)),
                approved=Count("id", filter=Q(approved=F("periods"))),
                waiting_check=Count("id", filter=Q(submitted__gt=0)),
                waiting_approval=Count("id", filter=Q(checked__gt=0)),
                returned=Count("id", filter=Q(returned__gt=0)),
                overdue=Count("id", filter=Q(open_due__lt=today)),
                first_overdue=Count("id", filter=Q(first_due__lt=today)),
                last=Max("last_activity")))
    return {row["unit_id"]: row for row in rows}


EMPTY_ROW = {"rows": 0, "ready": 0, "approved": 0, "waiting_check": 0, "waiting_approval": 0, "returned": 0,
             "overdue": 0, "first_overdue": 0, "last": None}


def _leaf(figures, n_items, n_first_overdue, row) -> None:
    """A publishing unit's own figures: its stored rows, plus the items it has not touched yet
    (open, and overdue once their first period is due)."""
    row = row or EMPTY_ROW
    figures.items = n_items
    for name in ("ready", "approved", "waiting_check", "waiting_approval", "returned"):
        setattr(figures, name, row[name])
    figures.overdue = row["overdue"] + max(n_first_overdue - row["first_overdue"], 0)
    figures.last_activity = row["last"]
    figures.units = 1
    figures.units_overdue = int(figures.overdue > 0)


def tree(root: Unit, fiscal_year: int | None = None, today: datetime.date | None = None) -> Tree:
    """Figures for the root and every unit below it, in four queries whatever the tree's size."""
    today = today or datetime.date.today()
    units = list((Unit.objects.subtree_of(root) | Unit.objects.filter(pk__in=root.ancestor_ids[:-1]))
                 .order_by("path").values(*UNIT_FIELDS))
    all_items, years = _items()
    fiscal_year = choose_year(years, fiscal_year, today)
    items = {type_id: found for (type_id, year), found in all_items.items() if year == fiscal_year}
    first_overdue = {type_id: sum(item_first_due(i) < today for i in found) for type_id, found in items.items()}
    stored = stored_by_unit(root, [i.pk for found in items.values() for i in found], today)
    by_id = {u["id"]: Figures(u, depth=u["path"].count("/") - root.path.count("/"))
             for u in units if u["path"].startswith(root.path)}
    for figures in by_id.values():
        parent = by_id.get(figures.unit["parent_id"])
        if parent is not None and figures.pk != root.pk:
            parent.children.append(figures)
        if figures.publishes:
            type_id = figures.unit["unit_type_id"]
            _leaf(figures, len(items.get(type_id, [])), first_overdue.get(type_id, 0), stored.get(figures.pk))
    _roll_up(by_id[root.pk])
    ancestors = [u for u in units if not u["path"].startswith(root.path)]
    return Tree(by_id[root.pk], fiscal_year, by_id, ancestors, years, items)


def _roll_up(figures: Figures) -> None:
    for child in figures.children:
        _roll_up(child)
        figures.add(child)


def monthly_progress(root, tree_: Tree) -> list[dict]:
    """Monthly items across the subtree: for each month, the share of periods approved and
    waiting (submitted or checked), out of every period the units below must deliver."""
    units_by_type = defaultdict(int)
    for figures in tree_.by_id.values():
        if figures.publishes:
            units_by_type[figures.unit["unit_type_id"]] += 1
    expected = defaultdict(int)
    for unit_type_id, items in tree_.items.items():
        for item in items:
            for month in thaidate.fiscal_year_months(tree_.fiscal_year, item.months) if item.months else []:
                expected[month] += units_by_type[unit_type_id]
    if not expected:
        return []
    months = {item.pk: thaidate.fiscal_year_months(tree_.fiscal_year, item.months)
              for items in tree_.items.values() for item in items if item.months}
    counts = defaultdict(lambda: defaultdict(int))
    rows = ItemReadiness.objects.filter(item_id__in=list(months), unit__path__startswith=root.path).values_list(
        "item_id", "states")
    for item_id, states in rows:  # the stored per-period letters, not the periods themselves
        for month, letter in zip(months[item_id], states):
            counts[month][letter] += 1
    result = []
    for month in sorted(expected):
        total = expected[month]
        approved = counts[month]["A"]
        waiting = counts[month]["S"] + counts[month]["C"]
        pct = round(100 * approved / total)
        result.append({"month": month, "total": total, "approved": approved, "waiting": waiting, "approved_pct": pct,
                       "waiting_pct": round(100 * waiting / total), "x": 50 * len(result) + 10,
                       "height": round(1.4 * pct), "y": 150 - round(1.4 * pct)})  # the chart's bar
    return result


def distribution(tree_: Tree) -> list[dict]:
    """How many publishing units below fall in each readiness band."""
    counts = defaultdict(int)
    for figures in tree_.below():
        if figures.publishes and figures.band is not None:
            counts[figures.band] += 1
    total = sum(counts.values()) or 1
    return [{"code": code, "label": label, "count": counts[code], "pct": round(100 * counts[code] / total),
             "y": 30 * n, "width": round(200 * counts[code] / total)}  # the chart's bar
            for n, (code, label, _low, _high) in enumerate(BANDS)]
