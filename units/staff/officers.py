from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ita_portal.lib import stored
from units.forms import OfficerForm
from units.handover import holdings
from units.models import Officer
from units.permissions import get_unit_for
from units.signals import unit_details_changed
from units.staff.unit import serve_image


@login_required
def officer_list(request, slug):
    unit, access = get_unit_for(request.user, slug, "view")
    officers = unit.officers.select_related("line_of_work", "user").order_by("-is_active", "last_name", "first_name")
    return render(request, "units/officers.html", {"unit": unit, "access": access, "officers": officers})


def _officer_of(unit, pk):
    return get_object_or_404(Officer.objects.select_related("user", "line_of_work"), pk=pk, unit=unit)


@login_required
def officer_form(request, slug, pk=None):
    """Add an officer, or edit one (photo included). Officers are retired, never deleted."""
    unit, access = get_unit_for(request.user, slug, "manage")
    officer = _officer_of(unit, pk) if pk else None
    form = OfficerForm(request.POST or None, request.FILES or None, instance=officer, unit=unit)
    if request.method == "POST":
        if form.is_valid():
            try:
                with stored.atomic():  # a new photo is a stored file
                    officer = form.save()
            except stored.StorageFailed as failed:  # nothing saved: the form again, as typed
                form.add_error("photo", failed.message)
            else:
                messages.success(request, _("%(name)s is saved.") % {"name": officer.display_name})
                return redirect("officers", slug=unit.slug)
        messages.error(request, _("Nothing was saved: correct the fields marked below (a photo has to be chosen again)."))
    context = {"unit": unit, "access": access, "form": form, "officer": officer}
    return render(request, "units/officer_form.html", context, status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def officer_retire(request, slug, pk):
    unit, _access = get_unit_for(request.user, slug, "manage")
    officer = _officer_of(unit, pk)
    if request.POST.get("reinstate"):
        officer.is_active = True
        officer.save(update_fields=["is_active"])
        messages.success(request, _("%(name)s serves in the unit again.") % {"name": officer.display_name})
        return redirect("officers", slug=unit.slug)
    # a retired officer still holding work (items, measures, quotas …) would keep receiving it
    held = sum(holdings(officer).values())
    if held:
        messages.error(request, _("%(name)s still holds %(count)s items, measures or duties (or is the head of unit): "
                                  "hand them over first.") % {"name": officer.display_name, "count": held})
        return redirect("officer-reassign", slug=unit.slug, pk=officer.pk)
    officer.is_active = False
    officer.save(update_fields=["is_active"])
    messages.success(request, _("%(name)s no longer serves in the unit (kept in the records).") % {"name": officer.display_name})
    return redirect("officers", slug=unit.slug)


@login_required
@require_POST
def make_head(request, slug, pk):
    unit, _access = get_unit_for(request.user, slug, "manage")
    officer = _officer_of(unit, pk)
    if not officer.is_active:
        raise Http404
    unit.head = officer
    unit.save(update_fields=["head"])
    unit_details_changed.send(sender=type(unit), unit=unit)  # its public contact details name the head
    messages.success(request, _("%(name)s is now the head of %(unit)s.") % {"name": officer.display_name, "unit": unit})
    return redirect("officers", slug=unit.slug)


@login_required
def officer_photo(request, slug, pk):
    unit, _access = get_unit_for(request.user, slug, "view")
    officer = _officer_of(unit, pk)
    if not officer.photo:
        raise Http404
    return serve_image(officer.photo, str(officer.key or officer.pk))
