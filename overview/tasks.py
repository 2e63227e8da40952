from celery import shared_task
from django.db import OperationalError


@shared_task(bind=True, autoretry_for=(OSError, OperationalError), retry_backoff=True, max_retries=5)
def send_lagging_reminder(self, reminder_id: int) -> int:
    """One lagging unit's reminder e-mail (idempotent)."""
    from . import reminders

    return reminders.send(reminder_id)
