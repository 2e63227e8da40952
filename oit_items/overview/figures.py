"""Readiness of every unit in a subtree, added up from the stored `ItemReadiness` rows, and the
predicted OIT score of each unit from the stored `UnitScore` rows.

A fixed number of queries whatever the size of the tree: the units, the items, one aggregate of
the stored rows per unit, one of the scores. A unit with no row for an item (nothing done yet)
counts that item as open, overdue once its first period is due. A unit with no stored score is
"not computed" and counts as heading for zero, never as passing (fails closed). Middle levels are
the sums of the units below them.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import CharField, Count, DecimalField, F, IntegerField, Max, Q, Sum, Value
from django.db.models.fields.json import KeyTextTransform
from django.db.models.functions import Cast, Coalesce
from django.utils.translation import gettext_lazy as _

from ita_portal.lib import thaidate
from oit_items.assessment.models import HAS, AssessedItem, ItapRecord, UnitScore
from oit_items.evidence.models import ItemReadiness
from oit_items.evidence.readiness import items_by_type_and_year
from units.models import Unit

# Readiness bands: the filter and the distribution chart use the same ones.
BANDS = [("0", _("under 25%"), 0, 24), ("25", _("25–49%"), 25, 49), ("50", _("50–74%"), 50, 74),
         ("75", _("75–99%"), 75, 99), ("100", _("100%"), 100, 100)]
UNIT_FIELDS = ("id", "path", "parent_id", "slug", "name_th", "name_en", "short_name_th", "unit_type_id",
               "unit_type__level", "unit_type__publishes_oit", "unit_type__name_th", "unit_type__name_en",
               "phone", "email")  # the unit's own contacts: whom to call when its admin left none
COUNTS = ("items", "ready", "approved", "waiting_check", "waiting_approval", "returned", "overdue")
SCORE_COUNTS = ("units_below", "units_zero", "units_not_computed", "score_total")
TREND_YEARS = 2  # earlier fiscal years shown beside this one
# Where a unit is heading: the filter, the badges and the reminders use the same words.
PASSES, BELOW, ZERO, NOT_COMPUTED = "passes", "below", "zero", "not_computed"
OUTLOOKS = [(BELOW, _("heading below the pass mark")), (ZERO, _("heading for zero (or not computed)")),
            (NOT_COMPUTED, _("score not computed")), (PASSES, _("heading for a pass"))]  # the filter's choices
OUTLOOK_LABELS = {PASSES: _("heading for a pass"), BELOW: _("heading below the pass mark"),
                  ZERO: _("heading for zero"), NOT_COMPUTED: _("not computed (counts as zero)")}
CENT = Decimal("0.01")
DEFAULT_PASS_MARK = Decimal(85)  # a unit type without items this year (the framework's default)
NOTHING = (None, None)


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
    # The predicted score: a unit's own stored one (None: not computed); for a level above, the
    # average of its units, a unit without a score counting 0.
    score: Decimal | None = None
    pass_mark: Decimal | None = None
    final: Decimal | None = None  # the assessors' final result this year, where they entered one
    trend: list = field(default_factory=list)  # [{"year", "score", "final"}] of the earlier years, newest first
    units_below: int = 0        # units heading below the pass mark (those at zero and not computed too)
    units_zero: int = 0         # units heading for zero (those not computed too)
    units_not_computed: int = 0
    score_total: Decimal = Decimal(0)
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

    @property
    def units_passing(self) -> int:
        return self.units - self.units_below

    @property
    def outlook(self) -> str | None:
        """Where a publishing unit is heading: passes, below (the pass mark), zero or not computed."""
        if not self.publishes:
            return None
        if self.score is None:
            return NOT_COMPUTED
        if self.score <= 0:
            return ZERO
        return PASSES if self.score >= self.pass_mark else BELOW

    def add(self, other: "Figures") -> None:
        for name in COUNTS + SCORE_COUNTS + ("units", "units_overdue"):
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
    trend_years: list = field(default_factory=list)  # the earlier years beside this one, newest first
    frozen: int = 0        # units below with their record as submitted to ITAP frozen, this year

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


def stored_scores(root, years, fiscal_year=None) -> tuple[dict, dict, int]:
    """The subtree's stored scores of these fiscal years, in ONE query (a union of three aggregates):
    {(unit id, year): (predicted score, pass mark)} from `UnitScore`, {(unit id, year): (points
    of the items the assessors finally found, items with a final verdict)} from `AssessedItem`, and how
    many units' records of `fiscal_year` are frozen (`ItapRecord`)."""
    points = Coalesce(Cast(KeyTextTransform("points", "item__scoring"), IntegerField()), 1)
    predicted = (UnitScore.objects.filter(unit__path__startswith=root.path, fiscal_year__in=years).order_by()
                 .annotate(uid=F("unit_id"), year=F("fiscal_year"), kind=Value("p", output_field=CharField()),
                           a=F("score"), b=F("pass_mark"))
                 .values_list("uid", "year", "kind", "a", "b"))
    final = (AssessedItem.objects.filter(unit__path__startswith=root.path, fiscal_year__in=years).exclude(final="")
             .order_by().values("unit_id", "fiscal_year")
             .annotate(uid=F("unit_id"), year=F("fiscal_year"), kind=Value("f", output_field=CharField()),
                       a=Cast(Coalesce(Sum(points, filter=Q(final=HAS)), 0), DecimalField(max_digits=7, decimal_places=2)),
                       b=Cast(Count("id"), DecimalField(max_digits=7, decimal_places=2)))
             .values_list("uid", "year", "kind", "a", "b"))
    decimal = DecimalField(max_digits=7, decimal_places=2)
    frozen = (ItapRecord.objects.filter(unit__path__startswith=root.path, fiscal_year=fiscal_year).order_by()
              .values("fiscal_year").annotate(uid=Value(0), year=F("fiscal_year"), kind=Value("r", output_field=CharField()),
                                              a=Cast(Count("id"), decimal), b=Cast(Value(0), decimal))
              .values_list("uid", "year", "kind", "a", "b"))
    scores, finals, frozen_units = {}, {}, 0
    for unit_id, year, kind, a, b in predicted.union(final, frozen, all=True):
        if kind == "r":
            frozen_units = int(a)
        else:
            (scores if kind == "p" else finals)[(unit_id, year)] = (a, b)
    return scores, finals, frozen_units


def _final(finals, total_points, unit_id, type_id, year) -> Decimal | None:
    """The assessors' final result of a unit's year, 0-100; an item without a final verdict yet
    counts as not found."""
    found = finals.get((unit_id, year))
    total = total_points.get((type_id, year))
    if found is None or not total:
        return None
    return (100 * Decimal(found[0]) / total).quantize(CENT)


def _score_leaf(figures, fiscal_year, trend_years, scores, finals, total_points, pass_marks) -> None:
    """A publishing unit's score, final result and years before, and what it counts for above it.
    (Run for every unit of the nation on each overview: plain look-ups, no work where nothing is stored.)"""
    pk, type_id = figures.unit["id"], figures.unit["unit_type_id"]
    own = scores.get((pk, fiscal_year))
    if own is None:  # not computed: heading for zero, and so below the pass mark
        figures.pass_mark = pass_marks.get(type_id, DEFAULT_PASS_MARK)
        figures.units_below = figures.units_zero = figures.units_not_computed = 1
    else:
        figures.score, figures.pass_mark = own
        figures.score_total = figures.score
        figures.units_zero = int(figures.score <= 0)
        figures.units_below = int(figures.units_zero or figures.score < figures.pass_mark)
    if finals:
        figures.final = _final(finals, total_points, pk, type_id, fiscal_year)
    figures.trend = [{"year": year, "score": scores.get((pk, year), NOTHING)[0],
                      "final": _final(finals, total_points, pk, type_id, year) if finals else None}
                     for year in trend_years]


def tree(root: Unit, fiscal_year: int | None = None, today: datetime.date | None = None) -> Tree:
    """Figures for the root and every unit below it, in five queries whatever the tree's size."""
    today = today or datetime.date.today()
    units = list((Unit.objects.subtree_of(root) | Unit.objects.filter(pk__in=root.ancestor_ids[:-1]))
                 .order_by("path").values(*UNIT_FIELDS))
    all_items, years = _items()
    fiscal_year = choose_year(years, fiscal_year, today)
    items = {type_id: found for (type_id, year), found in all_items.items() if year == fiscal_year}
    first_overdue = {type_id: sum(item_first_due(i) < today for i in found) for type_id, found in items.items()}
    stored = stored_by_unit(root, [i.pk for found in items.values() for i in found], today)
    trend_years = [year for year in years if year < fiscal_year][:TREND_YEARS]
    scores, finals, frozen = stored_scores(root, [fiscal_year, *trend_years], fiscal_year)
    total_points = {(type_id, year): sum(i.points for i in found) for (type_id, year), found in all_items.items()
                    if year == fiscal_year or year in trend_years}
    pass_marks = {type_id: Decimal(str(found[0].framework.pass_mark)) for type_id, found in items.items() if found}
    by_id = {u["id"]: Figures(u, depth=u["path"].count("/") - root.path.count("/"))
             for u in units if u["path"].startswith(root.path)}
    for figures in by_id.values():
        parent = by_id.get(figures.unit["parent_id"])
        if parent is not None and figures.pk != root.pk:
            parent.children.append(figures)
        if figures.publishes:
            type_id = figures.unit["unit_type_id"]
            _leaf(figures, len(items.get(type_id, [])), first_overdue.get(type_id, 0), stored.get(figures.pk))
            _score_leaf(figures, fiscal_year, trend_years, scores, finals, total_points, pass_marks)
    _roll_up(by_id[root.pk])
    ancestors = [u for u in units if not u["path"].startswith(root.path)]
    return Tree(by_id[root.pk], fiscal_year, by_id, ancestors, years, items, trend_years, frozen)


def _roll_up(figures: Figures) -> None:
    for child in figures.children:
        _roll_up(child)
        figures.add(child)
    if not figures.publishes and figures.units:  # the average, a unit not computed counting 0
        figures.score = (figures.score_total / figures.units).quantize(CENT)


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
