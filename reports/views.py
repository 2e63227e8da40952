"""Staff pages: the unit's reports by month, data entry, asking for documents and their progress.

Permissions come from units.permissions and oit_items.permissions: viewing needs view rights on
the report's OIT item, entering data and asking for documents needs upload rights on it.
Documents are never rendered here: asking queues a job (reports.jobs), this page polls its status.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ita_portal.lib import files, stored, thaidate
from ita_portal.lib.http import is_htmx
from oit_items.evidence.models import Assignment
from oit_items.evidence.permissions import get_item_for, item_access
from oit_items.rulebook.models import Item
from reports import jobs, production
from reports.forms import EDITORS, Conflict
from reports.kinds import DATASETS, DOCUMENT_KINDS, months_with_data
from reports.models import Photo, RenderJob
from units.permissions import get_unit_for


def _month(fiscal_year: int, period: str):
    """`m10` of fiscal year 2567 → 1 October 2023."""
    if period.startswith("m") and period[1:].isdigit() and 1 <= int(period[1:]) <= 12:
        return thaidate.fiscal_month_date(fiscal_year, int(period[1:]))
    raise Http404


def _period(month) -> str:
    return f"m{month.month}"


def _report_item(user, slug, fiscal_year, topic, need="view"):
    """(unit, item, assignment, item rights) for the OIT item a report belongs to."""
    unit, _access = get_unit_for(user, slug, "view")
    item = Item.objects.for_unit(unit, fiscal_year).filter(topic=topic).only("code").first()
    if item is None:
        raise Http404
    return get_item_for(user, slug, fiscal_year, item.code, need)


@login_required
def home(request, slug):
    get_unit_for(request.user, slug, "view")
    return redirect("reports-index", slug, thaidate.fiscal_year(timezone.localdate()))


@login_required
def index(request, slug, fiscal_year):
    unit, access = get_unit_for(request.user, slug, "view")
    items = {i.topic: i for i in Item.objects.for_unit(unit, fiscal_year)}
    assignments = {a.item_id: a for a in Assignment.objects.filter(unit=unit, item__in=items.values())
                   .prefetch_related("responsible", "controllers")}
    job_states = {}
    for job in RenderJob.objects.for_unit_year(unit, fiscal_year).order_by().only("kind", "month", "state"):
        job_states.setdefault((job.kind, job.month), job)
    months = thaidate.fiscal_year_months(fiscal_year)
    today = timezone.localdate()
    rows = []
    for dataset in DATASETS.values():
        item = items.get(dataset.topic)
        if item is None:
            continue
        entered = months_with_data(dataset, unit, fiscal_year)
        # A month not begun has no data to enter yet: listed, not offered (nor its figures shown).
        cells = [{"month": m, "period": _period(m), "entered": m in entered, "begun": m <= today,
                  "jobs": [job_states[(k, m)] for k in dataset.kinds if (k, m) in job_states]} for m in months]
        rows.append({"dataset": dataset, "item": item, "cells": cells,
                     "rights": item_access(request.user, access, assignments.get(item.pk)),
                     "items": [items[DOCUMENT_KINDS[k].topic] for k in dataset.kinds if DOCUMENT_KINDS[k].topic in items]})
    return render(request, "reports/index.html", {"unit": unit, "access": access, "fiscal_year": fiscal_year,
                                                  "rows": rows, "months": months})


def _documents(unit, fiscal_year, month, dataset, user) -> list[dict]:
    """Each document kind of a dataset with its item, its job and whether the user may ask for it."""
    documents = []
    for key in dataset.kinds:
        kind = DOCUMENT_KINDS[key]
        item = Item.objects.for_unit(unit, fiscal_year).filter(topic=kind.topic).first()
        if item is None:
            continue
        _unit, _item, _assignment, rights = get_item_for(user, unit.slug, fiscal_year, item.code, "view")
        documents.append(_status_context(unit, fiscal_year, month, kind, item, rights))
    return documents


def _status_context(unit, fiscal_year, month, kind, item, rights, refused="") -> dict:
    job = (RenderJob.objects.filter(kind=kind.key, unit=unit, month=month)
           .prefetch_related("outputs__evidence__current_revision").first())
    outputs = jobs.output_files(job)
    return {"unit": unit, "fiscal_year": fiscal_year, "month": month, "period": _period(month), "kind": kind,
            "item": item, "rights": rights, "job": job, "outputs": outputs, "refused": refused,
            "formats": production.required_formats(item)}


@login_required
def edit(request, slug, fiscal_year, dataset, period):
    spec = DATASETS.get(dataset)
    if spec is None:
        raise Http404
    month = _month(fiscal_year, period)
    need = "upload" if request.method == "POST" else "view"
    unit, item, _assignment, rights = _report_item(request.user, slug, fiscal_year, spec.topic, need)
    editor = EDITORS[dataset](unit, month, item, request.POST or None, request.FILES or None, readonly=not rights.upload)
    conflict = None
    if request.method == "POST" and month > timezone.localdate():
        # A month not begun has nothing to report yet: its figures would be shown before they happen.
        messages.error(request, _("This month has not begun yet: its data cannot be entered before it starts."))
    elif request.method == "POST":
        if editor.is_valid():
            try:
                editor.save(request.user, request.POST.get("_version"))
            except Conflict as found:
                # Saved by someone else meanwhile: nothing of this save is stored. The page again, with
                # what this user typed, the data as saved now to compare with, and the new version.
                conflict = found
                editor = EDITORS[dataset](unit, month, item, request.POST, request.FILES or None)
                editor.is_valid()
                conflict.differences = editor.differences()
            except stored.StorageFailed as failed:  # nothing of this save is stored: the page again, as typed
                editor = EDITORS[dataset](unit, month, item, request.POST, request.FILES or None)
                editor.is_valid()
                if getattr(editor, "new_photos", None) is not None:
                    editor.new_photos.add_error("photos", failed.message)
                messages.error(request, failed.message)
            else:
                messages.success(request, _("Saved."))
                return redirect("reports-edit", slug, fiscal_year, dataset, period)
        else:
            messages.error(request, _("Nothing was saved: please correct the marked fields."))
    months = [{"month": m, "period": _period(m)} for m in thaidate.fiscal_year_months(fiscal_year)]
    context = {"unit": unit, "item": item, "rights": rights, "fiscal_year": fiscal_year, "month": month,
               "period": period, "dataset": spec, "editor": editor, "months": months, "conflict": conflict,
               "documents": _documents(unit, fiscal_year, month, spec, request.user)}
    status = 409 if conflict else 400 if request.method == "POST" else 200
    return render(request, "reports/edit.html", context, status=status)


@login_required
@require_POST
def render_documents(request, slug, fiscal_year, kind, period):
    spec = DOCUMENT_KINDS.get(kind)
    if spec is None:
        raise Http404
    month = _month(fiscal_year, period)
    unit, item, _assignment, rights = _report_item(request.user, slug, fiscal_year, spec.topic, "upload")
    refused = ""
    try:
        jobs.request(spec.key, unit, month, request.user)
    except jobs.JobRefused as error:
        refused = error.message
    if is_htmx(request):
        return render(request, "reports/partials/job_status.html",
                      {"d": _status_context(unit, fiscal_year, month, spec, item, rights, refused)})
    if refused:
        messages.error(request, refused)
    else:
        messages.success(request, _("The documents are being prepared; this page shows their progress."))
    url = reverse("reports-edit", args=[slug, fiscal_year, spec.dataset, period])
    return redirect(f"{url}#documents")


@login_required
def status(request, slug, fiscal_year, kind, period):
    spec = DOCUMENT_KINDS.get(kind)
    if spec is None:
        raise Http404
    month = _month(fiscal_year, period)
    unit, item, _assignment, rights = _report_item(request.user, slug, fiscal_year, spec.topic, "view")
    return render(request, "reports/partials/job_status.html",
                  {"d": _status_context(unit, fiscal_year, month, spec, item, rights)})


@login_required
def photo(request, slug, pk, size):
    unit, _access = get_unit_for(request.user, slug, "view")
    found = get_object_or_404(Photo, pk=pk, report__unit=unit)
    if size == "thumbnail" and found.thumbnail:
        return files.serve(found.thumbnail, f"{found.pk}.jpg", "image/jpeg", as_attachment=False)
    return files.serve(found.file, found.original_name, found.content_type, as_attachment=False)
