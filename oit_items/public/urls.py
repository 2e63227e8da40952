from django.urls import path

from oit_items.assessment import itap
from oit_items.public import ckan, compare, dcat, opendata, sitemaps
from oit_items.public import pages as public

unit_year = "units/<slug:slug>/ita/<int:fiscal_year>/"

# Pages, in every language (ita_portal/urls.py puts them under /en/ too).
page_urlpatterns = [
    path("u/<slug:slug>/", public.unit_home, name="public-unit"),
    path("u/<slug:slug>/ita/<int:fiscal_year>/", public.ita_index, name="public-index"),
    path("u/<slug:slug>/ita/current/<slug:topic>/", public.ita_current_item, name="public-item-current"),
    path("u/<slug:slug>/ita/<int:fiscal_year>/search/", public.search_view, name="public-search"),
    # Before the item page: its `<str:code>` must never get to read "compare" as a code.
    path("u/<slug:slug>/ita/<int:year_a>/compare/<int:year_b>/", compare.compare_years, name="public-compare"),
    path("u/<slug:slug>/ita/<int:fiscal_year>/<str:code>/", public.ita_item, name="public-item"),
]

# Files, open data and sitemaps: one address for every language.
urlpatterns = [
    path("u/<slug:slug>/files/<int:pk>/", public.public_file, name="public-file"),
    path("u/<slug:slug>/files/<int:pk>/thumbnail.jpg", public.public_thumbnail, name="public-thumbnail"),
    path("u/<slug:slug>/emblem/", public.public_emblem, name="public-emblem"),
    path("u/<slug:slug>/qr.<str:fmt>", itap.qr_code, name="public-qr"),
    path("api/v1/", opendata.catalogue_json, name="api-catalogue"),
    path("api/v1/schema/unit-ita.json", opendata.schema, name="api-schema"),
    path("api/v1/schema/catalogue.json", opendata.catalogue_schema, name="api-catalogue-schema"),
    path("api/v1/catalog", dcat.catalogue_rdf, name="dcat-catalogue"),
    path("api/v1/catalog.<str:fmt>", dcat.catalogue_rdf, name="dcat-catalogue-format"),
    path("api/v1/" + unit_year, opendata.unit_json, name="api-unit"),
    path("api/v1/" + unit_year + "dataset", dcat.dataset_rdf, name="dcat-dataset"),
    path("api/v1/" + unit_year + "dataset.<str:fmt>", dcat.dataset_rdf, name="dcat-dataset-format"),
    path("api/v1/" + unit_year + "items.csv", opendata.unit_csv, name="api-unit-csv"),
    path("api/v1/" + unit_year + "evidence.csv", opendata.unit_evidence_csv, name="api-unit-evidence-csv"),
    path("api/v1/" + unit_year + "<str:code>/", opendata.item_json, name="api-item"),
    path("api/v1/" + unit_year + "<str:code>/evidence.csv", opendata.item_csv, name="api-item-csv"),
    # CKAN's Action API where CKAN serves it (ckanapi.RemoteCKAN posts to /api/action/<name>).
    path("api/3", ckan.api_version, name="ckan-api"),
    path("api/3/action/<str:name>", ckan.dispatch, name="ckan-action"),
    path("api/action/<str:name>", ckan.dispatch, name="ckan-action-unversioned"),
    path("sitemap.xml", sitemaps.index, name="sitemap"),
    path("sitemaps/<slug:slug>-<int:fiscal_year>.xml", sitemaps.part, name="sitemap-part"),
    path("robots.txt", sitemaps.robots, name="robots"),
]
