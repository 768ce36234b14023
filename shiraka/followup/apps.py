from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class FollowupConfig(AppConfig):
    name = "shiraka.followup"
    verbose_name = _("Follow-up")

    def ready(self):
        from . import kept_alerts

        kept_alerts.connect()
