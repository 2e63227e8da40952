"""What a unit published in one fiscal year beside another, for the public: per item code, each
year's published periods with their files, links and explicit "none this period", and a link to
each year's live item page. Only approved snapshots (`ItemPeriod.published`), only public units,
only years the unit has; cached under the unit's publication stamp like its other pages."""

from dataclasses import dataclass, field

from django.http import Http404
from django.shortcuts import render

from oit_items.public import item as public_item
from oit_items.public import publication
from oit_items.public.pages import index_status
from oit_items.public.publication import cache_args
from oit_items.public.records import fiscal_years, published_by_month
from oit_items.rulebook.models import Item
from units.permissions import get_public_unit


@dataclass
class Side:
    """One item in one of the two years (None where that year has no item with the code)."""

    item: Item
    fiscal_year: int
    state: dict                                  # index_status: published / partial / missing / live
    periods: list = field(default_factory=list)  # [{"month", "approved_at", "files", "links", "nones"}]


def _period(slug, month, approved_at, entries) -> dict:
    files, links, nones = [], [], []
    for entry in entries:
        if entry.get("kind") == "file" and entry.get("revision"):
            files.append({**entry, "file_url": public_item.file_url(slug, entry)})
        elif entry.get("kind") == "link":
            links.append(entry)
        elif entry.get("kind") == "none":
            nones.append(entry)
    return {"month": month, "approved_at": approved_at, "files": files, "links": links, "nones": nones}


def rows(unit, years) -> list[dict]:
    """[{"code", "title", "title_en", "sides": [(year, Side or None) for each year]}] in the first year's item order
    (codes only the second year has after them). Two queries: the items, their published periods."""
    items = list(Item.objects.filter(framework__unit_type_id=unit.unit_type_id, framework__fiscal_year__in=years,
                                     retired=False).select_related("framework").order_by("number"))
    published = published_by_month(unit, items)
    found = {}
    for year in years:  # the first year's titles and order lead
        for item in (i for i in items if i.framework.fiscal_year == year):
            row = found.setdefault(item.code, {"code": item.code, "title": item.title_th, "title_en": item.title_en,
                                               "sides": [None] * len(years)})
            periods = published.get(item.pk, [])
            row["sides"][years.index(year)] = Side(item, year, index_status(item, year, periods),
                                                   [_period(unit.slug, *p) for p in periods])
    for row in found.values():
        row["sides"] = list(zip(years, row["sides"]))
    return list(found.values())


def compare_years(request, slug, year_a, year_b):
    """/u/<slug>/ita/<year_a>/compare/<year_b>/"""
    def page():
        unit = get_public_unit(slug)
        years = fiscal_years(unit)
        if year_a == year_b or year_a not in years or year_b not in years:
            raise Http404
        context = {"unit": unit, "years": [year_a, year_b], "rows": rows(unit, [year_a, year_b]),
                   "other_years": [y for y in years if y not in (year_a, year_b)], "updated": unit.published_at}
        return render(request, "public/compare.html", context)

    return publication.cached(request, slug, page, **cache_args(slug))
