"""The assessment's addresses. The public ones come before the public item page's
`u/<slug>/ita/<year>/<code>/` in ita_portal/urls.py, which would otherwise take "submitted" for a code."""

from django.urls import path

from oit_items.assessment import compare

staff_urlpatterns = [
    path("units/<slug:slug>/ita/compare/", compare.compare_years, name="assessment-compare"),
]
public_urlpatterns = []
