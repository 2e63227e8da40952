"""Stored predicted scores: one `ItemVerdict` row per unit × item and one `UnitScore` row per unit ×
fiscal year, computed by prediction.py from data loaded here in a fixed number of queries per batch
of units, whatever the number of items or units in it.

They are refreshed
- when a unit's published record changes (an approval, a takedown) or its details do (contacts,
  head): receivers.py, on the signals of units/signals.py;
- when a framework's rules change or a year is added: a Celery job by name (refresh_framework);
- every night (`oit_items.tasks.refresh_predicted_scores`): time alone changes verdicts (a month of
  complaint statistics ends);
- by `manage.py rebuild_scores`, whose `--check` lists the rows that differ from a recomputation.

The texts are stored in Thai, whatever the language of the request that caused the refresh.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal

from django.db import transaction
from django.db.models import Q
from django.utils import timezone, translation

from oit_items.assessment import prediction
from oit_items.assessment.models import ItemVerdict, UnitScore
from oit_items.evidence.models import Assignment, ItemPeriod
from oit_items.rulebook.models import Framework, Item
from units.models import Officer, Unit

BATCH = 200


@dataclass
class Computed:
    """One unit's year as computed: its verdicts in item order and the score."""

    unit: Unit
    fiscal_year: int
    verdicts: list
    score: Decimal
    pass_mark: Decimal

    def verdict_rows(self, now) -> list[ItemVerdict]:
        return [ItemVerdict(unit=self.unit, item=v.item, fiscal_year=self.fiscal_year, verdict=v.verdict, points=v.points,
                            reasons=v.reasons, computed_at=now) for v in self.verdicts]

    def score_row(self, now) -> UnitScore:
        return UnitScore(unit=self.unit, fiscal_year=self.fiscal_year, score=self.score, pass_mark=self.pass_mark,
                         items=len(self.verdicts), items_has=sum(1 for v in self.verdicts if v.has), computed_at=now)


def _items(unit_type_ids, fiscal_year: int) -> dict:
    """{unit type id: [Item]} of the year, in order, with their framework."""
    grouped, frameworks = defaultdict(list), {}
    for item in (Item.objects.filter(framework__unit_type__in=unit_type_ids, framework__fiscal_year=fiscal_year, retired=False)
                 .select_related("framework").order_by("number")):
        # One framework object per framework: its calendar is read once (prediction.calendar_of).
        item.framework = frameworks.setdefault(item.framework_id, item.framework)
        grouped[item.framework.unit_type_id].append(item)
    return grouped


def _names(relation, units, items) -> dict:
    """{(unit id, item id): [officer names]} through one assignment relation, in one query."""
    through = getattr(Assignment, relation).through
    found = defaultdict(list)
    fields = ("rank", "is_female", "is_acting", "first_name", "last_name")
    rows = (through.objects.filter(assignment__unit__in=units, assignment__item__in=items, officer__is_active=True)
            .order_by("officer__last_name", "officer__first_name")
            .values_list("assignment__unit_id", "assignment__item_id", *(f"officer__{name}" for name in fields)))
    for unit_id, item_id, *officer in rows:
        found[(unit_id, item_id)].append(Officer(**dict(zip(fields, officer))).display_name)
    return found


def compute(unit_ids, fiscal_year: int, today: datetime.date | None = None) -> list[Computed]:
    """The verdicts and score of each of these units in `fiscal_year` (units whose type has no
    framework that year are left out), from scratch: six queries whatever the number of units and items."""
    today = today or timezone.localdate()
    units = list(Unit.objects.filter(pk__in=list(unit_ids)).select_related("unit_type", "head").order_by("pk"))
    items = _items({u.unit_type_id for u in units}, fiscal_year)
    units = [u for u in units if items.get(u.unit_type_id)]
    if not units:
        return []
    year_items = [i for u_items in items.values() for i in u_items]
    periods = defaultdict(dict)
    for unit_id, item_id, month, state, published, approved_at in (
            ItemPeriod.objects.filter(unit__in=units, item__in=year_items)
            .values_list("unit_id", "item_id", "month", "state", "published", "approved_at")):
        periods[(unit_id, item_id)][month] = prediction.PeriodRow(state, published, approved_at)
    responsible, controllers = _names("responsible", units, year_items), _names("controllers", units, year_items)
    result = []
    with translation.override("th"):
        for unit in units:
            unit_items = items[unit.unit_type_id]
            verdicts = []
            for item in unit_items:
                key = (unit.pk, item.pk)
                holders = prediction.holders_of(unit, responsible.get(key, []), controllers.get(key, []))
                verdicts.append(prediction.predict(item, unit, periods.get(key, {}), holders, today))
            pass_mark = Decimal(str(unit_items[0].framework.pass_mark)).quantize(Decimal("0.01"))
            result.append(Computed(unit, fiscal_year, verdicts, prediction.score(verdicts), pass_mark))
    return result


def _store(computed: list[Computed], unit_ids, fiscal_year: int) -> None:
    """Write what changed: the verdicts that differ from the stored ones (a night's refresh of the
    nation rewrites a few rows, not 39,000), every score row (its `computed_at` says when it was last
    computed; a verdict's, when it last changed), and delete what is no longer there."""
    now = timezone.now()
    stored = {(unit_id, item_id): (verdict, points, reasons) for unit_id, item_id, verdict, points, reasons in
              ItemVerdict.objects.filter(unit__in=unit_ids, fiscal_year=fiscal_year)
              .values_list("unit_id", "item_id", "verdict", "points", "reasons")}
    changed = [row for c in computed for row in c.verdict_rows(now)
               if stored.get((row.unit_id, row.item_id)) != (row.verdict, row.points, row.reasons)]
    ItemVerdict.objects.bulk_create(
        changed, batch_size=2000, update_conflicts=True,
        unique_fields=["unit", "item"], update_fields=["fiscal_year", "verdict", "points", "reasons", "computed_at"])
    UnitScore.objects.bulk_create(
        [c.score_row(now) for c in computed], batch_size=2000, update_conflicts=True, unique_fields=["unit", "fiscal_year"],
        update_fields=["score", "pass_mark", "items", "items_has", "computed_at"])
    # Items retired since, and units that no longer have the year (a changed unit type): gone.
    kept_items, kept_units = {v.item.pk for c in computed for v in c.verdicts}, [c.unit.pk for c in computed]
    ItemVerdict.objects.filter(unit__in=unit_ids, fiscal_year=fiscal_year).filter(
        ~Q(item__in=kept_items) | ~Q(unit__in=kept_units)).delete()
    UnitScore.objects.filter(unit__in=unit_ids, fiscal_year=fiscal_year).exclude(
        unit__in=[c.unit.pk for c in computed]).delete()


def refresh_many(unit_ids, fiscal_year: int, today: datetime.date | None = None, batch_size: int = BATCH) -> int:
    """Recompute and store the rows of these units' year, `batch_size` units per transaction (the
    nation's 1,564 units in eight); returns the number of units scored. Idempotent.

    Each batch first locks its units' score rows (creating the missing ones): two refreshes of the
    same unit take turns, and the second computes from what the first committed."""
    unit_ids = sorted(set(unit_ids))
    done = 0
    for start in range(0, len(unit_ids), batch_size):
        batch = unit_ids[start:start + batch_size]
        with transaction.atomic():
            _lock(batch, fiscal_year)
            computed = compute(batch, fiscal_year, today)
            _store(computed, batch, fiscal_year)
        done += len(computed)
    return done


def _lock(unit_ids, fiscal_year: int) -> None:
    now = timezone.now()
    UnitScore.objects.bulk_create([UnitScore(unit_id=pk, fiscal_year=fiscal_year, computed_at=now) for pk in unit_ids],
                                  ignore_conflicts=True)
    list(UnitScore.objects.select_for_update().filter(unit__in=unit_ids, fiscal_year=fiscal_year).order_by("unit_id")
         .values_list("pk"))


def years_of(unit) -> list[int]:
    return list(Framework.objects.filter(unit_type_id=unit.unit_type_id).values_list("fiscal_year", flat=True)
                .order_by("fiscal_year"))


def refresh_unit(unit, today: datetime.date | None = None) -> None:
    """Every year of one unit (a published record or the unit's details changed: any year may move)."""
    for fiscal_year in years_of(unit):
        refresh_many([unit.pk], fiscal_year, today)


def publishing_units(unit_type_id=None) -> list[int]:
    units = Unit.objects.filter(unit_type__publishes_oit=True)
    if unit_type_id is not None:
        units = units.filter(unit_type_id=unit_type_id)
    return list(units.values_list("pk", flat=True).order_by("pk"))


def refresh_framework(framework) -> int:
    """Every unit of the framework's type, for its year (its rules or points changed, or it is new)."""
    return refresh_many(publishing_units(framework.unit_type_id), framework.fiscal_year)


def live_years(today: datetime.date) -> list[int]:
    """The years whose verdicts time can still change: those whose window has not ended, or ended
    within a month (a night or a few on which beat was down are caught up)."""
    years = set()
    for framework in Framework.objects.all().only("scoring", "fiscal_year"):
        if framework.window[1] >= today - datetime.timedelta(days=31):
            years.add(framework.fiscal_year)
    return sorted(years)


def refresh_live(today: datetime.date | None = None) -> int:
    """The nightly refresh: every publishing unit in every live year; returns the rows of units scored."""
    today = today or timezone.localdate()
    units = publishing_units()
    return sum(refresh_many(units, fiscal_year, today) for fiscal_year in live_years(today))


def all_years() -> list[int]:
    return sorted(set(Framework.objects.values_list("fiscal_year", flat=True)))


def stored_figures(fiscal_year: int) -> dict:
    """{(unit id, item id or None): figures} as stored for the year (None: the unit's score)."""
    found = {(v.unit_id, v.item_id): (v.verdict, v.points, v.reasons)
             for v in ItemVerdict.objects.filter(fiscal_year=fiscal_year)}
    found |= {(s.unit_id, None): (s.score, s.pass_mark, s.items, s.items_has)
              for s in UnitScore.objects.filter(fiscal_year=fiscal_year)}
    return found


def computed_figures(fiscal_year: int, today: datetime.date | None = None) -> dict:
    found = {}
    units = publishing_units()
    for start in range(0, len(units), BATCH):
        for c in compute(units[start:start + BATCH], fiscal_year, today):
            found |= {(c.unit.pk, v.item.pk): (v.verdict, v.points, v.reasons) for v in c.verdicts}
            row = c.score_row(None)
            found[(c.unit.pk, None)] = (row.score, row.pass_mark, row.items, row.items_has)
    return found


def drift(fiscal_year: int, today: datetime.date | None = None) -> list[tuple]:
    """[((unit id, item id or None), stored, recomputed)] of every row a rebuild would change. Changes nothing."""
    stored, computed = stored_figures(fiscal_year), computed_figures(fiscal_year, today)
    return [(key, stored.get(key), computed.get(key)) for key in sorted(stored.keys() | computed.keys(), key=_order)
            if stored.get(key) != computed.get(key)]


def _order(key):
    unit_id, item_id = key
    return unit_id, item_id is not None, item_id or 0


def rebuild(fiscal_years=None) -> int:
    """Recompute and store every publishing unit's rows of these years (all by default)."""
    units = publishing_units()
    return sum(refresh_many(units, fiscal_year) for fiscal_year in (fiscal_years or all_years()))

