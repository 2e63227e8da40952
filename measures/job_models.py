"""Render jobs of the measures app and the record of reminders sent (imported by models.py).

The reports app's RenderJob is one per (kind, unit, *month*) and its kinds are a closed registry;
the measures documents and signs are one per (kind, unit, *fiscal year*), so they get this small
job model with the same behaviour: re-running replaces, never duplicates.
"""

import uuid

from django.db import models
from django.utils.translation import gettext_lazy as _

from oit_items.models import Evidence
from reports.job_base import RenderJobBase
from units.models import Unit


class RenderJob(RenderJobBase):
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

    kind = models.CharField(_("document"), max_length=30, choices=KINDS)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (BE)"))

    class Meta(RenderJobBase.Meta):
        ordering = ["unit", "fiscal_year", "kind"]
        constraints = [models.UniqueConstraint(fields=["kind", "unit", "fiscal_year"], name="measures_unique_render_job")]
        verbose_name = _("measures render job")
        verbose_name_plural = _("measures render jobs")

    def __str__(self):
        return f"{self.get_kind_display()} · {self.unit} · {self.fiscal_year}"

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
