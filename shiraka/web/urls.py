from django.contrib.auth import views as auth_views
from django.urls import include, path

app_name = "web"
# One URL module per area. The edit, extraction and follow-up areas come first: their fixed paths
# (e.g. agreements/new-from-text/) must win over the reading pages' detail patterns.
urlpatterns = [
    path("", include("shiraka.web.editing.urls")),
    path("", include("shiraka.web.extract.urls")),
    path("", include("shiraka.web.followup.urls")),
    path("", include("shiraka.web.pages.urls")),
    path("login/", auth_views.LoginView.as_view(), name="login"),
    path("logout/", auth_views.LogoutView.as_view(), name="logout"),
]
