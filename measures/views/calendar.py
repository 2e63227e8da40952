"""The ITA calendar of the unit: phases, where the unit stands, what is due."""

import datetime

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Max
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from measures import schedule
from measures.forms import PhaseForm
from measures.models import CalendarPhase
from measures.permissions import get_plan_for
from measures.views.common import base_context, check_year


@login_required
def calendar_view(request, slug, fiscal_year):
    check_year(fiscal_year)
    unit, plan, rights = get_plan_for(request.user, slug, fiscal_year)
    today = timezone.localdate()
    phases = list(plan.phases.prefetch_related("responsible", "controllers"))
    context = base_context(unit, plan, rights, fiscal_year, "calendar")
    status = schedule.calendar_status(unit, fiscal_year, today)
    context.update(phases=phases, status=status, calendar_status=status,
                   upcoming=schedule.deadlines(plan, today, today + datetime.timedelta(days=60), phases=phases))
    return render(request, "measures/calendar.html", context)


@login_required
def phase_edit(request, slug, fiscal_year, pk=None):
    check_year(fiscal_year)
    unit, plan, rights = get_plan_for(request.user, slug, fiscal_year, "edit")
    phase = get_object_or_404(CalendarPhase, plan=plan, pk=pk) if pk else None
    form = PhaseForm(request.POST or None, instance=phase, plan=plan)
    if request.method == "POST" and form.is_valid():
        if phase is None:
            form.instance.order = (plan.phases.aggregate(n=Max("order"))["n"] or 0) + 1
        form.save()
        messages.success(request, _("Saved."))
        return redirect("measures-calendar", unit.slug, fiscal_year)
    context = base_context(unit, plan, rights, fiscal_year, "calendar")
    context.update(form=form, heading=_("Calendar phase"))
    return render(request, "measures/form.html", context, status=400 if request.method == "POST" else 200)
