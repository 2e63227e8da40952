"""What a unit has published, as the public pages and the open data read it."""

from collections import defaultdict

from django.shortcuts import get_object_or_404
from django.utils import timezone

from ita_portal.lib import thaidate
from oit_items.evidence.models import ItemPeriod
from oit_items.rulebook.models import Framework, Item


def item_or_404(unit, fiscal_year, code):
    return get_object_or_404(Item.objects.for_unit(unit, fiscal_year).select_related("framework"), code__iexact=code)


def fiscal_years(unit) -> list[int]:
    return list(Framework.objects.filter(unit_type_id=unit.unit_type_id).order_by("-fiscal_year")
                .values_list("fiscal_year", flat=True))


def current_item(unit, topic: str) -> Item | None:
    """The unit's item of this topic in the current fiscal year, or in its latest year before that
    (a new year's framework may not be loaded yet): what a printed QR code opens, year after year."""
    today = thaidate.fiscal_year(timezone.localdate())
    for fiscal_year in (y for y in fiscal_years(unit) if y <= today):
        found = Item.objects.for_unit(unit, fiscal_year).select_related("framework").filter(topic=topic).first()
        if found is not None:
            return found
    return None


def published_by_month(unit, items) -> dict:
    """{item id: [(month or None, approved_at, [snapshot entries])]} from approved snapshots only."""
    result = defaultdict(list)
    periods = (ItemPeriod.objects.filter(unit=unit, item__in=items, published_version__gt=0)
               .order_by("month").only("item_id", "month", "published", "approved_at"))
    for period in periods:
        result[period.item_id].append((period.month, period.approved_at, period.published))
    return result
