"""The assessment's addresses. The public ones come before the public item page's
`u/<slug>/ita/<year>/<code>/` in ita_portal/urls.py, which would otherwise take "submitted" for a code."""

from django.urls import path

from oit_items.assessment import compare, itap, score_views, submitted, views

submitted_year = "u/<slug:slug>/ita/<int:fiscal_year>/submitted/"
year = "units/<slug:slug>/ita/<int:fiscal_year>/"

staff_urlpatterns = [
    path("units/<slug:slug>/ita/compare/", compare.compare_years, name="assessment-compare"),
    path(year + "score/", score_views.score_page, name="unit-score"),
    path(year + "score.json", score_views.score_json, name="unit-score-json"),
    path(year + "itap/submit/", itap.itap_submit, name="itap-submit"),
    path(year + "assessment/", views.page, name="assessment"),
    path(year + "assessment/items/<str:code>/clarification/", views.clarification, name="assessment-clarification"),
    path("assessment/import/", views.import_view, name="assessment-import"),
    path("assessment/import/confirm/", views.import_confirm, name="assessment-import-confirm"),
    path("assessment/import/template.<str:fmt>", views.import_template, name="assessment-import-template"),
]
public_urlpatterns = [
    path(submitted_year, submitted.submitted_index, name="itap-submitted"),
    path(submitted_year + "<str:code>/", submitted.submitted_item, name="itap-submitted-item"),
    path(submitted_year + "<str:code>/files/<int:pk>/", submitted.submitted_file, name="itap-submitted-file"),
]
