"""Run callables at the same moment, each in its own thread and database connection: how the
concurrency tests put two people (or two workers) on the same rows at once."""

import threading

from django.db import connections


def run_together(*calls, timeout: float = 60) -> list:
    """Start every zero-argument callable behind one barrier; return their results in order, an
    exception standing in for the result of a call that raised (the assertions report it)."""
    barrier, results = threading.Barrier(len(calls)), [None] * len(calls)

    def run(index, call):
        try:
            barrier.wait(timeout=20)
            results[index] = call()
        except Exception as error:
            results[index] = error
        finally:
            connections.close_all()

    threads = [threading.Thread(target=run, args=(i, call)) for i, call in enumerate(calls)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=timeout)
    return results


def errors_of(results) -> list:
    return [r for r in results if isinstance(r, Exception)]
