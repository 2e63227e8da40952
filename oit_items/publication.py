"""What the public sees changes only on approval: the unit's publication stamp versions the cache.

Public pages are cached whole, keyed by path, language and that stamp; approving anything of the
unit bumps the stamp, so every cached page of the unit is replaced on its next request.
"""

from django.core.cache import cache
from django.utils import timezone

from units.models import Unit

STAMP_KEY = "public-stamp:{slug}"
PAGE_TTL = 24 * 3600


def stamp(slug: str) -> str:
    """The unit's publication stamp, from the cache or (once) from the database."""
    key = STAMP_KEY.format(slug=slug)
    value = cache.get(key)
    if value is None:
        published_at = Unit.objects.filter(slug=slug).values_list("published_at", flat=True).first()
        value = published_at.isoformat() if published_at else "never"
        cache.set(key, value, PAGE_TTL)
    return value


def bump(unit: Unit) -> None:
    now = timezone.now()
    Unit.objects.filter(pk=unit.pk).update(published_at=now)
    cache.set(STAMP_KEY.format(slug=unit.slug), now.isoformat(), PAGE_TTL)


def cached(request, slug: str, render):
    """Serve a public page from the cache, or render it with `render()` and keep it.

    Signed-in staff get a fresh page (their navigation differs) that is not stored."""
    if request.user.is_authenticated:
        return render()
    key = f"public-page:{request.LANGUAGE_CODE}:{stamp(slug)}:{request.get_full_path()}"
    hit = cache.get(key)
    if hit is not None:
        return hit
    response = render()
    if response.status_code == 200:
        if hasattr(response, "render"):
            response.render()
        cache.set(key, response, PAGE_TTL)
    return response
