"""EIT/IIT quotas: minimum respondents per line of work, collectors, counts as collection goes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Max
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from measures import quotas
from measures.forms import CountForm, EitLinkForm, QuotaForm
from measures.models import MeasurePlan, SurveyQuota
from measures.permissions import get_plan_for, get_unit_measures_for
from measures.views.common import base_context, check_year
from measures.views.plan import DEFAULT_TITLE
from units.signals import unit_details_changed


@login_required
def quotas_view(request, slug, fiscal_year):
    check_year(fiscal_year)
    unit, plan, rights = get_plan_for(request.user, slug, fiscal_year)
    form = CountForm(request.POST or None, initial={"date": timezone.localdate()}, auto_id="id_count_%s")
    if request.method == "POST":
        if not rights.edit:
            raise PermissionDenied
        if form.is_valid():
            quota = get_object_or_404(SurveyQuota, plan=plan, pk=form.cleaned_data["quota"])
            quotas.record_count(quota, form.cleaned_data["date"], form.cleaned_data["count"], request.user)
            messages.success(request, _("Count saved for %(group)s.") % {"group": quota.label})
            return redirect("measures-quotas", unit.slug, fiscal_year)
    context = base_context(unit, plan, rights, fiscal_year, "quotas")
    context.update(surveys=quotas.progress(plan), form=form)
    return render(request, "measures/quotas.html", context, status=400 if request.method == "POST" else 200)


@login_required
def eit_link(request, slug, fiscal_year):
    """The EIT survey address of a year: the unit's admin (or commander) sets it; the plan is
    started if the unit has none yet for that year."""
    check_year(fiscal_year)
    unit, rights = get_unit_measures_for(request.user, slug, "edit")
    plan = (MeasurePlan.objects.filter(unit=unit, fiscal_year=fiscal_year).first()
            or MeasurePlan(unit=unit, fiscal_year=fiscal_year, title=DEFAULT_TITLE))
    form = EitLinkForm(request.POST or None, instance=plan)
    if request.method == "POST" and form.is_valid():
        form.save()
        unit_details_changed.send(sender=type(unit), unit=unit)  # the public home page shows the link
        messages.success(request, _("The EIT survey address is saved; the unit's public page shows it."))
        return redirect("measures-quotas", unit.slug, fiscal_year)
    context = base_context(unit, plan if plan.pk else None, rights, fiscal_year, "quotas")
    context.update(form=form, heading=_("EIT survey address"))
    return render(request, "measures/form.html", context, status=400 if request.method == "POST" else 200)


@login_required
def quota_edit(request, slug, fiscal_year, pk=None):
    check_year(fiscal_year)
    unit, plan, rights = get_plan_for(request.user, slug, fiscal_year, "edit")
    quota = get_object_or_404(SurveyQuota, plan=plan, pk=pk) if pk else None
    form = QuotaForm(request.POST or None, instance=quota, plan=plan)
    if request.method == "POST" and form.is_valid():
        if quota is None:
            form.instance.order = (plan.quotas.aggregate(n=Max("order"))["n"] or 0) + 1
        form.save()
        messages.success(request, _("Saved."))
        return redirect("measures-quotas", unit.slug, fiscal_year)
    context = base_context(unit, plan, rights, fiscal_year, "quotas")
    context.update(form=form, heading=_("Survey quota"))
    return render(request, "measures/form.html", context, status=400 if request.method == "POST" else 200)
