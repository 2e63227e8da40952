"""The assessment's addresses. The public ones come before the public item page's
`u/<slug>/ita/<year>/<code>/` in ita_portal/urls.py, which would otherwise take "submitted" for a code."""

from django.urls import path

from oit_items.assessment import score_views

staff_urlpatterns = [
    path("units/<slug:slug>/ita/<int:fiscal_year>/score/", score_views.score_page, name="unit-score"),
    path("units/<slug:slug>/ita/<int:fiscal_year>/score.json", score_views.score_json, name="unit-score-json"),
]
public_urlpatterns = []
