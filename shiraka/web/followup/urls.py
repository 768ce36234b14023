"""URL patterns of the follow-up pages."""

from django.urls import path

from . import corrections, views

urlpatterns: list = [
    path("alerts/", views.alerts, name="alerts"),
    path("committees/", views.committee_list, name="committees"),
    path("committees/new/", views.committee_new, name="committee_new"),
    path("committees/<int:pk>/", views.committee_detail, name="committee"),
    path("committees/<int:pk>/members/new/", views.member_new, name="committee_member_new"),
    path("committees/<int:pk>/meetings/new/", views.meeting_new, name="meeting_new"),
    path("committees/<int:pk>/decisions/new/", views.decision_new, name="decision_new"),
    path("members/<int:pk>/edit/", corrections.member_edit, name="committee_member_edit"),
    path("members/<int:pk>/remove/", corrections.member_remove, name="committee_member_remove"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/minutes.pdf", views.meeting_minutes_pdf, name="meeting_minutes_pdf"),
    path("meetings/<int:pk>/minutes/", views.meeting_minutes_edit, name="meeting_minutes_edit"),
    path("meetings/<int:pk>/edit/", corrections.meeting_edit, name="meeting_edit"),
    path("meetings/<int:pk>/remove/", corrections.meeting_remove, name="meeting_remove"),
    path("decisions/<int:pk>/", views.decision_detail, name="decision"),
    path("decisions/<int:pk>/edit/", corrections.decision_edit, name="decision_edit"),
    path("decisions/<int:pk>/remove/", corrections.decision_remove, name="decision_remove"),
]
