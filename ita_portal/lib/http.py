"""Small facts about a request that several apps need."""

from django.conf import settings


def client_ip(request) -> str | None:
    """The one client address: the audit log, rate limits and login lockout all use it. Behind the
    proxies named in TRUSTED_PROXIES (USE_X_FORWARDED_FOR), the right-most address of X-Forwarded-For
    that is not one of them: what a client writes into the header itself stays to the left of it."""
    if request is None:
        return None
    remote = request.META.get("REMOTE_ADDR")
    trusted = set(settings.TRUSTED_PROXIES)
    if settings.USE_X_FORWARDED_FOR and remote in trusted:
        hops = [hop.strip() for hop in request.META.get("HTTP_X_FORWARDED_FOR", "").split(",") if hop.strip()]
        for hop in reversed(hops):
            if hop not in trusted:
                return hop
    return remote


def is_htmx(request) -> bool:
    """An htmx request swaps the answer into part of a page: answer with that part only."""
    return request.headers.get("HX-Request") == "true"
