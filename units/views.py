from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import redirect, render

from units.models import Role, Unit
from units.permissions import supervised_units


@login_required
def dashboard(request):
    supervised = supervised_units(request.user)
    if supervised and not request.user.unit_roles.exclude(role=Role.SUPERVISOR).exists():
        return redirect("overview", slug=supervised[0].slug)  # supervisors start on their overview
    units = (
        Unit.objects.visible_to(request.user)
        .select_related("unit_type", "parent")
        .annotate(officer_count=Count("officers", filter=Q(officers__is_active=True)))
    )
    return render(request, "units/dashboard.html", {"units": units})
