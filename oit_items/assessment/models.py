"""The assessment of a unit's year, after "published": the predicted verdict of each item and the
predicted score (stored, like readiness, so headquarters add rows up), the record as submitted to ITAP
(frozen, never changed but by a PDPA takedown), the assessors' verdicts and the appeal."""

from django.conf import settings
from django.db import models
from django.utils.translation import gettext_lazy as _

from oit_items.evidence.models import Revision
from oit_items.rulebook.models import Item
from units.models import Unit

HAS, HASNT = "has", "hasnt"
VERDICTS = [(HAS, _("has (มี)")), (HASNT, _("hasn't (ไม่มี)"))]


class ItemVerdict(models.Model):
    """The predicted verdict of one item of one unit: "has" only when an assessor would find it, with
    the reasons in Thai, the next step and who holds it ("reasons": [{"reason", "next_step", "holder"}])."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="item_verdicts", verbose_name=_("unit"))
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="verdicts", verbose_name=_("OIT item"))
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (BE)"))
    verdict = models.CharField(_("predicted verdict"), max_length=5, choices=VERDICTS, default=HASNT)
    points = models.PositiveSmallIntegerField(_("points"), default=1)
    reasons = models.JSONField(_("reasons"), default=list, blank=True)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "item"], name="assessment_unique_item_verdict")]
        indexes = [models.Index(fields=["fiscal_year", "unit"], name="verdict_year_unit")]
        verbose_name = _("predicted item verdict")
        verbose_name_plural = _("predicted item verdicts")

    def __str__(self):
        return f"{self.unit_id} · {self.item_id}: {self.verdict}"


class UnitScore(models.Model):
    """The predicted OIT score of one unit in one fiscal year (0-100), from its items' verdicts and points."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="scores", verbose_name=_("unit"))
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (BE)"))
    score = models.DecimalField(_("predicted score"), max_digits=5, decimal_places=2, default=0)
    pass_mark = models.DecimalField(_("pass mark"), max_digits=5, decimal_places=2, default=85)
    items = models.PositiveSmallIntegerField(_("items"), default=0)
    items_has = models.PositiveSmallIntegerField(_("items it has"), default=0)
    computed_at = models.DateTimeField(_("computed at"))

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "fiscal_year"], name="assessment_unique_unit_score")]
        indexes = [models.Index(fields=["fiscal_year", "score"], name="score_year_score")]
        verbose_name = _("predicted score")
        verbose_name_plural = _("predicted scores")

    def __str__(self):
        return f"{self.unit_id} {self.fiscal_year}: {self.score}"

    @property
    def passes(self) -> bool:
        return self.score >= self.pass_mark


class ItapRecord(models.Model):
    """What a unit's year looked like when it went to ITAP: frozen when the commander submits, or at
    the end of the OIT reporting phase for a unit not yet frozen. Never changed afterwards."""

    SUBMITTED, DEADLINE, COMMAND = "submitted", "deadline", "command"
    TRIGGERS = [(SUBMITTED, _("submitted by the commander")), (DEADLINE, _("end of the OIT reporting phase")),
                (COMMAND, _("frozen by an administrator"))]

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="itap_records", verbose_name=_("unit"))
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (BE)"))
    frozen_at = models.DateTimeField(_("frozen at"))
    frozen_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                  related_name="+", verbose_name=_("frozen by"))
    frozen_by_name = models.CharField(_("frozen by"), max_length=200, blank=True)
    trigger = models.CharField(_("how"), max_length=10, choices=TRIGGERS)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "fiscal_year"], name="assessment_unique_itap_record")]
        verbose_name = _("ITAP record")
        verbose_name_plural = _("ITAP records")

    def __str__(self):
        return f"{self.unit_id} {self.fiscal_year} @ {self.frozen_at:%Y-%m-%d %H:%M}"


class FrozenItem(models.Model):
    """One item of a frozen record as an assessor saw it: the page's content (titles, requirements,
    every period's published evidence) in `content`, and the live URL ITAP holds."""

    record = models.ForeignKey(ItapRecord, on_delete=models.PROTECT, related_name="items", verbose_name=_("record"))
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+", verbose_name=_("OIT item"))
    code = models.CharField(_("code"), max_length=8)
    number = models.PositiveSmallIntegerField(_("number"))
    title_th = models.CharField(_("Thai title"), max_length=300)
    live_url = models.CharField(_("live address"), max_length=300)
    content = models.JSONField(_("content"), default=dict)

    class Meta:
        ordering = ["record", "number"]
        constraints = [models.UniqueConstraint(fields=["record", "item"], name="assessment_unique_frozen_item")]
        verbose_name = _("frozen item")
        verbose_name_plural = _("frozen items")

    def __str__(self):
        return f"{self.record} · {self.code}"


class FrozenFile(models.Model):
    """A file as it was on a frozen item's page: referenced, not copied (revisions never change), with
    its name, size and SHA-256. A PDPA takedown removes it from the record and leaves when and why."""

    frozen_item = models.ForeignKey(FrozenItem, on_delete=models.PROTECT, related_name="files", verbose_name=_("frozen item"))
    revision = models.ForeignKey(Revision, on_delete=models.PROTECT, related_name="+", verbose_name=_("file"))
    month = models.DateField(_("month"), null=True, blank=True)
    original_name = models.CharField(_("file name"), max_length=255)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64)
    taken_down_at = models.DateTimeField(_("taken down at"), null=True, blank=True)
    takedown_reason = models.TextField(_("why it was taken down"), blank=True)

    class Meta:
        ordering = ["frozen_item", "month", "pk"]
        constraints = [models.UniqueConstraint(fields=["frozen_item", "revision"], name="assessment_unique_frozen_file")]
        verbose_name = _("frozen file")
        verbose_name_plural = _("frozen files")

    def __str__(self):
        return self.original_name


class AssessedItem(models.Model):
    """The assessors' verdict on one item of one unit: the preliminary result, then the final one."""

    TYPED, IMPORTED = "typed", "imported"

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="assessed_items", verbose_name=_("unit"))
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="+", verbose_name=_("OIT item"))
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (BE)"))
    preliminary = models.CharField(_("preliminary result"), max_length=5, choices=VERDICTS, blank=True)
    final = models.CharField(_("final result"), max_length=5, choices=VERDICTS, blank=True)
    assessor_note = models.TextField(_("the assessors' remark"), blank=True)
    source = models.CharField(_("entered"), max_length=8, choices=[(TYPED, _("typed")), (IMPORTED, _("imported"))], default=TYPED)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
                                   verbose_name=_("entered by"))
    updated_at = models.DateTimeField(_("entered at"), auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "item"], name="assessment_unique_assessed_item")]
        indexes = [models.Index(fields=["fiscal_year", "unit"], name="assessed_year_unit")]
        verbose_name = _("assessed item")
        verbose_name_plural = _("assessed items")

    def __str__(self):
        return f"{self.unit_id} · {self.item_id}: {self.preliminary}/{self.final}"


class Clarification(models.Model):
    """The appeal of one disputed item (preliminary "hasn't"): drafted by its responsible officer in the
    appeal window, pointing at the item's frozen record, approved by the commander."""

    DRAFT, APPROVED = "draft", "approved"
    STATES = [(DRAFT, _("Draft")), (APPROVED, _("Approved"))]

    assessed = models.OneToOneField(AssessedItem, on_delete=models.PROTECT, related_name="clarification",
                                    verbose_name=_("assessed item"))
    frozen_item = models.ForeignKey(FrozenItem, on_delete=models.PROTECT, null=True, blank=True, related_name="+",
                                    verbose_name=_("frozen item"))
    text = models.TextField(_("clarification"))
    state = models.CharField(_("status"), max_length=10, choices=STATES, default=DRAFT)
    drafted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("drafted by"))
    drafted_at = models.DateTimeField(_("drafted at"), auto_now=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True,
                                    related_name="+", verbose_name=_("approved by"))
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    version = models.PositiveIntegerField(_("version"), default=1)

    class Meta:
        verbose_name = _("clarification")
        verbose_name_plural = _("clarifications (appeal)")

    def __str__(self):
        return f"{self.assessed} ({self.state})"
