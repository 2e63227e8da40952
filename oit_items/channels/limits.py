"""Rate limits of the public forms: 5 accepted sends per hour per sender.

Only what was accepted counts: a form refused for a mistake (a missing subject, a file of the wrong
type) costs the sender nothing. The sender is known to the limit only by a salted hash of their
address, which lives in the cache for the hour and nowhere else.
"""

import hashlib
import hmac

from django.conf import settings
from django_ratelimit.core import get_usage

from ita_portal.lib.http import client_ip

RATE = "5/h"


def sender_key(group, request) -> str:
    address = (client_ip(request) or "").encode()
    return hmac.new(settings.SECRET_KEY.encode(), b"public-form:" + address, hashlib.sha256).hexdigest()


def _usage(request, group, increment):
    return get_usage(request, group=group, key=sender_key, rate=RATE, method="POST", increment=increment)


def used_up(request, group: str) -> bool:
    """Has this sender already had RATE accepted sends? (Counts nothing.)"""
    usage = _usage(request, group, increment=False)
    return usage is not None and usage["count"] >= usage["limit"]


def count_accepted(request, group: str) -> None:
    _usage(request, group, increment=True)
