"""The assessment's addresses. The public ones come before the public item page's
`u/<slug>/ita/<year>/<code>/` in ita_portal/urls.py, which would otherwise take "submitted" for a code."""

from django.urls import path

from oit_items.assessment import itap, score_views, submitted

submitted_year = "u/<slug:slug>/ita/<int:fiscal_year>/submitted/"

staff_urlpatterns = [
    path("units/<slug:slug>/ita/<int:fiscal_year>/score/", score_views.score_page, name="unit-score"),
    path("units/<slug:slug>/ita/<int:fiscal_year>/score.json", score_views.score_json, name="unit-score-json"),
    path("units/<slug:slug>/ita/<int:fiscal_year>/itap/submit/", itap.itap_submit, name="itap-submit"),
]
public_urlpatterns = [
    path(submitted_year, submitted.submitted_index, name="itap-submitted"),
    path(submitted_year + "<str:code>/", submitted.submitted_item, name="itap-submitted-item"),
    path(submitted_year + "<str:code>/files/<int:pk>/", submitted.submitted_file, name="itap-submitted-file"),
]
