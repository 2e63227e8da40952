"""How many officers of each unit below have linked LINE (issue 23): headquarters see whether the
Official Account reaches the units before relying on it. A small panel of the overview, loaded by
htmx, in two queries whatever the size of the subtree."""

from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import render

from units import line
from units.models import LineGroup, Officer, Unit
from units.permissions import get_unit_for


def linked_by_unit(unit) -> list[dict]:
    """For each unit right below `unit`, over its subtree: officers with a login, how many of them
    linked LINE, and how many units have linked their LINE group."""
    children = list(Unit.objects.filter(parent=unit).order_by("path").values("pk", "path", "name_th", "short_name_th"))
    counts = (Officer.objects.filter(unit__path__startswith=unit.path, is_active=True, user__isnull=False,
                                     user__is_active=True)
              .values("unit__path").annotate(officers=Count("pk"),
                                             linked=Count("pk", filter=Q(user__messaging__line_user_id__isnull=False))))
    groups = list(LineGroup.objects.filter(unit__path__startswith=unit.path).values_list("unit__path", flat=True))
    rows = []
    for child in children:
        mine = [c for c in counts if c["unit__path"].startswith(child["path"])]
        rows.append({"name": child["short_name_th"] or child["name_th"],
                     "officers": sum(c["officers"] for c in mine), "linked": sum(c["linked"] for c in mine),
                     "groups": sum(path.startswith(child["path"]) for path in groups)})
    return rows


@login_required
def panel(request, slug):
    if not line.enabled():
        raise Http404
    unit, _access = get_unit_for(request.user, slug, "overview")
    return render(request, "overview/partials/line_links.html", {"unit": unit, "rows": linked_by_unit(unit)})
