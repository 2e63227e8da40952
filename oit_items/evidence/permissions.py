"""Who may do what on one item of one unit — built on units.permissions, never beside it.

A unit role says what kind of work someone does; the item's assignment narrows it: only the
officers assigned as responsible (or the unit's admin) upload and submit, and where the item names
controllers only they check it.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from oit_items.evidence.models import Assignment, Evidence, ItemPeriod, Revision
from oit_items.rulebook.models import Item
from units.models import Role
from units.permissions import Access, get_unit_for, unit_access


@dataclass(frozen=True)
class ItemAccess:
    unit: Access
    upload: bool = False   # add, replace, remove evidence; submit
    check: bool = False
    approve: bool = False

    @property
    def view(self) -> bool:
        return self.unit.view

    @property
    def submit(self) -> bool:
        return self.upload

    @property
    def send_back(self) -> bool:
        return self.check or self.approve

    @property
    def take_down(self) -> bool:
        return self.unit.take_down

    def may(self, need: str) -> bool:
        return getattr(self, need)


def item_access(user, access: Access, assignment: Assignment | None) -> ItemAccess:
    officer_id = getattr(getattr(user, "officer", None), "pk", None) if user.is_authenticated else None
    responsible = {o.pk for o in assignment.responsible.all()} if assignment else set()
    controllers = {o.pk for o in assignment.controllers.all()} if assignment else set()
    return ItemAccess(
        unit=access,
        upload=access.has(Role.ADMIN) or (access.has(Role.RESPONSIBLE) and (officer_id in responsible or access.superuser)),
        check=access.has(Role.CONTROLLER) and (not controllers or officer_id in controllers or access.superuser),
        approve=access.has(Role.COMMANDER),
    )


def get_item_for(user, slug: str, fiscal_year: int, code: str, need: str = "view"):
    """(unit, item, assignment, item access) for a staff item page; 403/404 as appropriate."""
    unit, access = get_unit_for(user, slug, "view")
    item = get_object_or_404(
        Item.objects.for_unit(unit, fiscal_year).select_related("framework"), code__iexact=code
    )
    assignment = (
        Assignment.objects.filter(unit=unit, item=item).prefetch_related("responsible", "controllers").first()
    )
    rights = item_access(user, access, assignment)
    if not rights.may(need):
        raise PermissionDenied
    return unit, item, assignment, rights


def get_evidence_for(user, pk: int, need: str = "upload"):
    evidence = get_object_or_404(
        Evidence.objects.select_related("item_period__unit", "item_period__item__framework", "current_revision"), pk=pk
    )
    period = evidence.item_period
    assignment = Assignment.objects.filter(unit=period.unit, item=period.item).prefetch_related("responsible", "controllers").first()
    rights = item_access(user, unit_access(user, period.unit), assignment)
    if not rights.may(need):
        raise PermissionDenied
    return evidence, rights


def get_revision_for(user, pk: int) -> Revision:
    """A stored file for staff who may see its unit's workspace."""
    revision = get_object_or_404(Revision.objects.select_related("evidence__item_period__unit"), pk=pk)
    if not unit_access(user, revision.evidence.item_period.unit).view:
        raise Http404  # do not confirm that the file exists
    return revision


def period_of(unit, item, month) -> ItemPeriod:
    """The period row for a unit's item and month, created on first use."""
    period, _ = ItemPeriod.objects.get_or_create(unit=unit, item=item, month=month)
    return period
