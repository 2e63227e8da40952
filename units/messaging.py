"""The one way the portal tells people something (issue 23): `deliver()` honours each person's
choice per kind of message — e-mail, LINE or both — and their quiet hours; e-mail is the fallback
when LINE fails or the person has no link. Every message is a `Message` row with a key, so a job run
twice, retried, or queued again after a beat restart sends nothing twice.

E-mail goes out at once (the callers already run in Celery jobs, after the commit); LINE messages are
queued and pushed by `units.tasks.send_line_messages` in batches, paced within the API's rate limit,
retried on 429/5xx, and sent by e-mail instead once the retries are spent."""

import datetime
import logging
import time
import uuid

from django.conf import settings
from django.core.mail import send_mail
from django.db import transaction
from django.utils import timezone

from units import enqueue, line
from units.messaging_models import BOTH, EMAIL, LINE, LineGroup, LinkCode, Message, MessagingProfile

log = logging.getLogger(__name__)


class RetryLater(Exception):
    """The API asked to wait (429) or failed (5xx): these messages go again later."""

    def __init__(self, ids: list[int], retry_after: int | None):
        super().__init__(ids, retry_after)  # the arguments, so that it pickles (Celery keeps it)
        self.ids = ids
        self.retry_after = retry_after

    def __str__(self):
        return f"{len(self.ids)} LINE messages to retry"


def line_text(subject: str, url: str, text: str = "") -> str:
    """Short, Thai, with the link to the exact page."""
    return "\n".join(part for part in (text or subject, url) if part)


def deliver(users, kind: str, subject: str, body: str, url: str = "", key: str | None = None,
            text: str = "") -> int:
    """Tell `users` (a user or several) about something of `kind`: one e-mail to those who take it by
    e-mail, a LINE message to each who takes it by LINE. Returns how many people were reached now or
    queued. `key` names the event (the same key again sends nothing); without it, the message is
    recorded but the caller keeps its own once-only guard."""
    users = [u for u in (users if isinstance(users, list | tuple | set) else [users]) if u is not None and u.is_active]
    users = list({u.pk: u for u in users}.values())
    key = key or f"once:{uuid.uuid4().hex}"
    profiles = {p.user_id: p for p in MessagingProfile.objects.filter(user__in=users)}
    accounts = line.channels()
    now = timezone.now()
    by_email, by_line = [], []
    for user in users:
        profile = profiles.get(user.pk)
        channel = profile.channel(kind) if profile else EMAIL
        on_line = (profile is not None and profile.linked and profile.account in accounts
                   and channel in (LINE, BOTH))
        if channel in (EMAIL, BOTH) or not on_line:
            if user.email:
                by_email.append(user)
        if on_line:
            quiet = profile.quiet_until(now)
            by_line.append(Message(
                key=key, channel=LINE, kind=kind, user=user, to=profile.line_user_id, account=profile.account,
                subject=subject[:300],
                text=line_text(subject, url, text), url=url, status=Message.HELD if quiet else Message.QUEUED,
                not_before=quiet, fallback="" if channel == BOTH else body))
    return len(set(_email(by_email, kind, subject, body, url, key)) | set(_queue_line(by_line, key)))


def deliver_group(unit, kind: str, subject: str, url: str = "", key: str | None = None, text: str = "") -> int:
    """The unit's LINE group, if it has one (its members get their own messages besides)."""
    group = LineGroup.objects.filter(unit=unit).first()
    if group is None or line.channel(group.account) is None:
        return 0
    message = Message(key=key or f"once:{uuid.uuid4().hex}", channel=LINE, kind=kind, unit=unit, to=group.group_id,
                      account=group.account,
                      subject=subject[:300], text=line_text(subject, url, text), url=url)
    return len(_queue_line([message], message.key))


def _email(users, kind, subject, body, url, key) -> list[int]:
    """One e-mail to every address not yet sent under `key` (returns their users); a failure leaves
    them to the retry."""
    if not users:
        return []
    rows = [Message(key=key, channel=EMAIL, kind=kind, user=u, to=u.email, subject=subject[:300], text=body, url=url)
            for u in users]
    Message.objects.bulk_create(rows, ignore_conflicts=True)
    pending = list(Message.objects.filter(key=key, channel=EMAIL, to__in=[u.email for u in users])
                   .exclude(status=Message.SENT).order_by("to"))
    if not pending:
        return []
    ids = [m.pk for m in pending]
    try:
        send_mail(subject, body, None, [m.to for m in pending])
    except Exception as error:
        Message.objects.filter(pk__in=ids).update(status=Message.FAILED, error=str(error)[:300])
        raise  # the calling job retries; these rows are sent then
    Message.objects.filter(pk__in=ids).update(status=Message.SENT, sent_at=timezone.now(), error="")
    return [m.user_id for m in pending]


def _queue_line(messages, key) -> list:
    """Record the LINE messages not yet recorded under `key` and queue them; returns their users
    (a unit's group: its unit)."""
    if not messages:
        return []
    Message.objects.bulk_create(messages, ignore_conflicts=True)
    new = list(Message.objects.filter(key=key, channel=LINE, to__in=[m.to for m in messages], attempts=0,
                                      status__in=[Message.QUEUED, Message.HELD]).values_list("pk", "status", "user_id"))
    enqueue.line_messages([pk for pk, status, _user in new if status == Message.QUEUED])
    return [user_id or f"unit:{pk}" for pk, _status, user_id in new]


def send_line(ids: list[int], final: bool = False) -> int:
    """Push the queued LINE messages `ids`; returns how many went. A 429/5xx or no answer raises
    RetryLater with the ones left, unless `final` (the retries are spent): then they, like those the
    API refuses for good, go by e-mail instead."""
    sent = 0
    pace = 1.0 / max(settings.LINE_MAX_PER_SECOND, 1)
    for position, pk in enumerate(ids):
        started = time.monotonic()
        with transaction.atomic():
            message = (Message.objects.select_for_update(skip_locked=True)
                       .filter(pk=pk, channel=LINE, status=Message.QUEUED).first())
            if message is None:  # sent already, held for quiet hours, or another worker has it
                continue
            message.attempts += 1
            if line.channel(message.account) is None:
                _fall_back(message, "LINE is not configured")
                continue
            try:
                line.push(message.to, message.text, message.key, message.account)
            except line.LineError as error:
                message.error = str(error)[:300]
                if error.transient and not final:  # stays queued, for the task's retry
                    message.save(update_fields=["error", "attempts"])
                    retry = RetryLater(list(ids[position:]), error.retry_after)
                else:
                    _fall_back(message, message.error)
                    continue
            else:
                message.status, message.sent_at, message.error = Message.SENT, timezone.now(), ""
                message.save(update_fields=["status", "sent_at", "error", "attempts"])
                sent += 1
                retry = None
        if retry is not None:
            raise retry
        time.sleep(max(0.0, pace - (time.monotonic() - started)))  # within the channel's rate limit
    return sent


def _fall_back(message: Message, reason: str) -> None:
    """E-mail instead of a LINE message that cannot go; a group's or a "both" message has none."""
    user = message.user
    message.error = reason[:300]
    if message.fallback and user is not None and user.is_active and user.email:
        send_mail(message.subject, message.fallback, None, [user.email])
        message.status = Message.FALLBACK
    else:
        message.status = Message.FAILED
    message.save(update_fields=["status", "error", "attempts"])
    log.warning("LINE message %s not sent (%s): %s", message.pk, message.status, reason)


def release_held(now=None) -> int:
    """Queue the messages whose quiet hours are over, and those queued long ago whose job was lost;
    forget linking codes expired a day ago."""
    now = now or timezone.now()
    LinkCode.objects.filter(expires_at__lt=now - datetime.timedelta(days=1)).delete()
    held = Message.objects.filter(channel=LINE, status=Message.HELD, not_before__lte=now)
    ids = list(held.values_list("pk", flat=True)[:5000])
    Message.objects.filter(pk__in=ids).update(status=Message.QUEUED)
    stale = Message.objects.filter(channel=LINE, status=Message.QUEUED,
                                   created_at__lt=now - settings.LINE_REQUEUE_AFTER).exclude(pk__in=ids)
    ids += list(stale.values_list("pk", flat=True)[:5000])
    enqueue.line_messages(ids)
    return len(ids)
