"""Guarded approval and emergency takedown (staff side).

- confirm: checking or approving one period, on a page that shows its automatic checks and — for
  an approval — exactly what becomes public (what is added, changed, no longer public). Failing
  checks need a reason to pass it anyway. The approval names the snapshot shown (its fingerprint).
- approvals: the commander approves several checked periods of a unit from one screen.
- takedown: the commander or the admin withdraws published files or a whole period at once.
"""

from dataclasses import dataclass, field

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _

from ita_portal.lib.http import client_ip
from oit_items.evidence import checks, takedown, workflow
from oit_items.evidence.forms import TakedownForm, TransitionForm
from oit_items.evidence.models import AuditEvent, Evidence, ItemPeriod
from oit_items.evidence.permissions import get_item_for, item_access
from oit_items.evidence.views import back_to_item, month_of_slug
from units.permissions import get_unit_for


@dataclass
class Review:
    """One period as the person about to check or approve it must see it."""

    period: ItemPeriod
    evidence: list
    check: checks.ItemCheck  # the item's checks, evaluated once: the approval reuses them
    snapshot: list = field(default_factory=list)
    added: list = field(default_factory=list)
    changed: list = field(default_factory=list)
    kept: list = field(default_factory=list)
    withdrawn: list = field(default_factory=list)
    checked: AuditEvent | None = None  # how the controller passed it: their comment, their override reason

    @property
    def failures(self) -> list:
        return self.check.period(self.period.month).failures

    @property
    def fingerprint(self) -> str:
        return workflow.fingerprint(self.snapshot)

    @property
    def revisions(self) -> dict:
        return {e.pk: e.current_revision for e in self.evidence}


def reviews_for(unit, periods) -> list[Review]:
    """Reviews of periods of one unit, from one query of evidence whatever their number."""
    grouped = Evidence.objects.by_period([unit], list({p.item_id for p in periods}))
    evaluated = {}  # one evaluation of an item's checks judges all its periods
    checked = AuditEvent.objects.last_check_of([p for p in periods if p.state == ItemPeriod.CHECKED])
    reviews = []
    for period in periods:
        evidence = grouped.get((unit.pk, period.item_id), {})
        if period.item_id not in evaluated:
            evaluated[period.item_id] = checks.evaluate(period.item, evidence)
        current = evidence.get(period.month, [])
        review = Review(period, current, evaluated[period.item_id], workflow.snapshot_of(current),
                        checked=checked.get(period.pk))
        public = {e["evidence"]: e for e in period.published}
        for entry in review.snapshot:
            before = public.pop(entry["evidence"], None)
            (review.added if before is None else review.kept if before == entry else review.changed).append(entry)
        review.withdrawn = list(public.values())
        reviews.append(review)
    return reviews


def _period(unit, item, month) -> ItemPeriod:
    period = ItemPeriod.objects.filter(unit=unit, item=item, month=month).select_related("unit", "item__framework").first()
    if period is None:
        raise Http404
    return period


@login_required
def confirm(request, slug, fiscal_year, code, period, action):
    if action not in workflow.GUARDED:
        raise Http404
    unit, item, _assignment, rights = get_item_for(request.user, slug, fiscal_year, code)
    if not rights.may(workflow.ACTIONS[action][2]):
        raise PermissionDenied
    month = month_of_slug(item, period)
    found = ItemPeriod.objects.filter(unit=unit, item=item, month=month).select_related("unit", "item__framework").first()
    if found is None or action not in workflow.available_actions(found, rights):
        state = found.get_state_display() if found else ItemPeriod.LABELS[ItemPeriod.EMPTY]
        messages.error(request, _("This period is “%(state)s” and cannot take that step now.") % {"state": state})
        return back_to_item(unit, item, period)
    [review] = reviews_for(unit, [found])
    form = TransitionForm(request.POST or None, initial={"expected": review.fingerprint})
    if request.method == "POST" and form.is_valid():
        try:
            workflow.transition(found, action, request.user, rights, ip=client_ip(request),
                                override=form.cleaned_data["override"],
                                expected=form.cleaned_data["expected"] if action == "approve" else None,
                                checked=review.check)
        except workflow.ChecksFailed:
            form.add_error("override", _("The automatic checks fail: say why it may pass anyway."))
        except workflow.WorkflowError as error:
            form.add_error(None, error.message)
        else:
            messages.success(request, _("Done: %(action)s.") % {"action": workflow.ACTION_LABELS[action]})
            return back_to_item(unit, item, period)
    context = {"unit": unit, "item": item, "review": review, "action": action, "form": form,
               "label": workflow.ACTION_LABELS[action], "period_slug": period}
    return render(request, "oit_items/confirm.html", context, status=400 if request.method == "POST" else 200)


@login_required
def approvals(request, slug):
    """Every checked period of the unit, each with its check summary and what becomes public."""
    unit, access = get_unit_for(request.user, slug, "approve")
    periods = list(ItemPeriod.objects.filter(unit=unit, state=ItemPeriod.CHECKED).select_related("item__framework")
                   .order_by("-item__framework__fiscal_year", "item__number", "month"))
    rights = item_access(request.user, access, None)
    results, typed = {}, {}
    if request.method == "POST":
        chosen = {int(pk) for pk in request.POST.getlist("period") if pk.isdigit()}
        for review in reviews_for(unit, [p for p in periods if p.pk in chosen]):
            pk = review.period.pk
            typed[pk] = request.POST.get(f"override-{pk}", "")
            try:
                workflow.transition(review.period, "approve", request.user, rights, ip=client_ip(request),
                                    override=typed[pk], expected=request.POST.get(f"expected-{pk}", ""),
                                    checked=review.check)
            except workflow.ChecksFailed:
                results[pk] = _("The automatic checks fail: say why it may pass anyway.")
            except workflow.WorkflowError as error:
                results[pk] = error.message
            else:
                results[pk] = ""
        approved = [pk for pk, error in results.items() if not error]
        if approved:
            messages.success(request, _("Approved and published: %(count)s periods.") % {"count": len(approved)})
        if not chosen:
            messages.error(request, _("Tick the periods to approve."))
        if not any(results.values()):
            return redirect("unit-approvals", slug=unit.slug)
        periods = [p for p in periods if p.pk not in approved]
    reviews = reviews_for(unit, periods)
    for review in reviews:
        review.error = results.get(review.period.pk, "")
        review.typed = typed.get(review.period.pk, "")
        review.chosen = review.period.pk in results
    status = 400 if any(results.values()) else 200
    return render(request, "oit_items/approvals.html", {"unit": unit, "access": access, "reviews": reviews}, status=status)


@login_required
def takedown_view(request, slug, fiscal_year, code, period):
    unit, item, _assignment, rights = get_item_for(request.user, slug, fiscal_year, code, "take_down")
    found = _period(unit, item, month_of_slug(item, period))
    if not found.published:
        raise Http404
    preselected = [int(pk) for pk in request.GET.getlist("evidence") if pk.isdigit()]
    form = TakedownForm(request.POST or None, entries=found.published, initial={"evidence": preselected})
    if request.method == "POST" and form.is_valid():
        ids = None if form.cleaned_data["scope"] == "period" else form.cleaned_data["evidence"]
        try:
            withdrawn = takedown.take_down(found, request.user, form.cleaned_data["reason"], ids,
                                           ip=client_ip(request))
        except workflow.WorkflowError as error:
            form.add_error(None, error.message)
        else:
            names = ", ".join(e["original_name"] or e["title"] for e in withdrawn)
            messages.success(request, _("Taken down from the public site: %(names)s. The month is a draft again.")
                             % {"names": names})
            return back_to_item(unit, item, period)
    context = {"unit": unit, "item": item, "period": found, "form": form, "period_slug": period,
               "public_url": reverse("public-item", args=[unit.slug, fiscal_year, item.code.lower()])}
    return render(request, "oit_items/takedown.html", context, status=400 if request.method == "POST" else 200)
