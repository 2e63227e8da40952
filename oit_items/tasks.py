from celery import shared_task
from django.db import OperationalError

from .models import Framework


@shared_task(bind=True, autoretry_for=(OperationalError, OSError), retry_backoff=True, max_retries=5)
def clone_framework(self, framework_id: int, fiscal_year: int) -> int:
    """Clone a framework (items and every unit's assignments) into `fiscal_year`. Idempotent."""
    return Framework.objects.get(pk=framework_id).clone_to(fiscal_year).pk


@shared_task(bind=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=5)
def ensure_current_fiscal_year(self) -> list[int]:
    """Beat runs it daily: on 1 October it opens the new fiscal year (idempotent the other days)."""
    from . import fiscal_year

    return [framework.pk for framework, _created in fiscal_year.ensure()]


@shared_task(bind=True, autoretry_for=(OSError, OperationalError), retry_backoff=True, max_retries=5)
def notify_transition(self, period_id: int, action: str, actor_id: int, comment: str) -> int:
    from . import notifications

    return notifications.send_transition_mail(period_id, action, actor_id, comment)


@shared_task(bind=True, autoretry_for=(OSError, OperationalError), retry_backoff=True, max_retries=3)
def send_daily_digest(self, day: str | None = None) -> int:
    """Beat runs it every morning; a second run the same day sends nothing again."""
    import datetime

    from django.utils import timezone

    from . import notifications

    today = datetime.date.fromisoformat(day) if day else timezone.localdate()
    return notifications.send_digests(today)
