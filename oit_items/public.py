"""The public disclosure site: one stable page per unit, per fiscal year and per OIT item.

Only approved snapshots are shown; files are served only if they are in one. These URLs are what
units enter in ITAP, so they never change once published.
"""

from collections import defaultdict


from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from units.models import Unit

from . import files, publication
from .models import Framework, Item, ItemPeriod, Revision


def _unit(slug):
    return get_object_or_404(Unit.objects.select_related("unit_type", "head", "parent"), slug=slug,
                             unit_type__publishes_oit=True)


def _item(unit, fiscal_year, code):
    return get_object_or_404(Item.objects.for_unit(unit, fiscal_year).select_related("framework"), code__iexact=code)


def fiscal_years(unit) -> list[int]:
    return list(Framework.objects.filter(unit_type_id=unit.unit_type_id).order_by("-fiscal_year")
                .values_list("fiscal_year", flat=True))


def published_by_month(unit, items) -> dict:
    """{item id: [(month or None, approved_at, [snapshot entries])]} from approved snapshots only."""
    result = defaultdict(list)
    periods = (ItemPeriod.objects.filter(unit=unit, item__in=items, published_version__gt=0)
               .order_by("month").only("item_id", "month", "published", "approved_at"))
    for period in periods:
        result[period.item_id].append((period.month, period.approved_at, period.published))
    return result


def unit_home(request, slug):
    def page():
        unit = _unit(slug)
        years = fiscal_years(unit)
        e_services = []
        if years:
            e_item = Item.objects.for_unit(unit, years[0]).filter(topic="e_services").first()
            if e_item:
                for _month, _at, entries in published_by_month(unit, [e_item]).get(e_item.pk, []):
                    e_services += [e for e in entries if e["kind"] == "link"]
        context = {"unit": unit, "years": years, "e_services": e_services,
                   "lines_of_work": unit.unit_type.lines_of_work.all()}
        return render(request, "public/unit.html", context)

    return publication.cached(request, slug, page)


def ita_index(request, slug, fiscal_year):
    def page():
        unit = _unit(slug)
        items = list(Item.objects.for_unit(unit, fiscal_year))
        if not items:
            raise Http404
        published = published_by_month(unit, items)
        rows = [(item, bool(published.get(item.pk))) for item in items]
        return render(request, "public/index.html", {"unit": unit, "fiscal_year": fiscal_year, "rows": rows,
                                                     "years": fiscal_years(unit)})

    return publication.cached(request, slug, page)


def ita_item(request, slug, fiscal_year, code):
    if code != code.lower():
        return redirect("public-item", slug=slug, fiscal_year=fiscal_year, code=code.lower(), permanent=True)

    def page():
        unit = _unit(slug)
        item = _item(unit, fiscal_year, code)
        periods = published_by_month(unit, [item]).get(item.pk, [])
        context = {"unit": unit, "item": item, "fiscal_year": fiscal_year, "periods": periods,
                   "json_url": reverse("api-item", args=[slug, fiscal_year, item.code.lower()])}
        if item.topic == "complaints":  # the statistics come from the complaint channel itself
            from .channels import stats

            context["complaint_stats"] = stats.monthly(unit, fiscal_year, item.months or (10, 11, 12, 1, 2, 3))
        return render(request, "public/item.html", context)

    return publication.cached(request, slug, page)


def public_file(request, slug, pk, name=None):
    """A file of an approved snapshot; anything else — a draft, a replaced revision never
    approved, another unit's file — answers 404, whatever URL is guessed."""
    revision = get_object_or_404(Revision.objects.select_related("evidence__item_period__unit"), pk=pk)
    period = revision.evidence.item_period
    if period.unit.slug != slug or not any(e.get("revision") == revision.pk for e in period.published):
        raise Http404
    response = files.serve(revision.file, revision.original_name, revision.content_type,
                           as_attachment=revision.format != "image")
    if response.status_code == 200:  # not a short-lived signed redirect; a takedown reaches caches within a minute
        response["Cache-Control"] = publication.PUBLIC_CACHE_CONTROL
    return response


def file_url(slug, entry) -> str:
    return reverse("public-file", args=[slug, entry["revision"]])




def search_view(request, slug, fiscal_year):
    from . import search

    unit = _unit(slug)
    query = request.GET.get("q", "")[:100]
    hits = search.search(unit, fiscal_year, query) if query.strip() else []
    return render(request, "public/search.html", {"unit": unit, "fiscal_year": fiscal_year, "query": query, "hits": hits})
