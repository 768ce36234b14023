"""URL patterns of the follow-up pages."""

from django.urls import path

from . import views

urlpatterns: list = [
    path("alerts/", views.alerts, name="alerts"),
    path("committees/", views.committee_list, name="committees"),
    path("committees/new/", views.committee_new, name="committee_new"),
    path("committees/<int:pk>/", views.committee_detail, name="committee"),
    path("committees/<int:pk>/members/new/", views.member_new, name="committee_member_new"),
    path("committees/<int:pk>/meetings/new/", views.meeting_new, name="meeting_new"),
    path("committees/<int:pk>/decisions/new/", views.decision_new, name="decision_new"),
    path("meetings/<int:pk>/", views.meeting_detail, name="meeting"),
    path("meetings/<int:pk>/minutes.pdf", views.meeting_minutes_pdf, name="meeting_minutes_pdf"),
    path("meetings/<int:pk>/minutes/", views.meeting_minutes_edit, name="meeting_minutes_edit"),
    path("decisions/<int:pk>/", views.decision_detail, name="decision"),
]
