from django.contrib.auth.decorators import login_required
from django.shortcuts import render

from oit_items.evidence.history import unit_history
from units.permissions import get_unit_for


@login_required
def history(request, slug):
    """Who changed the unit's details, officers, roles and assignments, when, before and after."""
    unit, access = get_unit_for(request.user, slug, "manage")
    return render(request, "units/history.html", {"unit": unit, "access": access, "entries": unit_history(unit)})
