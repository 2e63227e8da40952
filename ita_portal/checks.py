"""Production refuses to start misconfigured: errors (not warnings) seen by `check --deploy`, by
`migrate`, and at start-up of gunicorn and the Celery worker (ita_portal/wsgi.py, celery.py).

These look at the configuration only. A Redis that is configured but momentarily unreachable is no
error: the portal degrades (ita_portal/cache.py, ita_portal/queue.py).
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.core.checks import Error, register

from ita_portal import settings as module

WEAK_SECRET_LENGTH = 50
LOOPBACK = {"127.0.0.1", "localhost", "::1", "0.0.0.0", ""}


@register("ita_portal")
def production_configuration(app_configs=None, **kwargs) -> list[Error]:
    if settings.DEBUG:
        return []
    errors = []
    if not settings.REDIS_URL:
        errors.append(Error(
            "REDIS_URL is not set: every process would keep its own cache (pages stale for hours after an "
            "approval) and Celery tasks would run inside web requests.",
            hint="Set REDIS_URL, e.g. redis://127.0.0.1:6379/0.", id="ita_portal.E001"))
    host = urlsplit(settings.SITE_URL).hostname or ""
    if settings.SITE_URL == settings.SITE_URL_DEFAULT or host in LOOPBACK:
        errors.append(Error(
            f"SITE_URL is {settings.SITE_URL!r}: QR codes, signs, e-mail links and the ITAP sheet would point there.",
            hint="Set SITE_URL to the public address, e.g. https://ita.example.go.th.", id="ita_portal.E002"))
    if weak_secret(settings.SECRET_KEY):
        errors.append(Error(
            f"SECRET_KEY is weak (at least {WEAK_SECRET_LENGTH} characters, not the development key).",
            hint="python -c 'import secrets; print(secrets.token_urlsafe(50))'", id="ita_portal.E003"))
    return errors


@register("ita_portal")
def trusted_proxy(app_configs=None, **kwargs) -> list[Error]:
    """Development too: a forwarded address believed from anyone lets every client choose its own."""
    if settings.USE_X_FORWARDED_FOR and not settings.TRUSTED_PROXIES:
        return [Error(
            "USE_X_FORWARDED_FOR is on but no proxy is named: any client could pick its own address and "
            "escape the login lockout and the rate limits.",
            hint="Set TRUSTED_PROXIES to the addresses of the reverse proxies, e.g. TRUSTED_PROXIES=10.0.0.5,10.0.0.6.",
            id="ita_portal.E004")]
    return []


def weak_secret(key: str) -> bool:
    return (key == settings_dev_secret() or len(key) < WEAK_SECRET_LENGTH or len(set(key)) < 5
            or key.startswith("django-insecure-"))


def settings_dev_secret() -> str:
    return module._DEV_SECRET


def refuse_to_start_misconfigured() -> None:
    """Called where no management command runs the checks (gunicorn, the Celery worker)."""
    from django.core.exceptions import ImproperlyConfigured

    errors = production_configuration() + trusted_proxy()
    if errors:
        raise ImproperlyConfigured("\n".join(f"{e.id}: {e.msg} {e.hint}" for e in errors))
