"""A measure or an activity: its page with progress (and the form to add some), add and edit."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Max
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _

from ita_portal.lib import stored
from ita_portal.lib.uploads import UploadRejected
from measures import progress
from measures.forms import ActivityForm, MeasureForm, ProgressForm
from measures.models import Activity, Measure
from measures.permissions import get_plan_for
from measures.views.common import base_context, check_year, refuse_unsafe_names

KINDS = {
    "measure": (Measure, MeasureForm, "measures-measure"),
    "activity": (Activity, ActivityForm, "measures-activity"),
}


def _detail(request, slug, fiscal_year, pk, kind):
    check_year(fiscal_year)
    model, _form, url_name = KINDS[kind]
    unit, plan, rights = get_plan_for(request.user, slug, fiscal_year, "edit" if request.method == "POST" else "view")
    row = get_object_or_404(model.objects.for_plan_page(), plan=plan, pk=pk)
    form = ProgressForm(request.POST or None, request.FILES or None,
                        initial={"date": timezone.localdate(), "status": row.status}, auto_id="id_progress_%s")
    if request.method == "POST":
        refuse_unsafe_names(request, form, "photos")
    if request.method == "POST" and form.is_valid():
        try:
            photos = progress.validate_photos(form.cleaned_data["photos"])
        except UploadRejected as rejected:
            form.add_error("photos", rejected.message)
        else:
            data = form.cleaned_data
            try:
                progress.add_update(row, request.user, data["date"], data["text"], data["status"], photos, data["caption"])
            except stored.StorageFailed as failed:  # nothing of the update is kept: the form stays filled in
                form.add_error("photos", failed.message)
            else:
                messages.success(request, _("Progress recorded."))
                return redirect(url_name, unit.slug, fiscal_year, row.pk)
    context = base_context(unit, plan, rights, fiscal_year, "plan")
    context.update(row=row, kind=kind, form=form,
                   updates=row.updates.select_related("created_by").prefetch_related("photos"))
    return render(request, "measures/row_detail.html", context, status=400 if request.method == "POST" else 200)


def _edit(request, slug, fiscal_year, kind, pk=None, initial=None):
    check_year(fiscal_year)
    model, form_class, url_name = KINDS[kind]
    unit, plan, rights = get_plan_for(request.user, slug, fiscal_year, "edit")
    row = get_object_or_404(model, plan=plan, pk=pk) if pk else None
    form = form_class(request.POST or None, instance=row, plan=plan, initial=initial)
    if request.method == "POST" and form.is_valid():
        if row is None:  # new rows go last
            form.instance.order = (model.objects.filter(plan=plan).aggregate(n=Max("order"))["n"] or 0) + 1
        row = form.save()
        messages.success(request, _("Saved."))
        return redirect(url_name, unit.slug, fiscal_year, row.pk)
    context = base_context(unit, plan, rights, fiscal_year, "plan")
    context.update(form=form, row=row, heading=_("Edit") if row else _("Add"))
    return render(request, "measures/form.html", context, status=400 if request.method == "POST" else 200)


@login_required
def measure_detail(request, slug, fiscal_year, pk):
    return _detail(request, slug, fiscal_year, pk, "measure")


@login_required
def activity_detail(request, slug, fiscal_year, pk):
    return _detail(request, slug, fiscal_year, pk, "activity")


@login_required
def measure_edit(request, slug, fiscal_year, pk):
    return _edit(request, slug, fiscal_year, "measure", pk)


@login_required
def activity_edit(request, slug, fiscal_year, pk):
    return _edit(request, slug, fiscal_year, "activity", pk)


@login_required
def measure_add(request, slug, fiscal_year, area):
    if area not in dict(Measure.AREAS):
        raise Http404
    return _edit(request, slug, fiscal_year, "measure", initial={"area": area})


@login_required
def activity_add(request, slug, fiscal_year):
    return _edit(request, slug, fiscal_year, "activity")
