from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class WebConfig(AppConfig):
    name = "shiraka.web"
    verbose_name = _("Web")

    def ready(self):
        # The sign-in receivers are connected before the first request: a sign-in that comes first
        # (a command, a test) still starts the session's clocks.
        from .kit import security  # noqa: F401
