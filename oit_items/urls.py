from django.urls import path

from oit_items.assessment import itap
from oit_items.evidence import approval_views, assignment_views, handover_views, history_views, views
from oit_items.evidence import my_work_views as work_views
from oit_items.overview import unit_views
from oit_items.rulebook import views as framework_views

unit_item = "units/<slug:slug>/ita/<int:fiscal_year>/<str:code>/"

urlpatterns = [
    # a unit's staff page, its assignments, handover and history
    path("units/<slug:slug>/", unit_views.unit_detail, name="unit-detail"),
    path("units/<slug:slug>/<int:fiscal_year>/", unit_views.unit_detail, name="unit-detail-year"),
    path("units/<slug:slug>/officers/<int:pk>/reassign/", handover_views.reassign_officer, name="officer-reassign"),
    path("units/<slug:slug>/assignments/<int:fiscal_year>/", assignment_views.assignments, name="assignments"),
    path("units/<slug:slug>/history/", history_views.history, name="unit-history"),
    path("work/", work_views.my_work, name="my-work"),
    path("work/count/", work_views.my_work_count, name="my-work-count"),
    path("units/<slug:slug>/approvals/", approval_views.approvals, name="unit-approvals"),
    path("units/<slug:slug>/ita/<int:fiscal_year>/", views.workspace_view, name="workspace"),
    path("units/<slug:slug>/ita/<int:fiscal_year>/itap/", itap.itap_page, name="itap"),
    path("units/<slug:slug>/ita/<int:fiscal_year>/itap.<str:fmt>", itap.itap_download, name="itap-download"),
    path(unit_item, views.item_detail, name="item-detail"),
    path(unit_item + "<str:period>/upload/", views.upload, name="evidence-upload"),
    path(unit_item + "<str:period>/link/", views.add_link, name="evidence-link"),
    path(unit_item + "<str:period>/none/", views.declare_none, name="evidence-none"),
    path(unit_item + "<str:period>/takedown/", approval_views.takedown_view, name="period-takedown"),
    path(unit_item + "<str:period>/<str:action>/", views.transition, name="period-transition"),
    path(unit_item + "<str:period>/<str:action>/confirm/", approval_views.confirm, name="period-confirm"),
    path("evidence/<int:pk>/replace/", views.replace, name="evidence-replace"),
    path("evidence/<int:pk>/edit/", views.edit, name="evidence-edit"),
    path("evidence/<int:pk>/remove/", views.remove, name="evidence-remove"),
    path("files/<int:pk>/", views.download, name="file-download"),
    path("files/<int:pk>/thumbnail/", views.thumbnail, name="file-thumbnail"),
    # the framework editor (national admins) and what changed (everyone)
    path("frameworks/", framework_views.framework_list, name="frameworks"),
    path("frameworks/<int:pk>/", framework_views.framework_edit_view, name="framework-edit"),
    path("frameworks/<int:pk>/items/add/", framework_views.framework_item, name="framework-item-add"),
    path("frameworks/<int:pk>/items/<str:code>/", framework_views.framework_item, name="framework-item"),
    path("frameworks/<int:pk>/items/<str:code>/retire/", framework_views.framework_item_retire, name="framework-item-retire"),
    path("frameworks/<int:pk>/publish/", framework_views.framework_publish, name="framework-publish"),
    path("frameworks/<int:pk>/discard/", framework_views.framework_discard, name="framework-discard"),
    path("frameworks/<int:pk>/changes/", framework_views.framework_changes, name="framework-changes"),
]
