"""The approval workflow of an item period: draft → submitted → checked → approved, or returned
with a comment at either step. Approval freezes the evidence as the public snapshot."""

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from . import audit, notifications, publication, readiness
from .models import Evidence, ItemPeriod

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


class WorkflowError(Exception):
    def __init__(self, message):
        self.message = message
        super().__init__(message)


def available_actions(period: ItemPeriod | None, rights) -> list[str]:
    state = period.state if period else ItemPeriod.EMPTY
    actions = [a for a, (sources, _target, need) in ACTIONS.items() if state in sources and rights.may(need)]
    if "return" in actions and state == ItemPeriod.CHECKED and not rights.approve:
        actions.remove("return")  # once checked, only the commander sends it back
    return actions


@transaction.atomic
def transition(period: ItemPeriod, action: str, user, rights, comment: str = "", ip=None) -> ItemPeriod:
    period = ItemPeriod.objects.select_for_update().select_related("unit", "item").get(pk=period.pk)
    if action not in ACTIONS:
        raise WorkflowError(_("Unknown action."))
    if action not in available_actions(period, rights):
        if not rights.may(ACTIONS[action][2]):
            raise PermissionDenied
        raise WorkflowError(_("This period is “%(state)s” and cannot take that step now.") % {"state": period.get_state_display()})
    comment = comment.strip()
    if action == "return" and not comment:
        raise WorkflowError(_("Say what must be corrected when you return it."))
    current = list(Evidence.objects.current().filter(item_period=period).select_related("current_revision"))
    if action == "submit" and not current:
        raise WorkflowError(_("Add evidence, or declare that there is none this period, before submitting."))
    previous = period.state
    period.state = ACTIONS[action][1]
    if action == "approve":
        period.published = [e.snapshot() for e in current]
        period.published_version += 1
        period.approved_at = timezone.now()
        period.approved_by = user
    period.save()
    if action == "approve":
        transaction.on_commit(lambda: publication.bump(period.unit))
    audit.record(user, period.unit, action, ip=ip, item_period=period, comment=comment, previous=previous,
                 evidence_ids=[e.pk for e in current])
    readiness.refresh_period(period)
    transaction.on_commit(lambda: notifications.transition_happened(period.pk, action, user.pk, comment))
    return period


def evidence_changed(period: ItemPeriod) -> None:
    """Changing evidence after submission takes the period back to draft; the public keeps the
    approved snapshot until the next approval."""
    if period.state in (ItemPeriod.SUBMITTED, ItemPeriod.CHECKED, ItemPeriod.APPROVED):
        period.state = ItemPeriod.DRAFT
        period.save(update_fields=["state", "updated_at"])
    readiness.refresh_period(period)
