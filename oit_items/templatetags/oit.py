import datetime

from django import template
from django.utils import translation
from django.utils.translation import gettext as _

from ita_portal.lib import thaidate
from oit_items.evidence.checks import format_label, kind_label

register = template.Library()


def _months(months):
    language = translation.get_language() or "th"
    names = thaidate.MONTHS_EN_ABBR if language == "en" else thaidate.MONTHS_TH_ABBR
    return ", ".join(names[m - 1] for m in months)


@register.filter
def rule_text(rule) -> str:
    """A framework rule in words: what the assessor will look for."""
    kind = rule["type"]
    if kind == "evidence":
        return _("Evidence is published for the item")
    if kind == "contradiction":
        return _("No month both declares “none” and holds evidence")
    if kind == "periods":
        text = _("Evidence for every month: %(months)s") % {"months": _months(rule["months"])}
        return text + (_(" (or an explicit “none this month”)") if rule.get("none_allowed") else "")
    if kind == "formats":
        groups = [_(" or ").join(format_label(f) for f in group) for group in rule["all_of"]]
        return _("Files in these formats: %(formats)s") % {"formats": _(" and ").join(f"({g})" if " " in g else g for g in groups)}
    if kind == "languages":
        return _("Both a Thai and an English version")
    if kind == "min_count":
        return _("At least %(count)s %(kind)s") % {"count": rule["count"], "kind": kind_label(rule["kind"])}
    if kind == "links":
        names = rule.get("names_th") or []
        text = _("At least %(count)s links") % {"count": rule.get("min", 1)}
        return text + (": " + ", ".join(names) if names else "")
    if kind == "about_date":
        start = rule.get("from")
        return _("Evidence dated from %(date)s") % {"date": thaidate.thai_date(datetime.date.fromisoformat(start), "medium")} if start else _("Evidence dated within the period")
    return kind


@register.filter
def filesize(value) -> str:
    if value is None:
        return ""
    for unit in ("B", "KB", "MB", "GB"):
        if value < 1024 or unit == "GB":
            return f"{value:.0f} {unit}" if unit == "B" else f"{value:.1f} {unit}"
        value /= 1024
    return ""


@register.filter
def iso_date(value):
    """A snapshot's ISO date string back to a date, for the BE date filters."""
    try:
        return datetime.date.fromisoformat(value)
    except (TypeError, ValueError):
        return None


@register.filter
def get_item(mapping, key):
    """`mapping|get_item:key` — a dict value in a template."""
    return mapping.get(key) if hasattr(mapping, "get") else None


@register.filter
def emblem_url(unit) -> str:
    """The public address of a unit's emblem; the stored name (new on every upload) is in it, so
    browsers and proxies may keep it an hour and still see a new emblem at once."""
    import hashlib

    from django.urls import reverse

    if not unit.emblem:
        return ""
    version = hashlib.sha1(unit.emblem.name.encode()).hexdigest()[:10]
    return f"{reverse('public-emblem', args=[unit.slug])}?v={version}"
