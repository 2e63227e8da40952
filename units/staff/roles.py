from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from units.models import Invitation, Role
from units.permissions import get_unit_for
from units.role_forms import GrantForm


@login_required
def role_list(request, slug):
    """Who holds which role on the unit; grant and revoke within what the user may grant."""
    unit, access = get_unit_for(request.user, slug, "manage")
    form = GrantForm(request.POST or None, unit=unit, grantable=access.grantable_roles)
    if request.method == "POST":
        if form.is_valid():
            role, invitation = form.save(by=request.user)
            messages.success(request, _("%(user)s is now %(role)s of %(unit)s.")
                             % {"user": role.user.username, "role": role.get_role_display(), "unit": unit})
            if invitation:
                messages.info(request, _("An invitation to choose a password was sent to %(email)s.") % {"email": role.user.email})
            return redirect("roles", slug=unit.slug)
        messages.error(request, _("Nothing was granted: correct the fields marked below."))
    roles = unit.roles.select_related("user__officer", "user__invitation").order_by("user__username", "role")
    context = {"unit": unit, "access": access, "form": form, "roles": roles, "grantable": access.grantable_roles,
               "pending": Invitation.objects.pending().filter(unit=unit).select_related("user")}
    return render(request, "units/roles.html", context, status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def role_revoke(request, slug, pk):
    unit, access = get_unit_for(request.user, slug, "manage")
    role = get_object_or_404(Role.objects.select_related("user"), pk=pk, unit=unit)
    if role.role not in access.grantable_roles:
        raise PermissionDenied
    if not access.may_revoke(role):  # the unit's last admin
        messages.error(request, _("%(user)s is the unit's last administrator; an administrator above the unit can remove them.")
                       % {"user": role.user.username})
        return redirect("roles", slug=unit.slug)
    role.delete()
    messages.success(request, _("%(user)s is no longer %(role)s of %(unit)s.")
                     % {"user": role.user.username, "role": role.get_role_display(), "unit": unit})
    return redirect("roles", slug=unit.slug)
