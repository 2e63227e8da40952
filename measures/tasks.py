"""Celery tasks: thin — they take ids, load, and call idempotent code in reminders.py. (The
documents and signs go through the one render task, reports.tasks.render_job.)"""

from celery import shared_task

from reports.jobs import TRANSIENT


@shared_task(bind=True, autoretry_for=TRANSIENT, retry_backoff=True, max_retries=3)
def send_reminders(self, day: str | None = None) -> int:
    """Beat runs it every morning: e-mails about deadlines of the ITA calendar, measures and
    activities in the next days. A second run the same day sends nothing again."""
    import datetime

    from django.utils import timezone

    from . import reminders

    today = datetime.date.fromisoformat(day) if day else timezone.localdate()
    return reminders.send(today)
