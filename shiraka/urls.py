from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path

urlpatterns = [path("i18n/", include("django.conf.urls.i18n"))]
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls), path("", include("shiraka.web.urls")), prefix_default_language=True
)
