"""Render jobs of the measures app and the record of reminders sent (imported by models.py).

The reports app's RenderJob is one per (kind, unit, *month*) and its kinds are a closed registry;
the measures documents and signs are one per (kind, unit, *fiscal year*), so they get this small
job model with the same behaviour: re-running replaces, never duplicates.
"""

import uuid

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from oit_items.models import Evidence
from units.models import Unit


class RenderJob(models.Model):
    MEASURES_DOCUMENT = "measures_document"
    PROGRESS_REPORT = "progress_report"
    SIGN_NO_GIFT_TH = "sign_no_gift_th"
    SIGN_NO_GIFT_EN = "sign_no_gift_en"
    SIGN_MANUAL = "sign_manual"
    SIGN_EIT = "sign_eit"
    KINDS = [
        (MEASURES_DOCUMENT, _("Integrity measures document")),
        (PROGRESS_REPORT, _("Report on the measures")),
        (SIGN_NO_GIFT_TH, _("No Gift Policy sign (Thai)")),
        (SIGN_NO_GIFT_EN, _("No Gift Policy sign (English)")),
        (SIGN_MANUAL, _("“Download the service manual” sign")),
        (SIGN_EIT, _("EIT survey sign")),
    ]
    DOCUMENTS = (MEASURES_DOCUMENT, PROGRESS_REPORT)
    SIGNS = (SIGN_NO_GIFT_TH, SIGN_NO_GIFT_EN, SIGN_MANUAL, SIGN_EIT)

    QUEUED, RUNNING, DONE, FAILED = "queued", "running", "done", "failed"
    STATES = [(QUEUED, _("Queued")), (RUNNING, _("Running")), (DONE, _("Done")), (FAILED, _("Failed"))]
    BADGES = {QUEUED: "secondary", RUNNING: "primary", DONE: "success", FAILED: "danger"}

    kind = models.CharField(_("document"), max_length=30, choices=KINDS)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (BE)"))
    state = models.CharField(_("status"), max_length=10, choices=STATES, default=QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("requested by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    class Meta:
        ordering = ["unit", "fiscal_year", "kind"]
        constraints = [models.UniqueConstraint(fields=["kind", "unit", "fiscal_year"], name="measures_unique_render_job")]
        verbose_name = _("measures render job")
        verbose_name_plural = _("measures render jobs")

    def __str__(self):
        return f"{self.get_kind_display()} · {self.unit} · {self.fiscal_year}"

    @property
    def active(self) -> bool:
        return self.state in (self.QUEUED, self.RUNNING)

    @property
    def badge(self) -> str:
        return self.BADGES[self.state]

    @property
    def is_sign(self) -> bool:
        return self.kind in self.SIGNS

    def run(self):
        from . import jobs

        return jobs.run(self)


def output_path(instance, filename):
    return f"measures/outputs/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}.pdf"


class RenderOutput(models.Model):
    """What a job produced under a key ("pdf", "docx"): draft evidence for documents, a private
    file for signs. Replaced on re-run."""

    job = models.ForeignKey(RenderJob, on_delete=models.CASCADE, related_name="outputs")
    key = models.CharField(max_length=20)
    evidence = models.ForeignKey(Evidence, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    file = models.FileField(upload_to=output_path, max_length=200, blank=True)
    file_name = models.CharField(max_length=255, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["job", "key"]
        constraints = [models.UniqueConstraint(fields=["job", "key"], name="measures_unique_render_output")]


class ReminderSent(models.Model):
    """One reminder e-mail per recipient, unit and day, however often the task runs."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    email = models.EmailField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "day", "email"], name="measures_unique_reminder")]
