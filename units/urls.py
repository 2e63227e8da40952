from django.urls import path

from . import views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("units/<slug:slug>/", views.unit_detail, name="unit-detail"),
    path("units/<slug:slug>/<int:fiscal_year>/", views.unit_detail, name="unit-detail-year"),
    path("units/<slug:slug>/officers/<int:pk>/reassign/", views.reassign_officer, name="officer-reassign"),
]
