"""The staff page of one unit: its officers and item assignments for a fiscal year, or, for a level
above the stations, the units right below it with their readiness."""

from django.contrib.auth.decorators import login_required
from django.shortcuts import render
from django.utils import timezone

from ita_portal.lib import thaidate
from oit_items.assessment.models import UnitScore
from oit_items.evidence.models import Assignment
from oit_items.overview.figures import tree
from oit_items.rulebook.models import Framework
from units.models import Unit
from units.permissions import get_unit_for, may_edit_frameworks, may_import, unit_access


def _current_fiscal_year():
    return thaidate.fiscal_year(timezone.localdate())


@login_required
def unit_detail(request, slug, fiscal_year=None):
    unit, access = get_unit_for(request.user, slug, "view")
    asked_year = fiscal_year
    years = list(
        Framework.objects.filter(unit_type_id=unit.unit_type_id).values_list("fiscal_year", flat=True).order_by("-fiscal_year")
    )
    if fiscal_year is None:
        current = _current_fiscal_year()
        fiscal_year = current if current in years else (years[0] if years else current)
    officers = unit.officers.select_related("line_of_work", "user").order_by("-is_active", "last_name")
    context = {
        "unit": unit,
        "access": access,
        "fiscal_year": fiscal_year,
        "years": years,
        "assignments": Assignment.objects.for_unit(unit, fiscal_year) if unit.unit_type.publishes_oit else [],
        # The predicted score of the year, as stored: a summary here, the items on its own page.
        "score": UnitScore.objects.filter(unit=unit, fiscal_year=fiscal_year).first() if unit.unit_type.publishes_oit else None,
        "officers": officers,
        "menu": {"import": may_import(request.user), "frameworks": may_edit_frameworks(request.user)} if access.manage else {},
    }
    if not unit.unit_type.publishes_oit:  # a middle level: the units right below it, not a workspace
        figures = tree(unit, asked_year, timezone.localdate())
        context.update(fiscal_year=figures.fiscal_year, years=figures.years)
        below = figures.root.children
        context["below"] = [(f, unit_access(request.user, Unit(id=f.pk, path=f.unit["path"]))) for f in below]
    return render(request, "units/unit_detail.html", context)
