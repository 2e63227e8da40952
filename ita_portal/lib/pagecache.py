"""Whole public pages cached under a stamp: the time their data last changed.

Pages are cached whole, keyed by path, language and the stamp — nothing else, so made-up query strings
(`?v=123`) neither miss the cache nor fill it. The stamp also gives them an ETag and a Last-Modified: a
browser or a reverse proxy revalidates with a conditional GET and gets a 304 without anything being
rendered or read from the cache. Data that changes on its own (complaint statistics) has a *live stamp*
(`live_stamp`/`touch_live`), combined with the others only by the pages that show it (`combined`).
"""

import datetime
import hashlib
import threading
import time
from collections import OrderedDict

from django.conf import settings
from django.core.cache import cache
from django.http import HttpResponse
from django.utils import timezone
from django.utils.cache import get_conditional_response, patch_vary_headers
from django.utils.http import http_date

PAGE_TTL = 24 * 3600
# Anonymous pages: shared caches may keep them a minute, then revalidate (a 304 is cheap).
PUBLIC_CACHE_CONTROL = "public, max-age=60"
# Pages with live data (complaint statistics): stored, but revalidated on every view (a 304 is cheap),
# so that a complaint shows at once in a browser that saw the page a moment ago.
LIVE_CACHE_CONTROL = "public, no-cache"
STAFF_CACHE_CONTROL = "private, no-cache"
KEPT_HEADERS = ("Content-Type", "Content-Disposition", "Access-Control-Allow-Origin", "Content-Language")


class Local:
    """A small in-process tier in front of the shared cache (PUBLIC_LOCAL_CACHE_SECONDS).

    A round trip to Redis costs more than serving a cached page itself, so each worker remembers
    stamps for a second or two and the pages of the current stamps (bounded LRU). Another worker's
    approval reaches this one within those seconds — well inside the minute that proxies are
    allowed to keep a page anyway; an approval in this worker is seen at once."""

    PAGES = 256

    def __init__(self):
        self.stamps, self.pages, self.lock = {}, OrderedDict(), threading.Lock()

    @property
    def seconds(self) -> float:
        return getattr(settings, "PUBLIC_LOCAL_CACHE_SECONDS", 0)

    def stamp(self, key):
        hit = self.stamps.get(key) if self.seconds else None
        return hit[0] if hit and hit[1] > time.monotonic() else None

    def keep_stamp(self, key, value):
        if self.seconds:
            self.stamps[key] = (value, time.monotonic() + self.seconds)

    def page(self, key):
        if not self.seconds:
            return None
        with self.lock:
            entry = self.pages.get(key)
            if entry is not None:
                self.pages.move_to_end(key)
            return entry

    def keep_page(self, key, entry):
        if self.seconds:
            with self.lock:
                self.pages[key] = entry
                while len(self.pages) > self.PAGES:
                    self.pages.popitem(last=False)


local = Local()


def as_stamp(moment) -> str:
    """A stamp for a time of change: its ISO form, or "never"."""
    return moment.isoformat() if moment else "never"


def stamp_of(key: str, latest) -> str:
    """The stamp under `key`: this worker's, the shared cache's or (once) `latest()`, the time of
    the last change in the database (or None)."""
    value = local.stamp(key) or cache.get(key)
    if value is None:
        value = as_stamp(latest())
        cache.set(key, value, PAGE_TTL)
    local.keep_stamp(key, value)
    return value


LIVE_KEY = "public-live:{name}:{slug}"


def live_stamp(name: str, slug: str, latest) -> str:
    """The stamp of live data `name` of a unit, from the cache or (once) from `latest()`: the time
    of its last change in the database, or None."""
    return stamp_of(LIVE_KEY.format(name=name, slug=slug), latest)


def touch_live(name: str, slug: str) -> None:
    """The live data changed: the pages that combine its stamp are rendered again."""
    now = timezone.now().isoformat()
    key = LIVE_KEY.format(name=name, slug=slug)
    cache.set(key, now, PAGE_TTL)
    local.keep_stamp(key, now)


def combined(*stamps: str) -> str:
    """One `current` for `cached()` from several stamps; the newest time comes first, so that it
    is the page's Last-Modified."""
    times = sorted((s for s in stamps if s != "never"), reverse=True)
    return "|".join([times[0] if times else "never", *stamps])


def _validators(request, current: str, variant: str = "") -> tuple[str, float | None]:
    digest = hashlib.sha1(f"{request.path}|{request.LANGUAGE_CODE}|{current}|{variant}".encode()).hexdigest()[:20]
    try:
        last_modified = int(datetime.datetime.fromisoformat(current.split("|")[0]).timestamp())
    except ValueError:  # "never" published, or a stamp that is not a time
        last_modified = None
    return f'"{digest}"', last_modified


def _mark(response, etag, last_modified, cache_control=PUBLIC_CACHE_CONTROL):
    response["ETag"] = etag
    if last_modified is not None:
        response["Last-Modified"] = http_date(last_modified)
    response["Cache-Control"] = cache_control
    patch_vary_headers(response, ("Cookie",))  # the language is chosen by cookie
    return response


def _frozen(response) -> tuple:
    """What is kept of a rendered page: cheaper to store and load than a pickled response."""
    return response.content, {h: response[h] for h in KEPT_HEADERS if response.has_header(h)}


def _thawed(entry) -> HttpResponse:
    content, headers = entry
    response = HttpResponse(content, content_type=headers.get("Content-Type"))
    for header, value in headers.items():
        response[header] = value
    return response


def cached(request, render, current: str, ttl: int = PAGE_TTL, cache_control: str = PUBLIC_CACHE_CONTROL,
           variant: str = ""):
    """Serve a public page from the cache, or render it with `render()` and keep it.

    Signed-in staff get a fresh page (their navigation differs) that is neither stored nor
    shared. `current`: the stamp the page follows; `variant`: what else the page is made from that
    the path does not say (the search page's query), part of the key and the ETag."""
    if request.user.is_authenticated:
        response = render()
        response["Cache-Control"] = STAFF_CACHE_CONTROL
        return response
    etag, last_modified = _validators(request, current, variant)
    not_modified = get_conditional_response(request, etag=etag, last_modified=last_modified)
    if not_modified is not None:
        return _mark(not_modified, etag, last_modified, cache_control)
    key = f"public-page:{request.LANGUAGE_CODE}:{current}:{request.path}"
    if variant:
        key += ":" + hashlib.sha1(variant.encode()).hexdigest()
    entry = local.page(key)
    if entry is None:
        entry = cache.get(key)
        if entry is not None:
            local.keep_page(key, entry)
    if entry is not None:
        return _mark(_thawed(entry), etag, last_modified, cache_control)
    response = render()
    if response.status_code == 200:
        if hasattr(response, "render"):
            response.render()
        entry = _frozen(response)
        cache.set(key, entry, ttl)
        local.keep_page(key, entry)
        _mark(response, etag, last_modified, cache_control)
    return response
