from django.urls import path

from units import views
from units.staff import invitations, officers, onboarding, roles, unit

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    # a unit runs itself
    path("units/<slug:slug>/edit/", unit.edit, name="unit-edit"),
    path("units/<slug:slug>/emblem/", unit.emblem, name="unit-emblem"),
    path("units/<slug:slug>/officers/", officers.officer_list, name="officers"),
    path("units/<slug:slug>/officers/new/", officers.officer_form, name="officer-add"),
    path("units/<slug:slug>/officers/<int:pk>/edit/", officers.officer_form, name="officer-edit"),
    path("units/<slug:slug>/officers/<int:pk>/photo/", officers.officer_photo, name="officer-photo"),
    path("units/<slug:slug>/officers/<int:pk>/retire/", officers.officer_retire, name="officer-retire"),
    path("units/<slug:slug>/officers/<int:pk>/head/", officers.make_head, name="officer-head"),
    path("units/<slug:slug>/roles/", roles.role_list, name="roles"),
    path("units/<slug:slug>/roles/<int:pk>/revoke/", roles.role_revoke, name="role-revoke"),
    # onboarding
    path("import/", onboarding.start, name="import-start"),
    path("import/template.xlsx", onboarding.template_download, name="import-template"),
    path("import/sample.xlsx", onboarding.template_download, {"sample": True}, name="import-sample"),
    path("import/<int:pk>/", onboarding.batch_view, name="import-batch"),
    path("import/<int:pk>/apply/", onboarding.batch_apply, name="import-apply"),
    path("invitations/", invitations.pending, name="invitations"),
    path("invitations/<int:pk>/resend/", invitations.resend, name="invitation-resend"),
]

# Outside /staff/: the link in the invitation e-mail (no login yet).
invitation_urlpatterns = [
    path("invite/<uidb64>/<str:token>/", invitations.accept, name="invitation-accept"),
]
