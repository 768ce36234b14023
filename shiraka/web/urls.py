from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views, views_files

app_name = "web"
# The edit, extraction and follow-up modules come first: their fixed paths (e.g.
# agreements/new-from-text/) must win over the detail patterns below.
urlpatterns = [
    path("", include("shiraka.web.urls_edit")),
    path("", include("shiraka.web.urls_extract")),
    path("", include("shiraka.web.urls_followup")),
    path("", views.dashboard, name="dashboard"),
    path("agreements/", views.agreement_list, name="agreements"),
    path("agreements/<str:reference>/", views.agreement_detail, name="agreement"),
    path("projects/", views.project_list, name="projects"),
    path("projects/<str:reference>/", views.project_detail, name="project"),
    path("organisations/<int:pk>/", views.organisation_detail, name="organisation"),
    path("regions/<str:code>/", views.region_detail, name="region"),
    path("provinces/<str:code>/", views.province_detail, name="province"),
    path("files/photos/<int:pk>/", views_files.progress_photo, name="progress_photo"),
    path("files/transfer-proofs/<int:pk>/", views_files.transfer_proof, name="transfer_proof"),
    path("files/minutes/<int:pk>/", views_files.meeting_scan, name="meeting_scan"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
]
