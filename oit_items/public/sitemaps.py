"""Sitemaps for assessors and search engines, sized for the nation.

`/sitemap.xml` is an index with one part per unit and fiscal year (`/sitemaps/<unit>-<year>.xml`);
a single file would pass the protocol's 50,000 URLs with the second fiscal year. Each part is a
public page like the others: cached on the unit's publication stamp (so replaced on approval),
with ETag and 304. The newest year's part also lists the unit's home and public channels. Each page
is listed in Thai and in English (`/en/…`), each naming the other as its `xhtml:link` alternate.
`/robots.txt` points to the index.
"""

from django.conf import settings
from django.http import Http404, HttpResponse
from django.urls import reverse
from django.utils.html import escape

from ita_portal.lib import languages, pagecache
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
        pages = []
        if fiscal_year == years[0]:
            pages += [(name, [slug]) for name in UNIT_PAGES]
        pages.append(("public-index", [slug, fiscal_year]))
        codes = Item.objects.filter(framework__unit_type_id=unit.unit_type_id, framework__fiscal_year=fiscal_year,
                                    retired=False).order_by("number").values_list("code", flat=True)
        pages += [("public-item", [slug, fiscal_year, code.lower()]) for code in codes]
        lastmod = _lastmod(unit.published_at)
        urls = "\n".join(_urls(languages.reversed_in_each(name, args), lastmod) for name, args in pages)
        body = ('<?xml version="1.0" encoding="UTF-8"?>\n'
                '<urlset xmlns="http://www.sitemaps.org/schemas/sitemap/0.9" xmlns:xhtml="http://www.w3.org/1999/xhtml">\n'
                f'{urls}\n</urlset>\n')
        return HttpResponse(body, content_type=XML)

    return publication.cached(request, slug, build, **cache_args(slug))  # the items and years follow the frameworks


def _urls(in_each: list[tuple[str, str]], lastmod: str) -> str:
    """A page's `<url>` in every language, each naming all of them (and x-default, the Thai page) as
    alternates, as the sitemap protocol's extension for languages asks."""
    located = [(code, escape(site_url() + path)) for code, path in in_each]
    links = "".join(f'<xhtml:link rel="alternate" hreflang="{code}" href="{loc}"/>'
                    for code, loc in [*located, ("x-default", dict(located)[settings.LANGUAGE_CODE])])
    return "\n".join(f"<url><loc>{loc}</loc>{lastmod}{links}</url>" for _code, loc in located)


def robots(request):
    lines = ["User-agent: *", "Disallow: /staff/", "Disallow: /en/staff/", "Disallow: /admin/", "Disallow: /login/",
             "Disallow: /en/login/", "Allow: /",
             f"Sitemap: {settings.SITE_URL}{reverse('sitemap')}"]
    response = HttpResponse("\n".join(lines) + "\n", content_type="text/plain; charset=utf-8")
    response["Cache-Control"] = "public, max-age=3600"
    return response
