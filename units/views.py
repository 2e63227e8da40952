from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from ita_portal import thaidate
from oit_items.models import Assignment, Framework

from . import handover
from .forms import ReassignForm
from .models import Officer, Role, Unit
from .permissions import get_unit_for, may_edit_frameworks, may_import, supervised_units, unit_access


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
        "officers": officers,
        "menu": {"import": may_import(request.user), "frameworks": may_edit_frameworks(request.user)} if access.manage else {},
    }
    if not unit.unit_type.publishes_oit:  # a middle level: the units right below it, not a workspace
        from overview.figures import tree

        figures = tree(unit, asked_year, timezone.localdate())
        context.update(fiscal_year=figures.fiscal_year, years=figures.years)
        below = figures.root.children
        context["below"] = [(f, unit_access(request.user, Unit(id=f.pk, path=f.unit["path"]))) for f in below]
    return render(request, "units/unit_detail.html", context)


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
