"""Handing everything a leaver holds to a successor, from the unit's page (those who run the unit)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _

from oit_items.evidence.models import Assignment
from units import handover
from units.forms import ReassignForm
from units.models import Officer
from units.permissions import get_unit_for


@login_required
def reassign_officer(request, slug, pk):
    """Hand everything a leaver holds to a successor in one step (those who run the unit)."""
    unit, access = get_unit_for(request.user, slug, "manage")
    leaver = get_object_or_404(Officer, pk=pk, unit=unit)
    form = ReassignForm(request.POST or None, leaver=leaver)
    if request.method == "POST" and form.is_valid():
        successor = form.cleaned_data["successor"]
        result = handover.hand_over(leaver, successor, retire=form.cleaned_data["retire"], revoke_roles=form.cleaned_data["revoke"],
                                    access=access)
        messages.success(
            request,
            _("%(count)s items of %(leaver)s now belong to %(successor)s.")
            % {"count": result.count_of(Assignment), "leaver": leaver.display_name, "successor": successor.display_name},
        )
        if result.others():
            messages.success(request, _("Also handed over: %(others)s.") % {"others": result.others()})
        if result.kept:
            messages.warning(request, _("The roles of %(user)s that you may not remove were kept: %(roles)s.")
                             % {"user": leaver.user.username, "roles": ", ".join(r.get_role_display() for r in result.kept)})
        return redirect("unit-detail", slug=unit.slug)
    items = Assignment.objects.filter(unit=unit).of_officer(leaver).select_related("item", "item__framework")
    held = {str(model._meta.verbose_name_plural): count for model, count in handover.holdings(leaver).items()}
    context = {"unit": unit, "access": access, "leaver": leaver, "form": form, "items": items, "held": held}
    return render(request, "units/reassign.html", context)
