"""The unit's publication stamp: what versions the cache of its public pages (ita_portal.lib.pagecache).

The public sees a change only when the parts below announce one (units.signals, subscribed in
receivers.py): a published record (approval, takedown) gives the unit a new stamp, so every page of
the unit changes at once, and queues the rebuild of its search index (a Celery job: never built
inside a request); a change of its details (contacts, head, emblem) gives a new stamp only.
What changes without either — the complaint statistics of O17/O16 — has a live stamp of its own.
"""

import datetime

from django.core.cache import cache
from django.db.models import Max
from django.utils import timezone

from ita_portal.lib import pagecache
from ita_portal.lib.pagecache import LIVE_CACHE_CONTROL, PAGE_TTL, combined, live_stamp, local, stamp_of
from oit_items.channels import stats
from oit_items.public.item import COMPLAINTS
from oit_items.rulebook.models import Framework, Item
from units.models import Unit

STAMP_KEY = "public-stamp:{slug}"
ALL_KEY = "public-stamp:*"  # changes with any unit's stamp: the sitemap index
FRAMEWORKS = "frameworks"  # live_stamp(FRAMEWORKS, "*"): the items' titles, guidance, sub-requirements


def stamp(slug: str) -> str:
    """The unit's publication stamp."""
    return stamp_of(STAMP_KEY.format(slug=slug),
                    lambda: Unit.objects.filter(slug=slug).values_list("published_at", flat=True).first())


def new_stamp(unit: Unit):
    """Something the unit's pages show changed: every page of the unit (and the sitemap index) gets a
    new stamp, so that they are rendered again. Returns the stamp's time."""
    now = timezone.now()
    Unit.objects.filter(pk=unit.pk).update(published_at=now)
    for key in (STAMP_KEY.format(slug=unit.slug), ALL_KEY):
        cache.set(key, now.isoformat(), PAGE_TTL)
        local.keep_stamp(key, now.isoformat())
    return now


def stamp_all() -> str:
    """Changes with any unit's publication stamp."""
    return stamp_of(ALL_KEY, lambda: Unit.objects.order_by("-published_at")
                    .values_list("published_at", flat=True).first())


def cached(request, slug: str, render, current: str | None = None, **options):
    """A public page of the unit `slug`, cached under its publication stamp (or `current`: the sitemap
    index and the home follow every unit)."""
    return pagecache.cached(request, render, current or stamp(slug), **options)


COMPLAINT_CODES_KEY = "public-complaint-codes"


def complaint_codes() -> set[str]:
    """Codes that are the complaint item in some framework (O17 police, O16 immigration): a page with
    one of these codes carries live statistics. (Police O16 is taken for one too: it is only
    revalidated more often.) Kept under the frameworks' stamp, so a new framework counts at once."""
    key = f"{COMPLAINT_CODES_KEY}:{requirements_stamp()}"
    codes = local.stamp(key) or cache.get_or_set(key, lambda: {
        c.lower() for c in Item.objects.filter(topic=COMPLAINTS).values_list("code", flat=True).distinct()},
        PAGE_TTL)
    local.keep_stamp(key, codes)
    return codes


def requirements_stamp() -> str:
    """Changes when a framework's items change (editor, data files): the pages showing them follow."""
    return live_stamp(FRAMEWORKS, "*",
                      lambda: Framework.objects.aggregate(latest=Max("updated_at"))["latest"])


def cache_args(slug: str, statistics: bool = False) -> dict:
    """`cached()` arguments for a page of a unit's items (its home, the index, an item page, their open data):
    cached on the unit's publication and the frameworks; a page with the complaint statistics in it
    also on the unit's complaints, and revalidated on every view."""
    stamps = [stamp(slug), requirements_stamp(), month_stamp()]
    if not statistics:
        return {"current": combined(*stamps)}
    return {"current": combined(*stamps, stats.stamp(slug)), "cache_control": LIVE_CACHE_CONTROL}


def month_stamp(today=None) -> str:
    """Changes when a month begins: the pages show the months begun so far ("not yet due" after them,
    no statistics for them), so a page rendered last month is not this month's."""
    today = today or timezone.localdate()
    begun = timezone.make_aware(datetime.datetime.combine(today.replace(day=1), datetime.time()))
    return pagecache.as_stamp(begun.astimezone(datetime.timezone.utc))


def shows_statistics(code: str) -> bool:
    return code.lower() in complaint_codes()
