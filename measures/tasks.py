"""Celery tasks: thin — they take ids, load, and call idempotent code in reminders.py. (The
documents and signs go through the one render task, reports.tasks.render_job.)"""

from celery import shared_task

from ita_portal.lib.queue import enqueue
from measures import reminders
from measures.models import MeasurePlan
from reports.jobs import TRANSIENT


@shared_task(bind=True, autoretry_for=TRANSIENT, retry_backoff=True, max_retries=3)
def send_reminders(self, day: str | None = None) -> int:
    """Beat runs it every morning: it queues one task per unit's plan with e-mails about
    deadlines of the ITA calendar, measures and activities in the next days. Returns the plans."""
    import datetime

    from django.utils import timezone


    today = datetime.date.fromisoformat(day) if day else timezone.localdate()
    end = today + datetime.timedelta(days=reminders.reminder_days())
    plan_ids = list(reminders.plans_due(today, end).values_list("pk", flat=True))
    for plan_id in plan_ids:
        enqueue("measures.tasks.send_plan_reminders", plan_id, today.isoformat())
    return len(plan_ids)


@shared_task(bind=True, autoretry_for=TRANSIENT, retry_backoff=True, max_retries=3)
def send_plan_reminders(self, plan_id: int, day: str) -> int:
    """One unit's reminders; a second run the same day sends nothing again."""
    import datetime


    plan = MeasurePlan.objects.select_related("unit").filter(pk=plan_id).first()
    return reminders.send_for_plan(plan, datetime.date.fromisoformat(day)) if plan else 0
