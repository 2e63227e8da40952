"""Template tags for pages in two languages: the alternates of a page, Thai text marked as Thai in
English pages (so that a screen reader reads it with a Thai voice, WCAG 3.1.2), units by the name
of the reader's language."""

from html import unescape

from django import template
from django.conf import settings
from django.utils import translation
from django.utils.html import format_html, format_html_join, strip_tags
from django.utils.safestring import mark_safe

from ita_portal.lib import languages
from ita_portal.lib.site import site_url

register = template.Library()


@register.simple_tag(takes_context=True)
def alternate_links(context):
    """`<link rel="alternate" hreflang>` to this page in every language and x-default, absolute."""
    request = context.get("request")
    if request is None:
        return ""
    links = languages.alternates(request.path)
    return format_html_join("\n", '<link rel="alternate" hreflang="{}" href="{}">',
                            ((code, site_url() + path) for code, path in links))


@register.filter
def thai(text):
    """The text, inside `<span lang="th">` when it is Thai on a page in another language."""
    if text in (None, ""):
        return ""
    if translation.get_language() != settings.LANGUAGE_CODE and languages.has_thai(text):
        return format_html('<span lang="th">{}</span>', text)
    return format_html("{}", text)


def _field(unit, name):
    return unit.get(name, "") if isinstance(unit, dict) else getattr(unit, name, "")


@register.filter
def unit_label(unit, style="full"):
    """A unit's name in the reader's language, as plain text (for `<title>`, `alt`): the English name
    on English pages where the unit has one, else the Thai; `|unit_label:"short"` prefers short names."""
    if not unit:
        return ""
    suffix = "en" if translation.get_language() == "en" else "th"
    names = [f"name_{suffix}", "name_th"]
    if style == "short":
        names = [f"short_name_{suffix}", f"name_{suffix}", "short_name_th", "name_th"]
    return next((_field(unit, name) for name in names if _field(unit, name)), "")


@register.filter
def unit_name(unit, style="full"):
    """`unit_label` for the page's text: marked as Thai where an English page falls back to the Thai name."""
    return thai(unit_label(unit, style))


@register.filter
def thai_lang(text):
    """` lang="th"` for an element holding `text` when it is Thai on a page in another language."""
    if translation.get_language() != settings.LANGUAGE_CODE and languages.has_thai(text):
        return mark_safe(' lang="th"')
    return ""


@register.filter
def meta_text(html):
    """Text for `<meta name="description">`: no tags, one line, at most 300 characters (escaped again
    by the template)."""
    text = " ".join(unescape(strip_tags(str(html))).split())
    return text if len(text) <= 300 else text[:299].rstrip() + "…"  # Thai marks count (Truncator skips them)
