"""The public disclosures as open data: JSON (schema in oit_items/public/schemas/) and CSV, listed by the
catalogue at /api/v1/ (catalogue.py).

The same approved snapshots as the public pages, nothing else: every period of every item, with
its status (published, "none this period", not yet published, live data, or not yet due), the item's
requirements, and for the complaint item the same monthly statistics as its page. Each document
carries its licence, publisher and modified dates; responses have an ETag and a Last-Modified."""

import csv
import io
import json
from pathlib import Path

from django.http import Http404, HttpResponse, JsonResponse
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import patch_vary_headers
from django.utils.encoding import iri_to_uri

from ita_portal.lib import pagecache
from oit_items.channels import stats
from oit_items.public import catalogue, dcat, publication
from oit_items.public import item as public_item
from oit_items.public.publication import cache_args, requirements_stamp, shows_statistics
from oit_items.public.records import item_or_404, published_by_month
from oit_items.rulebook.models import Item
from units.models import Unit
from units.permissions import get_public_unit

SCHEMAS = Path(__file__).resolve().parent / "schemas"
SCHEMA_PATH = SCHEMAS / "unit-ita-v1.json"
CATALOGUE_SCHEMA_PATH = SCHEMAS / "catalogue-v1.json"


# A cell starting with one of these is a formula to a spreadsheet (OWASP: CSV injection).
FORMULA_PREFIXES = ("=", "+", "-", "@", "\t", "\r")


def neutralised(value):
    """A text cell a spreadsheet shows as text: a leading apostrophe before a formula prefix."""
    if isinstance(value, str) and value.startswith(FORMULA_PREFIXES):
        return "'" + value
    return value


def _entry(slug, entry) -> dict:
    data = {k: entry.get(k) for k in ("kind", "title", "description", "about_date", "language", "is_news")}
    if entry["kind"] == "file":
        data |= {"format": entry["format"], "extension": entry["extension"], "size": entry["size"],
                 "original_name": entry["original_name"],
                 "url": catalogue.absolute(public_item.file_url(slug, entry))}
    elif entry["kind"] == "link":
        data["url"] = iri_to_uri(entry["url"])  # JSON carries URIs: Thai in a link is percent-encoded
    else:
        data["reason"] = entry["reason"]
    return data


def _item_data(unit, item, periods) -> dict:
    fiscal_year = item.framework.fiscal_year
    today = timezone.localdate()
    data = {
        "code": item.code, "topic": item.topic, "title_th": item.title_th, "title_en": item.title_en,
        "guidance_th": item.guidance_th, "guidance_en": item.guidance_en,
        "sub_requirements": [{"th": r.get("th", ""), "en": r.get("en", "")} for r in item.sub_requirements or []],
        "monthly": item.is_monthly,
        "url": catalogue.absolute(reverse("public-item", args=[unit.slug, fiscal_year, item.code.lower()])),
        "modified": catalogue.iso(public_item.latest_approval(periods)),
        "periods": [
            {"month": month.strftime("%Y-%m") if month else None, "status": public_item.shown_status(item, month, entries, today),
             "approved_at": approved_at.isoformat() if approved_at else None,
             "evidence": [_entry(unit.slug, e) for e in entries]}
            for month, approved_at, entries in public_item.every_period(item, fiscal_year, periods)
        ],
    }
    if item.topic == public_item.COMPLAINTS:
        data["statistics"] = [row.as_data() for row in stats.monthly(unit, fiscal_year, item.months or (10, 11, 12, 1, 2, 3))]
    return data


def data_context() -> dict:
    """The JSON of a unit-year or an item is JSON-LD too: its keys mapped onto Dublin Core, DCAT and
    FOAF where those have the term, onto the schema's own vocabulary (@vocab) otherwise."""
    return {
        "@version": 1.1, "@vocab": catalogue.absolute(reverse("api-schema")) + "#",
        "dcat": "http://www.w3.org/ns/dcat#", "dct": "http://purl.org/dc/terms/", "foaf": "http://xmlns.com/foaf/0.1/",
        "xsd": "http://www.w3.org/2001/XMLSchema#", "prov": "http://www.w3.org/ns/prov#", "schema": "https://schema.org/",
        "$schema": {"@id": "dct:conformsTo", "@type": "@id"}, "license": {"@id": "dct:license", "@type": "@id"},
        "publisher": "dct:publisher", "name": "foaf:name", "url": {"@id": "schema:url", "@type": "@id"},
        "modified": {"@id": "dct:modified", "@type": "xsd:dateTime"},
        "generated_at": {"@id": "prov:generatedAtTime", "@type": "xsd:dateTime"},
        "approved_at": {"@type": "xsd:dateTime"}, "about_date": {"@id": "dct:date", "@type": "xsd:date"},
        "title_th": {"@id": "dct:title", "@language": "th"}, "title_en": {"@id": "dct:title", "@language": "en"},
        "name_th": {"@id": "foaf:name", "@language": "th"}, "name_en": {"@id": "foaf:name", "@language": "en"},
        "guidance_th": {"@id": "dct:description", "@language": "th"},
        "guidance_en": {"@id": "dct:description", "@language": "en"},
        "title": "dct:title", "description": "dct:description", "language": "dct:language", "code": "dct:identifier",
        "items": "dct:hasPart", "item": "dct:hasPart",
    }


def unit_data(unit, fiscal_year, items) -> dict:
    published = published_by_month(unit, items)
    return {
        "@context": data_context(), "@type": "dcat:Dataset",
        "@id": catalogue.absolute(reverse("public-index", args=[unit.slug, fiscal_year])),
        "$schema": catalogue.absolute(reverse("api-schema")),
        "unit": {"slug": unit.slug, "name_th": unit.name_th, "name_en": unit.name_en,
                 "url": catalogue.absolute(reverse("public-unit", args=[unit.slug]))},
        "fiscal_year": fiscal_year,
        "license": catalogue.licence(),
        "publisher": {"name": unit.name_th, "url": catalogue.absolute(reverse("public-unit", args=[unit.slug]))},
        "modified": catalogue.iso(unit.published_at),
        "generated_at": timezone.now().isoformat(),
        "items": [_item_data(unit, item, published.get(item.pk, [])) for item in items],
    }


def _json(data) -> HttpResponse:
    response = JsonResponse(data, json_dumps_params={"ensure_ascii": False, "indent": 1})
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _unit_and_items(slug, fiscal_year):
    unit = get_public_unit(slug)
    items = list(Item.objects.for_unit(unit, fiscal_year).select_related("framework"))
    if not items:
        raise Http404
    return unit, items


def unit_json(request, slug, fiscal_year):
    """The unit-year's data; a client asking for RDF (Accept) is sent to its DCAT description."""
    suffix = dcat.prefers_rdf(request)
    if suffix:
        return dcat.see_other(suffix, "dcat-dataset-format", [slug, fiscal_year])

    def build():
        unit, items = _unit_and_items(slug, fiscal_year)
        return _json(unit_data(unit, fiscal_year, items))

    response = publication.cached(request, slug, build, **cache_args(slug, statistics=True))
    patch_vary_headers(response, ["Accept"])
    return response


def item_json(request, slug, fiscal_year, code):
    def build():
        unit = get_public_unit(slug)
        item = item_or_404(unit, fiscal_year, code)
        data = unit_data(unit, fiscal_year, [item])
        data["item"] = data.pop("items")[0]
        return _json(data)

    return publication.cached(request, slug, build, **cache_args(slug, shows_statistics(code)))


CSV_COLUMNS = ["unit", "fiscal_year", "code", "title_th", "month", "kind", "title", "about_date", "format",
               "size", "url", "reason"]
# items.csv: one row per period of every item, published or not.
ITEM_COLUMNS = ["unit", "fiscal_year", "code", "title_th", "title_en", "month", "status", "approved_at", "evidence",
                "url", "received", "in_progress", "finished"]


def _csv(rows, filename, columns=CSV_COLUMNS) -> HttpResponse:
    buffer = io.StringIO()
    writer = csv.DictWriter(buffer, fieldnames=columns, extrasaction="ignore")
    writer.writeheader()
    writer.writerows({key: neutralised(value) for key, value in row.items()} for row in rows)
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")  # BOM: Excel reads Thai
    response["Content-Disposition"] = f'inline; filename="{filename}"'
    response["Access-Control-Allow-Origin"] = "*"
    return response


def csv_rows(data) -> list[dict]:
    items = data.get("items") or [data["item"]]
    rows = []
    for item in items:
        for period in item["periods"]:
            for entry in period["evidence"]:
                rows.append({"unit": data["unit"]["slug"], "fiscal_year": data["fiscal_year"], "code": item["code"],
                             "title_th": item["title_th"], "month": period["month"] or "", **entry})
    return rows


def item_rows(data) -> list[dict]:
    """Every item and period with its status and page, and the complaint figures of each month."""
    rows = []
    for item in data["items"]:
        figures = {row["month"]: row for row in item.get("statistics", [])}
        for period in item["periods"]:
            found = figures.get(period["month"], {})
            rows.append({"unit": data["unit"]["slug"], "fiscal_year": data["fiscal_year"], "code": item["code"],
                         "title_th": item["title_th"], "title_en": item["title_en"], "month": period["month"] or "",
                         "status": period["status"], "approved_at": period["approved_at"] or "",
                         "evidence": len(period["evidence"]), "url": item["url"],
                         **{k: found.get(k, "") for k in ("received", "in_progress", "finished")}})
    return rows


def unit_csv(request, slug, fiscal_year):
    def build():
        unit, items = _unit_and_items(slug, fiscal_year)
        return _csv(item_rows(unit_data(unit, fiscal_year, items)), f"{slug}-ita-{fiscal_year}-items.csv", ITEM_COLUMNS)

    return publication.cached(request, slug, build, **cache_args(slug, statistics=True))


def unit_evidence_csv(request, slug, fiscal_year):
    def build():
        unit, items = _unit_and_items(slug, fiscal_year)
        return _csv(csv_rows(unit_data(unit, fiscal_year, items)), f"{slug}-ita-{fiscal_year}-evidence.csv")

    return publication.cached(request, slug, build, **cache_args(slug))


def item_csv(request, slug, fiscal_year, code):
    def build():
        unit = get_public_unit(slug)
        item = item_or_404(unit, fiscal_year, code)
        return _csv(csv_rows(unit_data(unit, fiscal_year, [item])), f"{slug}-ita-{fiscal_year}-{item.code.lower()}.csv")

    return publication.cached(request, slug, build, **cache_args(slug))


def catalogue_json(request):
    """/api/v1/: every publishing unit with its level, parent and fiscal years; a dataset per year.
    A client asking for RDF (Accept) is sent to the DCAT catalogue."""
    suffix = dcat.prefers_rdf(request)
    if suffix:
        return dcat.see_other(suffix, "dcat-catalogue-format")

    def build():
        return _json(catalogue.catalogue())

    # New units change it too; counting them is one cheap query (as the sitemap index does).

    stamps = pagecache.combined(publication.stamp_all(), requirements_stamp())  # a new fiscal year, too
    current = f"{stamps}|{Unit.objects.filter(unit_type__publishes_oit=True).count()}"
    response = publication.cached(request, "*catalogue", build, current=current)
    patch_vary_headers(response, ["Accept"])
    return response


def schema(request):
    return HttpResponse(SCHEMA_PATH.read_text(encoding="utf-8"), content_type="application/schema+json")


def catalogue_schema(request):
    return HttpResponse(CATALOGUE_SCHEMA_PATH.read_text(encoding="utf-8"), content_type="application/schema+json")


def load_schema(path=SCHEMA_PATH) -> dict:
    return json.loads(path.read_text(encoding="utf-8"))
