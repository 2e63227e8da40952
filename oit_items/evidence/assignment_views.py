"""Item assignments of a unit for a fiscal year, on one screen, with bulk assignment."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from oit_items.evidence.models import Assignment
from oit_items.rulebook.models import Item
from units.models import Officer
from units.permissions import get_unit_for

RELATIONS = ("responsible", "controllers")


class BulkForm(forms.Form):
    ALL, MONTHLY, YEARLY, CHOSEN = "all", "monthly", "yearly", "chosen"
    items = forms.ChoiceField(label=gettext_lazy("Items"), choices=[
        (ALL, gettext_lazy("every item")), (MONTHLY, gettext_lazy("every monthly item")),
        (YEARLY, gettext_lazy("every whole-year item")), (CHOSEN, gettext_lazy("the items ticked in the table"))])
    officer = forms.ModelChoiceField(label=gettext_lazy("Officer"), queryset=Officer.objects.none())
    relation = forms.ChoiceField(label=gettext_lazy("As"), choices=[
        ("responsible", gettext_lazy("Responsible officer (ผู้รับผิดชอบ)")), ("controllers", gettext_lazy("Controller (ผู้ควบคุม)"))])
    replace = forms.BooleanField(label=gettext_lazy("Replace the officers there now (otherwise add)"), required=False)
    chosen = forms.MultipleChoiceField(required=False)  # the ticks in the table's first column

    def __init__(self, *args, officers, items, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["officer"].queryset = Officer.objects.filter(pk__in=[o.pk for o in officers if o.is_active])
        self.fields["chosen"].choices = [(str(i.pk), i.code) for i in items]

    def targets(self, items):
        kind = self.cleaned_data["items"]
        if kind == self.CHOSEN:
            wanted = set(self.cleaned_data["chosen"])
            return [i for i in items if str(i.pk) in wanted]
        return [i for i in items if kind == self.ALL or (kind == self.MONTHLY) == i.is_monthly]


def _field(officers, current):
    """The unit's serving officers, and those assigned now even if retired, as checkboxes: a tap
    adds or removes one officer and never drops the others (a native multiple select did)."""
    choices = [(o.pk, o.display_name if o.is_active else _("%(name)s (no longer serving)") % {"name": o.display_name})
               for o in officers if o.is_active or o.pk in current]
    return forms.TypedMultipleChoiceField(choices=choices, coerce=int, required=False,
                                          widget=forms.CheckboxSelectMultiple(attrs={"class": "form-check-input"}))


class AssignmentsForm(forms.Form):
    def __init__(self, *args, items, officers, assignments, **kwargs):
        super().__init__(*args, **kwargs)
        self.items, self.assignments = items, assignments
        for item in items:
            assignment = assignments.get(item.pk)
            for relation in RELATIONS:
                current = {o.pk for o in getattr(assignment, relation).all()} if assignment else set()
                name = f"{relation}-{item.pk}"
                self.fields[name] = _field(officers, current)
                self.initial[name] = sorted(current)

    def rows(self, query="", ticked=frozenset()):
        """One row per item: its two pickers, who holds each relation now (shown on the closed
        picker), whether the search hides it, whether it is ticked for a bulk assignment."""
        rows = []
        for item in self.items:
            assignment = self.assignments.get(item.pk)
            now = {r: [o.display_name for o in getattr(assignment, r).all()] if assignment else [] for r in RELATIONS}
            rows.append({"item": item, "responsible": self[f"responsible-{item.pk}"], "controllers": self[f"controllers-{item.pk}"],
                         "now": now, "hidden": not matches(query, item, now), "ticked": str(item.pk) in ticked})
        return rows

    @transaction.atomic
    def save(self, unit) -> int:
        changed = 0
        for item in self.items:
            wanted = {relation: set(self.cleaned_data[f"{relation}-{item.pk}"]) for relation in RELATIONS}
            changed += set_officers(unit, item, self.assignments, wanted)
        return changed


def matches(query: str, item, now: dict) -> bool:
    """The search: an officer's name (any part) among those assigned, or the item's code."""
    query = query.strip().casefold()
    if not query:
        return True
    names = [name.casefold() for relation in RELATIONS for name in now[relation]]
    return item.code.casefold() == query or any(query in name for name in names)


def set_officers(unit, item, assignments, wanted: dict) -> int:
    """Set an item's responsible officers and/or controllers; only real changes are written
    (and so kept in the history)."""
    assignment = assignments.get(item.pk)
    changed = 0
    for relation, officer_ids in wanted.items():
        current = {o.pk for o in getattr(assignment, relation).all()} if assignment else set()
        if officer_ids == current:
            continue
        if assignment is None:
            assignment = assignments[item.pk] = Assignment.objects.create(unit=unit, item=item)
        getattr(assignment, relation).set(officer_ids)
        changed = 1
    return changed


@login_required
def assignments(request, slug, fiscal_year):
    unit, access = get_unit_for(request.user, slug, "manage")
    items = list(Item.objects.for_unit(unit, fiscal_year))
    if not items:
        raise Http404
    officers = list(Officer.objects.filter(unit=unit).order_by("-is_active", "last_name", "first_name"))
    current = {a.item_id: a for a in Assignment.objects.filter(unit=unit, item__in=items).prefetch_related(*RELATIONS)}
    bulk_posted = request.method == "POST" and "bulk" in request.POST
    form = AssignmentsForm(request.POST if request.method == "POST" and not bulk_posted else None,
                           items=items, officers=officers, assignments=current)
    bulk = BulkForm(request.POST if bulk_posted else None, officers=officers, items=items)
    if request.method == "POST":
        done = _bulk(bulk, unit, items, current) if bulk_posted else (form.save(unit) if form.is_valid() else None)
        if done is not None:
            messages.success(request, _("Assignments saved: %(count)s items changed.") % {"count": done})
            return redirect(request.get_full_path())  # the same search stays on
        messages.error(request, _("Nothing was saved: correct the fields marked below."))
    query = request.GET.get("q", "")
    rows = form.rows(query, ticked=set(bulk.data.getlist("chosen")) if bulk_posted else frozenset())
    context = {"unit": unit, "access": access, "fiscal_year": fiscal_year, "form": form, "bulk": bulk, "rows": rows,
               "query": query, "shown_text": _("Showing {shown} of {all} items.").format(
                   shown=sum(not row["hidden"] for row in rows), all=len(rows))}
    return render(request, "units/assignments.html", context, status=400 if request.method == "POST" else 200)


@transaction.atomic
def _bulk(bulk, unit, items, current):
    if not bulk.is_valid():
        return None
    officer, relation = bulk.cleaned_data["officer"], bulk.cleaned_data["relation"]
    changed = 0
    for item in bulk.targets(items):
        assignment = current.get(item.pk)
        present = {o.pk for o in getattr(assignment, relation).all()} if assignment else set()
        wanted = {officer.pk} if bulk.cleaned_data["replace"] else present | {officer.pk}
        changed += set_officers(unit, item, current, {relation: wanted})
    return changed
