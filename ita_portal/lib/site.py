"""The portal's public address, for links that leave the page: e-mails, QR codes, the ITAP sheet."""

from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings

_served = ContextVar("served_site_url", default="")


def site_url() -> str:
    """SITE_URL; in development without one, the address this request was served on."""
    return _served.get() or settings.SITE_URL


@contextmanager
def serving(address: str):
    token = _served.set(address)
    try:
        yield
    finally:
        _served.reset(token)
