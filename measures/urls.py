"""Staff pages of the integrity measures, included under staff/ by ita_portal/urls.py."""

from django.urls import path

from measures.views import calendar, outputs, plan, quotas, rows

unit = "units/<slug:slug>/measures/"
year = unit + "<int:fiscal_year>/"

urlpatterns = [
    path(unit, plan.home, name="measures-home"),
    path(year, plan.plan_view, name="measures-plan"),
    path(year + "edit/", plan.plan_edit, name="measures-plan-edit"),
    path(year + "measures/add/<str:area>/", rows.measure_add, name="measures-measure-add"),
    path(year + "measures/<int:pk>/", rows.measure_detail, name="measures-measure"),
    path(year + "measures/<int:pk>/edit/", rows.measure_edit, name="measures-measure-edit"),
    path(year + "activities/add/", rows.activity_add, name="measures-activity-add"),
    path(year + "activities/<int:pk>/", rows.activity_detail, name="measures-activity"),
    path(year + "activities/<int:pk>/edit/", rows.activity_edit, name="measures-activity-edit"),
    path(year + "calendar/", calendar.calendar_view, name="measures-calendar"),
    path(year + "calendar/add/", calendar.phase_edit, name="measures-phase-add"),
    path(year + "calendar/<int:pk>/edit/", calendar.phase_edit, name="measures-phase-edit"),
    path(year + "quotas/", quotas.quotas_view, name="measures-quotas"),
    path(year + "eit-link/", quotas.eit_link, name="measures-eit-link"),
    path(year + "quotas/add/", quotas.quota_edit, name="measures-quota-add"),
    path(year + "quotas/<int:pk>/edit/", quotas.quota_edit, name="measures-quota-edit"),
    path(year + "documents/", outputs.documents_view, name="measures-documents"),
    path(year + "documents/<str:kind>/render/", outputs.render_view, name="measures-render"),
    path(year + "documents/<str:kind>/status/", outputs.job_status, name="measures-job"),
    path(year + "documents/<str:kind>/sign.pdf", outputs.sign_file, name="measures-sign-file"),
    path(unit + "photos/<int:pk>/", outputs.photo, name="measures-photo"),
    path(unit + "photos/<int:pk>/thumbnail/", outputs.photo_thumbnail, name="measures-photo-thumbnail"),
]
