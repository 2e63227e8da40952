"""Celery tasks of the units app: thin — they take ids and call idempotent code.
They are launched only from units/enqueue.py."""

from celery import shared_task
from django.db import OperationalError

from units import invitations
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
