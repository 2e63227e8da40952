"""Who may do what with a unit's integrity measures — composed from units.permissions, never
beside it: everyone who may view the unit (its roles, the supervisors above) sees the measures;
the unit's admin and its commander edit them, record progress and produce the documents."""

from dataclasses import dataclass

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404

from measures.models import MeasurePlan, ProgressPhoto
from units.permissions import Access, get_unit_for, unit_access


@dataclass(frozen=True)
class MeasuresAccess:
    unit: Access

    @property
    def view(self) -> bool:
        return self.unit.view

    @property
    def edit(self) -> bool:
        return self.unit.administer or self.unit.approve

    def may(self, need: str) -> bool:
        if need not in ("view", "edit"):
            raise ValueError(f"unknown permission {need!r}")
        return getattr(self, need)


def measures_access(user, unit) -> MeasuresAccess:
    return MeasuresAccess(unit_access(user, unit))


def get_unit_measures_for(user, slug: str, need: str = "view"):
    """(unit, measures access) for a staff page; 403 unless the user may `need`."""
    unit, access = get_unit_for(user, slug, "view")
    rights = MeasuresAccess(access)
    if not rights.may(need):
        raise PermissionDenied
    return unit, rights


def get_plan_for(user, slug: str, fiscal_year: int, need: str = "view"):
    """(unit, plan, access); 404 when the unit has no plan for that year."""
    unit, rights = get_unit_measures_for(user, slug, need)
    plan = get_object_or_404(MeasurePlan.objects.select_related("unit", "briefing_chair_officer"),
                             unit=unit, fiscal_year=fiscal_year)
    return unit, plan, rights


def get_photo_for(user, pk: int) -> ProgressPhoto:
    """A progress photo for staff who may see its unit; 404 otherwise (do not confirm it exists)."""
    photo = get_object_or_404(ProgressPhoto.objects.select_related(
        "update__measure__plan__unit", "update__activity__plan__unit"), pk=pk)
    if not measures_access(user, photo.update.target.plan.unit).view:
        raise Http404
    return photo
