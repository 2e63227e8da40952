"""The spreadsheet import pages: upload, the dry run's report (polled while it runs), apply."""

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ita_portal.lib.forms import MultipleFileField, MultipleFileInput
from units.demo import sample_files
from units.models import ImportBatch
from units.onboarding import columns, jobs, reader
from units.permissions import may_import, require

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SHOWN_ROWS = 300  # rows created/updated/unchanged listed on the page; refused rows are always all listed


class ImportForm(forms.Form):
    files = MultipleFileField(label=gettext_lazy("Spreadsheet (.xlsx) or CSV files"),
                              widget=MultipleFileInput(attrs={"multiple": True, "accept": ".xlsx,.csv"}),
                              help_text=gettext_lazy("One workbook with the sheets Units, Officers and Users, or one CSV file per sheet."))
    invite = forms.BooleanField(label=gettext_lazy("E-mail an invitation to every new login"), required=False, initial=True)

    def clean_files(self):
        uploaded = self.cleaned_data["files"]
        limit = settings.IMPORT_MAX_UPLOAD_MB * 1024 * 1024
        for item in uploaded:
            if not item.name.lower().endswith((".xlsx", ".csv")):
                raise forms.ValidationError(_("%(name)s: only .xlsx and .csv files can be imported.") % {"name": item.name})
            if item.size > limit:
                raise forms.ValidationError(_("%(name)s is larger than %(mb)s MB.") % {"name": item.name, "mb": settings.IMPORT_MAX_UPLOAD_MB})
        return uploaded


@login_required
def start(request):
    require(may_import(request.user))
    form = ImportForm(request.POST or None, request.FILES or None)
    if request.method == "POST" and form.is_valid():
        batch = jobs.start(request.user, form.cleaned_data["files"], invite=form.cleaned_data["invite"])
        return redirect("import-batch", pk=batch.pk)
    batches = ImportBatch.objects.filter(uploaded_by=request.user).defer("report")[:10]
    return render(request, "units/import_start.html", {"form": form, "batches": batches},
                  status=400 if request.method == "POST" else 200)


def _batch_for(request, pk):
    batch = get_object_or_404(ImportBatch, pk=pk)
    require(may_import(request.user) and (batch.uploaded_by_id == request.user.pk or request.user.is_superuser))
    return batch


@login_required
def batch_view(request, pk):
    batch = _batch_for(request, pk)
    refused = [r for r in batch.report if r["action"] == "refuse"]
    others = [r for r in batch.report if r["action"] != "refuse"]
    warned = [r for r in others if r.get("warnings")]  # a refused row shows its warnings with its errors
    context = {"batch": batch, "refused": refused, "others": others[:SHOWN_ROWS], "hidden": max(0, len(others) - SHOWN_ROWS),
               "warned": warned, "file_warnings": batch.summary.get("warnings", []) if batch.summary else [],
               "sheets": {s.key: s.title for s in columns.SHEETS}}
    template = "units/partials/import_batch.html" if request.headers.get("HX-Request") else "units/import_batch.html"
    return render(request, template, context)


@login_required
@require_POST
def batch_apply(request, pk):
    batch = _batch_for(request, pk)
    if not batch.may_apply or not jobs.request_apply(batch):
        messages.error(request, _("This import cannot be applied (it has refused rows, nothing to change, or was applied already)."))
    return redirect("import-batch", pk=batch.pk)


@login_required
def template_download(request, sample: bool = False):
    require(may_import(request.user))
    rows = None
    name = "ita-portal-import-template.xlsx"
    if sample:
        rows = {table.sheet.key: [values for _number, values in table.rows] for table in reader.read(sample_files()).values()}
        name = "ita-portal-import-sample.xlsx"
    response = HttpResponse(columns.workbook(rows), content_type=XLSX)
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
