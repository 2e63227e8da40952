"""The assessment's addresses. The public ones come before the public item page's
`u/<slug>/ita/<year>/<code>/` in ita_portal/urls.py, which would otherwise take "submitted" for a code."""

from django.urls import path

from oit_items.assessment import views

year = "units/<slug:slug>/ita/<int:fiscal_year>/assessment/"

staff_urlpatterns = [
    path(year, views.page, name="assessment"),
    path(year + "items/<str:code>/clarification/", views.clarification, name="assessment-clarification"),
    path("assessment/import/", views.import_view, name="assessment-import"),
    path("assessment/import/confirm/", views.import_confirm, name="assessment-import-confirm"),
    path("assessment/import/template.<str:fmt>", views.import_template, name="assessment-import-template"),
]
public_urlpatterns = []
