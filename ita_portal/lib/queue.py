"""The one way to launch a Celery task:

    enqueue("oit_items.tasks.notify_transition", period.pk, "submit", user.pk, "")

- by name, so that no domain module imports a `tasks` module (which imports the domain);

- after the transaction commits, so the worker finds the rows it is given;
- with a short broker timeout and no publish retries, so a web request never waits long on a broker
  that is down;
- a task the broker refuses is kept as a PendingTask ("waiting for the queue") and handed over by
  the beat sweeper later: the person sees their page, never a 500, and nothing they asked is lost.
"""

import logging
import socket

from celery import current_app
from django.db import transaction
from kombu.exceptions import OperationalError as BrokerError
from redis.exceptions import RedisError

from ita_portal.lib.models import PendingTask

log = logging.getLogger(__name__)

BROKER_DOWN = (BrokerError, RedisError, OSError, socket.timeout, TimeoutError)
SWEEP_BATCH = 500


def enqueue(name: str, *args, on_hold=None) -> None:
    """Send the task `name` with `args` once the current transaction commits (at once outside one). If
    the broker does not take it, `on_hold(*args)` is called (a job shows "waiting for the queue")."""
    transaction.on_commit(lambda: send(name, list(args), on_hold))


def task_named(name: str):
    """The task registered under `name`, or None. Tasks are enqueued by name, so the web process may
    not have imported their modules yet: Celery's autodiscovery is lazy until then."""
    if name not in current_app.tasks:
        current_app.autodiscover_tasks(force=True)  # imports each installed app's tasks module, nothing else
    return current_app.tasks.get(name)


def send(name: str, args: list, on_hold=None) -> bool:
    """Hand the task to the broker now; keep it for the sweeper if the broker does not take it."""
    task = task_named(name)
    if task is None:  # a typo or a task renamed: a bug to see in the log, never a 500
        log.error("task %s%s not sent: no such task", name, tuple(args))
        return True
    try:
        task.apply_async(args=args, retry=False)
    except BROKER_DOWN as error:
        log.warning("broker unavailable, task %s%s kept for the sweeper: %s", name, tuple(args), error)
        PendingTask.objects.create(task=name, args=args, error=f"{type(error).__name__}: {error}")
        if on_hold is not None:
            on_hold(*args)
        return False
    except Exception:  # tasks run in-process (development) and this one broke: logged, never a 500
        log.exception("task %s%s failed", name, tuple(args))
    return True


def resend_pending() -> int:
    """Hand over what the broker refused before, oldest first; return how many went.

    Each row is claimed under a row lock that a concurrent sweep skips, and deleted in the same
    transaction as it is sent: two sweeps never send one task twice. A row whose task no longer
    exists (renamed in an upgrade) is logged and dropped rather than blocking every later sweep."""
    sent = 0
    for pk in list(PendingTask.objects.values_list("pk", flat=True)[:SWEEP_BATCH]):
        with transaction.atomic():
            pending = PendingTask.objects.select_for_update(skip_locked=True).filter(pk=pk).first()
            if pending is None:  # another sweep has it, or sent it already
                continue
            task = task_named(pending.task)
            if task is None:
                log.error("pending task %s%s dropped: no such task", pending.task, tuple(pending.args))
                pending.delete()
                continue
            try:
                task.apply_async(args=pending.args, retry=False)
            except BROKER_DOWN as error:
                PendingTask.objects.filter(pk=pk).update(attempts=pending.attempts + 1, error=str(error))
                return sent  # still down: the next sweep tries again
            pending.delete()
        sent += 1
    return sent
