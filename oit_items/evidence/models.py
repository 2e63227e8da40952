"""The evidence workflow's data: who holds an item, its periods, evidence and revisions, the audit log and
stored readiness.

A period's state changes in one place, `ItemPeriod.move_to` (a workflow step, a takedown, and through
`reopen` any change of its evidence), which brings the stored readiness of its item up to date in the
same transaction (`ItemReadiness.objects.refresh`)."""

import datetime
import uuid
from collections import defaultdict

from django.conf import settings
from django.db import models, transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from simple_history.models import HistoricalRecords

from oit_items.evidence import checks
from oit_items.rulebook.models import Item
from units.models import Officer, Unit


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

    def copy_to_items(self, new_item_ids: dict[int, int]) -> None:
        """Every unit's assignment of the old items, with its active officers, onto the new ones
        {old item id: new item id}. In bulk: a fixed number of statements whatever the number of
        units (39,000 national assignments)."""
        old = list(self.filter(item_id__in=list(new_item_ids)).values_list("pk", "unit_id", "item_id"))
        copies = [self.model(unit_id=unit_id, item_id=new_item_ids[item_id]) for _pk, unit_id, item_id in old]
        self.bulk_create(copies, batch_size=5000)
        new_ids = {pk: copy.pk for (pk, _unit, _item), copy in zip(old, copies)}
        officers = {}
        for relation in ("responsible", "controllers"):
            through = getattr(self.model, relation).through
            rows = through.objects.filter(assignment__item_id__in=list(new_item_ids), officer__is_active=True)
            officers[relation] = through.objects.bulk_create(
                [through(assignment_id=new_ids[a], officer_id=o) for a, o in rows.values_list("assignment_id", "officer_id")],
                batch_size=5000)
        self._record_copies(copies, officers)

    def _record_copies(self, copies, officers: dict[str, list]) -> None:
        """The copies' starting point in the unit's history, with their officers (a bulk insert leaves
        none, and the first change would then show officers long assigned as newly added)."""
        historical = self.model.history.model
        now = timezone.now()
        records = historical.objects.bulk_create(
            [historical(id=copy.pk, unit_id=copy.unit_id, item_id=copy.item_id, history_date=now, history_type="+",
                        history_change_reason="copied into the new fiscal year") for copy in copies], batch_size=5000)
        record_of = {record.id: record.pk for record in records}
        for relation, rows in officers.items():
            m2m = historical._meta.get_field(f"historicalassignment_{relation}").related_model
            m2m.objects.bulk_create([m2m(id=row.pk, history_id=record_of[row.assignment_id], assignment_id=row.assignment_id,
                                         officer_id=row.officer_id) for row in rows], batch_size=5000)


class Assignment(models.Model):
    """Who prepares (ผู้รับผิดชอบ) and who checks (ผู้ควบคุม) one item for one unit."""

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="assignments", verbose_name=_("unit"))
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="assignments", verbose_name=_("OIT item"))
    responsible = models.ManyToManyField(Officer, blank=True, related_name="responsible_for", verbose_name=_("responsible officers"))
    # The seeds name one controller per item for the police station and two for the immigration unit.
    controllers = models.ManyToManyField(Officer, blank=True, related_name="controls", verbose_name=_("controllers"))

    objects = AssignmentQuerySet.as_manager()
    history = HistoricalRecords(m2m_fields=[responsible, controllers])

    class Meta:
        ordering = ["unit", "item__number"]
        constraints = [models.UniqueConstraint(fields=["unit", "item"], name="unique_assignment")]
        verbose_name = _("assignment")
        verbose_name_plural = _("assignments")

    def __str__(self):
        return f"{self.unit} · {self.item.code}"


class ItemPeriodQuerySet(models.QuerySet):
    def for_workspace(self, unit: Unit, fiscal_year: int):
        return self.filter(unit=unit, item__framework__fiscal_year=fiscal_year)


class ItemPeriod(models.Model):
    """One item of one unit for one month (monthly items) or for the whole year: the unit of
    work and of approval. `published` is the approved snapshot the public sees; it changes only
    when the commander approves again."""

    EMPTY = "empty"  # never stored: a period with no row yet
    DRAFT = "draft"
    SUBMITTED = "submitted"
    CHECKED = "checked"
    APPROVED = "approved"
    RETURNED = "returned"
    STATES = [
        (DRAFT, _("Draft")),
        (SUBMITTED, _("Submitted")),
        (CHECKED, _("Checked")),
        (APPROVED, _("Approved")),
        (RETURNED, _("Returned")),
    ]
    LABELS = dict(STATES) | {EMPTY: _("Empty")}
    OPEN_STATES = {EMPTY, DRAFT, RETURNED}  # work still to be done by the unit
    REOPENED = (SUBMITTED, CHECKED, APPROVED)  # states a change of evidence takes back to draft
    BADGES = {EMPTY: "secondary", DRAFT: "info", SUBMITTED: "primary", CHECKED: "warning", APPROVED: "success", RETURNED: "danger"}

    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="item_periods", verbose_name=_("unit"))
    item = models.ForeignKey(Item, on_delete=models.PROTECT, related_name="periods", verbose_name=_("OIT item"))
    month = models.DateField(_("month"), null=True, blank=True, help_text=_("First day of the month; empty for the whole year."))
    state = models.CharField(_("status"), max_length=12, choices=STATES, default=DRAFT)
    published = models.JSONField(_("published evidence"), default=list, blank=True)
    published_version = models.PositiveIntegerField(_("times approved"), default=0)
    approved_at = models.DateTimeField(_("approved at"), null=True, blank=True)
    approved_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True, related_name="+", verbose_name=_("approved by")
    )
    # What the controller or commander asked to correct, shown where people work (the period's
    # card, the workspace cell, my work) until the month is submitted again; the audit log keeps it.
    return_comment = models.TextField(_("what must be corrected"), blank=True)
    returned_at = models.DateTimeField(_("returned at"), null=True, blank=True)
    returned_by_name = models.CharField(_("returned by"), max_length=200, blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = ItemPeriodQuerySet.as_manager()

    class Meta:
        ordering = ["unit", "item__number", "month"]
        constraints = [
            models.UniqueConstraint(fields=["unit", "item", "month"], condition=models.Q(month__isnull=False), name="unique_item_month"),
            models.UniqueConstraint(fields=["unit", "item"], condition=models.Q(month__isnull=True), name="unique_item_year"),
        ]
        verbose_name = _("item period")
        verbose_name_plural = _("item periods")

    def __str__(self):
        return f"{self.unit} · {self.item.code} · {self.month or self.item.framework.fiscal_year}"

    @property
    def slug(self) -> str:
        return period_slug(self.month)

    @staticmethod
    def shown_state(stored: str | None, has_evidence: bool) -> str:
        """The state a period shows from its stored state (None: no row yet): a draft without
        evidence is still empty."""
        if stored is None or (stored == ItemPeriod.DRAFT and not has_evidence):
            return ItemPeriod.EMPTY
        return stored

    def move_to(self, state: str, *, checked: checks.ItemCheck | None = None, **changes) -> None:
        """The one place a period's state changes — a workflow step, a takedown, `reopen` — with
        the fields that change along with it (`changes`), and the stored readiness of its item with
        it, in the caller's transaction. The caller holds the row's lock, and has recorded the audit
        event already (the readiness counts it as the last activity). `checked`: the item's checks
        as the caller just evaluated them, reused if the evidence is still the same.

        Moving to the state it is in saves nothing and only refreshes the readiness: its evidence
        changed, and with it perhaps its checks."""
        if state != self.state or changes:
            self.state = state
            for name, value in changes.items():
                setattr(self, name, value)
            self.save(update_fields=["state", *changes, "updated_at"])
        ItemReadiness.objects.refresh(self.unit_id, self.item_id, checked)

    def reopen(self) -> None:
        """Its evidence changed: after submission the period goes back to draft; the public keeps the
        approved snapshot until the next approval. The state is read again under the row's lock: a
        step taken meanwhile by someone else must not survive a change it did not see."""
        self.state = ItemPeriod.objects.select_for_update().filter(pk=self.pk).values_list("state", flat=True).get()
        self.move_to(self.DRAFT if self.state in self.REOPENED else self.state)


def period_slug(month) -> str:
    """`m10` for October, `all` for the whole year: the period's part of a staff URL."""
    return f"m{month.month}" if month else "all"


def evidence_path(instance, filename):
    """Stored names are unguessable and safe; the original name is kept in the database."""
    return f"evidence/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}.{instance.extension}"


def thumbnail_path(instance, filename):
    return f"thumbnails/{uuid.uuid4().hex[:2]}/{uuid.uuid4().hex}.jpg"


class EvidenceQuerySet(models.QuerySet):
    def current(self):
        return self.filter(removed_at__isnull=True)

    def by_period(self, units, items) -> dict:
        """{(unit id, item id): {month: [current evidence]}} of the units' items, in one query: what
        `checks.evaluate` takes for each item."""
        grouped = defaultdict(lambda: defaultdict(list))
        evidence = (
            self.current()
            .filter(item_period__unit__in=units, item_period__item__in=items)
            # Only the period's key: its approved snapshot (`published`) can be megabytes for a unit
            # with many files, and would be repeated for every piece of evidence.
            .select_related("current_revision", "item_period")
            .defer("item_period__published")
            .order_by("about_date", "pk")
        )
        for piece in evidence:
            period = piece.item_period
            grouped[(period.unit_id, period.item_id)][period.month].append(piece)
        return grouped

    def by_month(self, unit_id: int, item_id: int) -> dict:
        """{month: [current evidence]} of one item of one unit."""
        return self.by_period([unit_id], [item_id]).get((unit_id, item_id), {})


class Evidence(models.Model):
    FILE = "file"
    LINK = "link"
    NONE = "none"
    KINDS = [(FILE, _("File")), (LINK, _("Link")), (NONE, _("None this period"))]
    LANGUAGES = [("th", _("Thai")), ("en", _("English")), ("both", _("Thai and English"))]

    item_period = models.ForeignKey(ItemPeriod, on_delete=models.PROTECT, related_name="evidence", verbose_name=_("item period"))
    kind = models.CharField(_("kind"), max_length=4, choices=KINDS)
    title = models.CharField(_("title"), max_length=300)
    description = models.TextField(_("description"), blank=True)
    about_date = models.DateField(_("date the evidence is about"))
    language = models.CharField(_("language"), max_length=4, choices=LANGUAGES, default="th")
    is_news = models.BooleanField(_("news item"), default=False)
    url = models.URLField(_("link"), max_length=1000, blank=True)
    reason = models.TextField(_("reason"), blank=True)
    current_revision = models.ForeignKey(
        "Revision", on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("current file")
    )
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("added by"))
    created_at = models.DateTimeField(_("added at"), auto_now_add=True)
    removed_at = models.DateTimeField(_("removed at"), null=True, blank=True)
    removed_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, blank=True, related_name="+", verbose_name=_("removed by")
    )
    # Optimistic concurrency: every edit, replacement and removal adds one; a form carries the
    # number it was opened with, and a save from an older number is refused (see evidence.py).
    version = models.PositiveIntegerField(_("version"), default=1)

    objects = EvidenceQuerySet.as_manager()

    class Meta:
        ordering = ["item_period", "about_date", "pk"]
        verbose_name = _("evidence")
        verbose_name_plural = _("evidence")

    def __str__(self):
        return self.title

    @property
    def format(self) -> str:
        return self.current_revision.format if self.current_revision else ""

    def snapshot(self) -> dict:
        """What the public sees of this evidence once approved (revisions never change)."""
        revision = self.current_revision
        return {
            "evidence": self.pk, "kind": self.kind, "title": self.title, "description": self.description,
            "about_date": self.about_date.isoformat(), "language": self.language, "is_news": self.is_news,
            "url": self.url, "reason": self.reason, "revision": revision.pk if revision else None,
            "format": revision.format if revision else "", "extension": revision.extension if revision else "",
            "size": revision.size if revision else None, "original_name": revision.original_name if revision else "",
        }


class Revision(models.Model):
    """One stored file of an evidence. Never changed or deleted: replacing adds a revision."""

    evidence = models.ForeignKey(Evidence, on_delete=models.PROTECT, related_name="revisions", verbose_name=_("evidence"))
    number = models.PositiveSmallIntegerField(_("revision"))
    file = models.FileField(_("file"), upload_to=evidence_path, max_length=200)
    original_name = models.CharField(_("original file name"), max_length=255)
    extension = models.CharField(max_length=5)
    format = models.CharField(_("format"), max_length=5)
    content_type = models.CharField(max_length=100)
    size = models.PositiveBigIntegerField(_("size"))
    sha256 = models.CharField(max_length=64, db_index=True)
    page_count = models.PositiveIntegerField(_("pages"), null=True, blank=True)
    width = models.PositiveIntegerField(null=True, blank=True)
    height = models.PositiveIntegerField(null=True, blank=True)
    thumbnail = models.FileField(upload_to=thumbnail_path, max_length=200, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", verbose_name=_("uploaded by"))
    created_at = models.DateTimeField(_("uploaded at"), auto_now_add=True)

    class Meta:
        ordering = ["evidence", "number"]
        constraints = [models.UniqueConstraint(fields=["evidence", "number"], name="unique_revision_number")]
        verbose_name = _("file revision")
        verbose_name_plural = _("file revisions")

    def __str__(self):
        return self.original_name


class AppendOnly(Exception):
    pass


class AuditEventQuerySet(models.QuerySet):
    def last_check_of(self, periods) -> dict:
        """{period id: its latest "check" event} of the given periods, in one query: what the controller
        said when passing each (their comment, and the reason for passing failing checks)."""
        ids = [p.pk for p in periods]
        events = self.filter(item_period__in=ids, action="check").order_by("at", "pk") if ids else []
        return {event.item_period_id: event for event in events}  # the latest wins


class AuditEvent(models.Model):
    """Who did what, when, from where. Append-only: the model refuses updates and deletes, and on
    PostgreSQL a trigger refuses them in the database too."""

    at = models.DateTimeField(_("time"), auto_now_add=True, db_index=True)
    actor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, null=True, related_name="+", verbose_name=_("by"))
    actor_name = models.CharField(_("by"), max_length=200)
    ip = models.GenericIPAddressField(_("address"), null=True, blank=True)
    unit = models.ForeignKey(Unit, on_delete=models.PROTECT, related_name="+", verbose_name=_("unit"))
    item_period = models.ForeignKey(ItemPeriod, on_delete=models.PROTECT, null=True, related_name="events")
    evidence = models.ForeignKey(Evidence, on_delete=models.PROTECT, null=True, related_name="events")
    action = models.CharField(_("action"), max_length=20)
    comment = models.TextField(_("comment"), blank=True)
    details = models.JSONField(default=dict, blank=True)

    objects = AuditEventQuerySet.as_manager()

    ACTION_LABELS = {
        "upload": _("uploaded a file"), "replace": _("replaced a file"), "link": _("added a link"),
        "none": _("declared none this period"), "edit": _("edited"), "remove": _("removed"),
        "submit": _("submitted"), "check": _("checked"), "approve": _("approved"), "return": _("returned"),
        "takedown": _("took down from the public site"),
    }

    class Meta:
        ordering = ["-at", "-pk"]
        verbose_name = _("audit event")
        verbose_name_plural = _("audit log")

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.actor_name} {self.action}"

    @property
    def action_label(self) -> str:
        return self.ACTION_LABELS.get(self.action, self.action)

    @property
    def override(self) -> str:
        """The reason given for passing failing checks (a check or an approval), or ""."""
        return self.details.get("override", "")

    @property
    def remark(self) -> str:
        """The comment typed beside the step, apart from the override (the workflow stores the override
        as the comment when nothing else was typed)."""
        return "" if self.comment == self.override else self.comment

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise AppendOnly("audit events cannot be changed")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnly("audit events cannot be deleted")


class ItemReadinessManager(models.Manager):
    def compute(self, unit_id: int, items, checked: checks.ItemCheck | None = None) -> dict:
        """{item id: figures} of the given items (one fiscal year) of one unit, from scratch: its
        period rows, its evidence and its audit log, three queries whatever the number of items."""
        if not items:
            return {}
        states = {(item_id, month): state for item_id, month, state in
                  ItemPeriod.objects.filter(unit=unit_id, item__in=items).values_list("item_id", "month", "state")}
        evidence = Evidence.objects.by_period([unit_id], items)
        # Every change is audited: the last event is the last activity.
        last = dict(AuditEvent.objects.filter(unit=unit_id, item_period__item__in=items).order_by()
                    .values_list("item_period__item_id").annotate(last=Max("at")))
        return {item.pk: ItemReadiness.figures_of(
            item, {m: states.get((item.pk, m)) for m in item.period_months}, evidence.get((unit_id, item.pk), {}),
            last.get(item.pk), checked if checked is not None and checked.item.pk == item.pk else None)
            for item in items}

    def refresh(self, unit_id: int, item_id: int, checked: checks.ItemCheck | None = None) -> None:
        """Bring the row of one item of one unit up to date, inside the caller's transaction (so it
        commits or rolls back with the change itself)."""
        item = Item.objects.select_related("framework").get(pk=item_id)
        with transaction.atomic():
            # Lock the row first (creating it if needed): two changes to periods of the same item in
            # two transactions then take turns, and the second computes from what the first committed.
            self.bulk_create([self.model(unit_id=unit_id, item=item, fiscal_year=item.framework.fiscal_year,
                                         first_due=datetime.date.min)], ignore_conflicts=True)
            pk = self.select_for_update().filter(unit_id=unit_id, item=item).values_list("pk", flat=True).get()
            self.filter(pk=pk).update(**self.compute(unit_id, [item], checked)[item.pk])


class ItemReadiness(models.Model):
    """Readiness of one item of one unit in one fiscal year, STORED (see readiness.py): the
    periods counted by state, whether it would score, and when its earliest open period is due.

    Supervisors' overviews add these rows up over a subtree instead of evaluating 1,500
    workspaces per request. Every change of a period's state or evidence refreshes the row in its own
    transaction (`ItemPeriod.move_to`); `manage.py rebuild_readiness` recomputes them all.
    """

    unit = models.ForeignKey(Unit, on_delete=models.CASCADE, related_name="readiness", verbose_name=_("unit"))
    item = models.ForeignKey(Item, on_delete=models.CASCADE, related_name="readiness", verbose_name=_("OIT item"))
    fiscal_year = models.PositiveSmallIntegerField(_("fiscal year (BE)"))
    periods = models.PositiveSmallIntegerField(default=1)
    empty = models.PositiveSmallIntegerField(default=0)
    draft = models.PositiveSmallIntegerField(default=0)
    submitted = models.PositiveSmallIntegerField(default=0)
    checked = models.PositiveSmallIntegerField(default=0)
    approved = models.PositiveSmallIntegerField(default=0)
    returned = models.PositiveSmallIntegerField(default=0)
    checks_passed = models.BooleanField(default=False)
    ready = models.BooleanField(default=False)
    # One letter per period in fiscal order (E empty, D draft, S submitted, C checked, A approved,
    # R returned): month-by-month progress without reading the periods themselves.
    states = models.CharField(max_length=24, blank=True, default="")
    # Dates rather than an "overdue" flag: a flag would go stale at midnight and need a nightly
    # job to stay true. With the due date of the earliest period still open (empty, draft or
    # returned) "overdue" is `open_due < today` in the query itself, right on any day; the date
    # only changes when a period changes, which is exactly when the row is refreshed.
    # `first_due` (the item's earliest due date, a constant) lets an overview count the items of
    # units that have no row yet as the open items they are.
    open_due = models.DateField(null=True, blank=True)
    first_due = models.DateField()
    last_activity = models.DateTimeField(null=True, blank=True)

    objects = ItemReadinessManager()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["unit", "item"], name="unique_item_readiness")]
        indexes = [models.Index(fields=["fiscal_year", "unit"], name="readiness_year_unit")]
        verbose_name = _("item readiness")
        verbose_name_plural = _("item readiness")

    def __str__(self):
        return f"{self.unit_id} · {self.item_id}: {self.approved}/{self.periods}"

    FIGURES = ("periods", "empty", "draft", "submitted", "checked", "approved", "returned", "checks_passed",
               "ready", "states", "open_due", "first_due", "last_activity")
    LETTERS = {"empty": "E", "draft": "D", "submitted": "S", "checked": "C", "approved": "A", "returned": "R"}

    def figures(self) -> dict:
        return {name: getattr(self, name) for name in self.FIGURES}

    @classmethod
    def figures_of(cls, item: Item, states: dict, evidence: dict, last_activity,
                   checked: checks.ItemCheck | None = None) -> dict:
        """The figures of one item of one unit from its periods' stored states {month: state or None}
        and its current evidence {month: [Evidence]}, with no queries: what its workspace row shows,
        so "ready" means every check passes and every period is approved."""
        check = checks.evaluate_once(item, evidence, checked)
        shown = [(ItemPeriod.shown_state(states.get(m), bool(evidence.get(m))), item.due_date(m)) for m in item.period_months]
        counts = dict.fromkeys(cls.LETTERS, 0)
        for state, _due in shown:
            counts[state] += 1
        approved = all(state == ItemPeriod.APPROVED for state, _due in shown)
        return {
            "fiscal_year": item.framework.fiscal_year, "periods": len(shown), **counts,
            "checks_passed": check.passed, "ready": check.passed and approved,
            "states": "".join(cls.LETTERS[state] for state, _due in shown),
            "open_due": min((due for state, due in shown if state in ItemPeriod.OPEN_STATES), default=None),
            "first_due": min(due for _state, due in shown), "last_activity": last_activity,
        }
