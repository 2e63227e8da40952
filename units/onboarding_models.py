"""Onboarding: invitations to choose a password, and spreadsheet imports (imported by models.py)."""

import datetime

from django.conf import settings
from django.db import models
from django.utils import timezone
from django.utils.translation import gettext_lazy as _


class InvitationQuerySet(models.QuerySet):
    def pending(self):
        return self.filter(accepted_at__isnull=True)


class Invitation(models.Model):
    """A login created for someone who has not chosen a password yet. The link it sends is one
    of Django's password-reset tokens (units/invitations.py): it stops working once used, when a
    newer invitation is sent, or after INVITATION_TIMEOUT_DAYS."""

    user = models.OneToOneField(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="invitation",
                                verbose_name=_("user"))
    unit = models.ForeignKey("units.Unit", on_delete=models.CASCADE, related_name="invitations", verbose_name=_("unit"))
    invited_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("invited by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    sent_at = models.DateTimeField(_("last sent"), null=True, blank=True)
    send_count = models.PositiveSmallIntegerField(_("times sent"), default=0)
    accepted_at = models.DateTimeField(_("accepted at"), null=True, blank=True)

    objects = InvitationQuerySet.as_manager()

    class Meta:
        ordering = ["unit", "user__username"]
        verbose_name = _("invitation")
        verbose_name_plural = _("invitations")

    def __str__(self):
        return f"{self.user} · {self.unit}"

    @property
    def expires_at(self):
        if self.sent_at is None:
            return None
        return self.sent_at + datetime.timedelta(days=settings.INVITATION_TIMEOUT_DAYS)

    @property
    def expired(self) -> bool:
        return self.accepted_at is None and self.expires_at is not None and self.expires_at < timezone.now()


class ImportBatch(models.Model):
    """One uploaded spreadsheet: checked first (the dry run's report), then applied in one
    transaction. Its state tells where it is, so nothing is ever half-applied or lost."""

    CHECKING, CHECKED, APPLYING, APPLIED, FAILED = "checking", "checked", "applying", "applied", "failed"
    STATES = [
        (CHECKING, _("Being checked")),
        (CHECKED, _("Checked (dry run)")),
        (APPLYING, _("Being applied")),
        (APPLIED, _("Applied")),
        (FAILED, _("Failed")),
    ]

    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                    verbose_name=_("uploaded by"))
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)
    files = models.JSONField(_("files"), default=list, help_text=_('[{"name": original name, "path": stored name}]'))
    state = models.CharField(_("status"), max_length=10, choices=STATES, default=CHECKING)
    summary = models.JSONField(_("summary"), default=dict, blank=True)
    report = models.JSONField(_("report"), default=list, blank=True)
    error = models.TextField(_("error"), blank=True)
    checked_at = models.DateTimeField(_("checked at"), null=True, blank=True)
    applied_at = models.DateTimeField(_("applied at"), null=True, blank=True)
    invite = models.BooleanField(_("send invitations"), default=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("spreadsheet import")
        verbose_name_plural = _("spreadsheet imports")

    def __str__(self):
        return ", ".join(f["name"] for f in self.files) or str(self.pk)

    @property
    def busy(self) -> bool:
        return self.state in (self.CHECKING, self.APPLYING)

    @property
    def refused(self) -> int:
        return self.summary.get("refuse", 0)

    @property
    def may_apply(self) -> bool:
        return self.state == self.CHECKED and not self.refused and bool(self.summary.get("create") or self.summary.get("update"))
