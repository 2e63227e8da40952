"""The public disclosure site: one stable page per unit, per fiscal year and per OIT item.

Only approved snapshots are shown; files are served only if they are in one. These URLs are what
units enter in ITAP, so they never change once published.
"""

from collections import defaultdict

from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from units.models import Unit

from . import catalogue, files, public_item, publication
from .models import Framework, Item, ItemPeriod, Revision


def _unit(slug):
    return get_object_or_404(Unit.objects.select_related("unit_type", "head", "parent"), slug=slug,
                             unit_type__publishes_oit=True)


def _item(unit, fiscal_year, code):
    return get_object_or_404(Item.objects.for_unit(unit, fiscal_year).select_related("framework"), code__iexact=code)


def fiscal_years(unit) -> list[int]:
    return list(Framework.objects.filter(unit_type_id=unit.unit_type_id).order_by("-fiscal_year")
                .values_list("fiscal_year", flat=True))


COMPLAINT_CODES_KEY = "public-complaint-codes"


def complaint_codes() -> set[str]:
    """Codes that are the complaint item in some framework (O17 police, O16 immigration): a page with
    one of these codes carries live statistics. (Police O16 is taken for one too: it is only
    revalidated more often.) Kept under the frameworks' stamp, so a new framework counts at once."""
    from django.core.cache import cache

    key = f"{COMPLAINT_CODES_KEY}:{requirements_stamp()}"
    codes = publication.local.stamp(key) or cache.get_or_set(key, lambda: {
        c.lower() for c in Item.objects.filter(topic=public_item.COMPLAINTS).values_list("code", flat=True).distinct()},
        publication.PAGE_TTL)
    publication.local.keep_stamp(key, codes)
    return codes


def requirements_stamp() -> str:
    """Changes when a framework's items change (editor, data files): the pages showing them follow."""
    from django.db.models import Max

    return publication.live_stamp(publication.FRAMEWORKS, "*",
                                  lambda: Framework.objects.aggregate(latest=Max("updated_at"))["latest"])


def cache_args(slug: str, statistics: bool = False) -> dict:
    """`cached()` arguments for a page of a unit's items (its home, the index, an item page, their open data):
    cached on the unit's publication and the frameworks; a page with the complaint statistics in it
    also on the unit's complaints, and revalidated on every view."""
    from .channels import stats

    stamps = [publication.stamp(slug), requirements_stamp()]
    if not statistics:
        return {"current": publication.combined(*stamps)}
    return {"current": publication.combined(*stamps, stats.stamp(slug)), "cache_control": publication.LIVE_CACHE_CONTROL}


def shows_statistics(code: str) -> bool:
    return code.lower() in complaint_codes()


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
        context = {"unit": unit, "years": years, "e_services": e_services, "eit": eit_survey(unit),
                   "lines_of_work": unit.unit_type.lines_of_work.all(), "updated": unit.published_at,
                   "json_ld": catalogue.json_ld(catalogue.unit_catalogue(unit, years))}
        return render(request, "public/unit.html", context)

    return publication.cached(request, slug, page, **cache_args(slug))  # a new fiscal year lists at once


def eit_survey(unit) -> dict | None:
    """The newest EIT survey address the unit set ({"fiscal_year", "url"}), for its home page.
    (The measures app keeps it, beside the EIT quotas.)"""
    from measures.models import MeasurePlan

    plan = (MeasurePlan.objects.filter(unit=unit).exclude(eit_survey_url="").order_by("-fiscal_year")
            .values("fiscal_year", "eit_survey_url").first())
    if plan is None:
        return None
    return {"fiscal_year": plan["fiscal_year"], "url": plan["eit_survey_url"],
            "qr": catalogue.qr_svg_data_uri(plan["eit_survey_url"])}


def index_status(item, fiscal_year, periods) -> dict:
    """What the index says of an item: every required period published (or "none this period"),
    some of them, none — or live data. Read off the item page's own rows, so that both agree: a
    month approved outside the required ones completes nothing."""
    required = public_item.required_months(item, fiscal_year)
    total = len(required)
    done = sum(1 for month, _at, entries in public_item.every_period(item, fiscal_year, periods)
               if month in required and public_item.status(item, entries) in (public_item.PUBLISHED, public_item.NONE))
    if item.topic in public_item.LIVE_TOPICS:
        return {"status": "live", "done": done, "total": total}
    status = "published" if done >= total else ("partial" if done else "missing")
    return {"status": status, "done": done, "total": total}


def ita_index(request, slug, fiscal_year):
    def page():
        unit = _unit(slug)
        items = list(Item.objects.for_unit(unit, fiscal_year))
        if not items:
            raise Http404
        published = published_by_month(unit, items)
        rows = [(item, index_status(item, fiscal_year, published.get(item.pk, []))) for item in items]
        return render(request, "public/index.html", {
            "unit": unit, "fiscal_year": fiscal_year, "rows": rows, "years": fiscal_years(unit),
            "updated": unit.published_at, "json_ld": catalogue.json_ld(catalogue.dataset(unit, fiscal_year))})

    return publication.cached(request, slug, page, **cache_args(slug))


def ita_item(request, slug, fiscal_year, code):
    if code != code.lower():
        return redirect("public-item", slug=slug, fiscal_year=fiscal_year, code=code.lower(), permanent=True)

    def page():
        unit = _unit(slug)
        item = _item(unit, fiscal_year, code)
        periods = published_by_month(unit, [item]).get(item.pk, [])
        complaint_stats = None
        if item.topic == public_item.COMPLAINTS:  # the statistics come from the complaint channel itself
            from .channels import stats

            complaint_stats = stats.monthly(unit, fiscal_year, item.months or (10, 11, 12, 1, 2, 3))
        context = {"unit": unit, "item": item, "fiscal_year": fiscal_year,
                   "required": public_item.requirements(item),
                   "rows": public_item.rows(unit, item, fiscal_year, periods, complaint_stats),
                   "complaint_stats": complaint_stats, "totals": public_item.complaint_totals(complaint_stats),
                   "updated": public_item.last_updated(unit, item, periods),
                   "json_url": reverse("api-item", args=[slug, fiscal_year, item.code.lower()]),
                   "json_ld": catalogue.json_ld(catalogue.dataset(unit, fiscal_year, item, periods))}
        return render(request, "public/item.html", context)

    return publication.cached(request, slug, page, **cache_args(slug, shows_statistics(code)))


def _published_revision(slug, pk) -> Revision:
    """A revision in an approved snapshot of this unit; anything else — a draft, a replaced
    revision never approved, another unit's file — answers 404, whatever URL is guessed."""
    revision = get_object_or_404(Revision.objects.select_related("evidence__item_period__unit"), pk=pk)
    period = revision.evidence.item_period
    if period.unit.slug != slug or not any(e.get("revision") == revision.pk for e in period.published):
        raise Http404
    return revision


def _public(response):
    if response.status_code == 200:  # not a short-lived signed redirect; a takedown reaches caches within a minute
        response["Cache-Control"] = publication.PUBLIC_CACHE_CONTROL
    return response


def public_file(request, slug, pk, name=None):
    revision = _published_revision(slug, pk)
    return _public(files.serve(revision.file, revision.original_name, revision.content_type,
                               as_attachment=revision.format != "image"))


def public_thumbnail(request, slug, pk):
    """The small picture of a published photo or of a PDF's first page (made once, on upload)."""
    revision = _published_revision(slug, pk)
    if not revision.thumbnail:
        raise Http404
    stem = revision.original_name.rsplit(".", 1)[0]
    return _public(files.serve(revision.thumbnail, f"{stem}.jpg", "image/jpeg", as_attachment=False))


def public_emblem(request, slug):
    """The emblem of a publishing unit, for its public pages (from the storage, any backend)."""
    from units.staff.unit import serve_image

    unit = _unit(slug)
    if not unit.emblem:
        raise Http404
    return _public(serve_image(unit.emblem, f"{unit.slug}-emblem"))


def search_view(request, slug, fiscal_year):
    """Results from the index built last; while a newer publication is being indexed the page says
    so (what was published in the last minute may be missing), and before the first build it says
    the index is being built."""
    from . import search

    unit = _unit(slug)
    if fiscal_year not in fiscal_years(unit):
        raise Http404
    query = request.GET.get("q", "")[:100]
    hits = search.search(unit, fiscal_year, query) if query.strip() else []
    return render(request, "public/search.html", {"unit": unit, "fiscal_year": fiscal_year, "query": query,
                                                  "hits": hits, "index_state": search.state(unit)})
