from celery import shared_task


@shared_task
def sweep() -> dict:
    """Beat runs it every minute: hand over the tasks the broker refused, and give jobs whose worker
    died a reason and a Retry button."""
    from reports import jobs

    from .queue import resend_pending

    return {"resent": resend_pending(), "lost": jobs.fail_lost()}
