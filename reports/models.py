"""Monthly datasets a unit enters once (operations, statistics, budget, investigation fund,
procurement), and the render jobs that turn them into the OIT evidence files of each month.

Money is Decimal with 2 places (baht and satang), never float.
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import F, Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ita_portal.lib import thaidate
from ita_portal.lib.models import StoredFile
from oit_items.evidence.models import Evidence
from units.models import LineOfWork, Unit

MONEY = {"max_digits": 14, "decimal_places": 2}


class UnitMonth(models.Model):
    """One unit's data for one month (`month` is the first day of it)."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    month = models.DateField(_("month"))
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    updated_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("updated by"))
    # Optimistic concurrency: each save adds one; the data form carries the number it was opened
    # with and a save from an older number is refused with what changed (forms.Editor.save).
    version = models.PositiveIntegerField(_("version"), default=0)

    class Meta:
        abstract = True
        ordering = ["unit", "month"]
        constraints = [models.UniqueConstraint(fields=["unit", "month"], name="%(app_label)s_%(class)s_unique_month")]

    def __str__(self):
        return f"{self.unit} · {thaidate.month_label(self.month)}"

    @property
    def fiscal_year(self) -> int:
        return thaidate.fiscal_year(self.month)


# --- Monthly operations report (O7 police / O6 immigration) -----------------------------------

class OperationsReport(UnitMonth):
    summary = models.TextField(_("summary"), blank=True)

    class Meta(UnitMonth.Meta):
        verbose_name = _("monthly operations report")
        verbose_name_plural = _("monthly operations reports")


class Activity(models.Model):
    report = models.ForeignKey(OperationsReport, on_delete=models.CASCADE, related_name="activities")
    date_from = models.DateField(_("date"))
    date_to = models.DateField(_("until"), null=True, blank=True)
    description = models.TextField(_("activity"))
    line_of_work = models.ForeignKey(LineOfWork, on_delete=models.SET_NULL, null=True, blank=True, verbose_name=_("line of work"))
    responsible = models.CharField(_("responsible unit or officer"), max_length=300, blank=True)

    class Meta:
        ordering = ["report", "date_from", "pk"]
        verbose_name = _("activity")
        verbose_name_plural = _("activities")

    def __str__(self):
        return self.description[:80]


def photo_path(instance, filename):
    return f"reports/photos/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}.{instance.extension}"


def photo_thumbnail_path(instance, filename):
    return f"reports/thumbnails/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}.jpg"


class Photo(StoredFile):
    """A photo of the month's activities, stored as validated (re-encoded, without metadata)."""

    report = models.ForeignKey(OperationsReport, on_delete=models.CASCADE, related_name="photos")
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    file = models.FileField(upload_to=photo_path, max_length=200)
    thumbnail = models.FileField(upload_to=photo_thumbnail_path, max_length=200, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["report", "pk"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self):
        return self.caption or self.original_name


# --- Statistics (O11 police / O10 immigration) -------------------------------------------------

class StatisticsReport(UnitMonth):
    """Counts keyed "table.row.column" as defined in reports/data/statistics/<unit type>.yaml."""

    counts = models.JSONField(_("counts"), default=dict, blank=True)
    note = models.TextField(_("note"), blank=True)

    class Meta(UnitMonth.Meta):
        verbose_name = _("monthly statistics")
        verbose_name_plural = _("monthly statistics")

    def count(self, table: str, row: str, column: str) -> int:
        return int(self.counts.get(f"{table}.{row}.{column}", 0))


# --- Budget (O12 police / O11 immigration) -------------------------------------------------------

class BudgetPlan(models.Model):
    """The year's spending plan: one line per funding source and programme."""

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (BE)"))
    version = models.PositiveIntegerField(_("version"), default=0)  # its lines are edited from every month's page

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "fiscal_year"], name="reports_unique_budget_plan")]
        verbose_name = _("budget plan")
        verbose_name_plural = _("budget plans")

    def __str__(self):
        return f"{self.unit} · {self.fiscal_year}"


class BudgetLine(models.Model):
    SOURCES = [
        ("personnel", _("Personnel budget")),
        ("operating", _("Operating budget")),
        ("investment", _("Investment budget")),
        ("subsidy", _("Subsidy budget")),
        ("other", _("Other expenditure budget")),
        ("off_budget", _("Off-budget funds")),
    ]

    plan = models.ForeignKey(BudgetPlan, on_delete=models.CASCADE, related_name="lines")
    source = models.CharField(_("funding source"), max_length=20, choices=SOURCES)
    description = models.CharField(_("programme or item"), max_length=300)
    planned = models.DecimalField(_("allocated (baht)"), **MONEY)

    class Meta:
        ordering = ["plan", "pk"]
        verbose_name = _("budget line")
        verbose_name_plural = _("budget lines")

    def __str__(self):
        return self.description


class BudgetMonth(UnitMonth):
    problems = models.TextField(_("problems and obstacles"), blank=True)
    suggestions = models.TextField(_("suggestions"), blank=True)

    class Meta(UnitMonth.Meta):
        verbose_name = _("monthly budget report")
        verbose_name_plural = _("monthly budget reports")


class BudgetSpending(models.Model):
    line = models.ForeignKey(BudgetLine, on_delete=models.CASCADE, related_name="spending")
    month = models.DateField(_("month"))
    amount = models.DecimalField(_("spent (baht)"), **MONEY)

    class Meta:
        ordering = ["line", "month"]
        constraints = [models.UniqueConstraint(fields=["line", "month"], name="reports_unique_budget_spending")]


# --- Investigation fund (O13 police / O12 immigration) ------------------------------------------

class FundMonth(UnitMonth):
    """เงินกองทุนเพื่อการสืบสวนและสอบสวนคดีอาญา: what was allocated this month and what was spent."""

    allocated = models.DecimalField(_("allocated this month (baht)"), default=0, **MONEY)
    note = models.TextField(_("note"), blank=True)

    class Meta(UnitMonth.Meta):
        verbose_name = _("investigation fund month")
        verbose_name_plural = _("investigation fund months")


class FundSpending(models.Model):
    fund_month = models.ForeignKey(FundMonth, on_delete=models.CASCADE, related_name="spending")
    date = models.DateField(_("date"))
    description = models.CharField(_("case or purpose"), max_length=500)
    amount = models.DecimalField(_("amount (baht)"), **MONEY)

    class Meta:
        ordering = ["fund_month", "date", "pk"]


# --- Procurement (O14 + O15 police / O13 + O14 immigration) ------------------------------------

class ProcurementMonth(UnitMonth):
    no_procurement = models.BooleanField(_("no procurement this month"), default=False)
    note = models.TextField(_("note"), blank=True)

    class Meta(UnitMonth.Meta):
        verbose_name = _("procurement month")
        verbose_name_plural = _("procurement months")


class Purchase(models.Model):
    """One line of the สขร.๑ monthly summary."""

    METHODS = [
        ("specific", _("Specific method")),
        ("selection", _("Selection method")),
        ("e_market", _("e-market")),
        ("e_bidding", _("e-bidding")),
    ]

    procurement = models.ForeignKey(ProcurementMonth, on_delete=models.CASCADE, related_name="purchases")
    item = models.CharField(_("what was bought or hired"), max_length=500)
    budget = models.DecimalField(_("budget (baht)"), **MONEY)
    reference_price = models.DecimalField(_("reference price (baht)"), null=True, blank=True, **MONEY)
    method = models.CharField(_("method"), max_length=20, choices=METHODS, default="specific")
    winner = models.CharField(_("selected supplier"), max_length=300)
    agreed_price = models.DecimalField(_("agreed price (baht)"), **MONEY)
    reason = models.CharField(_("reason for the selection"), max_length=500, blank=True)
    contract_number = models.CharField(_("contract or agreement number"), max_length=100, blank=True)
    contract_date = models.DateField(_("contract date"), null=True, blank=True)

    class Meta:
        ordering = ["procurement", "pk"]
        verbose_name = _("purchase")
        verbose_name_plural = _("purchases")

    def __str__(self):
        return self.item


class Bid(models.Model):
    purchase = models.ForeignKey(Purchase, on_delete=models.CASCADE, related_name="bids")
    bidder = models.CharField(_("bidder"), max_length=300)
    price = models.DecimalField(_("price offered (baht)"), **MONEY)

    class Meta:
        ordering = ["purchase", "pk"]


class Announcement(models.Model):
    KINDS = [
        ("plan", _("Procurement plan")),
        ("invitation", _("Invitation to bid")),
        ("result", _("Announcement of the winner")),
    ]

    procurement = models.ForeignKey(ProcurementMonth, on_delete=models.CASCADE, related_name="announcements")
    kind = models.CharField(_("kind"), max_length=20, choices=KINDS)
    title = models.CharField(_("title"), max_length=500)
    date = models.DateField(_("date announced"))
    url = models.URLField(_("link"), max_length=1000, blank=True)

    class Meta:
        ordering = ["procurement", "date", "pk"]


# --- Render jobs ----------------------------------------------------------------------------------
# One model for every generated document, whatever app asks for it (monthly reports here, the
# integrity measures' documents and signs in `measures`); the pipeline is reports/jobs.py.

class RenderJobQuerySet(models.QuerySet):
    def for_unit_year(self, unit, fiscal_year: int):
        return self.filter(unit=unit, fiscal_year=fiscal_year)

    def lost(self, now=None):
        """Jobs "running" past their deadline: their worker died (SIGKILL, out of memory, a restart)."""
        deadline = (now or timezone.now()) - timezone.timedelta(seconds=settings.RENDER_JOB_DEADLINE)
        return self.filter(state=RenderJob.RUNNING, started_at__lt=deadline)


class RenderJob(models.Model):
    """One per (kind, unit, month) for monthly kinds and per (kind, unit, fiscal year) for yearly ones:
    running it again replaces its files, never adds more."""

    QUEUED, WAITING, RUNNING, DONE, FAILED = "queued", "waiting", "running", "done", "failed"
    STATES = [(QUEUED, _("Queued")), (WAITING, _("Waiting for the queue")), (RUNNING, _("Running")),
              (DONE, _("Done")), (FAILED, _("Failed"))]
    BADGES = {QUEUED: "secondary", WAITING: "warning", RUNNING: "primary", DONE: "success", FAILED: "danger"}

    kind = models.CharField(_("document"), max_length=40)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    month = models.DateField(_("month"), null=True, blank=True)  # monthly kinds only
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (BE)"))
    state = models.CharField(_("status"), max_length=10, choices=STATES, default=QUEUED)
    progress = models.PositiveSmallIntegerField(_("progress (%)"), default=0)
    error = models.TextField(_("error"), blank=True)
    attempts = models.PositiveIntegerField(_("attempts"), default=0)  # runs in the job's whole life
    # `attempts` when it was last asked for: MAX_ATTEMPTS bounds the runs of one request, not of its life.
    attempts_at_request = models.PositiveIntegerField(default=0, editable=False)
    requested_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+", verbose_name=_("requested by"))
    created_at = models.DateTimeField(_("created at"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)
    started_at = models.DateTimeField(_("started at"), null=True, blank=True)
    finished_at = models.DateTimeField(_("finished at"), null=True, blank=True)

    objects = RenderJobQuerySet.as_manager()

    class Meta:
        ordering = ["unit", "fiscal_year", "month", "kind"]
        constraints = [
            models.UniqueConstraint(fields=["kind", "unit", "month"], condition=Q(month__isnull=False),
                                    name="reports_unique_monthly_render_job"),
            models.UniqueConstraint(fields=["kind", "unit", "fiscal_year"], condition=Q(month__isnull=True),
                                    name="reports_unique_yearly_render_job"),
        ]
        verbose_name = _("render job")
        verbose_name_plural = _("render jobs")

    def __str__(self):
        period = thaidate.month_label(self.month) if self.month else self.fiscal_year
        return f"{self.kind} · {self.unit} · {period}"

    @property
    def active(self) -> bool:
        return self.state in (self.QUEUED, self.WAITING, self.RUNNING)

    @property
    def badge(self) -> str:
        return self.BADGES[self.state]

    def set_fields(self, **fields) -> None:
        """Write at once (autocommit), so that the page polling the job sees its progress."""
        for name, value in fields.items():
            if not isinstance(value, F):
                setattr(self, name, value)
        type(self).objects.filter(pk=self.pk).update(updated_at=timezone.now(), **fields)

    def fail(self, message) -> None:
        self.set_fields(state=self.FAILED, error=str(message), finished_at=timezone.now())


def output_path(instance, filename):
    return f"renders/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}.pdf"


class RenderOutput(models.Model):
    """What a job produced under a key ("pdf", "xlsx", "photo-12"): draft evidence, or a private file
    (the measures' signs). Replaced on re-run."""

    job = models.ForeignKey(RenderJob, on_delete=models.CASCADE, related_name="outputs")
    key = models.CharField(max_length=40)
    evidence = models.ForeignKey(Evidence, on_delete=models.PROTECT, null=True, blank=True, related_name="+")
    file = models.FileField(upload_to=output_path, max_length=200, blank=True)
    file_name = models.CharField(max_length=255, blank=True)
    sha256 = models.CharField(max_length=64, blank=True)

    class Meta:
        ordering = ["job", "key"]
        constraints = [models.UniqueConstraint(fields=["job", "key"], name="reports_unique_render_output")]
