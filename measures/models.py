"""A unit's integrity measures for one fiscal year (the O24 police / O23 immigration document) as
data: the head's briefing, One Stop Service and OIT improvements, the ITA indicator analysis and
activity plan, the assessment calendar and the EIT/IIT quotas; with the progress of every measure
and activity (the O25 / O24 report).

People are kept twice on purpose: `people` is the ผู้รับผิดชอบ cell exactly as the unit writes it
(groups such as "หัวหน้างานทุกสายงาน" included), and `responsible` / `controllers` link the named
officers, for reminders and for "assigned to me".
"""

import uuid

from django.conf import settings
from django.db import models
from django.db.models import Q
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from ita_portal.lib.models import StoredFile
from measures import indicators
from measures.people import replace_name
from oit_items.rulebook.models import Item
from units.models import LineOfWork, Officer, Unit


class MeasurePlan(models.Model):
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="measure_plans", verbose_name=_("unit"))
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (BE)"))
    title = models.CharField(_("title"), max_length=300)
    thai_digits = models.BooleanField(_("print dates and numbers with Thai digits"), default=False)
    introduction = models.TextField(_("introduction"), blank=True)

    briefing_heading = models.TextField(_("heading of the briefing section"), blank=True)
    briefing_date = models.DateField(_("date of the head's briefing"), null=True, blank=True)
    briefing_place = models.CharField(_("place of the briefing"), max_length=300, blank=True)
    briefing_chair = models.CharField(_("chair of the briefing (as printed)"), max_length=300, blank=True)
    briefing_chair_officer = models.ForeignKey(
        Officer, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("chair (officer)"))
    briefing_title = models.TextField(_("caption of the briefing"), blank=True)
    briefing_purpose = models.TextField(_("purpose of the briefing"), blank=True)
    briefing_follow_up = models.TextField(_("rehearsal and follow-up"), blank=True)

    order_title = models.TextField(_("working-group order"), blank=True)
    order_number = models.CharField(_("order number"), max_length=100, blank=True)
    order_date = models.DateField(_("order date"), null=True, blank=True)

    analysis_heading = models.TextField(_("heading of the indicator analysis"), blank=True)
    analysis_intro = models.TextField(_("introduction to the indicator analysis"), blank=True)
    measures_heading = models.TextField(_("heading of the measures"), blank=True)
    measures_intro = models.TextField(_("introduction to the measures"), blank=True)
    guidelines_heading = models.TextField(_("heading of the guidelines"), blank=True)
    oss_heading = models.TextField(_("heading of One Stop Service"), blank=True)
    oit_heading = models.TextField(_("heading of OIT publishing"), blank=True)
    oit_items_label = models.CharField(_("label of the OIT item rows"), max_length=200, blank=True)
    website_label = models.CharField(_("label of the website rows"), max_length=200, blank=True)
    monitoring_label = models.CharField(_("label of the monitoring rows"), max_length=200, blank=True)
    activities_heading = models.TextField(_("heading of the activity plan"), blank=True)
    calendar_heading = models.TextField(_("heading of the assessment calendar"), blank=True)
    print_calendar = models.BooleanField(_("print the calendar in the measures document"), default=True)
    closing_note = models.TextField(_("closing note"), blank=True)
    signature = models.TextField(_("signature block"), blank=True)

    eit_survey_url = models.URLField(_("EIT survey address"), max_length=500, blank=True,
                                     help_text=_("Where the public answers the EIT survey; printed as a QR code on the EIT sign."))
    no_gift_text_th = models.TextField(_("No Gift Policy statement (Thai)"), blank=True)
    no_gift_text_en = models.TextField(_("No Gift Policy statement (English)"), blank=True)

    source = models.CharField(_("loaded from"), max_length=200, blank=True, editable=False)
    data_version = models.PositiveIntegerField(_("data file version"), default=0, editable=False)
    updated_at = models.DateTimeField(_("updated at"), auto_now=True)

    class Meta:
        ordering = ["unit", "-fiscal_year"]
        constraints = [models.UniqueConstraint(fields=["unit", "fiscal_year"], name="measures_unique_plan")]
        verbose_name = _("integrity measures plan")
        verbose_name_plural = _("integrity measures plans")

    def __str__(self):
        return f"{self.unit} · {self.fiscal_year}"


class People(models.Model):
    """Who: the cell as printed, and the officers it names."""

    people = models.TextField(_("responsible (as written)"), blank=True)
    responsible = models.ManyToManyField(Officer, blank=True, related_name="%(class)s_responsible",
                                         verbose_name=_("responsible officers"))
    controllers = models.ManyToManyField(Officer, blank=True, related_name="%(class)s_controlled",
                                         verbose_name=_("controllers"))

    class Meta:
        abstract = True

    def rename_in_text(self, leaver, successor) -> None:
        """Handover: the cell as written names the successor where it named the leaver."""
        renamed = replace_name(self.people, leaver, successor)
        if renamed != self.people:
            self.people = renamed
            self.save(update_fields=["people"])


class TrackedQuerySet(models.QuerySet):
    def for_plan_page(self):
        return self.prefetch_related("responsible", "controllers")

    def open(self):
        return self.exclude(status=Tracked.DONE)

    def overdue(self, today):
        return self.open().filter(deadline__lt=today)


class Tracked(People):
    """Something with a deadline and a status, followed by progress updates."""

    NOT_STARTED, IN_PROGRESS, DONE = "not_started", "in_progress", "done"
    STATUSES = [(NOT_STARTED, _("Not started")), (IN_PROGRESS, _("In progress")), (DONE, _("Completed"))]
    STATUS_TH = {NOT_STARTED: "ยังไม่ดำเนินการ", IN_PROGRESS: "อยู่ระหว่างดำเนินการ", DONE: "ดำเนินการแล้วเสร็จ"}
    BADGES = {NOT_STARTED: "secondary", IN_PROGRESS: "primary", DONE: "success"}

    key = models.SlugField(_("key"), max_length=60, help_text=_("Stable identifier within the plan (data files)."))
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    deadline = models.DateField(_("deadline"), null=True, blank=True)
    deadline_note = models.CharField(_("deadline (as written)"), max_length=300, blank=True,
                                     help_text=_("What the plan says besides or instead of a date, e.g. “every day”."))
    status = models.CharField(_("status"), max_length=12, choices=STATUSES, default=NOT_STARTED)
    status_changed_at = models.DateTimeField(_("status changed at"), null=True, blank=True)

    objects = TrackedQuerySet.as_manager()

    class Meta:
        abstract = True

    @property
    def overdue(self) -> bool:
        """Deadline passed and not done: the row that must stand out."""
        return bool(self.deadline and self.status != self.DONE and self.deadline < timezone.localdate())

    @property
    def badge(self) -> str:
        return self.BADGES[self.status]


class Measure(Tracked):
    """One row of a measures table: a One Stop Service aspect, an OIT item, a website or a
    monitoring improvement (ด้าน | ประเด็นที่ต้องปรับปรุง | ผู้รับผิดชอบ)."""

    ONE_STOP, OIT, WEBSITE, MONITORING = "oss", "oit", "website", "monitoring"
    AREAS = [(ONE_STOP, _("One Stop Service")), (OIT, _("OIT publishing")), (WEBSITE, _("Website")),
             (MONITORING, _("Monitoring of publishing"))]

    plan = models.ForeignKey(MeasurePlan, on_delete=models.CASCADE, related_name="measures", verbose_name=_("plan"))
    area = models.CharField(_("area"), max_length=12, choices=AREAS)
    kind = models.CharField(_("service-point improvement"), max_length=20, blank=True,
                            choices=indicators.choices(indicators.SERVICE_POINT_KINDS))
    code = models.CharField(_("OIT item code"), max_length=8, blank=True)
    item = models.ForeignKey(Item, on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                             verbose_name=_("OIT item"))
    aspect = models.TextField(_("aspect"))
    points = models.TextField(_("points to improve"), blank=True)

    class Meta:
        ordering = ["plan", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["plan", "key"], name="measures_unique_measure_key")]
        verbose_name = _("measure")
        verbose_name_plural = _("measures")

    def __str__(self):
        return f"{self.code} {self.aspect}".strip()[:120]


class Activity(Tracked):
    """One row of the activity plan per ITA indicator (police)."""

    plan = models.ForeignKey(MeasurePlan, on_delete=models.CASCADE, related_name="activities", verbose_name=_("plan"))
    indicator = models.PositiveSmallIntegerField(_("ITA indicator"), choices=indicators.INDICATOR_CHOICES)
    issue = models.TextField(_("issue to prepare or raise"), blank=True)
    activity = models.TextField(_("activity"))
    output = models.TextField(_("output"), blank=True)
    communication = models.TextField(_("how it is communicated"), blank=True)
    follow_up = models.CharField(_("follow-up cycle"), max_length=200, blank=True)

    class Meta:
        ordering = ["plan", "order", "pk"]
        constraints = [models.UniqueConstraint(fields=["plan", "key"], name="measures_unique_activity_key")]
        verbose_name = _("activity")
        verbose_name_plural = _("activity plan")

    def __str__(self):
        return self.activity[:120]


class IndicatorAnalysis(models.Model):
    """What the unit must improve under one ITA indicator (police seed, section 2)."""

    plan = models.ForeignKey(MeasurePlan, on_delete=models.CASCADE, related_name="analyses", verbose_name=_("plan"))
    indicator = models.PositiveSmallIntegerField(_("ITA indicator"), choices=indicators.INDICATOR_CHOICES)
    issues = models.TextField(_("issues to improve"))

    class Meta:
        ordering = ["plan", "indicator"]
        constraints = [models.UniqueConstraint(fields=["plan", "indicator"], name="measures_unique_analysis")]
        verbose_name = _("indicator analysis")
        verbose_name_plural = _("indicator analysis")

    def __str__(self):
        return f"{self.plan} · {self.indicator}"


class CalendarPhase(People):
    """One phase of the ITA assessment calendar, with the unit's officers for it."""

    plan = models.ForeignKey(MeasurePlan, on_delete=models.CASCADE, related_name="phases", verbose_name=_("plan"))
    key = models.SlugField(_("key"), max_length=60)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    stage = models.CharField(_("stage"), max_length=20, choices=indicators.choices(indicators.STAGES))
    kind = models.CharField(_("phase"), max_length=20, choices=indicators.choices(indicators.PHASE_KINDS))
    starts = models.DateField(_("from"))
    ends = models.DateField(_("until"))
    period_text = models.CharField(_("period (as written)"), max_length=200, blank=True,
                                   help_text=_("Printed instead of the dates, e.g. “เดือน สิงหาคม ๒๕๖๗”."))
    step = models.TextField(_("step"), blank=True)
    work = models.TextField(_("what is done"), blank=True)

    class Meta:
        ordering = ["plan", "order", "starts"]
        constraints = [
            models.UniqueConstraint(fields=["plan", "key"], name="measures_unique_phase_key"),
            models.CheckConstraint(condition=Q(ends__gte=models.F("starts")), name="measures_phase_ends_after_start"),
        ]
        verbose_name = _("calendar phase")
        verbose_name_plural = _("assessment calendar")

    def __str__(self):
        return indicators.PHASE_KIND.get(self.kind, indicators.PHASE_KIND["other"]).label

    @property
    def label(self) -> str:
        return str(self)


class SurveyQuota(models.Model):
    """The minimum number of EIT or IIT respondents one line of work must bring, and its collector."""

    EIT, IIT = "eit", "iit"
    INSTRUMENTS = [(EIT, "EIT"), (IIT, "IIT")]

    plan = models.ForeignKey(MeasurePlan, on_delete=models.CASCADE, related_name="quotas", verbose_name=_("plan"))
    key = models.SlugField(_("key"), max_length=60)
    order = models.PositiveSmallIntegerField(_("order"), default=0)
    instrument = models.CharField(_("survey"), max_length=3, choices=INSTRUMENTS)
    line_of_work = models.ForeignKey(LineOfWork, on_delete=models.SET_NULL, null=True, blank=True,
                                     verbose_name=_("line of work"))
    label = models.CharField(_("group (as written)"), max_length=200)
    minimum = models.PositiveIntegerField(_("minimum respondents"), null=True, blank=True,
                                          help_text=_("Empty where the plan only says “the minimum the manual sets”."))
    collector = models.TextField(_("collector (as written)"), blank=True)
    collectors = models.ManyToManyField(Officer, blank=True, related_name="+", verbose_name=_("collectors"))
    note = models.CharField(_("note"), max_length=300, blank=True)

    class Meta:
        ordering = ["plan", "instrument", "order"]
        constraints = [models.UniqueConstraint(fields=["plan", "key"], name="measures_unique_quota_key")]
        verbose_name = _("survey quota")
        verbose_name_plural = _("survey quotas")

    def __str__(self):
        return f"{self.get_instrument_display()} · {self.label}"

    def rename_in_text(self, leaver, successor) -> None:
        renamed = replace_name(self.collector, leaver, successor)
        if renamed != self.collector:
            self.collector = renamed
            self.save(update_fields=["collector"])


class QuotaCount(models.Model):
    """How many had answered by a day (the count ITAP shows); the latest one is the current count."""

    quota = models.ForeignKey(SurveyQuota, on_delete=models.CASCADE, related_name="counts", verbose_name=_("quota"))
    date = models.DateField(_("date"))
    count = models.PositiveIntegerField(_("respondents so far"))
    entered_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name=_("entered by"))
    entered_at = models.DateTimeField(_("entered at"), auto_now=True)

    class Meta:
        ordering = ["quota", "-date"]
        constraints = [models.UniqueConstraint(fields=["quota", "date"], name="measures_unique_quota_day")]
        verbose_name = _("respondent count")
        verbose_name_plural = _("respondent counts")


class ProgressUpdate(models.Model):
    """What was done on a measure or an activity, on a day, with photos."""

    measure = models.ForeignKey(Measure, on_delete=models.CASCADE, null=True, blank=True, related_name="updates")
    activity = models.ForeignKey(Activity, on_delete=models.CASCADE, null=True, blank=True, related_name="updates")
    date = models.DateField(_("date"))
    text = models.TextField(_("what was done"))
    status = models.CharField(_("status after this update"), max_length=12, choices=Tracked.STATUSES)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                   verbose_name=_("by"))
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)

    class Meta:
        ordering = ["-date", "-pk"]
        constraints = [models.CheckConstraint(
            condition=Q(measure__isnull=False, activity__isnull=True) | Q(measure__isnull=True, activity__isnull=False),
            name="measures_update_of_one_thing")]
        verbose_name = _("progress update")
        verbose_name_plural = _("progress updates")

    def __str__(self):
        return self.text[:80]

    @property
    def target(self):
        return self.measure or self.activity


def photo_path(instance, filename):
    """Unguessable stored names; the original name is kept in the database."""
    return f"measures/photos/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}.{instance.extension}"


def photo_thumbnail_path(instance, filename):
    return f"measures/thumbnails/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}.jpg"


class ProgressPhoto(StoredFile):
    """A photo of a progress update, stored as validated (re-encoded, without metadata)."""

    update = models.ForeignKey(ProgressUpdate, on_delete=models.CASCADE, related_name="photos")
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    file = models.FileField(upload_to=photo_path, max_length=200)
    thumbnail = models.FileField(upload_to=photo_thumbnail_path, max_length=200, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["update", "pk"]
        verbose_name = _("photo")
        verbose_name_plural = _("photos")

    def __str__(self):
        return self.caption or self.original_name


def briefing_photo_path(instance, filename):
    return f"measures/briefing/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}.{instance.extension}"


class BriefingPhotoQuerySet(models.QuerySet):
    def for_document(self):
        return self.order_by("pk")


class BriefingPhoto(StoredFile):
    """A photo of the head's briefing, printed under its caption at the end of the O24 document (as
    the seed has them); stored as validated (re-encoded, without metadata)."""

    plan = models.ForeignKey(MeasurePlan, on_delete=models.CASCADE, related_name="briefing_photos")
    caption = models.CharField(_("caption"), max_length=300, blank=True)
    file = models.FileField(upload_to=briefing_photo_path, max_length=200)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = BriefingPhotoQuerySet.as_manager()

    class Meta:
        ordering = ["plan", "pk"]
        verbose_name = _("briefing photo")
        verbose_name_plural = _("briefing photos")

    def __str__(self):
        return self.caption or self.original_name


class ReminderSent(models.Model):
    """One reminder e-mail per recipient, unit and day, however often the task runs."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="+")
    day = models.DateField()
    email = models.EmailField()
    sent_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "day", "email"], name="measures_unique_reminder")]
