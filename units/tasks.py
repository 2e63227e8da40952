"""Celery tasks of the units app: thin — they take ids and call idempotent code.
They are launched only from units/enqueue.py."""

from celery import shared_task
from django.db import OperationalError

from units import invitations, messaging
from units.models import Invitation
from units.onboarding import jobs


@shared_task(bind=True, autoretry_for=(OSError, OperationalError), retry_backoff=True, max_retries=5)
def send_invitations(self, invitation_ids: list[int], only_unsent: bool = True) -> int:
    """E-mail each invitation's link. With `only_unsent`, a retried task skips those already sent."""
    sent = 0
    for invitation in Invitation.objects.pending().filter(pk__in=invitation_ids).select_related("user", "unit"):
        if only_unsent and invitation.sent_at is not None:
            continue
        sent += invitations.send(invitation)
    return sent


@shared_task(bind=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def check_import(self, batch_id: int) -> str:
    return jobs.check(batch_id)


@shared_task(bind=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def apply_import(self, batch_id: int) -> str:
    return jobs.apply(batch_id)


LINE_RETRIES = 5  # about 10 s, 20 s, 40 s, 80 s, 160 s: then e-mail instead


@shared_task(bind=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=LINE_RETRIES)
def send_line_messages(self, message_ids: list[int]) -> int:
    """Push a batch of queued LINE messages; on 429/5xx the ones left go again later (the API's
    Retry-After, else a growing wait); after the last retry they go by e-mail. Idempotent."""
    final = self.request.retries >= LINE_RETRIES
    try:
        return messaging.send_line(message_ids, final=final)
    except messaging.RetryLater as later:
        countdown = later.retry_after or 10 * 2 ** self.request.retries
        raise self.retry(args=[later.ids], countdown=countdown, exc=later) from later


@shared_task(bind=True, autoretry_for=(OperationalError,), retry_backoff=True, max_retries=3)
def release_line_messages(self) -> int:
    """Beat, every few minutes: messages held for quiet hours, and any whose job was lost."""
    return messaging.release_held()
