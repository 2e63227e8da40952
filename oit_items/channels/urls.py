from django.urls import path

from oit_items.channels import views

public_urlpatterns = [
    path("u/<slug:slug>/questions/", views.questions, name="public-questions"),
    path("u/<slug:slug>/questions/sent/", views.question_sent, name="public-question-sent"),
    path("u/<slug:slug>/questions/track/", views.track_question, name="public-question-track"),
    path("u/<slug:slug>/complaints/new/", views.new_complaint, name="public-complaint"),
    path("u/<slug:slug>/complaints/sent/", views.complaint_sent, name="public-complaint-sent"),
    path("u/<slug:slug>/complaints/track/", views.track_complaint, name="public-complaint-track"),
]

staff_urlpatterns = [
    path("units/<slug:slug>/questions/", views.staff_questions, name="staff-questions"),
    path("units/<slug:slug>/questions/<int:pk>/", views.staff_answer, name="staff-answer"),
    path("units/<slug:slug>/complaints/", views.staff_complaints, name="staff-complaints"),
    path("units/<slug:slug>/complaints/<int:pk>/", views.staff_complaint, name="staff-complaint"),
    path("units/<slug:slug>/complaints/attachments/<int:pk>/", views.staff_attachment, name="staff-complaint-attachment"),
]
