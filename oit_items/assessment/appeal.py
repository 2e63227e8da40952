"""The appeal: in the framework's appeal window (FY2567: 17–26 June 2567) the unit clarifies item by
item what the assessors marked "hasn't" in the preliminary result. The item's responsible officer
drafts the clarification, pointing at the item as it was frozen for ITAP (the assessors re-read only
that link); the commander approves it. Every refusal says why, in Thai.

Each save and the approval add one to `Clarification.version`; the form carries the version it was
opened with, and an older one is refused (two people editing at once would otherwise lose a text).
"""

import datetime

from django.db import transaction
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from ita_portal.lib import site, thaidate
from oit_items.assessment.models import HASNT, AssessedItem, Clarification, FrozenItem


class AppealRefused(Exception):
    def __init__(self, message):
        self.message = message
        super().__init__(message)


class StaleEdit(AppealRefused):
    """Changed by someone else since the form was opened."""


def window_open(framework, today: datetime.date | None = None) -> bool:
    window = framework.appeal_window
    today = today or timezone.localdate()
    return window is not None and window[0] <= today <= window[1]


def window_text(framework) -> str:
    window = framework.appeal_window
    if window is None:
        return ""
    return f"{thaidate.thai_date(window[0])} – {thaidate.thai_date(window[1])}"


def _require_window(framework, today) -> None:
    if window_open(framework, today):
        return
    if framework.appeal_window is None:
        raise AppealRefused(_("Fiscal year %(year)s has no appeal period.") % {"year": framework.fiscal_year})
    raise AppealRefused(_("Clarifications are accepted only in the appeal period, %(period)s.")
                        % {"period": window_text(framework)})


def _require_disputed(assessed: AssessedItem | None) -> None:
    if assessed is None or assessed.preliminary != HASNT:
        raise AppealRefused(_("Only an item the preliminary result marks “hasn't” (ไม่มี) can be clarified."))


def _require_version(clarification: Clarification | None, expected) -> None:
    current = clarification.version if clarification else 0
    try:
        expected = int(expected)
    except (TypeError, ValueError):
        expected = -1
    if expected != current:
        raise StaleEdit(_("Someone changed this clarification after you opened it: reload the page, read it "
                              "and make your change again."))


def frozen_item_of(assessed: AssessedItem) -> FrozenItem | None:
    return FrozenItem.objects.filter(record__unit_id=assessed.unit_id, record__fiscal_year=assessed.fiscal_year,
                                     item_id=assessed.item_id).first()


def draft(assessed: AssessedItem | None, framework, text: str, user, rights, assignment, expected_version,
          today=None) -> Clarification:
    """Create or change the clarification of a disputed item (back to draft if it was approved)."""
    if not rights.may_draft(assignment):
        raise AppealRefused(_("Only the officer responsible for this item drafts its clarification."))
    _require_window(framework, today)
    _require_disputed(assessed)
    text = (text or "").strip()
    if not text:
        raise AppealRefused(_("Write the clarification."))
    with transaction.atomic():
        found = Clarification.objects.select_for_update().filter(assessed=assessed).first()
        _require_version(found, expected_version)
        if found is None:
            found = Clarification(assessed=assessed, version=0)
        found.text, found.drafted_by, found.state = text, user, Clarification.DRAFT
        found.approved_by, found.approved_at = None, None
        found.frozen_item = frozen_item_of(assessed)
        found.version += 1
        found.save()
    return found


def approve(clarification: Clarification | None, framework, user, rights, expected_version, today=None) -> Clarification:
    if not rights.approve:
        raise AppealRefused(_("Only the commander approves a clarification."))
    _require_window(framework, today)
    if clarification is None:
        raise AppealRefused(_("There is no clarification to approve yet."))
    _require_disputed(clarification.assessed)
    with transaction.atomic():
        found = Clarification.objects.select_for_update().get(pk=clarification.pk)
        _require_version(found, expected_version)
        if found.state == Clarification.APPROVED:
            raise AppealRefused(_("This clarification is already approved."))
        found.state, found.approved_by, found.approved_at = Clarification.APPROVED, user, timezone.now()
        found.version += 1
        found.save(update_fields=["state", "approved_by", "approved_at", "version"])  # drafted_at stays the draft's
    return found


def submitted_url(unit, fiscal_year: int, code: str) -> str:
    """The public page of the item as submitted to ITAP (its frozen record), with the site's address."""
    return site.site_url().rstrip("/") + reverse("itap-submitted-item", args=(unit.slug, fiscal_year, code.lower()))
