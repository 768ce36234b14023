"""URL patterns of the reading pages and file downloads."""

from django.urls import path

from . import files, reports, views

urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("agreements/", views.agreement_list, name="agreements"),
    path("agreements/<str:reference>/", views.agreement_detail, name="agreement"),
    path("projects/", views.project_list, name="projects"),
    path("projects/<str:reference>/", views.project_detail, name="project"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation"),
    path("regions/<str:code>/", views.region_detail, name="region"),
    path("programmes/<int:pk>/", views.programme_detail, name="programme"),
    path("provinces/<str:code>/", views.province_detail, name="province"),
    path("reports/<str:kind>/<str:key>.pdf", reports.status_report, name="status_report"),
    path("files/photos/<int:pk>/", files.progress_photo, name="progress_photo"),
    path("files/transfer-proofs/<int:pk>/", files.transfer_proof, name="transfer_proof"),
    path("files/minutes/<int:pk>/", files.meeting_scan, name="meeting_scan"),
]
