"""The open-data catalogue: `/api/v1/` lists every publishing unit (its level and the unit above it)
with its fiscal years, and every unit-year as a DCAT dataset (licence, publisher, modified, the
JSON and CSV distributions). The public pages carry the same descriptions as JSON-LD.

The JSON is JSON-LD too: `@context` maps its plain keys onto DCAT and Dublin Core terms, so a
harvester reads it as a DCAT catalogue and a person reads it as ordinary JSON.
"""

import json

from django.conf import settings
from django.urls import reverse
from django.utils.encoding import iri_to_uri
from django.utils.safestring import mark_safe

from ita_portal.lib.site import site_url
from oit_items.public import item as public_item
from oit_items.public.sitemaps import years_by_type
from units.models import Unit

IANA_MEDIA_TYPES = "https://www.iana.org/assignments/media-types/"
CONTEXT = {
    "@version": 1.1,  # for media_type's own context: "text/csv" reads as the IANA type's IRI
    "dcat": "http://www.w3.org/ns/dcat#", "dct": "http://purl.org/dc/terms/", "foaf": "http://xmlns.com/foaf/0.1/",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "title": "dct:title", "description": "dct:description", "identifier": "dct:identifier",
    "publisher": "dct:publisher", "name": "foaf:name",
    "homepage": {"@id": "foaf:homepage", "@type": "@id"},
    "license": {"@id": "dct:license", "@type": "@id"},
    "modified": {"@id": "dct:modified", "@type": "xsd:dateTime"},
    "language": "dct:language", "datasets": "dcat:dataset", "distributions": "dcat:distribution",
    "landing_page": {"@id": "dcat:landingPage", "@type": "@id"},
    "download_url": {"@id": "dcat:downloadURL", "@type": "@id"},
    "access_url": {"@id": "dcat:accessURL", "@type": "@id"},
    "media_type": {"@id": "dcat:mediaType", "@type": "@vocab", "@context": {"@vocab": IANA_MEDIA_TYPES}}, "conforms_to": {"@id": "dct:conformsTo", "@type": "@id"},
}


def absolute(path: str) -> str:
    return iri_to_uri(site_url() + path)


def licence() -> str:
    return settings.OPEN_DATA_LICENSE


def iso(value) -> str | None:
    return value.isoformat() if value else None


def publisher(unit) -> dict:
    return {"@type": "foaf:Organization", "name": unit.name_th, "homepage": absolute(reverse("public-unit", args=[unit.slug]))}


def _distribution(path: str, media_type: str, schema: bool = False) -> dict:
    found = {"@type": "dcat:Distribution", "access_url": absolute(path), "download_url": absolute(path),
             "media_type": media_type}
    if schema:
        found["conforms_to"] = absolute(reverse("api-schema"))
    return found


def dataset(unit, fiscal_year: int, item=None, periods=None, modified=None) -> dict:
    """A unit's disclosures of one fiscal year, or of one item of it, as a DCAT dataset."""
    args = [unit.slug, fiscal_year]
    if item is None:
        title = f"{unit.name_th} · OIT {fiscal_year}"
        page, json_path, csv_path = (reverse("public-index", args=args), reverse("api-unit", args=args),
                                     reverse("api-unit-csv", args=args))
        extra = [_distribution(reverse("api-unit-evidence-csv", args=args), "text/csv")]
        modified = modified or unit.published_at
    else:
        code = item.code.lower()
        title = f"{unit.name_th} · {item.code} {item.title_th} · {fiscal_year}"
        page, json_path, csv_path = (reverse("public-item", args=[*args, code]), reverse("api-item", args=[*args, code]),
                                     reverse("api-item-csv", args=[*args, code]))
        modified = modified or public_item.latest_approval(periods)
        extra = []
    return {
        "@context": CONTEXT, "@type": "dcat:Dataset", "@id": absolute(page), "title": title,
        "identifier": f"{unit.slug}/{fiscal_year}" + (f"/{item.code}" if item else ""),
        "landing_page": absolute(page), "publisher": publisher(unit), "license": licence(), "modified": iso(modified),
        "language": "th",
        "distributions": [_distribution(json_path, "application/json", schema=True), _distribution(csv_path, "text/csv"),
                          *extra],
    }


def unit_catalogue(unit, years) -> dict:
    """The unit's home page: the unit as publisher of one dataset per fiscal year."""
    return {"@context": CONTEXT, "@type": "dcat:Catalog", "@id": absolute(reverse("public-unit", args=[unit.slug])),
            "title": unit.name_th, "publisher": publisher(unit), "license": licence(),
            "modified": iso(unit.published_at), "datasets": [dataset(unit, year) for year in years]}


def catalogue() -> dict:
    """Every publishing unit and every unit-year dataset: two queries whatever the number of units."""
    years = years_by_type()
    units = list(Unit.objects.filter(unit_type__publishes_oit=True).select_related("unit_type", "parent").order_by("path"))
    top = Unit.objects.filter(parent=None).order_by("path").first()
    listed, datasets = [], []
    for unit in units:
        unit_years = years.get(unit.unit_type_id, [])
        parent = unit.parent
        listed.append({
            "slug": unit.slug, "name_th": unit.name_th, "name_en": unit.name_en,
            "url": absolute(reverse("public-unit", args=[unit.slug])),
            "level": {"code": unit.unit_type.code, "name_th": unit.unit_type.name_th,
                      "name_en": unit.unit_type.name_en, "depth": unit.unit_type.level},
            "parent": {"slug": parent.slug, "name_th": parent.name_th, "name_en": parent.name_en} if parent else None,
            "fiscal_years": unit_years, "modified": iso(unit.published_at),
            "datasets": [absolute(reverse("api-unit", args=[unit.slug, year])) for year in unit_years],
        })
        datasets += [{k: v for k, v in dataset(unit, year).items() if k != "@context"} for year in unit_years]
    latest = max((u.published_at for u in units if u.published_at), default=None)
    return {
        "@context": CONTEXT, "@type": "dcat:Catalog", "@id": absolute(reverse("api-catalogue")),
        "$schema": absolute(reverse("api-catalogue-schema")),
        "title": "ITA Portal — OIT open data", "description": settings.OPEN_DATA_DESCRIPTION,
        "publisher": {"@type": "foaf:Organization", "name": top.name_th if top else "", "homepage": absolute(reverse("home"))}, "license": licence(), "modified": iso(latest),
        "homepage": absolute(reverse("home")), "units": listed, "datasets": datasets,
    }


_JSON_SCRIPT_ESCAPES = {ord("<"): "\\u003C", ord(">"): "\\u003E", ord("&"): "\\u0026"}


def json_ld(data: dict) -> str:
    """For a `<script type="application/ld+json">` data block (never executed; CSP does not
    apply to it): nothing in it can close the element."""
    return mark_safe(json.dumps(data, ensure_ascii=False).translate(_JSON_SCRIPT_ESCAPES))


def qr_svg_data_uri(url: str) -> str:
    import segno

    return segno.make(url, error="m").svg_data_uri(scale=4, border=4)
