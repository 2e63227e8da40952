import datetime

from celery import shared_task
from django.db import OperationalError
from django.utils import timezone

from ita_portal.lib.queue import enqueue
from oit_items.assessment import freezing, scores
from oit_items.assessment.models import ItapRecord
from oit_items.evidence import deadline_reminders, notifications, readiness
from oit_items.public import search
from oit_items.rulebook import fiscal_year
from oit_items.rulebook.loading import framework_added
from oit_items.rulebook.models import Framework
from units.models import Unit


@shared_task(bind=True, autoretry_for=(OperationalError, OSError), retry_backoff=True, max_retries=5)
def clone_framework(self, framework_id: int, fiscal_year: int) -> int:
    """Clone a framework (items and every unit's assignments) into `fiscal_year`. Idempotent."""
    clone = Framework.objects.get(pk=framework_id).clone_to(fiscal_year)
    framework_added(clone)
    return clone.pk


@shared_task(bind=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def ensure_current_fiscal_year(self) -> list[int]:
    """Beat runs it daily: on 1 October it opens the new fiscal year (idempotent the other days)."""
    return [framework.pk for framework, _created in fiscal_year.ensure()]


@shared_task(bind=True, autoretry_for=(OSError, OperationalError), retry_backoff=True, max_retries=5)
def notify_transition(self, period_id: int, action: str, actor_id: int, comment: str) -> int:
    return notifications.send_transition_mail(period_id, action, actor_id, comment, key=self.request.id)


@shared_task(bind=True, autoretry_for=(OSError, OperationalError), retry_backoff=True, max_retries=3)
def send_daily_digest(self, day: str | None = None) -> int:
    """Beat runs it every morning: it queues one digest task per unit (the nation's digests in one
    task would take minutes and restart from scratch on any failure). Returns the units queued."""
    import datetime

    from django.utils import timezone


    today = datetime.date.fromisoformat(day) if day else timezone.localdate()
    unit_ids = notifications.digest_unit_ids()
    for unit_id in unit_ids:
        enqueue("oit_items.tasks.send_unit_digest", unit_id, today.isoformat())
    return len(unit_ids)


@shared_task(bind=True, autoretry_for=(OSError, OperationalError), retry_backoff=True, max_retries=3)
def send_unit_digest(self, unit_id: int, day: str) -> int:
    """One unit's digests; a second run the same day sends nothing again."""
    import datetime


    return notifications.send_unit_digest(unit_id, datetime.date.fromisoformat(day))


@shared_task(bind=True, autoretry_for=(OperationalError, OSError), retry_backoff=True, max_retries=5)
def rebuild_search_index(self, unit_id: int) -> int:
    """Queued by every publication of the unit (public.receivers). Idempotent."""

    unit = Unit.objects.filter(pk=unit_id).first()
    return search.rebuild(unit) if unit is not None else 0


@shared_task(bind=True, autoretry_for=(OperationalError, OSError), retry_backoff=True, max_retries=5)
def index_framework(self, framework_id: int) -> int:
    """The shared search entries of a framework's items, after its texts changed. Idempotent."""
    items = list(Framework.objects.get(pk=framework_id).items.filter(retired=False))
    search.refresh_items(items)
    return len(items)


@shared_task(bind=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def refresh_framework_readiness(self, framework_id: int) -> int:
    """The stored readiness of a framework's items, after a new version changed their rules. Idempotent."""
    return readiness.refresh_framework(Framework.objects.get(pk=framework_id))


@shared_task(bind=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def refresh_predicted_scores(self) -> int:
    """Beat runs it nightly: time alone changes predicted verdicts (a month of statistics ends).
    Every publishing unit of the years still moving, in batches. Idempotent."""
    return scores.refresh_live()


@shared_task(bind=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def refresh_framework_scores(self, framework_id: int) -> int:
    """The predicted scores of a framework's units, after its rules or points changed or it was added."""
    return scores.refresh_framework(Framework.objects.get(pk=framework_id))


@shared_task(bind=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def refresh_unit_scores(self, unit_id: int) -> int:
    """One unit's predicted scores, every year (a refresh on a signal that failed). Idempotent."""
    unit = Unit.objects.filter(pk=unit_id).first()
    if unit is not None:
        scores.refresh_unit(unit)
    return unit_id


@shared_task(bind=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def freeze_due_records(self, day: str | None = None) -> int:
    """Beat runs it daily: every unit not yet frozen once its OIT reporting phase has ended is queued,
    in chunks, for freezing (idempotent: a frozen unit is not queued again). Returns the units queued."""
    return freezing.queue_due(datetime.date.fromisoformat(day) if day else timezone.localdate())


@shared_task(bind=True, autoretry_for=(OperationalError, OSError), retry_backoff=True, max_retries=5)
def freeze_itap_records(self, fiscal_year: int, unit_ids: list[int]) -> int:
    """Freeze these units' year as submitted to ITAP (a unit frozen already is left as it is). Returns
    the units frozen now."""
    return len(freezing.freeze_many(unit_ids, fiscal_year, ItapRecord.DEADLINE).frozen)


@shared_task(bind=True, autoretry_for=(OSError, OperationalError), retry_backoff=True, max_retries=3)
def send_deadline_reminders(self, day: str | None = None) -> int:
    """Beat runs it every morning: one task per publishing unit. Returns the units queued."""
    today = day or timezone.localdate().isoformat()
    unit_ids = deadline_reminders.unit_ids()
    for unit_id in unit_ids:
        enqueue("oit_items.tasks.send_unit_deadline_reminders", unit_id, today)
    return len(unit_ids)


@shared_task(bind=True, autoretry_for=(OSError, OperationalError), retry_backoff=True, max_retries=3)
def send_unit_deadline_reminders(self, unit_id: int, day: str) -> int:
    """One unit's reminders before its deadlines; a second run the same day sends nothing again."""
    return deadline_reminders.send_for_unit(unit_id, datetime.date.fromisoformat(day))
