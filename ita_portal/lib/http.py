"""Small facts about a request that several apps need."""

from django.conf import settings


def client_ip(request) -> str | None:
    """The one client address: the audit log, rate limits and login lockout all use it
    (USE_X_FORWARDED_FOR only behind a proxy that overwrites the header)."""
    if request is None:
        return None
    if settings.USE_X_FORWARDED_FOR:
        forwarded = request.META.get("HTTP_X_FORWARDED_FOR", "")
        if forwarded:
            return forwarded.split(",")[0].strip()
    return request.META.get("REMOTE_ADDR")


def is_htmx(request) -> bool:
    """An htmx request swaps the answer into part of a page: answer with that part only."""
    return request.headers.get("HX-Request") == "true"
