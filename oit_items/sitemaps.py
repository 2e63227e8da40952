from django.contrib.sitemaps import Sitemap
from django.urls import reverse

from units.models import Unit

from .models import Framework, Item


class PublicPagesSitemap(Sitemap):
    """Every unit home, OIT index and item page: what assessors and search engines should find."""

    changefreq = "weekly"

    def items(self):
        units = list(Unit.objects.filter(unit_type__publishes_oit=True).only("slug", "unit_type_id", "published_at"))
        frameworks = {}
        for framework in Framework.objects.all():
            frameworks.setdefault(framework.unit_type_id, []).append(framework.fiscal_year)
        codes = {}
        for unit_type_id, year, code in Item.objects.filter(retired=False).values_list(
                "framework__unit_type_id", "framework__fiscal_year", "code"):
            codes.setdefault((unit_type_id, year), []).append(code.lower())
        pages = []
        for unit in units:
            pages.append((reverse("public-unit", args=[unit.slug]), unit.published_at))
            for year in frameworks.get(unit.unit_type_id, []):
                pages.append((reverse("public-index", args=[unit.slug, year]), unit.published_at))
                pages += [(reverse("public-item", args=[unit.slug, year, c]), unit.published_at)
                          for c in codes.get((unit.unit_type_id, year), [])]
        return pages

    def location(self, page):
        return page[0]

    def lastmod(self, page):
        return page[1]
