"""The staff side: a unit's workspace, an item's page, evidence and the approval workflow."""


from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ita_portal.lib import files, stored, thaidate, uploads
from ita_portal.lib.http import client_ip
from oit_items.evidence import edits as evidence_service
from oit_items.evidence import workflow, workspace
from oit_items.evidence.forms import (
    EditForm,
    EvidenceMetaForm,
    LinkForm,
    NoneForm,
    RemoveForm,
    ReplaceForm,
    TransitionForm,
    UploadForm,
)
from oit_items.evidence.models import AuditEvent, Evidence, ItemPeriod, Revision
from oit_items.evidence.permissions import get_evidence_for, get_item_for, get_revision_for, period_of
from units.permissions import get_unit_for


def _wants_json(request) -> bool:
    return request.headers.get("x-requested-with") == "XMLHttpRequest"


def _refuse_unsafe_names(request, form, field):
    """Names Django had to cut down (paths like ../x.pdf) are refused, not silently changed."""
    for name in getattr(request, "unsafe_upload_names", []):
        try:
            uploads.check_name(name)
        except uploads.UploadRejected as rejected:
            form.add_error(field, rejected.message)


@login_required
def workspace_view(request, slug, fiscal_year):
    unit, access = get_unit_for(request.user, slug, "view")
    if not unit.unit_type.publishes_oit:  # a supervising level has no workspace: its units below do
        return redirect("unit-detail-year", slug=unit.slug, fiscal_year=fiscal_year)
    space = workspace.build(unit, fiscal_year, user=request.user, today=timezone.localdate())
    return render(request, "oit_items/workspace.html", {"unit": unit, "access": access, "space": space})


def month_of_slug(item, period_slug: str):
    """The month a period slug names for this item: `m10` → 1 Oct of the right year; `all` → None."""
    if period_slug == "all" and not item.months:
        return None
    if period_slug.startswith("m") and period_slug[1:].isdigit() and int(period_slug[1:]) in item.months:
        return thaidate.fiscal_month_date(item.framework.fiscal_year, int(period_slug[1:]))
    raise Http404


def _default_date(month):
    return month or timezone.localdate()


def _item_page(request, unit, item, assignment, rights, bound=None, status=200):
    """The item page; `bound` = (period slug, form name, bound form) keeps what the user typed."""
    space = workspace.build(unit, item.framework.fiscal_year, user=request.user, today=timezone.localdate(),
                            items=[item], assignments={item.pk: assignment} if assignment else {})
    row = space.rows[0]
    evidence_ids = [e.pk for cell in row.cells for e in cell.evidence]
    revisions = {}
    for revision in Revision.objects.filter(evidence_id__in=evidence_ids).select_related("created_by").order_by("-number"):
        revisions.setdefault(revision.evidence_id, []).append(revision)
    published = dict(ItemPeriod.objects.filter(pk__in=[c.period.pk for c in row.cells if c.period])
                     .values_list("pk", "published"))
    for cell in row.cells:
        cell.published = published.get(cell.period.pk, []) if cell.period else []
        cell.actions = workflow.available_actions(cell.period, rights)
        cell.forms = {
            "upload": UploadForm(initial={"about_date": _default_date(cell.month)}, auto_id=f"id_{cell.slug}_up_%s"),
            "link": LinkForm(initial={"about_date": _default_date(cell.month)}, auto_id=f"id_{cell.slug}_link_%s"),
            "none": NoneForm(initial={"about_date": _default_date(cell.month)}, auto_id=f"id_{cell.slug}_none_%s"),
        }
        if bound and bound[0] == cell.slug:
            cell.forms[bound[1]] = bound[2]
        for piece in cell.evidence:
            piece.all_revisions = revisions.get(piece.pk, [])
    events = (AuditEvent.objects.filter(unit=unit, item_period__item=item)
              .select_related("item_period", "evidence")[:200])
    removed = (Evidence.objects.filter(item_period__unit=unit, item_period__item=item, removed_at__isnull=False)
               .select_related("item_period", "removed_by", "current_revision"))
    context = {"unit": unit, "item": item, "assignment": assignment, "rights": rights, "row": row,
               "events": events, "removed": removed, "action_labels": workflow.ACTION_LABELS}
    return render(request, "oit_items/item_detail.html", context, status=status)


@login_required
def item_detail(request, slug, fiscal_year, code):
    unit, item, assignment, rights = get_item_for(request.user, slug, fiscal_year, code)
    return _item_page(request, unit, item, assignment, rights)


def back_to_item(unit, item, period_slug=""):
    url = reverse("item-detail", args=[unit.slug, item.framework.fiscal_year, item.code.lower()])
    return redirect(f"{url}#{period_slug}" if period_slug else url)


def _meta(form) -> dict:
    return {k: v for k, v in form.cleaned_data.items() if k in EvidenceMetaForm.base_fields}


@login_required
@require_POST
def upload(request, slug, fiscal_year, code, period):
    unit, item, assignment, rights = get_item_for(request.user, slug, fiscal_year, code, "upload")
    month = month_of_slug(item, period)
    form = UploadForm(request.POST, request.FILES, auto_id=f"id_{period}_up_%s")
    validated, errors = [], []
    _refuse_unsafe_names(request, form, "files")
    if form.is_valid():
        for uploaded in form.cleaned_data["files"]:
            try:
                validated.append(uploads.validate_upload(uploaded))
            except uploads.UploadRejected as rejected:
                errors.append(str(rejected.message))
        for message in errors:
            form.add_error("files", message)
    if not form.is_valid():  # nothing is stored when any file is refused
        if _wants_json(request):
            return JsonResponse({"ok": False, "errors": [str(e) for errs in form.errors.values() for e in errs]}, status=400)
        return _item_page(request, unit, item, assignment, rights, (period, "upload", form), status=400)
    try:
        created = evidence_service.add_files(period_of(unit, item, month), validated, _meta(form), request.user,
                                             ip=client_ip(request),
                                             allow_duplicates=request.POST.get("allow_duplicate") == "1")
    except evidence_service.Duplicate as duplicate:  # ask before a second row with the same file
        if _wants_json(request):
            return JsonResponse({"ok": False, "duplicate": True, "errors": [duplicate.message]}, status=409)
        form.add_error("files", duplicate.message)
        form.duplicate = True
        return _item_page(request, unit, item, assignment, rights, (period, "upload", form), status=409)
    except stored.StorageFailed as failed:  # the disk is full or the bucket down: nothing of the upload is kept
        if _wants_json(request):
            return JsonResponse({"ok": False, "errors": [str(failed.message)]}, status=503)
        form.add_error("files", failed.message)
        return _item_page(request, unit, item, assignment, rights, (period, "upload", form), status=503)
    except evidence_service.EvidenceError as refused:  # the month says "none": the reason, nothing stored
        if _wants_json(request):
            return JsonResponse({"ok": False, "errors": [refused.message]}, status=409)
        form.add_error(None, refused.message)
        return _item_page(request, unit, item, assignment, rights, (period, "upload", form), status=409)
    names = ", ".join(e.current_revision.original_name for e in created)
    if _wants_json(request):
        return JsonResponse({"ok": True, "evidence": [e.pk for e in created], "message": _("Uploaded: %(names)s") % {"names": names}})
    messages.success(request, _("Uploaded: %(names)s") % {"names": names})
    return back_to_item(unit, item, period)


@login_required
@require_POST
def add_link(request, slug, fiscal_year, code, period):
    unit, item, assignment, rights = get_item_for(request.user, slug, fiscal_year, code, "upload")
    month = month_of_slug(item, period)
    form = LinkForm(request.POST, auto_id=f"id_{period}_link_%s")
    if not form.is_valid():
        return _item_page(request, unit, item, assignment, rights, (period, "link", form), status=400)
    meta = _meta(form) | {"url": form.cleaned_data["url"]}
    try:
        evidence_service.add_link(period_of(unit, item, month), meta, request.user, ip=client_ip(request))
    except evidence_service.EvidenceError as refused:  # the month says "none"
        form.add_error(None, refused.message)
        return _item_page(request, unit, item, assignment, rights, (period, "link", form), status=409)
    messages.success(request, _("The link was added."))
    return back_to_item(unit, item, period)


@login_required
@require_POST
def declare_none(request, slug, fiscal_year, code, period):
    unit, item, assignment, rights = get_item_for(request.user, slug, fiscal_year, code, "upload")
    month = month_of_slug(item, period)
    form = NoneForm(request.POST, auto_id=f"id_{period}_none_%s")
    if form.is_valid():
        try:
            evidence_service.declare_none(period_of(unit, item, month), form.cleaned_data["reason"],
                                          form.cleaned_data["about_date"], request.user, ip=client_ip(request))
        except evidence_service.EvidenceError as error:
            form.add_error(None, error.message)
    if not form.is_valid():
        return _item_page(request, unit, item, assignment, rights, (period, "none", form), status=400)
    messages.success(request, _("Recorded that there is nothing this period."))
    return back_to_item(unit, item, period)


@login_required
@require_POST
def transition(request, slug, fiscal_year, code, period, action):
    unit, item, assignment, rights = get_item_for(request.user, slug, fiscal_year, code)
    month = month_of_slug(item, period)
    form = TransitionForm(request.POST)
    form.is_valid()
    confirm = reverse("period-confirm", args=[slug, fiscal_year, item.code.lower(), period, action])
    if action == "approve":
        return redirect(confirm)  # an approval always passes the page that shows what becomes public
    try:
        workflow.transition(period_of(unit, item, month), action, request.user, rights,
                            form.cleaned_data.get("comment", ""), ip=client_ip(request))
    except workflow.ChecksFailed as failed:
        messages.error(request, failed.message)
        return redirect(confirm)
    except workflow.WorkflowError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Done: %(action)s.") % {"action": workflow.ACTION_LABELS[action]})
    return back_to_item(unit, item, period)


def _evidence_back(evidence):
    period = evidence.item_period
    return back_to_item(period.unit, period.item, period.slug)


def _evidence_page(request, evidence, form, mode, conflict=None, status=200):
    return render(request, "oit_items/evidence_form.html",
                  {"evidence": evidence, "form": form, "mode": mode, "conflict": conflict}, status=status)


@login_required
def replace(request, pk):
    evidence, rights = get_evidence_for(request.user, pk, "upload")
    form = ReplaceForm(request.POST or None, request.FILES or None, initial={"version": evidence.version})
    if request.method != "POST":
        return _evidence_page(request, evidence, form, "replace")
    _refuse_unsafe_names(request, form, "file")
    if form.is_valid():
        try:
            validated = uploads.validate_upload(form.cleaned_data["file"])
            evidence_service.replace_file(evidence, validated, request.user, ip=client_ip(request),
                                          version=form.cleaned_data["version"])
        except uploads.UploadRejected as rejected:  # refused, or the storage could not take it (StorageFailed)
            form.add_error("file", rejected.message)
            if isinstance(rejected, stored.StorageFailed):
                return _evidence_page(request, evidence, form, "replace", status=503)
        except evidence_service.Conflict as conflict:  # nothing stored: choose the file again to replace the new one
            form = ReplaceForm(initial={"version": conflict.current.version})
            return _evidence_page(request, conflict.current, form, "replace", conflict, status=409)
        except evidence_service.EvidenceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("A new version of “%(title)s” was stored; earlier versions are kept.") % {"title": evidence.title})
            return _evidence_back(evidence)
    return _evidence_page(request, evidence, form, "replace", status=400)


def _merged(form, conflict):
    """The edit form again after a conflict: what the user typed stays; fields only the other
    person changed take their new value (keeping the user's old one would undo that change);
    fields both changed keep the user's input and say what the other wrote."""
    current, data = conflict.current, form.data.copy()
    theirs = conflict.fields
    clashes = {}
    for name, before in theirs.items():
        if name not in form.fields:
            continue
        field, mine = form.fields[name], form.cleaned_data.get(name)
        now = getattr(current, name)
        if str(mine) == before:  # untouched by this user: take the other's value
            if isinstance(field.widget, forms.CheckboxInput):
                data.pop(name, None)
                if now:
                    data[name] = "on"
            elif isinstance(field.widget, forms.Select):
                data[name] = str(now)
            else:
                data[name] = field.widget.format_value(now) or ""
        elif mine != now:
            clashes[name] = now
    data["version"] = str(current.version)
    merged = EditForm(data)
    merged.is_valid()
    for name, now in clashes.items():
        merged.add_error(name, _("Changed meanwhile to “%(value)s”. Your input is kept: saving replaces it.") % {"value": now})
    return merged


@login_required
def edit(request, pk):
    evidence, rights = get_evidence_for(request.user, pk, "upload")
    initial = {f: getattr(evidence, f) for f in EvidenceMetaForm.base_fields} | {"version": evidence.version}
    form = EditForm(request.POST or None, initial=initial)
    if request.method != "POST":
        return _evidence_page(request, evidence, form, "edit")
    if not form.is_valid():
        return _evidence_page(request, evidence, form, "edit", status=400)
    try:
        evidence_service.edit(evidence, _meta(form) | {"title": form.cleaned_data["title"] or evidence.title},
                              request.user, ip=client_ip(request), version=form.cleaned_data["version"])
    except evidence_service.Conflict as conflict:
        if conflict.current.removed_at:  # nothing to save into: say so, keep what was typed to copy
            form.add_error(None, _("It was removed meanwhile; your changes were not saved."))
            return _evidence_page(request, conflict.current, form, "edit", conflict, status=409)
        return _evidence_page(request, conflict.current, _merged(form, conflict), "edit", conflict, status=409)
    messages.success(request, _("Saved."))
    return _evidence_back(evidence)


@login_required
def remove(request, pk):
    evidence, rights = get_evidence_for(request.user, pk, "upload")
    form = RemoveForm(request.POST or None, initial={"version": evidence.version})
    if request.method == "POST" and form.is_valid():
        try:
            evidence_service.remove(evidence, request.user, form.cleaned_data["reason"], ip=client_ip(request),
                                    version=form.cleaned_data["version"])
        except evidence_service.Conflict as conflict:  # look at it as it is now before removing it
            data = form.data.copy()
            data["version"] = str(conflict.current.version)
            return _evidence_page(request, conflict.current, RemoveForm(data), "remove", conflict, status=409)
        messages.success(request, _("“%(title)s” was removed from the period. It stays in the history.") % {"title": evidence.title})
        return _evidence_back(evidence)
    return _evidence_page(request, evidence, form, "remove", status=400 if request.method == "POST" else 200)


@login_required
def download(request, pk):
    revision = get_revision_for(request.user, pk)
    return files.serve(revision.file, revision.original_name, revision.content_type)


@login_required
def thumbnail(request, pk):
    revision = get_revision_for(request.user, pk)
    if not revision.thumbnail:
        raise Http404
    return files.serve(revision.thumbnail, f"{revision.pk}.jpg", "image/jpeg", as_attachment=False)


