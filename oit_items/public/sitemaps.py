"""Sitemaps for assessors and search engines, sized for the nation.

`/sitemap.xml` is an index with one part per unit and fiscal year (`/sitemaps/<unit>-<year>.xml`);
a single file would pass the protocol's 50,000 URLs with the second fiscal year. Each part is a
public page like the others: cached on the unit's publication stamp (so replaced on approval),
with ETag and 304. The newest year's part also lists the unit's home and public channels.
`/robots.txt` points to the index.
"""

from django.conf import settings
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.html import escape

from ita_portal.lib import pagecache
from ita_portal.lib.site import site_url
from oit_items.public import publication
from oit_items.public.publication import cache_args, requirements_stamp
from oit_items.rulebook.models import Framework, Item
from units.models import Unit

XML = "application/xml; charset=utf-8"
UNIT_PAGES = ("public-unit", "public-questions", "public-complaint", "public-complaint-track")


def years_by_type() -> dict:
    years = {}
    for unit_type_id, year in Framework.objects.order_by("-fiscal_year").values_list("unit_type_id", "fiscal_year"):
        years.setdefault(unit_type_id, []).append(year)
    return years


def _lastmod(value) -> str:
    return f"<lastmod>{value.date().isoformat()}</lastmod>" if value else ""


def index(request):
    def build():
        years = years_by_type()
        parts = []
        units = Unit.objects.filter(unit_type__publishes_oit=True).order_by("path").values_list(
            "slug", "unit_type_id", "published_at")
        for slug, unit_type_id, published_at in units:
            for year in years.get(unit_type_id, []):
                loc = escape(site_url() + reverse("sitemap-part", args=[slug, year]))
                parts.append(f"<sitemap><loc>{loc}</loc>{_lastmod(published_at)}</sitemap>")
        body = ('<?xml version="1.0" encoding="UTF-8"?>\n'
                '<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n'
                + "\n".join(parts) + "\n</sitemapindex>\n")
        return HttpResponse(body, content_type=XML)

    # New units change the index too; counting them is one cheap query. A new fiscal year adds parts.
    stamps = pagecache.combined(publication.stamp_all(), requirements_stamp())
    current = f"{stamps}|{Unit.objects.filter(unit_type__publishes_oit=True).count()}"
    return publication.cached(request, "*", build, current=current)


def part(request, slug, fiscal_year):
    def build():
        unit = Unit.objects.filter(slug=slug, unit_type__publishes_oit=True).only("slug", "unit_type_id",
                                                                                   "published_at").first()
        years = years_by_type().get(unit.unit_type_id, []) if unit else []
        if fiscal_year not in years:
            raise Http404
        paths = []
        if fiscal_year == years[0]:
            paths += [reverse(name, args=[slug]) for name in UNIT_PAGES]
        paths.append(reverse("public-index", args=[slug, fiscal_year]))
        codes = Item.objects.filter(framework__unit_type_id=unit.unit_type_id, framework__fiscal_year=fiscal_year,
                                    retired=False).order_by("number").values_list("code", flat=True)
        paths += [reverse("public-item", args=[slug, fiscal_year, code.lower()]) for code in codes]
        lastmod = _lastmod(unit.published_at)
        urls = "\n".join(f"<url><loc>{escape(site_url() + p)}</loc>{lastmod}</url>" for p in paths)
        body = ('<?xml version="1.0" encoding="UTF-8"?>\n'
                f'<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">\n{urls}\n</urlset>\n')
        return HttpResponse(body, content_type=XML)

    return publication.cached(request, slug, build, **cache_args(slug))  # the items and years follow the frameworks


def robots(request):
    lines = ["User-agent: *", "Disallow: /staff/", "Disallow: /admin/", "Disallow: /login/", "Allow: /",
             f"Sitemap: {settings.SITE_URL}{reverse('sitemap')}"]
    response = HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "public, max-age=3600"
    return response
