"""Readiness (`/readyz/`): can this node serve? The database, the cache and the file storage are each
asked with a short time limit; a load balancer takes the node out while one of them is down. Liveness
(`/healthz/`) stays the cheapest view there is: it says only that the process answers."""

import os
import uuid
from concurrent.futures import ThreadPoolExecutor
from concurrent.futures import TimeoutError as Timeout

from django.core.cache import caches
from django.core.cache.backends.redis import RedisCache
from django.core.files.storage import FileSystemStorage, default_storage
from django.db import connection

TIME_LIMIT = 2.0  # seconds per check, all run at once


def database() -> None:
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
            cursor.fetchone()
    finally:
        connection.close()  # the check runs in its own thread: leave no connection behind


def cache() -> None:
    backend = caches["default"]
    key = f"readyz:{uuid.uuid4().hex}"
    # The portal's Redis cache hides failures (a miss instead of an error); readiness must see them.
    store = RedisCache if isinstance(backend, RedisCache) else type(backend)
    store.set(backend, key, "1", 10)
    if store.get(backend, key) != "1":
        raise RuntimeError("the cache does not keep what it is given")
    store.delete(backend, key)


def storage() -> None:
    if isinstance(default_storage, FileSystemStorage):
        root = default_storage.location
        if not (os.path.isdir(root) and os.access(root, os.W_OK | os.X_OK)):
            raise RuntimeError(f"{root} is not a writable directory")
        return
    default_storage.exists(f"readyz/{uuid.uuid4().hex}")  # a HEAD request: the bucket answers and we may read it


CHECKS = {"database": database, "cache": cache, "storage": storage}


def readiness() -> dict[str, str]:
    """{check: "ok" or what went wrong}, within TIME_LIMIT whatever hangs."""
    pool = ThreadPoolExecutor(max_workers=len(CHECKS), thread_name_prefix="readyz")
    futures = {name: pool.submit(check) for name, check in CHECKS.items()}
    results = {}
    for name, future in futures.items():
        try:
            future.result(timeout=TIME_LIMIT)
            results[name] = "ok"
        except Timeout:
            results[name] = f"no answer within {TIME_LIMIT:g} s"
        except Exception as error:  # whatever the failure, the node is not ready
            results[name] = f"{type(error).__name__}: {error}"[:300]
    pool.shutdown(wait=False, cancel_futures=True)  # a hung check must not hold the answer
    return results
