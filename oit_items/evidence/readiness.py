"""Stored readiness: one `ItemReadiness` row per unit × item (× fiscal year), kept true in the
transaction of every change, so that supervisors' overviews add rows up instead of building
1,500 workspaces per request.

Changes keep it true on their own: `ItemPeriod.move_to`, the one place a period's state changes
(and, through `reopen`, where every change of evidence ends), refreshes the row of its item
(`ItemReadiness.objects.refresh`). `rebuild()` (`manage.py rebuild_readiness`) recomputes every
row from scratch, and `drift()` (`--check`) says which stored rows differ from a recomputation; a
new framework version (new rules) refreshes its items' rows with `refresh_framework()`, a Celery job.

The figures come from the period rows and `checks.evaluate` (`ItemReadiness.figures_of`), the
same definitions the workspace shows: "ready" means every check passes and every period is approved.
"""

from collections import defaultdict

from django.db import transaction

from oit_items.evidence.models import ItemPeriod, ItemReadiness
from oit_items.rulebook.models import Item
from units.models import Unit


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
                for item_id, figures in ItemReadiness.objects.compute(unit.pk, touched).items():
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
            figures = ItemReadiness.objects.compute(unit.pk, [i for i in items if i.pk in pairs[unit.pk]])
            ItemReadiness.objects.bulk_create(
                [ItemReadiness(unit=unit, item_id=item_id, **row) for item_id, row in figures.items()],
                update_conflicts=True, unique_fields=["unit", "item"], update_fields=["fiscal_year", *ItemReadiness.FIGURES])
        rows += len(figures)
    return rows


def stored_all() -> dict:
    return {(r.unit_id, r.item_id): {"fiscal_year": r.fiscal_year, **r.figures()} for r in ItemReadiness.objects.all()}


def drift() -> list[tuple]:
    """[((unit id, item id), stored figures or None, recomputed figures or None)] of every row that a
    rebuild would change, in order. Changes nothing. A change committed while it runs may show up
    once: run it again."""
    stored, computed = stored_all(), recompute_all()
    return [(key, stored.get(key), computed.get(key)) for key in sorted(stored.keys() | computed.keys())
            if stored.get(key) != computed.get(key)]
