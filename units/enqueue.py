"""Every launch of a units task, in one place, through the portal's one enqueue path: after the data
it needs is committed, and kept for the sweeper when the broker is down."""

from ita_portal.lib.queue import enqueue

CHUNK = 500  # invitations per task: a national import sends thousands
LINE_BATCH = 100  # LINE messages per task: a batch paced within the rate limit takes about a second


def invitations(invitation_ids, resend: bool = False) -> None:
    ids = list(invitation_ids)
    for start in range(0, len(ids), CHUNK):
        enqueue("units.tasks.send_invitations", ids[start:start + CHUNK], not resend)


def import_check(batch_id: int) -> None:
    enqueue("units.tasks.check_import", batch_id)


def import_apply(batch_id: int) -> None:
    enqueue("units.tasks.apply_import", batch_id)


def line_messages(message_ids) -> None:
    ids = sorted(message_ids)
    for start in range(0, len(ids), LINE_BATCH):
        enqueue("units.tasks.send_line_messages", ids[start:start + LINE_BATCH])
