from django.conf import settings
from django.http import HttpResponse, HttpResponsePermanentRedirect, HttpResponseRedirect, JsonResponse
from django.templatetags.static import static
from django.utils.http import url_has_allowed_host_and_scheme
from django.views.decorators.cache import never_cache

from ita_portal import health
from ita_portal.lib import languages


def switch_language(request, language):
    """A plain link switches language and goes to the same page at the other language's address
    (ita_portal.lib.languages); the choice is remembered for the Thai addresses followed later. A GET
    (not Django's POST set_language) so that public pages carry no per-visitor CSRF token and can be cached."""
    target = request.GET.get("next", "/")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}, require_https=request.is_secure()):
        target = "/"
    known = language in dict(settings.LANGUAGES)
    response = HttpResponseRedirect((known and languages.translated(target, language)) or target)
    if known:
        response.set_cookie(settings.LANGUAGE_COOKIE_NAME, language, max_age=365 * 24 * 3600, samesite="Lax",
                            secure=settings.SESSION_COOKIE_SECURE)
    return response


def healthz(request):
    """For load balancers and monitoring, and the benchmark's baseline: the smallest Django view."""
    return HttpResponse("ok", content_type="text/plain")


@never_cache
def readyz(request):
    """For the load balancer: 200 when the database, the cache and the storage answer, else 503 with
    which one did not (a node that can only answer 500 is taken out of the rotation)."""
    checks = health.readiness()
    ready = all(result == "ok" for result in checks.values())
    return JsonResponse({"status": "ready" if ready else "unavailable", "checks": checks}, status=200 if ready else 503)


def favicon(request):
    """Browsers ask for /favicon.ico whatever the page says: send them to the portal's SVG icon."""
    return HttpResponsePermanentRedirect(static("img/favicon.svg"))
