"""EIT/IIT quotas: minimum respondents per line of work, collectors, counts as collection goes."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Max
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from .. import quotas
from ..forms import CountForm, QuotaForm
from ..models import SurveyQuota
from ..permissions import get_plan_for
from .common import base_context, check_year


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
