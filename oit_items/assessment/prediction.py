"""The predicted verdict of one item of one unit, and the predicted score: pure functions over data
loaded beforehand (scores.py loads it in a fixed number of queries), so one unit's page and the
nation's nightly refresh judge alike.

It FAILS CLOSED: an item "has" only when an NACC assessor opening its public page at the deadline
would find every part of it. Anything missing, late, outside the year or incomplete is "hasn't",
each time with the reason (Thai), the next step and who holds it. The assessors read what is
PUBLISHED — the approved snapshots (`ItemPeriod.published`), never the drafts — so the rules are
evaluated on the snapshots with the same `checks.evaluate` the workspace uses on drafts.

A period counts when it has an approved snapshot that is not empty, approved on or before the
framework's deadline. Its current state does not matter beyond that: a period reopened for a
correction still shows its last approved snapshot to the public (and to the assessors); a
re-approval after the deadline replaces what was public then, so it no longer counts (we cannot
tell what the assessors saw), and a takedown that empties the snapshot takes the period away.
"""

import datetime
from dataclasses import dataclass, field
from decimal import ROUND_HALF_UP, Decimal
from typing import NamedTuple

from django.utils import timezone, translation
from django.utils.translation import gettext as _

from ita_portal.lib import thaidate
from oit_items.assessment.models import HAS, HASNT
from oit_items.evidence import checks
from oit_items.evidence.models import Evidence, ItemPeriod

CONTACTS, EXECUTIVES, STATISTICS = "contacts", "executives", "statistics"
# Who holds a next step (the "role" of a reason).
RESPONSIBLE, CONTROLLER, COMMANDER, ADMIN, NATIONAL = "responsible", "controller", "commander", "admin", "national"


class PeriodRow(NamedTuple):
    """What the prediction reads of one stored period (ItemPeriod): loaded as values, not models."""

    state: str
    published: list
    approved_at: datetime.datetime | None


@dataclass(frozen=True)
class PublishedPiece:
    """One entry of an approved snapshot (see `Evidence.snapshot()`), shaped like the Evidence that
    `checks.evaluate` judges: the rules then read what is public, not the draft."""

    FILE, LINK, NONE = Evidence.FILE, Evidence.LINK, Evidence.NONE

    pk: int | None
    kind: str
    title: str
    about_date: datetime.date
    language: str = "th"
    is_news: bool = False
    url: str = ""
    format: str = ""
    version: int = 0

    @classmethod
    def of(cls, entry: dict) -> "PublishedPiece":
        return cls(pk=entry.get("evidence"), kind=entry["kind"], title=entry.get("title", ""),
                   about_date=datetime.date.fromisoformat(entry["about_date"]), language=entry.get("language") or "th",
                   is_news=bool(entry.get("is_news")), url=entry.get("url") or "", format=entry.get("format") or "")


@dataclass(frozen=True)
class Holders:
    """Who holds each kind of next step for one item of one unit, as names to print."""

    responsible: str
    controllers: str
    commander: str
    admin: str


@dataclass
class Verdict:
    item: object
    verdict: str = HASNT
    reasons: list = field(default_factory=list)  # [{"reason", "next_step", "holder"}], Thai

    @property
    def points(self) -> int:
        return self.item.points

    @property
    def has(self) -> bool:
        return self.verdict == HAS


def _reason(reason: str, next_step: str, holder: str, role: str) -> dict:
    """`holder`: the names to print; `role`: which kind of holder, for pages that pick a reader's own steps."""
    return {"reason": reason, "next_step": next_step, "holder": holder, "role": role}


def _month(month) -> str:
    return thaidate.month_label(month, style="medium", language=translation.get_language() or "th")


def _periods_label(months) -> str:
    """`ต.ค. 2566, พ.ย. 2566` for months, "the whole year" for the year's period."""
    return ", ".join(_month(m) if m else _("the whole year") for m in months)


def _next_month(month: datetime.date) -> datetime.date:
    return datetime.date(month.year + month.month // 12, month.month % 12 + 1, 1)


def _months_of(window: tuple) -> list[datetime.date]:
    """The first day of each month the window touches."""
    start, end = window
    months, month = [], start.replace(day=1)
    while month <= end:
        months.append(month)
        month = _next_month(month)
    return months


def _day(day: datetime.date) -> str:
    return thaidate.thai_date(day, "medium")


def holders_of(unit, responsible: list, controllers: list) -> Holders:
    """The names that hold the next steps: the item's responsible officers (the unit's admin where
    nobody is assigned), its controllers (the commander where none), the commander and the admin."""
    head = unit.head
    commander = _("the commander (%(name)s)") % {"name": head.display_name} if head else _("the commander")
    admin = _("the unit's administrator")
    return Holders(
        responsible=", ".join(responsible) or _("the unit's administrator (no responsible officer assigned)"),
        controllers=", ".join(controllers) or commander, commander=commander, admin=admin)


def counted_periods(item, periods: dict, deadline: datetime.date) -> tuple[dict, list, list]:
    """({month: [PublishedPiece]} of the periods that count, [months with nothing approved public],
    [(month, approval day) approved after the deadline])."""
    counted, missing, late = {}, [], []
    for month in item.period_months:
        row = periods.get(month)
        if row is None or not row.published or row.approved_at is None:
            missing.append(month)
            continue
        approved_on = timezone.localtime(row.approved_at).date()
        if approved_on > deadline:
            late.append((month, approved_on))
            continue
        counted[month] = [PublishedPiece.of(entry) for entry in row.published]
    return counted, missing, late


def _missing_reasons(item, periods: dict, missing: list, holders: Holders) -> list[dict]:
    """Periods with nothing approved public, grouped by who must act: the commander for what was
    checked, the controllers for what was submitted, the responsible officers for the rest."""
    groups = {ItemPeriod.CHECKED: [], ItemPeriod.SUBMITTED: [], None: []}
    for month in missing:
        row = periods.get(month)
        state = row.state if row is not None else None
        groups[state if state in groups else None].append(month)
    reasons = []
    if groups[None]:
        next_step = (_("Add the evidence (or declare “none this month” where that is allowed), submit it, and have it checked and approved.")
                     if item.none_allowed else _("Add the evidence, submit it, and have it checked and approved."))
        reasons.append(_reason(_("Nothing approved is public for %(periods)s.") % {"periods": _periods_label(groups[None])},
                               next_step, holders.responsible, RESPONSIBLE))
    if groups[ItemPeriod.SUBMITTED]:
        reasons.append(_reason(
            _("Submitted but not yet checked or approved: %(periods)s.") % {"periods": _periods_label(groups[ItemPeriod.SUBMITTED])},
            _("Check the submitted evidence so that the commander can approve it."), holders.controllers, CONTROLLER))
    if groups[ItemPeriod.CHECKED]:
        reasons.append(_reason(
            _("Checked but not yet approved: %(periods)s.") % {"periods": _periods_label(groups[ItemPeriod.CHECKED])},
            _("Approve it: only approved evidence is public."), holders.commander, COMMANDER))
    return reasons


def _rule_reasons(item, counted: dict, missing: list, late: list, holders: Holders) -> list[dict]:
    """The item's rules on what is public. Periods already reported as missing or late are not
    reported again ("no evidence for October"); with none counted there is nothing to judge."""
    if not counted:
        return []
    skipped = set(missing) | {month for month, _day in late}
    result = checks.evaluate(item, counted)
    return [_reason(failure.message, _("Correct the evidence and have it approved again: only what is approved is public."),
                    holders.responsible, RESPONSIBLE)
            for failure in result.failures if not (failure.month in skipped and failure.month is not None)]


def _window_reasons(counted: dict, window: tuple, holders: Holders) -> list[dict]:
    start, end = window
    reasons = []
    for pieces in counted.values():
        for piece in pieces:
            if piece.kind == piece.NONE or start <= piece.about_date <= end:
                continue
            reasons.append(_reason(
                _("“%(title)s” is about %(date)s, outside the year's assessment window %(start)s – %(end)s.") % {
                    "title": piece.title, "date": _day(piece.about_date), "start": _day(start), "end": _day(end)},
                _("Replace it with evidence about a day inside the window, and have it approved again."), holders.responsible, RESPONSIBLE))
    return reasons


def _contacts_reasons(unit, holders: Holders) -> list[dict]:
    fields = [(unit.address.strip(), _("address")), (unit.phone.strip(), _("phone")), (unit.email.strip(), _("e-mail")),
              (unit.latitude is not None and unit.longitude is not None, _("map position (latitude and longitude)"))]
    missing = [label for filled, label in fields if not filled]
    if not missing:
        return []
    return [_reason(_("The unit's contact details lack: %(missing)s.") % {"missing": ", ".join(missing)},
                    _("Fill them in on the unit's details page (its public contact page shows them)."), holders.admin, ADMIN)]


def _executives_reasons(unit, holders: Holders) -> list[dict]:
    head = unit.head
    if head is None:
        return [_reason(_("The unit has no head recorded."),
                        _("Choose the head of the unit among its officers (the public page of executives shows them)."),
                        holders.admin, ADMIN)]
    if not head.photo:
        return [_reason(_("The head of the unit, %(name)s, has no photo.") % {"name": head.display_name},
                        _("Add the head's photo on the officer's page."), holders.admin, ADMIN)]
    return []


def _statistics_reasons(window: tuple, today: datetime.date, holders: Holders) -> list[dict]:
    """The complaint statistics (O17 police / O16 immigration) are not typed by anyone: the public
    page computes them from the complaints the portal itself received (channels/stats.py), each
    month's received, finished and in-progress counts, a month without any reading "no complaints",
    which the criterion accepts. So an ended month always has its figures, and no change of a
    complaint can make them missing (nothing to subscribe to). What is not complete is a month that
    has not ended: its figures still move. "Complete" is therefore: every month of the window has
    ended — which only time changes (the nightly refresh)."""
    open_months = [month for month in _months_of(window) if _next_month(month) > today]
    if not open_months:
        return []
    return [_reason(_("The complaint statistics of %(months)s are not final: the month has not ended.") % {
                        "months": _periods_label(open_months)},
                    _("Keep the complaints up to date; the figures become final when the month ends."), holders.admin, ADMIN)]


def _public_reasons(unit) -> list[dict]:
    """The assessors open the unit's public pages without logging in: those of a unit whose type
    publishes OIT items (units.permissions.get_public_unit); any other unit's answer 404."""
    if unit.unit_type.publishes_oit:
        return []
    return [_reason(_("The unit's public pages are not open: its unit type does not publish OIT items."),
                    _("Ask the national administrator to make the unit a publishing unit."), _("the national administrator"), NATIONAL)]


class Calendar(NamedTuple):
    window: tuple
    deadline: datetime.date


def calendar_of(framework) -> Calendar:
    """The framework's window and deadline, read from its scoring data once per framework object
    (a nation's refresh predicts 39,000 items of two frameworks)."""
    found = getattr(framework, "_assessment_calendar", None)
    if found is None:
        found = framework._assessment_calendar = Calendar(framework.window, framework.deadline)
    return found


def predict(item, unit, periods: dict, holders: Holders, today: datetime.date) -> Verdict:
    """The verdict of `item` for `unit`: `periods` {month: PeriodRow} its stored periods (any may be
    absent), `unit` with its type and head loaded. No queries."""
    window, deadline = calendar_of(item.framework)
    counted, missing, late = counted_periods(item, periods, deadline)
    reasons = _public_reasons(unit)
    reasons += _missing_reasons(item, periods, missing, holders)
    for month, approved_on in late:
        reasons.append(_reason(
            _("The evidence of %(period)s was approved on %(date)s, after the deadline %(deadline)s: the assessors read what was public at the deadline.") % {
                "period": _periods_label([month]), "date": _day(approved_on), "deadline": _day(deadline)},
            _("It does not count this year: point to what was public at the deadline in the appeal, if anything was."),
            holders.commander, COMMANDER))
    reasons += _rule_reasons(item, counted, missing, late, holders)
    if item.dated:
        reasons += _window_reasons(counted, window, holders)
    held = item.portal_data
    if CONTACTS in held:
        reasons += _contacts_reasons(unit, holders)
    if EXECUTIVES in held:
        reasons += _executives_reasons(unit, holders)
    if STATISTICS in held:
        reasons += _statistics_reasons(window, today, holders)
    return Verdict(item, HAS if not reasons else HASNT, reasons)


def score(verdicts: list[Verdict]) -> Decimal:
    """100 × points of the items it has / points of all items, to 2 decimals; 0 with no points at all
    (never a pass on missing data)."""
    total = sum(v.points for v in verdicts)
    if not total:
        return Decimal("0.00")
    has = sum(v.points for v in verdicts if v.has)
    return (Decimal(100 * has) / Decimal(total)).quantize(Decimal("0.01"), rounding=ROUND_HALF_UP)
