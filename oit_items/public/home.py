"""The public home: every unit that publishes, grouped by the levels above it, with links and a
search box. Cached whole like the other public pages (1,564 units would otherwise cost a
second per request)."""

from django.db.models import Count, Max, Q
from django.shortcuts import render

from oit_items.public import publication
from units.models import Unit

HOME_TTL = 3600  # a renamed unit shows within the hour; new units at once (they change the stamp)
SEARCH_LIMIT = 50


def _sections(units) -> list[dict]:
    """[{unit, groups: [{unit, members: [publishing units]}]}] — a section per unit right below
    the top, a group per unit directly above the publishing ones."""
    by_id = {u["id"]: u for u in units}
    sections, groups = {}, {}
    for unit in units:
        if not unit["unit_type__publishes_oit"]:
            continue
        ids = [int(part) for part in unit["path"].strip("/").split("/")]
        section = by_id.get(ids[1]) if len(ids) > 2 else by_id.get(ids[0])
        group = by_id.get(unit["parent_id"]) or section
        entry = sections.setdefault(section["id"], {"unit": section, "groups": [], "count": 0})
        if group["id"] not in groups:
            groups[group["id"]] = {"unit": group, "members": []}
            entry["groups"].append(groups[group["id"]])
        groups[group["id"]]["members"].append(unit)
        entry["count"] += 1
    return list(sections.values())


def home(request):
    def page():
        units = list(Unit.objects.order_by("path").values("id", "path", "parent_id", "slug", "name_th", "name_en",
                                                          "short_name_th", "short_name_en", "unit_type__publishes_oit"))
        sections = _sections(units)
        return render(request, "home.html", {"sections": sections, "count": sum(s["count"] for s in sections)})

    shape = Unit.objects.aggregate(n=Count("id"), last=Max("id"))
    return publication.cached(request, "*home", page, current=f"units|{shape['n']}|{shape['last']}", ttl=HOME_TTL)


def unit_search(request):
    query = request.GET.get("q", "").strip()[:100]
    found = []
    if query:
        found = list(Unit.objects.filter(unit_type__publishes_oit=True).filter(
            Q(name_th__icontains=query) | Q(short_name_th__icontains=query) | Q(name_en__icontains=query)
            | Q(slug__icontains=query)).select_related("parent").order_by("path")[:SEARCH_LIMIT])
    return render(request, "public/unit_search.html", {"query": query, "found": found, "limit": SEARCH_LIMIT})
