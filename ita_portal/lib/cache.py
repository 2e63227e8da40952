"""The cache is an accelerator, never a dependency: when Redis does not answer, every read is a
miss, every write is dropped, and the page is built from the database.

Redis is asked with short timeouts; after one failure it is left alone for `RETRY_AFTER` seconds, so
that a page making twenty cache calls while Redis is down pays for one time-out, not twenty.
"""

import logging
import time

from django.core.cache.backends.redis import RedisCache
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError

log = logging.getLogger(__name__)

RETRY_AFTER = 5.0  # seconds without asking Redis after a failure
FAILURES = (RedisError, RedisConnectionError, OSError)


class ResilientRedisCache(RedisCache):
    """Django's Redis cache that degrades to "no cache" instead of raising."""

    def __init__(self, server, params):
        super().__init__(server, params)
        self._down_until = 0.0

    def _degraded(self, operation, fallback):
        def call(*args, **kwargs):
            if time.monotonic() < self._down_until:
                return fallback(*args, **kwargs)
            try:
                return operation(*args, **kwargs)
            except FAILURES as error:
                self._down_until = time.monotonic() + RETRY_AFTER
                log.warning("cache unavailable, serving without it for %ss: %s", RETRY_AFTER, error)
                return fallback(*args, **kwargs)

        return call

    def __getattribute__(self, name):
        fallback = _FALLBACKS.get(name)
        if fallback is None:
            return super().__getattribute__(name)
        return self._degraded(super().__getattribute__(name), fallback)

    @property
    def available(self) -> bool:
        return time.monotonic() >= self._down_until


def _no_incr(key, delta=1, version=None):
    raise ValueError(f"Key '{key}' not found (cache unavailable)")  # what Django's incr says for a miss


_FALLBACKS = {
    "get": lambda key, default=None, version=None: default,
    "get_many": lambda keys, version=None: {},
    "has_key": lambda key, version=None: False,
    "set": lambda *args, **kwargs: None,
    "set_many": lambda data, timeout=None, version=None: list(data),
    "add": lambda *args, **kwargs: False,
    "touch": lambda *args, **kwargs: False,
    "delete": lambda key, version=None: False,
    "delete_many": lambda keys, version=None: None,
    "incr": _no_incr,
    "decr": _no_incr,
    "clear": lambda: None,
    "get_or_set": lambda key, default, timeout=None, version=None: default() if callable(default) else default,
}
