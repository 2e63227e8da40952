"""The approval workflow of an item period: draft → submitted → checked → approved, or returned
with a comment at either step. Approval freezes the evidence as the public snapshot.

Guarded: checking or approving a period whose automatic checks fail needs an explicit override
with a reason (kept in the audit log with the failures), and an approval may name the snapshot the
commander reviewed, so that nothing else becomes public than what they saw."""

import hashlib
import json

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from oit_items.evidence import audit, checks, notifications
from oit_items.evidence.models import Evidence, ItemPeriod
from units.signals import published_record_changed

ACTIONS = {
    # action: (states it may start from, state it leads to, the right it needs)
    "submit": ({ItemPeriod.DRAFT, ItemPeriod.RETURNED}, ItemPeriod.SUBMITTED, "submit"),
    "check": ({ItemPeriod.SUBMITTED}, ItemPeriod.CHECKED, "check"),
    "approve": ({ItemPeriod.CHECKED}, ItemPeriod.APPROVED, "approve"),
    "return": ({ItemPeriod.SUBMITTED, ItemPeriod.CHECKED}, ItemPeriod.RETURNED, "send_back"),
}
ACTION_LABELS = {
    "submit": gettext_lazy("Submit for checking"),
    "check": gettext_lazy("Mark as checked"),
    "approve": gettext_lazy("Approve and publish"),
    "return": gettext_lazy("Return for correction"),
}


GUARDED = ("check", "approve")


class WorkflowError(Exception):
    def __init__(self, message):
        self.message = message
        super().__init__(message)


class ChecksFailed(WorkflowError):
    """The period fails its automatic checks and no reason to pass it anyway was given."""

    def __init__(self, failures):
        self.failures = failures
        super().__init__(_("The automatic checks fail: give the reason for passing it anyway."))


def snapshot_of(evidence: list) -> list[dict]:
    return [e.snapshot() for e in evidence]


def fingerprint(snapshot: list[dict]) -> str:
    """A short digest of what an approval would publish: the review page sends it back."""
    return hashlib.sha256(json.dumps(snapshot, sort_keys=True, default=str).encode()).hexdigest()[:32]


def available_actions(period: ItemPeriod | None, rights) -> list[str]:
    state = period.state if period else ItemPeriod.EMPTY
    actions = [a for a, (sources, _target, need) in ACTIONS.items() if state in sources and rights.may(need)]
    if "return" in actions and state == ItemPeriod.CHECKED and not rights.approve:
        actions.remove("return")  # once checked, only the commander sends it back
    return actions


@transaction.atomic
def transition(period: ItemPeriod, action: str, user, rights, comment: str = "", ip=None, override: str = "",
               expected: str | None = None, checked: checks.ItemCheck | None = None) -> ItemPeriod:
    """Take one step. `override`: the reason for checking or approving despite failing checks.
    `expected`: the fingerprint of the snapshot the approver reviewed (refused if it changed).
    `checked`: the item's checks as the caller's review evaluated them; used here, and for the stored
    readiness, as long as the evidence is still what they judged (else the checks run again)."""
    period = (ItemPeriod.objects.select_for_update(of=("self",)).select_related("unit", "item__framework")
              .get(pk=period.pk))
    if action not in ACTIONS:
        raise WorkflowError(_("Unknown action."))
    if action not in available_actions(period, rights):
        if not rights.may(ACTIONS[action][2]):
            raise PermissionDenied
        raise WorkflowError(_("This period is “%(state)s” and cannot take that step now.") % {"state": period.get_state_display()})
    comment, override = comment.strip(), override.strip()
    if action == "return" and not comment:
        raise WorkflowError(_("Say what must be corrected when you return it."))
    evidence = Evidence.objects.by_month(period.unit_id, period.item_id)  # every month: rules may count the year
    current = evidence.get(period.month, [])
    if action == "submit" and not current:
        raise WorkflowError(_("Add evidence, or declare that there is none this period, before submitting."))
    if action != "return" and checks.contradicts(current):  # no reason can pass it: the public would read both
        raise WorkflowError(_("This period declares “none” and holds evidence too: remove one of them first."))
    details = {}
    if action in GUARDED:
        checked = checks.evaluate_once(period.item, evidence, checked)
        failures = checked.period(period.month).failures
        if failures and not override:
            raise ChecksFailed(failures)
        if failures:
            details = {"override": override, "failures": [f.message for f in failures]}
    snapshot = snapshot_of(current)
    if action == "approve" and expected is not None and expected != fingerprint(snapshot):
        raise WorkflowError(_("The evidence changed after you opened this page: look at what becomes public again."))
    changes = {}
    if action == "approve":
        changes = {"published": snapshot, "published_version": period.published_version + 1,
                   "approved_at": timezone.now(), "approved_by": user}
    elif action == "return":
        changes = {"return_comment": comment, "returned_at": timezone.now(), "returned_by_name": audit.actor_name(user)}
    elif action == "submit":  # resubmitted: the correction note has done its work (the log keeps it)
        changes = {"return_comment": "", "returned_at": None, "returned_by_name": ""}
    audit.record(user, period.unit, action, ip=ip, item_period=period, comment=comment or override, previous=period.state,
                 evidence_ids=[e.pk for e in current], **details)
    period.move_to(ACTIONS[action][1], checked=checked, **changes)
    if action == "approve":
        transaction.on_commit(lambda: published_record_changed.send(sender=ItemPeriod, unit=period.unit))
    notifications.transition_happened(period.pk, action, user.pk, comment)  # its task goes after the commit
    return period


def evidence_changed(period: ItemPeriod) -> None:
    """What every evidence service calls once its change is made (and audited): the period reopens
    (see `ItemPeriod.reopen`) and its stored readiness follows."""
    period.reopen()
