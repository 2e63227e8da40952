"""Who may do what with the assessment of a unit's year — built on units.permissions.

- view: everyone who sees the unit's workspace (its officers, supervisors, admins above);
- enter the assessors' results (typed or imported): the unit's admin and commander, and the admins
  of the units above it (headquarters enter them for many units at once);
- draft an item's clarification: that item's responsible officer (Assignment.responsible);
- approve a clarification and start the appeal document: the commander.
"""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404

from oit_items.rulebook.models import Framework
from units.models import Role
from units.permissions import Access, get_unit_for, unit_access


@dataclass(frozen=True)
class AssessmentAccess:
    unit: Access
    officer_id: int | None = None

    @property
    def view(self) -> bool:
        return self.unit.view

    @property
    def enter(self) -> bool:
        return self.unit.has(Role.ADMIN) or self.unit.has(Role.COMMANDER) or self.unit.admin_above

    @property
    def approve(self) -> bool:
        return self.unit.has(Role.COMMANDER)

    def may_draft(self, assignment) -> bool:
        """Only an officer the item names as responsible (ผู้รับผิดชอบ) drafts its clarification."""
        if self.unit.superuser:
            return True
        if not self.unit.has(Role.RESPONSIBLE) or assignment is None or self.officer_id is None:
            return False
        return any(o.pk == self.officer_id for o in assignment.responsible.all())


def assessment_access(user, access: Access) -> AssessmentAccess:
    officer = getattr(user, "officer", None) if user is not None and user.is_authenticated else None
    return AssessmentAccess(unit=access, officer_id=getattr(officer, "pk", None))


def may_enter(user, unit) -> bool:
    return assessment_access(user, unit_access(user, unit)).enter


def may_import(user) -> bool:
    """The import page is for whoever may enter results somewhere: each row is then checked on its unit."""
    if user is None or not user.is_authenticated or not user.is_active:
        return False
    return user.is_superuser or Role.objects.filter(user=user, role__in=(Role.ADMIN, Role.COMMANDER)).exists()


def get_assessment_for(user, slug: str, fiscal_year: int, need: str = "view"):
    """(unit, framework, rights) for a staff assessment page; 403 unless the user may `need`, 404
    when the unit has no OIT framework that year."""
    unit, access = get_unit_for(user, slug, "view")
    framework = Framework.objects.filter(unit_type_id=unit.unit_type_id, fiscal_year=fiscal_year).first()
    if framework is None or not unit.unit_type.publishes_oit:
        raise Http404
    rights = assessment_access(user, access)
    if not getattr(rights, need):
        raise PermissionDenied
    return unit, framework, rights
