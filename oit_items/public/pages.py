"""The public disclosure site: one stable page per unit, per fiscal year and per OIT item.

Only approved snapshots are shown; files are served only if they are in one. These URLs are what
units enter in ITAP, so they never change once published.
"""


from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse

from ita_portal.lib import files, pagecache
from oit_items.assessment import freezing
from oit_items.channels import stats
from oit_items.evidence.models import Revision
from oit_items.public import catalogue, publication, search
from oit_items.public import item as public_item
from oit_items.public.publication import cache_args, shows_statistics
from oit_items.public.records import current_item, fiscal_years, item_or_404, published_by_month
from oit_items.rulebook.models import Item
from units.permissions import get_public_unit
from units.staff.unit import serve_image

# What the parts above add to a unit's public home, by context name: {name: function(unit) -> value}.
# Registered in their AppConfig.ready() (measures: "eit", the EIT survey address), so that this page
# shows them without importing them.
HOME_EXTRAS = {}


def unit_home(request, slug):
    def page():
        unit = get_public_unit(slug)
        years = fiscal_years(unit)
        e_services = []
        if years:
            e_item = Item.objects.for_unit(unit, years[0]).filter(topic="e_services").first()
            if e_item:
                for _month, _at, entries in published_by_month(unit, [e_item]).get(e_item.pk, []):
                    e_services += [e for e in entries if e["kind"] == "link"]
        context = {"unit": unit, "years": years, "e_services": e_services,
                   **{name: provide(unit) for name, provide in HOME_EXTRAS.items()},
                   "lines_of_work": unit.unit_type.lines_of_work.all(), "updated": unit.published_at,
                   "json_ld": catalogue.json_ld(catalogue.unit_catalogue(unit, years))}
        return render(request, "public/unit.html", context)

    return publication.cached(request, slug, page, **cache_args(slug))  # a new fiscal year lists at once


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
        unit = get_public_unit(slug)
        items = list(Item.objects.for_unit(unit, fiscal_year).select_related("framework"))  # its notice reads it
        if not items:
            raise Http404
        published = published_by_month(unit, items)
        rows = [(item, index_status(item, fiscal_year, published.get(item.pk, []))) for item in items]
        return render(request, "public/index.html", {
            "unit": unit, "fiscal_year": fiscal_year, "rows": rows, "years": fiscal_years(unit),
            "updated": unit.published_at, "json_ld": catalogue.json_ld(catalogue.dataset(unit, fiscal_year))})

    return publication.cached(request, slug, page, **cache_args(slug))


def ita_current_item(request, slug, topic):
    """A year-independent address (printed on signs as a QR code): the item of this topic in the
    current fiscal year."""
    unit = get_public_unit(slug)
    item = current_item(unit, topic)
    if item is None:
        raise Http404("no such item")
    return redirect("public-item", slug=slug, fiscal_year=item.framework.fiscal_year, code=item.code.lower())


def ita_item(request, slug, fiscal_year, code):
    if code != code.lower():
        return redirect("public-item", slug=slug, fiscal_year=fiscal_year, code=code.lower(), permanent=True)

    def page():
        unit = get_public_unit(slug)
        item = item_or_404(unit, fiscal_year, code)
        periods = published_by_month(unit, [item]).get(item.pk, [])
        complaint_stats = None
        if item.topic == public_item.COMPLAINTS:  # the statistics come from the complaint channel itself

            complaint_stats = stats.monthly(unit, fiscal_year, item.months or (10, 11, 12, 1, 2, 3))
        context = {"unit": unit, "item": item, "fiscal_year": fiscal_year,
                   "required": public_item.requirements(item),
                   "rows": public_item.rows(unit, item, fiscal_year, periods, complaint_stats),
                   "complaint_stats": complaint_stats, "totals": public_item.complaint_totals(complaint_stats),
                   "updated": public_item.last_updated(unit, item, periods),
                   "json_url": reverse("api-item", args=[slug, fiscal_year, item.code.lower()]),
                   "submitted_at": freezing.submitted_at(unit, item, fiscal_year),
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


def public_file(request, slug, pk, name=None):
    """Revalidated on every use (files.revalidated): right after a takedown no browser shows it again."""
    revision = _published_revision(slug, pk)
    return files.revalidated(request, revision.sha256, revision.file, revision.original_name, revision.content_type,
                             as_attachment=revision.format != "image")


def public_thumbnail(request, slug, pk):
    """The small picture of a published photo or of a PDF's first page (made once, on upload)."""
    revision = _published_revision(slug, pk)
    if not revision.thumbnail:
        raise Http404
    stem = revision.original_name.rsplit(".", 1)[0]
    return files.revalidated(request, f"{revision.sha256}-thumbnail", revision.thumbnail, f"{stem}.jpg", "image/jpeg",
                             as_attachment=False)


def public_emblem(request, slug):
    """The emblem of a publishing unit, for its public pages (from the storage, any backend)."""
    unit = get_public_unit(slug)
    if not unit.emblem:
        raise Http404
    # Every new emblem is stored under a new name: the name tells one emblem from the next.
    return serve_image(unit.emblem, f"{unit.slug}-emblem", request=request)


def search_view(request, slug, fiscal_year):
    """Results from the index built last; while a newer publication is being indexed the page says
    so (what was published in the last minute may be missing), and before the first build it says
    the index is being built. Cached per query under the unit's publication, the
    frameworks and the index's last build, so a repeated query reads neither index nor database."""
    query = request.GET.get("q", "")[:100]

    def page():
        unit = get_public_unit(slug)
        if fiscal_year not in fiscal_years(unit):
            raise Http404
        hits = search.search(unit, fiscal_year, query) if query.strip() else []
        return render(request, "public/search.html", {"unit": unit, "fiscal_year": fiscal_year, "query": query,
                                                      "hits": hits, "index_state": search.state(unit)})

    current = pagecache.combined(publication.stamp(slug), publication.requirements_stamp(), search.built_stamp(slug))
    return publication.cached(request, slug, page, current=current, variant=f"q={query}")
