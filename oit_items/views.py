"""The staff side: a unit's workspace, an item's page, evidence and the approval workflow."""


from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from ita_portal import thaidate
from units.permissions import get_unit_for

from . import audit, evidence as evidence_service, files, uploads, workflow, workspace
from .forms import EvidenceMetaForm, LinkForm, NoneForm, RemoveForm, ReplaceForm, TransitionForm, UploadForm
from .models import AuditEvent, Evidence, Revision
from .permissions import get_evidence_for, get_item_for, get_revision_for, period_of


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


def _month_of(item, period_slug: str):
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
    for cell in row.cells:
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


def _back(unit, item, period_slug=""):
    url = reverse("item-detail", args=[unit.slug, item.framework.fiscal_year, item.code.lower()])
    return redirect(f"{url}#{period_slug}" if period_slug else url)


def _meta(form) -> dict:
    return {k: v for k, v in form.cleaned_data.items() if k in EvidenceMetaForm.base_fields}


@login_required
@require_POST
def upload(request, slug, fiscal_year, code, period):
    unit, item, assignment, rights = get_item_for(request.user, slug, fiscal_year, code, "upload")
    month = _month_of(item, period)
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
    created = evidence_service.add_files(period_of(unit, item, month), validated, _meta(form), request.user,
                                         ip=audit.client_ip(request))
    names = ", ".join(e.current_revision.original_name for e in created)
    if _wants_json(request):
        return JsonResponse({"ok": True, "evidence": [e.pk for e in created], "message": _("Uploaded: %(names)s") % {"names": names}})
    messages.success(request, _("Uploaded: %(names)s") % {"names": names})
    return _back(unit, item, period)


@login_required
@require_POST
def add_link(request, slug, fiscal_year, code, period):
    unit, item, assignment, rights = get_item_for(request.user, slug, fiscal_year, code, "upload")
    month = _month_of(item, period)
    form = LinkForm(request.POST, auto_id=f"id_{period}_link_%s")
    if not form.is_valid():
        return _item_page(request, unit, item, assignment, rights, (period, "link", form), status=400)
    meta = _meta(form) | {"url": form.cleaned_data["url"]}
    evidence_service.add_link(period_of(unit, item, month), meta, request.user, ip=audit.client_ip(request))
    messages.success(request, _("The link was added."))
    return _back(unit, item, period)


@login_required
@require_POST
def declare_none(request, slug, fiscal_year, code, period):
    unit, item, assignment, rights = get_item_for(request.user, slug, fiscal_year, code, "upload")
    month = _month_of(item, period)
    form = NoneForm(request.POST, auto_id=f"id_{period}_none_%s")
    if form.is_valid():
        try:
            evidence_service.declare_none(period_of(unit, item, month), form.cleaned_data["reason"],
                                          form.cleaned_data["about_date"], request.user, ip=audit.client_ip(request))
        except evidence_service.EvidenceError as error:
            form.add_error(None, error.message)
    if not form.is_valid():
        return _item_page(request, unit, item, assignment, rights, (period, "none", form), status=400)
    messages.success(request, _("Recorded that there is nothing this period."))
    return _back(unit, item, period)


@login_required
@require_POST
def transition(request, slug, fiscal_year, code, period, action):
    unit, item, assignment, rights = get_item_for(request.user, slug, fiscal_year, code)
    month = _month_of(item, period)
    form = TransitionForm(request.POST)
    form.is_valid()
    try:
        workflow.transition(period_of(unit, item, month), action, request.user, rights,
                            form.cleaned_data.get("comment", ""), ip=audit.client_ip(request))
    except workflow.WorkflowError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, _("Done: %(action)s.") % {"action": workflow.ACTION_LABELS[action]})
    return _back(unit, item, period)


def _evidence_back(evidence):
    period = evidence.item_period
    return _back(period.unit, period.item, period.slug)


@login_required
def replace(request, pk):
    evidence, rights = get_evidence_for(request.user, pk, "upload")
    form = ReplaceForm(request.POST or None, request.FILES or None)
    if request.method == "POST":
        _refuse_unsafe_names(request, form, "file")
    if request.method == "POST" and form.is_valid():
        try:
            validated = uploads.validate_upload(form.cleaned_data["file"])
            evidence_service.replace_file(evidence, validated, request.user, ip=audit.client_ip(request))
        except uploads.UploadRejected as rejected:
            form.add_error("file", rejected.message)
        except evidence_service.EvidenceError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("A new version of “%(title)s” was stored; earlier versions are kept.") % {"title": evidence.title})
            return _evidence_back(evidence)
    return render(request, "oit_items/evidence_form.html", {"evidence": evidence, "form": form, "mode": "replace"},
                  status=400 if request.method == "POST" else 200)


@login_required
def edit(request, pk):
    evidence, rights = get_evidence_for(request.user, pk, "upload")
    initial = {f: getattr(evidence, f) for f in EvidenceMetaForm.base_fields}
    form = EvidenceMetaForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        evidence_service.edit(evidence, _meta(form) | {"title": form.cleaned_data["title"] or evidence.title},
                              request.user, ip=audit.client_ip(request))
        messages.success(request, _("Saved."))
        return _evidence_back(evidence)
    return render(request, "oit_items/evidence_form.html", {"evidence": evidence, "form": form, "mode": "edit"},
                  status=400 if request.method == "POST" else 200)


@login_required
def remove(request, pk):
    evidence, rights = get_evidence_for(request.user, pk, "upload")
    form = RemoveForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        evidence_service.remove(evidence, request.user, form.cleaned_data["reason"], ip=audit.client_ip(request))
        messages.success(request, _("“%(title)s” was removed from the period. It stays in the history.") % {"title": evidence.title})
        return _evidence_back(evidence)
    return render(request, "oit_items/evidence_form.html", {"evidence": evidence, "form": form, "mode": "remove"})


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


