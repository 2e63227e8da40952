"""What a page of a live year shows honestly: the dates a copied year's texts still carry
(rulebook.copied), marked where they stand and explained once beside them."""

from django import template
from django.utils import translation
from django.utils.html import escape
from django.utils.safestring import mark_safe

from oit_items.rulebook import copied, portal_data

register = template.Library()


@register.filter
def copied_dates(text, framework):
    """`text` (escaped) with the dates of the year its criteria were copied from in <mark>: the
    NACC's words stay as written, their dates are shown for what they are."""
    year = getattr(framework, "criteria_year", None)
    if not year:
        return text
    return mark_safe("".join(  # every piece is escaped here
        f'<mark class="copied-date" data-copied-date>{escape(piece)}</mark>' if marked else escape(piece)
        for piece, marked in copied.segments(str(text or ""), year)))


@register.inclusion_tag("oit_items/partials/copied_dates.html")
def copied_dates_note(item):
    """The note beside a provisional year's item texts that name the source year's dates."""
    framework = item.framework
    found = copied.item_mentions(item, translation.get_language() or "th")
    start, end = framework.window
    return {"found": found, "source": framework.criteria_year, "year": framework.fiscal_year,
            "start": start, "end": end}


@register.filter
def missing_data(item, unit) -> list:
    """What is empty of the data the portal holds for the item (rulebook.portal_data): [] when complete."""
    return portal_data.missing_for(unit, item)
