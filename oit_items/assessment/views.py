"""Staff pages of the assessment: the assessors' results beside the predicted verdict (typed here),
the clarification of a disputed item in the appeal window, and the spreadsheet import.

The appeal document is asked for and followed through the reports app's pages (the one render
pipeline lives above this part); this page only links to them by name.
"""

import hashlib
import uuid

from django import forms
from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from ita_portal.lib import thaidate
from oit_items.assessment import appeal, importing, results
from oit_items.assessment.models import HAS, VERDICTS
from oit_items.assessment.permissions import get_assessment_for, may_import
from units.onboarding.reader import FileProblem
from units.permissions import require

XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
SESSION_KEY = "assessment_import"
CHOICES = [("", "—")] + VERDICTS


class ResultForm(forms.Form):
    preliminary = forms.ChoiceField(label=gettext_lazy("Preliminary result"), choices=CHOICES, required=False)
    final = forms.ChoiceField(label=gettext_lazy("Final result"), choices=CHOICES, required=False)
    assessor_note = forms.CharField(label=gettext_lazy("The assessors' remark"), required=False,
                                    widget=forms.Textarea(attrs={"rows": 2}), max_length=4000)


def _row(rows, code):
    row = next((r for r in rows if r.item.code.lower() == code.lower()), None)
    if row is None:
        raise Http404
    return row


@login_required
def page(request, slug, fiscal_year):
    """GET: every item with predicted, preliminary and final verdicts. POST: one item's typed results."""
    unit, framework, rights = get_assessment_for(request.user, slug, fiscal_year,
                                                 "enter" if request.method == "POST" else "view")
    rows = results.rows_for(unit, fiscal_year)
    status = 200
    if request.method == "POST":
        row = _row(rows, request.POST.get("item", ""))
        form = ResultForm(request.POST)
        if form.is_valid():
            try:
                changed = results.enter(unit, row.item, form.cleaned_data, request.user)
            except results.EntryRefused as refused:
                messages.error(request, f"{row.item.code}: {refused.message}")
                status = 400
            else:
                if changed:
                    messages.success(request, _("%(code)s: saved.") % {"code": row.item.code})
                return redirect(reverse("assessment", args=[unit.slug, fiscal_year]) + f"#item-{row.item.code}")
        else:
            messages.error(request, _("Nothing was saved: please correct the marked fields."))
            status = 400
        rows = results.rows_for(unit, fiscal_year)
    for row in rows:
        row.form = ResultForm(initial={name: getattr(row.assessed, name) for name in results.FIELDS} if row.assessed else None)
    counts = {"has": sum(1 for r in rows if r.assessed and (r.assessed.final or r.assessed.preliminary) == HAS),
              "disputed": sum(1 for r in rows if r.disputed), "won": sum(1 for r in rows if r.won),
              "entered": sum(1 for r in rows if r.assessed and r.assessed.preliminary)}
    context = {"unit": unit, "framework": framework, "rights": rights, "fiscal_year": fiscal_year, "rows": rows,
               "counts": counts, "window": appeal.window_text(framework), "window_open": appeal.window_open(framework)}
    return render(request, "assessment/page.html", context, status=status)


@login_required
def clarification(request, slug, fiscal_year, code):
    """The clarification of one disputed item: its responsible officer drafts, the commander approves."""
    unit, framework, rights = get_assessment_for(request.user, slug, fiscal_year)
    row = _row(results.rows_for(unit, fiscal_year), code)
    found = row.clarification
    status = 200
    text = found.text if found else ""
    if request.method == "POST":
        action = request.POST.get("action")
        try:
            if action == "approve":
                appeal.approve(found, framework, request.user, rights, request.POST.get("version"))
                messages.success(request, _("%(code)s: the clarification is approved.") % {"code": row.item.code})
            elif action == "save":
                text = request.POST.get("text", "")
                appeal.draft(row.assessed, framework, text, request.user, rights, row.assignment,
                             request.POST.get("version"))
                messages.success(request, _("%(code)s: the clarification is saved as a draft for the commander.")
                                 % {"code": row.item.code})
            else:
                raise Http404
        except appeal.AppealRefused as refused:
            messages.error(request, refused.message)
            status = 409 if isinstance(refused, appeal.StaleEdit) else 400
        else:
            return redirect("assessment-clarification", unit.slug, fiscal_year, row.item.code.lower())
    context = {"unit": unit, "framework": framework, "rights": rights, "fiscal_year": fiscal_year, "row": row,
               "clarification": found, "text": text, "may_draft": rights.may_draft(row.assignment),
               "window": appeal.window_text(framework), "window_open": appeal.window_open(framework),
               "submitted_url": appeal.submitted_url(unit, fiscal_year, row.item.code),
               "drafted_by": results.person(found.drafted_by) if found else "",
               "approved_by": results.person(found.approved_by) if found else ""}
    return render(request, "assessment/clarification.html", context, status=status)


# --- the import -------------------------------------------------------------------------------

class ImportForm(forms.Form):
    file = forms.FileField(label=gettext_lazy("Spreadsheet (.xlsx) or CSV file"),
                           widget=forms.ClearableFileInput(attrs={"accept": ".xlsx,.csv"}))
    fiscal_year = forms.IntegerField(label=gettext_lazy("Fiscal year (BE)"), min_value=2560, max_value=2700)

    def clean_file(self):
        uploaded = self.cleaned_data["file"]
        if not uploaded.name.lower().endswith((".xlsx", ".csv")):
            raise forms.ValidationError(_("%(name)s: only .xlsx and .csv files can be imported.") % {"name": uploaded.name})
        if uploaded.size > settings.IMPORT_MAX_UPLOAD_MB * 1024 * 1024:
            raise forms.ValidationError(_("%(name)s is larger than %(mb)s MB.")
                                        % {"name": uploaded.name, "mb": settings.IMPORT_MAX_UPLOAD_MB})
        return uploaded


def _dry_run(request, pending):
    try:
        with default_storage.open(pending["stored"], "rb") as stored:
            data = stored.read()
    except OSError:  # removed meanwhile (another tab confirmed it, storage cleaned)
        raise FileProblem(_("There is no checked file to import: upload it again."))
    if hashlib.sha256(data).hexdigest() != pending["sha256"]:
        raise FileProblem(_("The uploaded file changed; upload it again."))
    return importing.check(importing.read(pending["name"], data), pending["fiscal_year"], request.user)


def _forget(request):
    pending = request.session.pop(SESSION_KEY, None)
    if pending:
        default_storage.delete(pending["stored"])


@login_required
def import_view(request):
    """Upload → the dry run, row by row (nothing stored); the confirm button applies it."""
    require(may_import(request.user))
    this_year = thaidate.fiscal_year(timezone.localdate())
    form = ImportForm(request.POST or None, request.FILES or None, initial={"fiscal_year": this_year})
    plan, problem, status = None, "", 200
    if request.method == "POST":
        status = 400
        if form.is_valid():
            _forget(request)
            uploaded = form.cleaned_data["file"]
            data = uploaded.read()
            stored = default_storage.save(f"assessment-imports/{uuid.uuid4().hex}", ContentFile(data))
            pending = {"stored": stored, "name": uploaded.name, "sha256": hashlib.sha256(data).hexdigest(),
                       "fiscal_year": form.cleaned_data["fiscal_year"]}
            request.session[SESSION_KEY] = pending
            try:
                plan = _dry_run(request, pending)
                status = 200
            except FileProblem as error:
                problem = str(error)
                _forget(request)
    context = {"form": form, "plan": plan, "problem": problem, "sheet": importing.SHEET,
               "counts": plan.counts() if plan else None}
    return render(request, "assessment/import.html", context, status=status)


@login_required
@require_POST
def import_confirm(request):
    require(may_import(request.user))
    pending = request.session.get(SESSION_KEY)
    if not pending:
        messages.error(request, _("There is no checked file to import: upload it again."))
        return redirect("assessment-import")
    try:
        plan = _dry_run(request, pending)  # checked again: the portal may have changed since the dry run
        if not plan.may_apply:
            raise FileProblem(_("Nothing was stored: some rows are refused, or there is nothing to change."))
        count = importing.apply(plan, request.user)
    except FileProblem as error:
        messages.error(request, str(error))
        return redirect("assessment-import")
    finally:
        _forget(request)
    messages.success(request, _("Imported: %(count)s items changed.") % {"count": count})
    return redirect("assessment-import")


@login_required
def import_template(request, fmt):
    require(may_import(request.user))
    if fmt == "xlsx":
        response = HttpResponse(importing.template_workbook(), content_type=XLSX)
    elif fmt == "csv":
        response = HttpResponse(importing.template_csv(), content_type="text/csv; charset=utf-8")
    else:
        raise Http404
    response["Content-Disposition"] = f'attachment; filename="ita-assessment-results.{fmt}"'
    return response

