from django.contrib.auth import views as auth_views
from django.urls import include, path

from . import views

app_name = "web"
urlpatterns = [
    path("", views.dashboard, name="dashboard"),
    path("agreements/<str:reference>/", views.agreement_detail, name="agreement"),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
    path("", include("shiraka.web.urls_edit")),
    path("", include("shiraka.web.urls_extract")),
    path("", include("shiraka.web.urls_followup")),
]
