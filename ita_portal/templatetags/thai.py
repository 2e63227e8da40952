"""Template filters: the one way dates and numbers reach Thai readers."""

import datetime

from django import template
from django.utils import timezone, translation

from ita_portal.lib import thaidate

register = template.Library()


def _as_date(value):
    if isinstance(value, datetime.datetime):
        return timezone.localtime(value) if timezone.is_aware(value) else value
    return value


@register.filter
def be_date(value, style="full"):
    """A date in the reader's language; BE in Thai. `{{ d|be_date }}`, `{{ d|be_date:"abbr" }}`."""
    value = _as_date(value)
    if not isinstance(value, datetime.date):
        return ""
    if translation.get_language() == "en":
        return f"{value.day} {thaidate.MONTHS_EN[value.month - 1]} {value.year}"
    return thaidate.thai_date(value, style=style)


@register.filter
def be_datetime(value):
    value = _as_date(value)
    if not isinstance(value, datetime.datetime):
        return be_date(value)
    return f"{be_date(value, 'medium')} {value:%H:%M}"


@register.filter
def be_month(value, style="abbr"):
    value = _as_date(value)
    if not isinstance(value, datetime.date):
        return ""
    return thaidate.month_label(value, style=style, language=translation.get_language() or "th")


@register.filter
def thai_digits(value):
    return thaidate.to_thai_digits(value)


@register.filter
def fiscal_year_of(value):
    value = _as_date(value)
    return thaidate.fiscal_year(value) if isinstance(value, datetime.date) else ""


@register.filter
def machine_datetime(value):
    """For `<time datetime>`: local time to the second with its offset (2023-11-01T10:15:00+07:00).
    The HTML standard allows at most three digits of fractional seconds, `|date:"c"` writes six."""
    value = _as_date(value)
    if isinstance(value, datetime.datetime):
        return value.replace(microsecond=0).isoformat()
    return value.isoformat() if isinstance(value, datetime.date) else ""
