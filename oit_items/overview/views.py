"""Supervisors' readiness overview: the units below a unit as a table (filter, search, sort,
pages) with their predicted score, where it is heading and the years before, their admin and
commander; drill-down with breadcrumbs, charts, an item × unit heatmap, exports and reminders."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from oit_items.overview import exports, figures, heatmap, records, reminders
from oit_items.overview.filters import UnitsBelowFilter
from units.models import Role, Unit
from units.permissions import get_unit_for, supervised_units, unit_access

PAGE_SIZE = 50
FILTER_NAMES = ("q", "type", "level", "band", "outlook", "overdue", "sort", "publishes")


@login_required
def start(request):
    """/staff/overview/: the overview of the highest unit the user supervises."""
    units = supervised_units(request.user)
    if not units:
        raise PermissionDenied
    return redirect("overview", slug=units[0].slug)


def _tree(request, slug, fiscal_year):
    unit, access = get_unit_for(request.user, slug, "overview")
    tree = figures.tree(unit, fiscal_year, timezone.localdate())
    if fiscal_year is not None and fiscal_year not in tree.years:
        raise Http404
    return unit, access, tree


def _filtered(request, tree) -> UnitsBelowFilter:
    data = request.GET.copy()
    if not any(name in data for name in FILTER_NAMES):
        # First visit (and the exports' default): whom to call today, i.e. the units that publish
        # (stations, immigration units), worst first; the level right below is one tap away.
        data["publishes"], data["sort"] = "on", "worst"
    return UnitsBelowFilter(data, tree=tree)


def level_below(tree) -> int | None:
    """The level right below the root when it is not the publishing units themselves (bureaus for
    the nation): the "by bureau" view's filter; None for a division, whose children are stations."""
    middle = [c.unit["unit_type__level"] for c in tree.root.children if not c.publishes]
    return min(middle) if middle else None


def breadcrumbs(user, tree) -> list[dict]:
    """The units above this one that the user may also overview, top first."""
    return [a for a in tree.ancestors if unit_access(user, Unit(id=a["id"], path=a["path"])).overview]


def contacts(unit_ids) -> dict:
    """{unit id: {"admin": [contact], "commander": [contact]}} for the rows shown, one query."""
    found = {}
    roles = (Role.objects.filter(unit_id__in=unit_ids, role__in=(Role.ADMIN, Role.COMMANDER), user__is_active=True)
             .select_related("user__officer").order_by("unit_id", "user__username"))
    for role in roles:
        officer = getattr(role.user, "officer", None)
        people = found.setdefault(role.unit_id, {Role.ADMIN: [], Role.COMMANDER: []})
        people[role.role].append({
            "name": officer.display_name if officer else (role.user.get_full_name() or role.user.username),
            "email": role.user.email or (officer.email if officer else ""), "phone": officer.phone if officer else ""})
    return found


@login_required
def overview(request, slug, fiscal_year=None):
    unit, access, tree = _tree(request, slug, fiscal_year)
    if not tree.root.children:
        return redirect("unit-detail", slug=unit.slug)
    filterset = _filtered(request, tree)
    rows = filterset.rows()
    page = Paginator(rows, PAGE_SIZE).get_page(request.GET.get("page"))
    people = contacts([f.pk for f in page])
    for row in page:
        row.contacts = people.get(row.pk, {}).get(Role.ADMIN, [])
        row.commanders = people.get(row.pk, {}).get(Role.COMMANDER, [])
    context = {
        "unit": unit, "access": access, "tree": tree, "filter": filterset, "page": page, "count": len(rows),
        "breadcrumbs": breadcrumbs(request.user, tree), "distribution": figures.distribution(tree),
        "months": figures.monthly_progress(unit, tree), "lagging": len(reminders.lagging(tree)),
        "failing": len(reminders.failing(tree)),
        "sort": filterset.form.cleaned_data.get("sort") or "tree", "level_below": level_below(tree),
        "itap_records": records.progress(unit, tree),
    }
    return render(request, "overview/overview.html", context)


@login_required
def export(request, slug, fiscal_year, fmt):
    unit, access, tree = _tree(request, slug, fiscal_year)
    rows = _filtered(request, tree).rows()
    people = contacts([f.pk for f in rows])
    if fmt == "xlsx":
        return exports.xlsx_response(unit, tree, rows, people)
    if fmt == "csv":
        return exports.csv_response(unit, tree, rows, people)
    raise Http404


@login_required
def heatmap_view(request, slug, fiscal_year):
    unit, access, tree = _tree(request, slug, fiscal_year)
    tables = heatmap.tables(unit, tree, timezone.localdate())
    context = {"unit": unit, "access": access, "tree": tree, "tables": tables, "heatmap": True,
               "breadcrumbs": breadcrumbs(request.user, tree)}
    return render(request, "overview/heatmap.html", context)


@login_required
@require_POST
def remind(request, slug, fiscal_year):
    unit, access, tree = _tree(request, slug, fiscal_year)
    failing = request.POST.get("units") == "failing"  # else the lagging ones
    targets = reminders.failing(tree) if failing else reminders.lagging(tree)
    queued, already = reminders.request(tree, unit, request.user, timezone.localdate(), targets)
    if queued:
        text = (_("Reminders are on their way to the admins of %(count)s units heading below the pass mark.") if failing
                else _("Reminders are on their way to the admins of %(count)s lagging units."))
        messages.success(request, text % {"count": queued})
    if already:
        messages.info(request, _("%(count)s units were already reminded today; they get at most one reminder a day.")
                      % {"count": already})
    if not queued and not already:
        messages.info(request, _("No unit below is heading below the pass mark.") if failing
                      else _("No unit below has overdue items."))
    return redirect(reverse("overview-year", args=[unit.slug, tree.fiscal_year]))
