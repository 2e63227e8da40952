from celery import shared_task
from django.db import OperationalError

from oit_items.overview import reminders


@shared_task(name="overview.tasks.send_lagging_reminder", bind=True, autoretry_for=(OSError, OperationalError), retry_backoff=True, max_retries=5)
def send_lagging_reminder(self, reminder_id: int) -> int:
    """One lagging unit's reminder e-mail (idempotent)."""
    return reminders.send(reminder_id)
