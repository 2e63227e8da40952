"""Documents (O24/O25 police, O23/O24 immigration) and service-point signs: ask for them (a Celery
job), follow the job, download signs; and the progress photos, through permission checks."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from ita_portal.lib import files
from ita_portal.lib.http import is_htmx
from measures import kinds
from measures.permissions import get_photo_for, get_plan_for
from measures.views.common import base_context, check_year
from reports import jobs
from reports.models import RenderJob, RenderOutput


def _kind(kind: str) -> str:
    if kind not in kinds.LABELS:
        raise Http404
    return kind


def _jobs(unit, fiscal_year, kind=None) -> dict:
    found = RenderJob.objects.filter(unit=unit, fiscal_year=fiscal_year, month=None, kind__in=[kind] if kind else kinds.LABELS
                                     ).prefetch_related("outputs__evidence__current_revision", "outputs__evidence__item_period__item")
    return {job.kind: job for job in found}


def _row(kind, job) -> dict:
    return {"kind": kind, "label": kinds.LABELS[kind], "job": job, "outputs": jobs.output_files(job)}


@login_required
def documents_view(request, slug, fiscal_year):
    check_year(fiscal_year)
    unit, plan, rights = get_plan_for(request.user, slug, fiscal_year)
    by_kind = _jobs(unit, fiscal_year)
    context = base_context(unit, plan, rights, fiscal_year, "documents")
    context.update(
        documents=[_row(kind, by_kind.get(kind)) for kind in kinds.DOCUMENTS],
        signs=[_row(kind, by_kind.get(kind)) for kind in kinds.SIGNS],
    )
    return render(request, "measures/documents.html", context)


@login_required
@require_POST
def render_view(request, slug, fiscal_year, kind):
    check_year(fiscal_year)
    unit, plan, rights = get_plan_for(request.user, slug, fiscal_year, "edit")
    refused = ""
    try:
        jobs.request(_kind(kind), unit, fiscal_year, request.user)
    except jobs.JobRefused as error:
        refused = error.message
    if is_htmx(request):  # htmx swaps the answer into the job's row: the row, with the reason
        return _job_partial(request, unit, plan, rights, fiscal_year, kind, refused)
    if refused:
        messages.error(request, refused)
    else:
        messages.success(request, kinds.LABELS[kind])
    return redirect(reverse("measures-documents", args=[unit.slug, fiscal_year]) + f"#{kind}")


@login_required
def job_status(request, slug, fiscal_year, kind):
    """The job's row, polled by the documents page while it runs (htmx)."""
    check_year(fiscal_year)
    unit, plan, rights = get_plan_for(request.user, slug, fiscal_year)
    return _job_partial(request, unit, plan, rights, fiscal_year, _kind(kind))


def _job_partial(request, unit, plan, rights, fiscal_year, kind, refused=""):
    context = base_context(unit, plan, rights, fiscal_year, "documents")
    context.update(_row(kind, _jobs(unit, fiscal_year, kind).get(kind)), refused=refused)
    return render(request, "measures/partials/job.html", context)


@login_required
def sign_file(request, slug, fiscal_year, kind):
    check_year(fiscal_year)
    unit, plan, rights = get_plan_for(request.user, slug, fiscal_year)
    output = get_object_or_404(RenderOutput, job__unit=unit, job__fiscal_year=fiscal_year, job__kind=_kind(kind),
                               key="pdf", evidence__isnull=True)
    if not output.file:
        raise Http404
    return files.serve(output.file, output.file_name or "sign.pdf", "application/pdf", as_attachment=False)


@login_required
def photo(request, slug, pk):
    found = get_photo_for(request.user, pk)
    if found.update.target.plan.unit.slug != slug:
        raise Http404
    return files.serve(found.file, found.original_name, found.content_type, as_attachment=False)


@login_required
def photo_thumbnail(request, slug, pk):
    found = get_photo_for(request.user, pk)
    if found.update.target.plan.unit.slug != slug or not found.thumbnail:
        raise Http404
    return files.serve(found.thumbnail, f"{found.pk}.jpg", "image/jpeg", as_attachment=False)
