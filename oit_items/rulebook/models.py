"""The rulebook: frameworks per unit type and fiscal year, their items and rules, the editor's drafts
and the record of each published version."""

import datetime

from django.conf import settings
from django.db import models, transaction
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from ita_portal.lib import thaidate
from oit_items.rulebook import rules as rule_types
from oit_items.rulebook import scoring as scoring_rules
from oit_items.rulebook import signals
from units.models import Unit, UnitType


class Framework(models.Model):
    """The list of OIT items one unit type must publish in one fiscal year."""

    unit_type = models.ForeignKey(UnitType, on_delete=models.PROTECT, related_name="frameworks", verbose_name=_("unit type"))
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (BE)"))
    version = models.PositiveIntegerField(_("version"), default=1)
    title_th = models.CharField(_("Thai title"), max_length=300)
    title_en = models.CharField(_("English title"), max_length=300, blank=True)
    source = models.TextField(_("source"), blank=True)
    data_file = models.CharField(_("data file"), max_length=200, blank=True)
    cloned_from = models.ForeignKey(
        "self", on_delete=models.SET_NULL, null=True, blank=True, related_name="clones", verbose_name=_("cloned from")
    )
    # A year opened by copying the previous one before the NACC published its criteria.
    provisional = models.BooleanField(_("criteria copied, awaiting the NACC's"), default=False)
    # How the year is scored (pass mark, the assessment calendar): data, see scoring.py.
    scoring = models.JSONField(_("scoring"), default=dict, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords(excluded_fields=["updated_at"])

    class Meta:
        ordering = ["-fiscal_year", "unit_type"]
        constraints = [models.UniqueConstraint(fields=["unit_type", "fiscal_year"], name="unique_framework")]
        verbose_name = _("framework")
        verbose_name_plural = _("frameworks")

    def __str__(self):
        return f"{self.unit_type} {self.fiscal_year}"

    @property
    def scoring_rules(self) -> dict:
        """The year's scoring, complete (defaults where the data file says nothing)."""
        return scoring_rules.normalise_framework(self.scoring, self.fiscal_year)

    @property
    def pass_mark(self) -> float:
        return self.scoring_rules["pass_mark"]

    @property
    def deadline(self) -> datetime.date:
        """The end of the OIT reporting phase: what is published by then is what the assessors read."""
        return datetime.date.fromisoformat(self.scoring_rules["deadline"])

    @property
    def window(self) -> tuple[datetime.date, datetime.date]:
        """The days the year's evidence must be about."""
        window = self.scoring_rules["window"]
        return datetime.date.fromisoformat(window["from"]), datetime.date.fromisoformat(window["to"])

    @property
    def appeal_window(self) -> tuple[datetime.date, datetime.date] | None:
        appeal = self.scoring_rules.get("appeal")
        return (datetime.date.fromisoformat(appeal["from"]), datetime.date.fromisoformat(appeal["to"])) if appeal else None

    @property
    def criteria_year(self) -> int | None:
        """While the year's criteria are copied (provisional): the fiscal year whose criteria its texts
        are — the copy's source, or its source's source when that was a copy too. None otherwise."""
        if not self.provisional:
            return None
        source = self.cloned_from
        while source is not None and source.provisional and source.cloned_from_id:
            source = source.cloned_from
        return source.fiscal_year if source is not None else None

    @transaction.atomic
    def clone_to(self, fiscal_year: int, provisional: bool = False) -> "Framework":
        """Copy this framework and its items into `fiscal_year` (announced: every unit's assignments follow).

        In bulk: a fixed number of statements whatever the number of units (39,000 national
        assignments). Idempotent: cloning again into a year already cloned from this framework
        returns that copy unchanged (a retried background job must not fail or duplicate anything).
        """
        existing = Framework.objects.filter(unit_type=self.unit_type, fiscal_year=fiscal_year).first()
        if existing is not None:
            if existing.cloned_from_id == self.pk:
                return existing
            raise FrameworkExists(existing)
        years = fiscal_year - self.fiscal_year
        source = (f"criteria copied from {self.fiscal_year}, to be updated when the NACC publishes" if provisional
                  else f"cloned from {self.fiscal_year} v{self.version}")
        clone = Framework.objects.create(
            unit_type=self.unit_type, fiscal_year=fiscal_year, version=1, title_th=self.title_th,
            title_en=self.title_en, source=source, cloned_from=self, provisional=provisional,
            scoring=scoring_rules.shift_years(self.scoring_rules, years),
        )
        items = list(self.items.filter(retired=False).order_by("number"))
        copies = [Item(framework=clone, **{f: getattr(item, f) for f in Item.COPIED_FIELDS},
                       rules=rule_types.shift_years(item.rules, years)) for item in items]
        Item.objects.bulk_create(copies)
        # The evidence workflow copies every unit's assignments (receivers.copy_assignments), in this transaction.
        signals.items_copied.send(sender=Framework, item_ids={old.pk: new.pk for old, new in zip(items, copies)})
        return clone


class FrameworkExists(Exception):
    def __init__(self, framework):
        self.framework = framework
        super().__init__(f"a framework for {framework.unit_type.code} {framework.fiscal_year} already exists")


class ItemQuerySet(models.QuerySet):
    def for_unit(self, unit: Unit, fiscal_year: int):
        """The items a unit must publish in a fiscal year, in order."""
        return self.filter(
            framework__unit_type_id=unit.unit_type_id, framework__fiscal_year=fiscal_year, retired=False
        ).order_by("number")


class Item(models.Model):
    framework = models.ForeignKey(Framework, on_delete=models.PROTECT, related_name="items", verbose_name=_("framework"))
    code = models.CharField(_("code"), max_length=8)
    number = models.PositiveSmallIntegerField(_("number"))
    topic = models.SlugField(_("topic"), max_length=40, help_text=_("The same key across unit types (e.g. complaints)."))
    seed_title = models.CharField(_("title as printed in the source"), max_length=400, blank=True)
    title_th = models.CharField(_("Thai title"), max_length=300)
    title_en = models.CharField(_("English title"), max_length=300, blank=True)
    guidance_th = models.TextField(_("guidance (Thai)"), blank=True)
    guidance_en = models.TextField(_("guidance (English)"), blank=True)
    sub_requirements = models.JSONField(_("sub-requirements"), default=list, blank=True)
    rules = models.JSONField(_("rules"), default=list, blank=True)
    # Its points in the OIT score and the data the portal holds for it: data, see scoring.py.
    scoring = models.JSONField(_("scoring"), default=dict, blank=True)
    retired = models.BooleanField(_("retired"), default=False, help_text=_("No longer in the data file; kept for what is attached to it."))

    objects = ItemQuerySet.as_manager()
    history = HistoricalRecords()

    # What a clone copies as it is (rules are copied with their dates moved by the years between).
    COPIED_FIELDS = ("code", "number", "topic", "seed_title", "title_th", "title_en", "guidance_th", "guidance_en",
                     "sub_requirements", "scoring")

    class Meta:
        ordering = ["framework", "number"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="unique_item_code")]
        verbose_name = _("OIT item")
        verbose_name_plural = _("OIT items")

    def __str__(self):
        return f"{self.code} {self.title_th}"

    @property
    def points(self) -> int:
        return scoring_rules.normalise_item(self.scoring)["points"]

    @property
    def dated(self) -> bool:
        """Must its evidence be about a day inside the year's window? Not for documents dated when they
        were issued (laws, manuals, standing criteria): data, see scoring.py."""
        return scoring_rules.normalise_item(self.scoring)["dated"]

    @property
    def portal_data(self) -> list[str]:
        """What the portal itself holds for this item and must be complete (contacts, executives, statistics)."""
        return scoring_rules.normalise_item(self.scoring)["portal_data"]

    def rule(self, rule_type: str):
        return next((r for r in self.rules if r["type"] == rule_type), None)

    @property
    def months(self) -> list[int]:
        """Calendar months that need their own evidence (Oct–Mar for monthly items), else []."""
        periods = self.rule("periods")
        return list(periods["months"]) if periods else []

    @property
    def is_monthly(self) -> bool:
        return bool(self.months)

    @property
    def period_months(self) -> list:
        """The item's periods in its fiscal year: the first day of each of its months, or [None]
        (the whole year)."""
        return thaidate.fiscal_year_months(self.framework.fiscal_year, self.months) if self.months else [None]

    # How far a period is on a given day (`timing`): the one rule every page that shows a period's
    # status follows, so that a month not yet begun is never shown as failing.
    NOT_DUE, IN_PROGRESS, DUE = "not_due", "in_progress", "due"

    def timing(self, month: datetime.date | None, today: datetime.date) -> str:
        """NOT_DUE: the period has not begun (its month, or its fiscal year, starts after `today`);
        IN_PROGRESS: begun, and `today` is not past its due date; DUE: its due date has passed."""
        start = month or thaidate.fiscal_year_bounds(self.framework.fiscal_year)[0]
        if start > today:
            return self.NOT_DUE
        return self.IN_PROGRESS if today <= self.due_date(month) else self.DUE

    def due_date(self, month: datetime.date | None) -> datetime.date:
        """When a period is due: a month on a fixed day of the month after; the whole year on a
        fixed day near the end of the fiscal year."""
        if month is None:
            end_year = thaidate.ce_year(self.framework.fiscal_year)
            return datetime.date(end_year, settings.ITA_ITEM_DUE_MONTH, settings.ITA_ITEM_DUE_DAY)
        following = datetime.date(month.year + month.month // 12, month.month % 12 + 1, 1)
        return following.replace(day=settings.ITA_MONTHLY_DUE_DAY)

    @property
    def none_allowed(self) -> bool:
        """May a period be closed with an explicit "none this period" (no procurement, no complaints)?"""
        periods = self.rule("periods")
        return bool(periods and periods.get("none_allowed"))



class FrameworkDraft(models.Model):
    """The items of a framework being edited, in the data files' own shape (oit_items/rulebook/frameworks/
    README.md): units keep working on the published version until the draft is published."""

    framework = models.OneToOneField("oit_items.Framework", on_delete=models.CASCADE, related_name="draft",
                                     verbose_name=_("framework"))
    base_version = models.PositiveIntegerField(_("edited from version"))
    items = models.JSONField(_("items"), default=list)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
                                   verbose_name=_("last edited by"))
    updated_at = models.DateTimeField(_("last edited"), auto_now=True)

    class Meta:
        verbose_name = _("framework draft")
        verbose_name_plural = _("framework drafts")

    def __str__(self):
        return f"{self.framework} (draft)"

    def item(self, code: str) -> dict | None:
        return next((entry for entry in self.items if entry["code"] == code), None)


class FrameworkRelease(models.Model):
    """One version published from the editor: what changed, for the units to read."""

    framework = models.ForeignKey("oit_items.Framework", on_delete=models.CASCADE, related_name="releases",
                                  verbose_name=_("framework"))
    version = models.PositiveIntegerField(_("version"))
    published_at = models.DateTimeField(_("published at"), auto_now_add=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+",
                                     verbose_name=_("published by"))
    note = models.TextField(_("note to the units"), blank=True)
    changes = models.JSONField(_("changes"), default=list)
    final = models.BooleanField(_("the NACC's published criteria"), default=False)

    class Meta:
        ordering = ["framework", "-version"]
        constraints = [models.UniqueConstraint(fields=["framework", "version"], name="unique_framework_release")]
        verbose_name = _("framework release")
        verbose_name_plural = _("framework releases")

    def __str__(self):
        return f"{self.framework} v{self.version}"
