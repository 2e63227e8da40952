from django.urls import path

from reports import appeal_views, views

unit_reports = "units/<slug:slug>/reports/"
year = unit_reports + "<int:fiscal_year>/"

urlpatterns = [
    path(unit_reports, views.home, name="reports-home"),
    path(year, views.index, name="reports-index"),
    path(year + "data/<str:dataset>/<str:period>/", views.edit, name="reports-edit"),
    path(year + "documents/<str:kind>/<str:period>/render/", views.render_documents, name="reports-render"),
    path(year + "documents/<str:kind>/<str:period>/status/", views.status, name="reports-status"),
    path(year + "appeal/render/", appeal_views.render_view, name="appeal-document-render"),
    path(year + "appeal/status/", appeal_views.status, name="appeal-document-status"),
    path(year + "appeal/file.<str:fmt>", appeal_views.download, name="appeal-document-file"),
    path(unit_reports + "photos/<int:pk>/<str:size>/", views.photo, name="reports-photo"),
]
