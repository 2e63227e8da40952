from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Max
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _

from ita_portal.lib.uploads import UploadRejected
from measures import briefing, progress
from measures.forms import PlanForm
from measures.models import Measure, MeasurePlan
from measures.permissions import get_unit_measures_for
from measures.views.common import base_context, check_year, current_fiscal_year, refuse_unsafe_names
from units.signals import unit_details_changed

DEFAULT_TITLE = "มาตรการยกระดับคุณธรรมและความโปร่งใสภายในหน่วยงาน"  # the document's title, in Thai


@login_required
def home(request, slug):
    """The measures of the current fiscal year, or of the latest year the unit has."""
    unit, _rights = get_unit_measures_for(request.user, slug)
    years = list(MeasurePlan.objects.filter(unit=unit).order_by("-fiscal_year").values_list("fiscal_year", flat=True))
    current = current_fiscal_year()
    return redirect("measures-plan", unit.slug, current if current in years or not years else years[0])


def _annotated(queryset):
    return queryset.for_plan_page().annotate(update_count=Count("updates"), last_update=Max("updates__date"))


@login_required
def plan_view(request, slug, fiscal_year):
    check_year(fiscal_year)
    unit, rights = get_unit_measures_for(request.user, slug)
    plan = MeasurePlan.objects.filter(unit=unit, fiscal_year=fiscal_year).select_related("briefing_chair_officer").first()
    context = base_context(unit, plan, rights, fiscal_year, "plan")
    if plan is not None:
        measures = list(_annotated(plan.measures.select_related("item")))
        activities = list(_annotated(plan.activities))
        context.update(
            groups=[(area, label, [m for m in measures if m.area == area]) for area, label in Measure.AREAS],
            activities=activities,
            analyses=list(plan.analyses.all()),
            overdue=sum(row.overdue for row in measures + activities),
        )
    return render(request, "measures/plan.html", context)


@login_required
def plan_edit(request, slug, fiscal_year):
    check_year(fiscal_year)
    unit, rights = get_unit_measures_for(request.user, slug, "edit")
    plan = (MeasurePlan.objects.filter(unit=unit, fiscal_year=fiscal_year).first()
            or MeasurePlan(unit=unit, fiscal_year=fiscal_year, title=DEFAULT_TITLE))
    form = PlanForm(request.POST or None, request.FILES or None, instance=plan, unit=unit)
    if request.method == "POST":
        refuse_unsafe_names(request, form, "briefing_photos")
    if request.method == "POST" and form.is_valid() and _saved(form):
        if "eit_survey_url" in form.changed_data:
            unit_details_changed.send(sender=type(unit), unit=unit)  # the unit's public home page shows the EIT survey address
        messages.success(request, _("Saved."))
        return redirect("measures-plan", unit.slug, fiscal_year)
    context = base_context(unit, plan if plan.pk else None, rights, fiscal_year, "plan")
    context.update(form=form, heading=_("Plan and document texts"))
    return render(request, "measures/form.html", context, status=400 if request.method == "POST" else 200)


def _saved(form) -> bool:
    """The plan with its briefing photos (each checked like any upload), or the form with the reason."""
    data = form.cleaned_data
    try:
        photos = progress.validate_photos(data.get("briefing_photos") or [])
        briefing.save_plan(form, photos, data.get("briefing_photo_caption", ""), data.get("remove_briefing_photos") or [])
    except UploadRejected as rejected:  # StorageFailed too: nothing of the plan is kept, the form stays filled in
        form.add_error("briefing_photos", rejected.message)
        return False
    return True
