"""What OIT pages (below the reports) need to link to them, without importing them."""

from django import template

from reports.kinds import DATASETS, DOCUMENT_KINDS

register = template.Library()


@register.filter
def has_monthly_reports(item) -> bool:
    """The portal produces this item's documents from the monthly reports' data."""
    return item.topic in {d.topic for d in DATASETS.values()} | {k.topic for k in DOCUMENT_KINDS.values()}
