from celery import shared_task

from ita_portal.lib.queue import resend_pending
from reports import jobs


@shared_task
def sweep() -> dict:
    """Beat runs it every minute: hand over the tasks the broker refused, and give jobs whose worker
    died a reason and a Retry button."""

    return {"resent": resend_pending(), "lost": jobs.fail_lost()}
