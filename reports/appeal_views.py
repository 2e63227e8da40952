"""The appeal document's pages (the assessment page links here): the commander asks for it (a render
job), the page polls its state, the unit's staff download its PDF and Word files."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from ita_portal.lib import files
from ita_portal.lib.http import is_htmx
from oit_items.assessment.permissions import get_assessment_for
from reports import appeal, jobs
from reports.models import RenderJob, RenderOutput


def _context(unit, fiscal_year, rights, refused="") -> dict:
    job = (RenderJob.objects.filter(kind=appeal.KIND, unit=unit, fiscal_year=fiscal_year, month=None)
           .prefetch_related("outputs").first())
    outputs = [o for o in jobs.output_files(job) if o.file]
    return {"unit": unit, "fiscal_year": fiscal_year, "rights": rights, "job": job, "outputs": outputs,
            "refused": refused, "label": appeal.KINDS[appeal.KIND]}


@login_required
@require_POST
def render_view(request, slug, fiscal_year):
    unit, _framework, rights = get_assessment_for(request.user, slug, fiscal_year, "approve")
    refused = ""
    try:
        jobs.request(appeal.KIND, unit, fiscal_year, request.user)
    except jobs.JobRefused as error:
        refused = error.message
    if is_htmx(request):
        return render(request, "reports/partials/appeal_job.html", _context(unit, fiscal_year, rights, refused))
    if refused:
        messages.error(request, refused)
    else:
        messages.success(request, appeal.KINDS[appeal.KIND])
    return redirect(reverse("assessment", args=[unit.slug, fiscal_year]) + "#appeal-document")


@login_required
def status(request, slug, fiscal_year):
    """The job's box, polled by the assessment page while it runs (htmx)."""
    unit, _framework, rights = get_assessment_for(request.user, slug, fiscal_year)
    return render(request, "reports/partials/appeal_job.html", _context(unit, fiscal_year, rights))


@login_required
def download(request, slug, fiscal_year, fmt):
    unit, _framework, _rights = get_assessment_for(request.user, slug, fiscal_year)
    if fmt not in appeal.FORMATS:
        raise Http404
    output = get_object_or_404(RenderOutput, job__unit=unit, job__fiscal_year=fiscal_year, job__month=None,
                               job__kind=appeal.KIND, key=fmt, evidence__isnull=True)
    if not output.file:
        raise Http404
    return files.serve(output.file, output.file_name, appeal.CONTENT_TYPES[fmt])
