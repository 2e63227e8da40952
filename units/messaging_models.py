"""Who is reached where: a person's LINE link, quiet hours and choice per kind of message, a unit's
LINE group, the one-time codes that link them, and a record of every message (issue 23)."""

import datetime
import secrets

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

EMAIL, LINE, BOTH = "email", "line", "both"
CHANNEL_CHOICES = [(EMAIL, _("E-mail")), (LINE, _("LINE")), (BOTH, _("E-mail and LINE"))]

# The kinds of message a person chooses a channel for.
RETURNED, WAITING, DEADLINE, DIGEST, REMINDER = "returned", "waiting", "deadline", "digest", "reminder"
KIND_CHOICES = [
    (RETURNED, _("Returned to me")),
    (WAITING, _("Waiting for my check or approval")),
    (DEADLINE, _("Deadlines")),
    (DIGEST, _("Daily digest")),
    (REMINDER, _("Reminders from headquarters")),
]

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read off a phone and typed again
CODE_LIFETIME = datetime.timedelta(minutes=30)


class MessagingProfile(models.Model):
    """One per person who linked LINE or set a preference; without it: e-mail for everything."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="messaging")
    line_user_id = models.CharField(_("LINE user ID"), max_length=64, null=True, blank=True, unique=True)
    account = models.CharField(_("LINE account"), max_length=60, blank=True, default="")  # the channel that linked it
    linked_at = models.DateTimeField(_("linked"), null=True, blank=True)
    channels = models.JSONField(_("channel per kind"), default=dict, blank=True)  # {kind: email|line|both}
    quiet_from = models.TimeField(_("quiet from"), null=True, blank=True)
    quiet_to = models.TimeField(_("quiet until"), null=True, blank=True)

    class Meta:
        verbose_name = _("messaging profile")
        verbose_name_plural = _("messaging profiles")

    @property
    def linked(self) -> bool:
        return bool(self.line_user_id)

    def channel(self, kind: str) -> str:
        """The person's choice; once LINE is linked the default is both, so nothing is missed."""
        return self.channels.get(kind) or (BOTH if self.linked else EMAIL)

    def quiet_until(self, now: datetime.datetime) -> datetime.datetime | None:
        """The end of the quiet hours `now` falls in (local time), or None outside them."""
        if self.quiet_from is None or self.quiet_to is None or self.quiet_from == self.quiet_to:
            return None
        local = timezone.localtime(now)
        clock = local.time()
        if self.quiet_from < self.quiet_to:
            inside = self.quiet_from <= clock < self.quiet_to
        else:  # across midnight, e.g. 22:00–06:00
            inside = clock >= self.quiet_from or clock < self.quiet_to
        if not inside:
            return None
        end = local.replace(hour=self.quiet_to.hour, minute=self.quiet_to.minute, second=0, microsecond=0)
        return end if end > local else end + datetime.timedelta(days=1)


class LineGroup(models.Model):
    """The unit's LINE group: the unit's daily summary and headquarters' reminders go there."""

    unit = models.OneToOneField("units.Unit", on_delete=models.CASCADE, related_name="line_group")
    group_id = models.CharField(_("LINE group ID"), max_length=64, unique=True)
    account = models.CharField(_("LINE account"), max_length=60, blank=True, default="")
    linked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+")
    linked_at = models.DateTimeField(_("linked"), auto_now_add=True)

    class Meta:
        verbose_name = _("unit LINE group")
        verbose_name_plural = _("unit LINE groups")


class LinkCodeQuerySet(models.QuerySet):
    def valid(self, now=None):
        return self.filter(used_at__isnull=True, expires_at__gt=now or timezone.now())


class LinkCode(models.Model):
    """A one-time code sent to the Official Account: it links its sender (or, with a unit, the group
    it is posted in). Expires after CODE_LIFETIME; used once."""

    code = models.CharField(max_length=12, unique=True)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="+")
    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    expires_at = models.DateTimeField()
    used_at = models.DateTimeField(null=True, blank=True)

    objects = LinkCodeQuerySet.as_manager()

    @classmethod
    def issue(cls, user, unit=None) -> "LinkCode":
        """A fresh code; the person's (or group's) earlier unused codes stop working."""
        cls.objects.valid().filter(user=user, unit=unit).update(used_at=timezone.now())
        code = "ITA-" + "".join(secrets.choice(CODE_ALPHABET) for _i in range(6))
        return cls.objects.create(code=code, user=user, unit=unit, expires_at=timezone.now() + CODE_LIFETIME)


class Message(models.Model):
    """One message to one person (or a unit's group) on one channel. `key` makes sending idempotent:
    a job run twice, retried, or queued again after a beat restart finds the row and sends nothing."""

    QUEUED, HELD, SENT, FAILED, FALLBACK = "queued", "held", "sent", "failed", "fallback"
    STATUS_CHOICES = [(QUEUED, _("queued")), (HELD, _("held for quiet hours")), (SENT, _("sent")),
                      (FAILED, _("failed")), (FALLBACK, _("sent by e-mail instead"))]

    key = models.CharField(max_length=200)
    channel = models.CharField(max_length=10, choices=[(EMAIL, "e-mail"), (LINE, "LINE")])
    kind = models.CharField(max_length=20)
    user = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, null=True, blank=True, related_name="+")
    to = models.CharField(max_length=254)  # the e-mail address or the LINE user / group ID at the time
    account = models.CharField(max_length=60, blank=True, default="")  # LINE: the channel to push through
    subject = models.CharField(max_length=300)
    text = models.TextField()  # what goes out on this channel (LINE: short, with the link)
    fallback = models.TextField(blank=True)  # the e-mail body if LINE fails ("" when e-mail went too)
    url = models.URLField(max_length=500, blank=True)
    status = models.CharField(max_length=10, choices=STATUS_CHOICES, default=QUEUED)
    not_before = models.DateTimeField(null=True, blank=True)
    attempts = models.PositiveSmallIntegerField(default=0)
    error = models.CharField(max_length=300, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["key", "channel", "to"], name="unique_message")]
        indexes = [models.Index(fields=["status", "not_before"])]
        verbose_name = _("message")
        verbose_name_plural = _("messages")
