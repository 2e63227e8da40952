"""Each page's language is in its address: Thai at the unprefixed URLs, English under /en/.

The pages are in django's `i18n_patterns(prefix_default_language=False)` (ita_portal/urls.py); the
machine addresses (open data, files, sitemaps, health, webhooks) are outside them and have one URL
for both languages. Search engines index each language at its own URL and find the other through
`hreflang` alternates (`alternates`); the language switcher sends the reader to the same page in the
other language (`translated`).
"""

import re
from contextlib import suppress
from urllib.parse import unquote, urlsplit, urlunsplit

from django.conf import settings
from django.urls import NoReverseMatch, Resolver404, resolve, reverse
from django.utils import translation

THAI_SCRIPT = re.compile("[\u0e00-\u0e7f]")


def language_of(path: str) -> str:
    """The language a path is in: its prefix's, or Thai for an unprefixed one."""
    return translation.get_language_from_path(path) or settings.LANGUAGE_CODE


def without_prefix(path: str) -> str:
    """The path as the unprefixed (Thai) patterns see it: "/en/login/" -> "/login/"."""
    language = translation.get_language_from_path(path)
    if language and language != settings.LANGUAGE_CODE:
        return path[len(language) + 1:]
    return path


def translated(url: str, language: str) -> str | None:
    """The same page in `language` (query and fragment kept), or None when `url` is no page of the
    language patterns (a machine address, an unknown path)."""
    parts = urlsplit(url)
    with translation.override(language_of(parts.path)):
        try:
            match = resolve(unquote(parts.path))
        except Resolver404:
            return None
    prefixed = next(code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE)
    paths = {}
    for code in (language, prefixed):
        with translation.override(code), suppress(NoReverseMatch):
            paths[code] = reverse(match.view_name, args=match.args, kwargs=match.kwargs)
    if not paths.get(prefixed, "").startswith(f"/{prefixed}/") or language not in paths:  # the same address in every language: no page
        return None
    return urlunsplit(("", "", paths[language], parts.query, parts.fragment))


def alternates(path: str) -> list[tuple[str, str]]:
    """[(hreflang, path)] of a page in every language, and x-default (the Thai page); [] for a
    path that is no page of the language patterns."""
    found = [(code, translated(path, code)) for code, _name in settings.LANGUAGES]
    if any(url is None for _code, url in found):
        return []
    default = dict(found)[settings.LANGUAGE_CODE]
    return [*found, ("x-default", default)]


def reversed_in_each(viewname: str, args=()) -> list[tuple[str, str]]:
    """[(language, path)] of one page, for lists of many pages (sitemaps) where resolving each
    path again would cost more."""
    out = []
    for code, _name in settings.LANGUAGES:
        with translation.override(code):
            out.append((code, reverse(viewname, args=args)))
    return out


def has_thai(text) -> bool:
    return bool(text) and bool(THAI_SCRIPT.search(str(text)))
