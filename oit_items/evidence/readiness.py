"""Stored readiness: one `ItemReadiness` row per unit × item (× fiscal year), kept true in the
transaction of every change, so that supervisors' overviews add rows up instead of building
1,500 workspaces per request.

The one entry point for changes is `refresh_period(period)`: workflow.transition and
workflow.evidence_changed (which every evidence service calls) call it; anything new that
changes a period's state or evidence (a takedown, an import …) must call it too.
`rebuild()` (`manage.py rebuild_readiness`) recomputes every row from scratch; a new framework
version (new rules) refreshes its items' rows with `refresh_framework()`, a Celery job.

The figures come from `workspace.build`, so "ready" means exactly what the workspace shows:
every check passes and every period is approved.
"""

import datetime
from collections import defaultdict

from django.db import transaction
from django.db.models import Max

from oit_items.evidence import workspace
from oit_items.evidence.models import AuditEvent, ItemPeriod, ItemReadiness
from oit_items.rulebook.models import Item
from units.models import Unit

COUNTED = tuple(ItemReadiness.LETTERS)  # the period states, each a column of its own


def _figures(row, last_activity) -> dict:
    counts = dict.fromkeys(COUNTED, 0)
    for cell in row.cells:
        counts[cell.state] += 1
    open_dues = [c.due for c in row.cells if c.state in ItemPeriod.OPEN_STATES]
    return {
        "fiscal_year": row.item.framework.fiscal_year, "periods": len(row.cells), **counts,
        "checks_passed": row.check.passed, "ready": row.ready,
        "states": "".join(ItemReadiness.LETTERS[c.state] for c in row.cells),
        "open_due": min(open_dues) if open_dues else None, "first_due": min(c.due for c in row.cells),
        "last_activity": last_activity,
    }


def _last_activity(units, items) -> dict:
    """{(unit id, item id): time of the last audited change} — every change is audited."""
    rows = (AuditEvent.objects.filter(unit__in=units, item_period__item__in=items).order_by()
            .values_list("unit_id", "item_period__item_id").annotate(last=Max("at")))
    return {(unit_id, item_id): last for unit_id, item_id, last in rows}


def compute(unit, items, today: datetime.date | None = None) -> dict:
    """{item id: figures} for the given items (one fiscal year) of one unit, from scratch."""
    if not items:
        return {}
    space = workspace.build(unit, items[0].framework.fiscal_year, items=items, assignments={}, today=today)
    last = _last_activity([unit], items)
    return {row.item.pk: _figures(row, last.get((unit.pk, row.item.pk))) for row in space.rows}


def refresh_period(period: ItemPeriod) -> None:
    """Bring the stored readiness of the period's unit and item up to date, inside the caller's
    transaction (so it commits or rolls back with the change itself)."""
    refresh_item(period.unit_id, period.item_id)


@transaction.atomic
def refresh_item(unit_id: int, item_id: int) -> None:
    item = Item.objects.select_related("framework").get(pk=item_id)
    # Lock the row first (creating it if needed): two changes to periods of the same item in two
    # transactions then take turns, and the second computes from what the first committed.
    ItemReadiness.objects.bulk_create(
        [ItemReadiness(unit_id=unit_id, item=item, fiscal_year=item.framework.fiscal_year, first_due=datetime.date.min)],
        ignore_conflicts=True)
    row = ItemReadiness.objects.select_for_update().get(unit_id=unit_id, item=item)
    unit = Unit.objects.get(pk=unit_id)
    figures = compute(unit, [item])[item.pk]
    ItemReadiness.objects.filter(pk=row.pk).update(**figures)


def items_by_type_and_year() -> dict:
    grouped = defaultdict(list)
    for item in Item.objects.filter(retired=False).select_related("framework").order_by("number"):
        grouped[(item.framework.unit_type_id, item.framework.fiscal_year)].append(item)
    return grouped


def _touched(periods) -> dict:
    """{unit id: {item id}} of the publishing units' items with at least one of these periods."""
    pairs = defaultdict(set)
    for unit_id, item_id in periods.filter(unit__unit_type__publishes_oit=True).values_list("unit_id", "item_id").distinct():
        pairs[unit_id].add(item_id)
    return pairs


def recompute_all() -> dict:
    """{(unit id, item id): figures} for every unit × item with at least one period, from scratch."""
    pairs = _touched(ItemPeriod.objects.all())
    items = items_by_type_and_year()
    result = {}
    for unit in Unit.objects.filter(pk__in=list(pairs)).order_by("pk"):
        for (unit_type_id, _year), year_items in items.items():
            touched = [i for i in year_items if i.pk in pairs[unit.pk]]
            if unit_type_id == unit.unit_type_id and touched:
                for item_id, figures in compute(unit, touched).items():
                    result[(unit.pk, item_id)] = figures
    return result


@transaction.atomic
def rebuild(batch_size: int = 2000) -> int:
    """Replace every stored row by a full recomputation; returns the number of rows."""
    computed = recompute_all()
    ItemReadiness.objects.all().delete()
    ItemReadiness.objects.bulk_create(
        [ItemReadiness(unit_id=unit_id, item_id=item_id, **figures) for (unit_id, item_id), figures in computed.items()],
        batch_size=batch_size)
    return len(computed)


def refresh_framework(framework) -> int:
    """Recompute the stored rows of a framework's items after a new version changed their rules
    (checks that passed may fail now); returns the number of rows. Idempotent."""
    items = list(framework.items.filter(retired=False).select_related("framework").order_by("number"))
    pairs = _touched(ItemPeriod.objects.filter(item__in=items))
    rows = 0
    for unit in Unit.objects.filter(pk__in=list(pairs)).order_by("pk"):
        # One unit at a time, its rows locked first: a period changing meanwhile waits a moment
        # (not for the whole nation), then refreshes from what this commits.
        with transaction.atomic():
            list(ItemReadiness.objects.select_for_update().filter(unit=unit, item__in=items).values_list("pk"))
            figures = compute(unit, [i for i in items if i.pk in pairs[unit.pk]])
            ItemReadiness.objects.bulk_create(
                [ItemReadiness(unit=unit, item_id=item_id, **row) for item_id, row in figures.items()],
                update_conflicts=True, unique_fields=["unit", "item"], update_fields=["fiscal_year", *ItemReadiness.FIGURES])
        rows += len(figures)
    return rows


def stored_all() -> dict:
    return {(r.unit_id, r.item_id): {"fiscal_year": r.fiscal_year, **r.figures()} for r in ItemReadiness.objects.all()}
