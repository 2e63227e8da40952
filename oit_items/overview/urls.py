from django.urls import path

from oit_items.overview import appeals, line_links, views

base = "units/<slug:slug>/overview/"
urlpatterns = [
    path("overview/", views.start, name="overview-start"),
    path(base, views.overview, name="overview"),
    path(base + "<int:fiscal_year>/", views.overview, name="overview-year"),
    path(base + "<int:fiscal_year>/heatmap/", views.heatmap_view, name="overview-heatmap"),
    path(base + "<int:fiscal_year>/export.<str:fmt>", views.export, name="overview-export"),
    path(base + "<int:fiscal_year>/remind/", views.remind, name="overview-remind"),
    path(base + "<int:fiscal_year>/appeals/", appeals.appeals, name="overview-appeals"),
    path(base + "line/", line_links.panel, name="overview-line"),
]
