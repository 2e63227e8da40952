"""Every launch of a units task, in one place: always after the data it needs is committed."""

from django.db import transaction

from . import tasks

CHUNK = 500  # invitations per task: a national import sends thousands


def invitations(invitation_ids, resend: bool = False) -> None:
    ids = list(invitation_ids)
    for start in range(0, len(ids), CHUNK):
        chunk = ids[start:start + CHUNK]
        transaction.on_commit(lambda chunk=chunk: tasks.send_invitations.delay(chunk, only_unsent=not resend))


def import_check(batch_id: int) -> None:
    transaction.on_commit(lambda: tasks.check_import.delay(batch_id))


def import_apply(batch_id: int) -> None:
    transaction.on_commit(lambda: tasks.apply_import.delay(batch_id))
