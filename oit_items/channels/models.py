"""What the public sends a unit: questions and comments (O5 police / O4 immigration) and
corruption complaints (O17 / O16). Kept apart from the staff evidence code."""

import secrets
import uuid

from django.conf import settings
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from ita_portal.lib import pagecache
from ita_portal.lib.models import StoredFile
from units.models import Unit

STATISTICS = "complaints"  # the live stamp of the complaint statistics (stats.py), moved by every change

CODE_ALPHABET = "ABCDEFGHJKLMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I: read over the phone


def new_tracking_code() -> str:
    raw = "".join(secrets.choice(CODE_ALPHABET) for _ in range(12))
    return f"{raw[:4]}-{raw[4:8]}-{raw[8:]}"


class QuestionQuerySet(models.QuerySet):
    def published(self):
        return self.filter(publish=True, answered_at__isnull=False)


class Question(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="questions", verbose_name=_("unit"))
    # Shown once after asking; with it the person who asked follows the question up, as with a complaint.
    code = models.CharField(_("reference code"), max_length=14, unique=True, default=new_tracking_code, editable=False)
    name = models.CharField(_("name"), max_length=100, blank=True)
    email = models.EmailField(_("e-mail"), blank=True)
    subject = models.CharField(_("subject"), max_length=200)
    text = models.TextField(_("question or comment"), max_length=3000)
    created_at = models.DateTimeField(_("received at"), auto_now_add=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    answer = models.TextField(_("answer"), blank=True, max_length=5000)
    answered_at = models.DateTimeField(_("answered at"), null=True, blank=True)
    answered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+")
    publish = models.BooleanField(_("show publicly"), default=False)

    objects = QuestionQuerySet.as_manager()

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("question")
        verbose_name_plural = _("questions")

    def __str__(self):
        return self.subject

    @property
    def answered(self) -> bool:
        return self.answered_at is not None


def attachment_path(instance, filename):
    return f"complaints/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}.{instance.extension}"


class Complaint(models.Model):
    RECEIVED = "received"
    INVESTIGATING = "investigating"
    FINISHED = "finished"
    STATUSES = [(RECEIVED, _("Received")), (INVESTIGATING, _("Under investigation")), (FINISHED, _("Finished"))]

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="complaints", verbose_name=_("unit"))
    code = models.CharField(_("tracking code"), max_length=14, unique=True, default=new_tracking_code, editable=False)
    anonymous = models.BooleanField(_("anonymous"), default=False)
    name = models.CharField(_("name"), max_length=100, blank=True)
    contact = models.CharField(_("phone or e-mail"), max_length=200, blank=True)
    subject = models.CharField(_("subject"), max_length=200)
    text = models.TextField(_("what happened"), max_length=5000)
    created_at = models.DateTimeField(_("received at"), auto_now_add=True, db_index=True)
    ip = models.GenericIPAddressField(null=True, blank=True)
    status = models.CharField(_("status"), max_length=14, choices=STATUSES, default=RECEIVED)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)
    public_note = models.TextField(_("note for the complainant"), blank=True, max_length=2000)
    updated_at = models.DateTimeField(_("last changed"), auto_now=True)

    class Meta:
        ordering = ["-created_at"]
        verbose_name = _("complaint")
        verbose_name_plural = _("complaints")

    def __str__(self):
        return f"{self.code} {self.subject}"

    def save(self, *args, **kwargs):
        """Every change (received, triaged, finished — here or in the admin) refreshes the public
        statistics once it is committed."""
        super().save(*args, **kwargs)
        transaction.on_commit(lambda: pagecache.touch_live(STATISTICS, self.unit.slug))


class ComplaintAttachment(StoredFile):
    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="attachments")
    file = models.FileField(upload_to=attachment_path, max_length=200)
    size = models.PositiveBigIntegerField()


class ComplaintEvent(models.Model):
    """Each triage step, by whom: the complaint's own history, append-only by convention."""

    complaint = models.ForeignKey(Complaint, on_delete=models.PROTECT, related_name="events")
    at = models.DateTimeField(auto_now_add=True)
    by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    status = models.CharField(max_length=14, choices=Complaint.STATUSES)
    note = models.TextField(blank=True)

    class Meta:
        ordering = ["at", "pk"]
