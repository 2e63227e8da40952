from django.db import models, transaction
from django.utils.translation import gettext_lazy as _

from units.models import Officer, Unit, UnitType

from . import rules as rule_types


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
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["-fiscal_year", "unit_type"]
        constraints = [models.UniqueConstraint(fields=["unit_type", "fiscal_year"], name="unique_framework")]
        verbose_name = _("framework")
        verbose_name_plural = _("frameworks")

    def __str__(self):
        return f"{self.unit_type} {self.fiscal_year}"

    @transaction.atomic
    def clone_to(self, fiscal_year: int) -> "Framework":
        """Copy this framework, its items and every unit's assignments into `fiscal_year`.

        Idempotent: cloning again into a year already cloned from this framework returns that
        copy unchanged (a retried background job must not fail or duplicate anything).
        """
        existing = Framework.objects.filter(unit_type=self.unit_type, fiscal_year=fiscal_year).first()
        if existing is not None:
            if existing.cloned_from_id == self.pk:
                return existing
            raise FrameworkExists(existing)
        years = fiscal_year - self.fiscal_year
        clone = Framework.objects.create(
            unit_type=self.unit_type, fiscal_year=fiscal_year, version=1, title_th=self.title_th,
            title_en=self.title_en, source=f"cloned from {self.fiscal_year} v{self.version}", cloned_from=self,
        )
        new_items = {}
        for item in self.items.filter(retired=False):
            old_pk = item.pk
            item.pk = None
            item.framework = clone
            item.rules = rule_types.shift_years(item.rules, years)
            item.save()
            new_items[old_pk] = item
        self._clone_assignments(new_items)
        return clone

    def _clone_assignments(self, new_items):
        old = Assignment.objects.filter(item__in=list(new_items)).prefetch_related("responsible", "controllers")
        for assignment in old:
            copy = Assignment.objects.create(unit_id=assignment.unit_id, item=new_items[assignment.item_id])
            copy.responsible.set([o for o in assignment.responsible.all() if o.is_active])
            copy.controllers.set([o for o in assignment.controllers.all() if o.is_active])


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
    retired = models.BooleanField(_("retired"), default=False, help_text=_("No longer in the data file; kept for what is attached to it."))

    objects = ItemQuerySet.as_manager()

    class Meta:
        ordering = ["framework", "number"]
        constraints = [models.UniqueConstraint(fields=["framework", "code"], name="unique_item_code")]
        verbose_name = _("OIT item")
        verbose_name_plural = _("OIT items")

    def __str__(self):
        return f"{self.code} {self.title_th}"

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


class AssignmentQuerySet(models.QuerySet):
    def for_unit(self, unit: Unit, fiscal_year: int):
        return (
            self.filter(unit=unit, item__framework__fiscal_year=fiscal_year)
            .select_related("item")
            .prefetch_related("responsible", "controllers")
            .order_by("item__number")
        )

    def of_officer(self, officer: Officer):
        return self.filter(models.Q(responsible=officer) | models.Q(controllers=officer)).distinct()

    @transaction.atomic
    def reassign(self, leaver: Officer, successor: Officer) -> int:
        """Hand every item of `leaver` (as responsible or controller) to `successor`; return the count."""
        if leaver.unit_id != successor.unit_id:
            raise ValueError("the successor must serve in the same unit")
        touched = set()
        for relation in ("responsible", "controllers"):
            for assignment in self.filter(**{relation: leaver}):
                getattr(assignment, relation).remove(leaver)
                getattr(assignment, relation).add(successor)
                touched.add(assignment.pk)
        return len(touched)


class Assignment(models.Model):
    """Who prepares (ผู้รับผิดชอบ) and who checks (ผู้ควบคุม) one item for one unit."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("unit"))
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("OIT item"))
    responsible = models.ManyToManyField(Officer, blank=True, related_name="responsible_for", verbose_name=_("responsible officers"))
    # The seeds name one controller per item for the police station and two for the immigration unit.
    controllers = models.ManyToManyField(Officer, blank=True, related_name="controls", verbose_name=_("controllers"))

    objects = AssignmentQuerySet.as_manager()

    class Meta:
        ordering = ["unit", "item__number"]
        constraints = [models.UniqueConstraint(fields=["unit", "item"], name="unique_assignment")]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")

    def __str__(self):
        return f"{self.unit} · {self.item.code}"
