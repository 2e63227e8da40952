"""A CKAN-compatible read API: the part of CKAN's Action API that a harvester (the national data
catalogue's CKAN with DGA's thai_gdc) and the `ckanapi` client use, at `/api/3/action/<name>` and
`/api/action/<name>` as CKAN serves it — by GET with parameters or by POST with a JSON body, which
is how `ckanapi.RemoteCKAN` calls.

Datasets are the publishing units' fiscal years (datasets.py), their resources the items' pages,
JSON and CSV and the year's JSON, items.csv and evidence.csv; organisations are the publishing
units, with where they sit in the hierarchy in their extras. Answers and errors keep CKAN's
envelope: `{"help", "success", "result"}`, or `success: false` with the error's `__type`
(404 "Not Found Error", 409 "Validation Error" / "Search Query Error", 400 an unknown action).
Read only: nothing here changes anything, so it needs no CSRF token.
"""

import datetime
import json

from django.conf import settings
from django.http import JsonResponse
from django.urls import reverse
from django.utils import translation
from django.views.decorators.csrf import csrf_exempt

from ita_portal.lib.site import site_url
from oit_items.public import catalogue, datasets
from oit_items.public import ckan_search as search
from oit_items.public.ckan_search import NotFound, SearchQueryError, ValidationError
from oit_items.public.sitemaps import years_by_type
from units.models import Unit

CKAN_VERSION = "2.10.4"  # the API generation answered (3); ckanapi and harvesters read it
ROWS_MAX = 1000  # CKAN's ckan.search.rows_max
ORGANIZATIONS_MAX = 1000  # CKAN's ckan.group_and_organization_list_max
ACTIONS = {}


def action(function):
    ACTIONS[function.__name__] = function
    return function


def _help(name: str) -> str:
    return catalogue.absolute(reverse("ckan-action", args=["help_show"])) + f"?name={name}"


def _answer(name, status, body) -> JsonResponse:
    response = JsonResponse({"help": _help(name), **body}, status=status, json_dumps_params={"ensure_ascii": False})
    response["Access-Control-Allow-Origin"] = "*"
    return response


def _params(request) -> dict:
    if request.method == "POST" and request.content_type == "application/json":
        found = json.loads(request.body or b"{}")
        if not isinstance(found, dict):
            raise ValueError("the body must be a JSON object")
        return found
    source = request.POST if request.method == "POST" else request.GET
    return {key: source.get(key) for key in source}


@csrf_exempt
def dispatch(request, name):
    function = ACTIONS.get(name)
    if function is None:
        return _answer(name, 400, {"success": False, "error": {
            "__type": "Bad Request", "message": f"Bad request - Action name not known: {name}"}})
    if request.method not in ("GET", "POST"):
        return _answer(name, 405, {"success": False, "error": {"__type": "Bad Request", "message": "GET or POST"}})
    try:
        params = _params(request)
    except ValueError as error:
        return _answer(name, 400, {"success": False, "error": {
            "__type": "Bad Request", "message": f"Bad request - JSON Error: {error}"}})
    try:
        with translation.override(settings.LANGUAGE_CODE):  # addresses of the Thai pages, whatever the cookie
            result = function(params)
    except NotFound as error:
        return _answer(name, 404, {"success": False, "error": {"__type": "Not Found Error",
                                                                "message": f"Not found: {error}"}})
    except ValidationError as error:
        return _answer(name, 409, {"success": False, "error": {"__type": "Validation Error", **error.errors}})
    except SearchQueryError as error:
        return _answer(name, 409, {"success": False, "error": {"__type": "Search Query Error",
                                                                "message": f"Search Query is invalid: {error}"}})
    return _answer(name, 200, {"success": True, "result": result})


def api_version(request):
    """`/api/3` and `/api`: which API generation this is, as CKAN answers."""
    return JsonResponse({"version": 3})


# ---- the dicts ------------------------------------------------------------------------------

def ckan_time(value) -> str | None:
    """CKAN's timestamps: UTC without an offset."""
    if value is None:
        return None
    return value.astimezone(datetime.timezone.utc).replace(tzinfo=None).isoformat()


def organization_summary(unit) -> dict:
    emblem = catalogue.absolute(reverse("public-emblem", args=[unit.slug])) if unit.emblem else ""
    return {"id": unit.slug.lower(), "name": unit.slug.lower(), "title": unit.name_th, "type": "organization",
            "description": unit.name_en, "image_url": emblem, "is_organization": True,
            "approval_status": "approved", "state": "active"}


def organization(unit, years: list, ancestors: dict) -> dict:
    """The unit as a CKAN organisation; where it sits (its type, level, the units above it) in extras."""
    above = [ancestors[pk] for pk in unit.ancestor_ids[:-1] if pk in ancestors]
    parent = above[-1] if above else None
    extras = {
        "name_en": unit.name_en, "unit_type": unit.unit_type.code, "unit_type_title": unit.unit_type.name_th,
        "level": str(unit.unit_type.level),
        "parent": parent["slug"] if parent else "", "parent_title": parent["name_th"] if parent else "",
        "hierarchy": json.dumps([{"name": a["slug"], "title": a["name_th"]} for a in above], ensure_ascii=False),
        "url": catalogue.absolute(reverse("public-unit", args=[unit.slug])),
        "email": unit.email, "phone": unit.phone,
        "fiscal_years": ",".join(str(year) for year in years),
    }
    return {**organization_summary(unit), "display_name": unit.name_th, "package_count": len(years),
            "num_followers": 0, "groups": [], "tags": [], "users": [],
            "extras": [{"key": key, "value": value, "state": "active"} for key, value in extras.items()]}


def ancestors_of(units) -> dict:
    """{id: {slug, name_th}} of every unit above these: one query."""
    ids = {pk for unit in units for pk in unit.ancestor_ids[:-1]}
    return {u["pk"]: u for u in Unit.objects.filter(pk__in=ids).values("pk", "slug", "name_th")}


def _resource(package_id, key, position, name, url, kind, created, modified) -> dict:
    media = {"HTML": "text/html", "JSON": "application/json", "CSV": "text/csv"}[kind]
    return {"id": f"{package_id}-{key}", "package_id": package_id, "name": name, "description": "",
            "url": url, "format": kind, "mimetype": media, "position": position,
            "created": created, "last_modified": modified, "state": "active", "url_type": None,
            "resource_type": None, "size": None, "hash": ""}


def resources(dataset, items, package_id, created, modified) -> list[dict]:
    """The year's JSON, items.csv and evidence.csv, then each item's page, JSON and CSV.
    Addresses are reversed once per kind and filled in, not once per item (a page of 1,000 datasets)."""
    slug, year = dataset.slug, dataset.fiscal_year
    found = [
        ("json", "ข้อมูลทุกข้อ (JSON)", catalogue.absolute(reverse("api-unit", args=[slug, year])), "JSON"),
        ("items-csv", "ทุกข้อทุกงวดพร้อมสถานะ (CSV)", catalogue.absolute(reverse("api-unit-csv", args=[slug, year])),
         "CSV"),
        ("evidence-csv", "หลักฐานที่เผยแพร่แล้ว (evidence.csv)",
         catalogue.absolute(reverse("api-unit-evidence-csv", args=[slug, year])), "CSV"),
    ]
    # Item codes are ASCII ("o7"): filled into an address already absolute and percent-encoded.
    templates = [(name, suffix, kind, catalogue.absolute(reverse(name, args=[slug, year, "__code__"])))
                 for name, suffix, kind in (("public-item", "", "HTML"), ("api-item", " (JSON)", "JSON"),
                                            ("api-item-csv", " (CSV)", "CSV"))]
    for item in items:
        code = item.code.lower()
        for _name, suffix, kind, template in templates:
            found.append((f"{code}-{kind.lower()}", f"{item.code} {item.title_th}{suffix}",
                          template.replace("__code__", code), kind))
    return [_resource(package_id, key, position, name, url, kind, created, modified)
            for position, (key, name, url, kind) in enumerate(found)]


def package(dataset, items) -> dict:
    """One unit-year as a CKAN package, with the thai_gdc keys at the top as ckanext-scheming has them."""
    unit, year = dataset, dataset.fiscal_year
    name = datasets.dataset_name(unit.slug, year)
    created, modified = ckan_time(dataset.created), ckan_time(dataset.modified)
    organisation = organization_summary(unit)
    tags = datasets.keywords(unit, year)
    who = datasets.contact(unit)
    extras = {"fiscal_year": str(year), "unit_type": unit.unit_type.code,
              "landing_page": catalogue.absolute(reverse("public-index", args=[unit.slug, year])),
              "contact_url": who.url,
              "dcat": catalogue.absolute(reverse("dcat-dataset", args=[unit.slug, year]))}
    found = resources(dataset, items, name, created, modified)
    return {
        "id": name, "name": name, "title": datasets.title(unit, year), "notes": datasets.notes(unit, year),
        "type": "dataset", "state": "active", "private": False, "isopen": True,
        "owner_org": organisation["id"], "organization": organisation,
        "author": unit.name_th, "author_email": who.email, "url": extras["landing_page"], "version": str(year),
        "license_title": datasets.licence_id(), "license_url": catalogue.licence(),
        "metadata_created": created, "metadata_modified": modified,
        "tags": [{"name": tag, "display_name": tag, "state": "active", "vocabulary_id": None} for tag in tags],
        "num_tags": len(tags), "groups": [], "relationships_as_object": [], "relationships_as_subject": [],
        "extras": [{"key": key, "value": value} for key, value in extras.items()],
        "resources": found, "num_resources": len(found),
        **datasets.thai_gdc(unit, year, items, dataset.created, dataset.modified),
    }


def packages(found) -> list[dict]:
    items = datasets.items_of(found)
    return [package(dataset, items.get(dataset.framework_id, [])) for dataset in found]


# ---- the actions ----------------------------------------------------------------------------

@action
def status_show(params):
    """The site and the CKAN API generation it answers."""
    return {"site_title": "ITA Portal", "site_description": settings.OPEN_DATA_DESCRIPTION, "site_url": site_url(),
            "ckan_version": CKAN_VERSION, "error_emails_to": None, "locale_default": settings.LANGUAGE_CODE,
            "extensions": ["ita_portal", "thai_gdc", "dcat"]}


@action
def help_show(params):
    """What an action does."""
    function = ACTIONS.get(params.get("name") or "")
    if function is None:
        raise NotFound("Action function not found")
    return function.__doc__


@action
def package_list(params):
    """The names of every dataset (limit, offset), in name order."""
    limit = search.integer(params, "limit", None, maximum=None)
    offset = search.integer(params, "offset", 0)
    names = datasets.ordered(datasets.rows()).values_list("slug", "fiscal_year")
    names = names[offset:offset + limit] if limit is not None else names[offset:]
    return [datasets.dataset_name(slug, year) for slug, year in names]


@action
def package_search(params):
    """Datasets by q (words of the unit's names, `field:value` clauses) and fq (organization,
    owner_org, name, fiscal_year, metadata_modified and metadata_created ranges), rows and start."""
    rows = search.integer(params, "rows", 10, maximum=ROWS_MAX)
    start = search.integer(params, "start", 0)
    found = search.filtered(datasets.rows(), params.get("q") or "", params.get("fq") or "")
    count = found.count()
    page = list(datasets.ordered(found, params.get("sort") or "")[start:start + rows]) if rows else []
    return {"count": count, "sort": params.get("sort") or "name asc", "facets": {}, "search_facets": {},
            "results": packages(page)}


@action
def package_show(params):
    """One dataset by its name (its id too)."""
    dataset = datasets.one(params.get("id") or params.get("name_or_id") or "")
    if dataset is None:
        raise NotFound("Dataset not found")
    return packages([dataset])[0]


def _public_units():
    return Unit.objects.filter(unit_type__publishes_oit=True).select_related("unit_type")


@action
def organization_list(params):
    """Every publishing unit's name (limit, offset, sort by name or title), or with all_fields its
    organisation: three queries whatever the number of units."""
    limit = search.integer(params, "limit", ORGANIZATIONS_MAX, maximum=ORGANIZATIONS_MAX)
    offset = search.integer(params, "offset", 0)
    field, _, direction = (params.get("sort") or "name asc").partition(" ")
    order = {"title": "name_th"}.get(field, "slug")
    units = _public_units().order_by(("-" if direction.strip() == "desc" else "") + order)[offset:offset + limit]
    if not search.boolean(params, "all_fields"):
        return [slug.lower() for slug in units.values_list("slug", flat=True)]
    units = list(units)
    years, ancestors = years_by_type(), ancestors_of(units)
    return [organization(unit, years.get(unit.unit_type_id, []), ancestors) for unit in units]


@action
def organization_show(params):
    """One publishing unit by its name (its id too); with include_datasets its datasets."""
    unit = _public_units().filter(slug__iexact=(params.get("id") or "").strip()).first()
    if unit is None:
        raise NotFound("Organization was not found.")
    found = organization(unit, years_by_type().get(unit.unit_type_id, []), ancestors_of([unit]))
    if search.boolean(params, "include_datasets"):
        found["packages"] = packages(list(datasets.ordered(datasets.rows().filter(pk=unit.pk))))
    return found
