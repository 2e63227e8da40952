""""My work" (งานของฉัน): what waits for one staff user, by role, across their units.

- to prepare (responsible officers, and the admin for items nobody is assigned): the months and
  whole-year periods of their items that are open — empty, draft or returned — returned ones on
  top with their comment, then soonest deadline first. The current fiscal year from its first
  month to today; older years only where work was started and not finished.
- to check (controllers): submitted periods they may check.
- to approve (commanders): checked periods.
- for the admin: items without a responsible officer, pending invitations, the ITAP sheet.
- for supervisors: their overviews.

Assembled from a fixed number of queries whatever the number of units, items and entries.
"""

import datetime
from collections import defaultdict
from dataclasses import dataclass, field

from django.db.models import Count, Q
from django.urls import reverse

from ita_portal.lib import thaidate
from oit_items.evidence import checks, workspace
from oit_items.evidence.models import Assignment, Evidence, ItemPeriod, ItemReadiness
from oit_items.evidence.permissions import item_access
from oit_items.rulebook.models import Item
from units.models import Invitation, Role, Unit
from units.permissions import managed_units, roles_held, supervised_units, unit_access

# What the parts above add to "my work" (the assessment appends the commander's predicted score in its
# AppConfig.ready): each provider is called as provider(user, work, today) once the queues are built,
# and returns a Panel for the page or None. A provider costs no query for a user it has nothing for.
PANELS = []


@dataclass(frozen=True)
class Panel:
    template: str
    context: dict


STARTED = (ItemPeriod.DRAFT, ItemPeriod.RETURNED, ItemPeriod.SUBMITTED, ItemPeriod.CHECKED)


@dataclass
class Entry(workspace.PeriodFace):
    unit: Unit
    item: Item
    month: datetime.date | None
    period: ItemPeriod | None
    state: str
    due: datetime.date
    failures: list
    today: datetime.date
    checks_shown: str = checks.PASSED  # what its checks show today (checks.shown_status)

    @property
    def failed(self) -> bool:
        """Its checks fail and its due date has passed: only then is it shown as failing."""
        return self.checks_shown == checks.FAILED

    @property
    def url(self) -> str:
        return reverse("item-detail", args=[self.unit.slug, self.item.framework.fiscal_year, self.item.code.lower()]) + f"#{self.slug}"

    @property
    def returned(self) -> bool:
        return self.state == ItemPeriod.RETURNED

    @property
    def shown_failures(self) -> list:
        """An empty period says so by its state; its "no evidence" failure would only repeat it."""
        return [] if self.state == ItemPeriod.EMPTY else self.failures

    @property
    def comment(self) -> str:
        return self.period.return_comment if self.period and self.returned else ""


@dataclass
class AdminUnit:
    unit: Unit
    fiscal_year: int
    unassigned: list
    ready: int
    items: int


@dataclass
class MyWork:
    fiscal_year: int
    prepare: list = field(default_factory=list)
    check: list = field(default_factory=list)
    approve: list = field(default_factory=list)
    admin: list = field(default_factory=list)
    invitations: int | None = None
    supervised: list = field(default_factory=list)
    approve_units: list = field(default_factory=list)  # units whose commander may bulk-approve
    units: list = field(default_factory=list)
    panels: list = field(default_factory=list)  # from PANELS, rendered after the queues

    @property
    def several_units(self) -> bool:
        return len(self.units) > 1

    @property
    def count(self) -> int:
        return len(self.prepare) + len(self.check) + len(self.approve)

    @property
    def prepare_groups(self) -> list:
        """[(key, entries)]: returned, overdue, due within a month, later — each non-empty."""
        groups = {"returned": [], "overdue": [], "soon": [], "later": []}
        for entry in self.prepare:
            key = ("returned" if entry.returned else "overdue" if entry.overdue
                   else "soon" if (entry.due - entry.today).days <= 31 else "later")
            groups[key].append(entry)
        return [(key, entries) for key, entries in groups.items() if entries]

    @property
    def empty(self) -> bool:
        return not (self.count or self.admin or self.invitations or self.supervised or self.panels)


def _units(user):
    """The units that publish OIT on which the user holds a unit role (not only supervisor)."""
    roles = Role.objects.filter(user=user).exclude(role=Role.SUPERVISOR).values("unit_id")
    return list(Unit.objects.filter(pk__in=roles, unit_type__publishes_oit=True).select_related("unit_type").order_by("path"))


def _months(item, current_year, today, started):
    """The periods of an item that may need work: this year's up to today; older years' started ones."""
    if item.framework.fiscal_year == current_year:
        return [m for m in item.period_months if m is None or m <= today]
    return [m for m in item.period_months if m in started]


def build(user, today: datetime.date, count_only: bool = False) -> MyWork:
    """`count_only` (the navbar badge): only the three queues, without their check failures."""
    current_year = thaidate.fiscal_year(today)
    work = MyWork(current_year)
    if not user.is_authenticated:
        return work
    units = work.units = _units(user)
    roles = {unit.pk: unit_access(user, unit) for unit in units}
    if units:
        _queues(work, user, units, roles, current_year, today, count_only)
    if count_only:
        return work
    admin_units = [u for u in units if roles[u.pk].has(Role.ADMIN)]
    if admin_units:
        _admin(work, admin_units, current_year)
    if Role.ADMIN in roles_held(user):  # also the admins of units above, who see the invitations of their units
        work.invitations = Invitation.objects.pending().filter(unit__in=managed_units(user)).count()
    work.supervised = supervised_units(user)
    work.approve_units = [u for u in units if roles[u.pk].approve and any(e.unit.pk == u.pk for e in work.approve)]
    work.panels = [panel for panel in (provider(user, work, today) for provider in PANELS) if panel is not None]
    return work


@dataclass
class Found:
    """What the queues are made of, read in a fixed number of queries."""

    items: dict  # {unit type id: [Item]}, older years first
    periods: dict  # {(unit id, item id): {month: ItemPeriod}}
    evidence: dict  # {(unit id, item id): {month: [Evidence]}}; only whether there is any ({month: True}) when not judged
    assignments: dict  # {(unit id, item id): Assignment}
    started: dict  # {(unit id, item id): {months started and not finished}}


def _find(units, current_year, judged) -> Found:
    items = {i.pk: i for i in Item.objects.filter(framework__unit_type__in={u.unit_type_id for u in units},
                                                  framework__fiscal_year=current_year, retired=False)
             .select_related("framework")}
    periods, started = defaultdict(dict), defaultdict(set)
    for period in (ItemPeriod.objects.filter(unit__in=units, item__retired=False)
                   .filter(Q(item__framework__fiscal_year=current_year) | Q(state__in=STARTED))
                   .select_related("item__framework").defer("published", "item__guidance_th", "item__guidance_en")):
        items.setdefault(period.item_id, period.item)
        periods[(period.unit_id, period.item_id)][period.month] = period
        if period.state in STARTED:
            started[(period.unit_id, period.item_id)].add(period.month)
    if judged:
        evidence = Evidence.objects.by_period(units, list(items))
    else:  # the queues need only which periods have evidence: a draft without any is still empty
        evidence = defaultdict(dict)
        for unit_id, item_id, month in (Evidence.objects.current().filter(item_period__unit__in=units, item_period__item__in=list(items))
                                        .values_list("item_period__unit_id", "item_period__item_id", "item_period__month")):
            evidence[(unit_id, item_id)][month] = True
    assignments = {(a.unit_id, a.item_id): a for a in Assignment.objects.filter(unit__in=units, item__in=list(items))
                   .prefetch_related("responsible", "controllers")}
    by_unit_type = defaultdict(list)
    for item in sorted(items.values(), key=lambda i: (i.framework.fiscal_year, i.number)):
        by_unit_type[item.framework.unit_type_id].append(item)
    return Found(by_unit_type, periods, evidence, assignments, started)


def _entries(unit, item, months, found, today, judged) -> list[Entry]:
    """The item's periods in `months` as they show, each with its checks' failures when judged."""
    periods, evidence = found.periods.get((unit.pk, item.pk), {}), found.evidence.get((unit.pk, item.pk), {})
    result = checks.evaluate(item, evidence) if judged else None
    entries = []
    for month in months:
        period = periods.get(month)
        state = ItemPeriod.shown_state(period.state if period else None, bool(evidence.get(month)))
        status = result.period(month, today) if result else None
        entries.append(Entry(unit, item, month, period, state, item.due_date(month), status.failures if status else [],
                             today, status.shown if status else checks.PASSED))
    return entries


def _queue(work, entry, rights, mine) -> list | None:
    """The queue an entry waits in for this user, if any."""
    if entry.state == ItemPeriod.EMPTY and entry.item.framework.fiscal_year != work.fiscal_year:
        return None  # started in an older year, then emptied: nothing waits there
    if entry.state in ItemPeriod.OPEN_STATES:
        return work.prepare if rights.upload and mine else None
    if entry.state == ItemPeriod.SUBMITTED:
        return work.check if rights.check else None
    return work.approve if entry.state == ItemPeriod.CHECKED and rights.approve else None


def _queues(work, user, units, roles, current_year, today, count_only=False):
    found = _find(units, current_year, judged=not count_only)
    officer = getattr(user, "officer", None)  # the same lookup item_access makes, then cached on the user
    officer_id = officer.pk if officer else None
    for unit in units:
        access = roles[unit.pk]
        for item in found.items[unit.unit_type_id]:
            assignment = found.assignments.get((unit.pk, item.pk))
            rights = item_access(user, access, assignment)
            months = _months(item, current_year, today, found.started[(unit.pk, item.pk)])
            if not months or not (rights.upload or rights.check or rights.approve):
                continue
            responsible = {o.pk for o in assignment.responsible.all()} if assignment else set()
            mine = officer_id in responsible or (access.has(Role.ADMIN) and not responsible)
            for entry in _entries(unit, item, months, found, today, judged=not count_only):
                queue = _queue(work, entry, rights, mine)
                if queue is not None:
                    queue.append(entry)
    work.prepare.sort(key=lambda e: (not e.returned, e.due, e.item.number, e.month or datetime.date.min))
    for queue in (work.check, work.approve):
        queue.sort(key=lambda e: (e.period.updated_at, e.item.number))


def _admin(work, units, fiscal_year):
    items = defaultdict(list)
    for item in Item.objects.filter(framework__unit_type__in={u.unit_type_id for u in units},
                                    framework__fiscal_year=fiscal_year, retired=False).order_by("number").only(
                                        "pk", "code", "title_th", "title_en", "framework__unit_type_id").select_related("framework"):
        items[item.framework.unit_type_id].append(item)
    staffed = set(Assignment.objects.filter(unit__in=units, item__framework__fiscal_year=fiscal_year,
                                            responsible__isnull=False).values_list("unit_id", "item_id").distinct())
    ready = dict(ItemReadiness.objects.filter(unit__in=units, fiscal_year=fiscal_year, item__retired=False)
                 .order_by().values("unit_id")
                 .annotate(n=Count("pk", filter=Q(ready=True))).values_list("unit_id", "n"))
    for unit in units:
        unit_items = items[unit.unit_type_id]
        if not unit_items:
            continue
        work.admin.append(AdminUnit(unit, fiscal_year, [i for i in unit_items if (unit.pk, i.pk) not in staffed],
                                    ready.get(unit.pk, 0), len(unit_items)))
