"""Staff framework editor (national admins) and what changed (everyone with a login)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_POST

from oit_items.rulebook import editing as framework_edit
from oit_items.rulebook.forms import ItemForm, PublishForm
from oit_items.rulebook.models import Framework, FrameworkDraft, Item
from units.permissions import may_edit_frameworks, require

CHANGE_LABELS = {"added": gettext_lazy("added"), "retired": gettext_lazy("retired"), "restored": gettext_lazy("restored"),
                 "edited": gettext_lazy("edited")}


def _readable(changes) -> list[dict]:
    """Changes with the fields and the kind of change named in the reader's language."""
    return [{**change, "label": CHANGE_LABELS.get(change["change"], change["change"]),
             "fields": [str(Item._meta.get_field(name).verbose_name) for name in change.get("fields", [])]}
            for change in changes]


def _framework(pk):
    return get_object_or_404(Framework.objects.select_related("unit_type", "cloned_from"), pk=pk)


@login_required
def framework_list(request):
    require(may_edit_frameworks(request.user))
    frameworks = Framework.objects.select_related("unit_type", "cloned_from", "draft").order_by("-fiscal_year", "unit_type__code")
    return render(request, "oit_items/frameworks/list.html", {"frameworks": frameworks})


@login_required
def framework_edit_view(request, pk):
    require(may_edit_frameworks(request.user))
    framework = _framework(pk)
    draft = FrameworkDraft.objects.filter(framework=framework).first()
    if request.method == "POST" and draft is None:
        framework_edit.draft_for(framework, request.user)
        return redirect("framework-edit", pk=framework.pk)
    context = {"framework": framework, "draft": draft, "entries": draft.items if draft else [],
               "changes": _readable(framework_edit.changes(framework, draft)) if draft else [], "publish": PublishForm()}
    return render(request, "oit_items/frameworks/edit.html", context)


@login_required
def framework_item(request, pk, code=None):
    require(may_edit_frameworks(request.user))
    framework = _framework(pk)
    draft = get_object_or_404(FrameworkDraft, framework=framework)
    entry = draft.item(code) if code else None
    if code and entry is None:
        raise Http404
    form = ItemForm(request.POST or None, entry=entry, taken=[e["code"] for e in draft.items])
    if request.method == "POST":
        if form.is_valid():
            framework_edit.save_entry(draft, form.cleaned_entry, request.user, code=code)
            messages.success(request, _("%(code)s is saved in the draft; publish the draft when it is ready.") % {"code": form.cleaned_entry["code"]})
            return redirect("framework-edit", pk=framework.pk)
        messages.error(request, _("Nothing was saved: correct the fields marked below."))
    context = {"framework": framework, "form": form, "entry": entry}
    return render(request, "oit_items/frameworks/item.html", context, status=400 if request.method == "POST" else 200)


@login_required
@require_POST
def framework_item_retire(request, pk, code):
    require(may_edit_frameworks(request.user))
    draft = get_object_or_404(FrameworkDraft, framework_id=pk)
    if draft.item(code) is None:
        raise Http404
    framework_edit.set_retired(draft, code, retired=not request.POST.get("restore"), user=request.user)
    return redirect("framework-edit", pk=pk)


@login_required
@require_POST
def framework_publish(request, pk):
    require(may_edit_frameworks(request.user))
    framework = _framework(pk)
    form = PublishForm(request.POST)
    form.is_valid()
    try:
        release = framework_edit.publish(framework, request.user, note=form.cleaned_data.get("note", ""),
                                         final=form.cleaned_data.get("final", False))
    except framework_edit.PublishError as error:
        messages.error(request, error.message)
        for code, name, message in error.problems:
            messages.error(request, f"{code} · {name}: {message}")
        return redirect("framework-edit", pk=framework.pk)
    messages.success(request, _("Version %(version)s of %(framework)s is published; the units see what changed.")
                     % {"version": release.version, "framework": framework})
    return redirect("framework-changes", pk=framework.pk)


@login_required
@require_POST
def framework_discard(request, pk):
    require(may_edit_frameworks(request.user))
    FrameworkDraft.objects.filter(framework_id=pk).delete()
    messages.info(request, _("The draft is discarded."))
    return redirect("framework-edit", pk=pk)


@login_required
def framework_changes(request, pk):
    """What changed in each published version: for every unit working on the framework."""
    framework = _framework(pk)
    releases = list(framework.releases.select_related("published_by"))
    for release in releases:
        release.readable = _readable(release.changes)
    return render(request, "oit_items/frameworks/changes.html",
                  {"framework": framework, "releases": releases, "editor": may_edit_frameworks(request.user)})
