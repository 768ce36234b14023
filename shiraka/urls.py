from django.conf.urls.i18n import i18n_patterns
from django.contrib import admin
from django.urls import include, path
from django.utils.translation import gettext_lazy as _

from shiraka.api.main import api

# The admin speaks of Shiraka, not of Django, in every language.
admin.site.site_header = _("Shiraka administration")
admin.site.site_title = _("Shiraka administration")
admin.site.index_title = _("Records (read only)")

urlpatterns = [path("i18n/", include("django.conf.urls.i18n")), path("api/v1/", api.urls)]
urlpatterns += i18n_patterns(
    path("admin/", admin.site.urls), path("", include("shiraka.web.urls")), prefix_default_language=True
)
