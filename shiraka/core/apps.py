from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class CoreConfig(AppConfig):
    name = "shiraka.core"
    verbose_name = _("Core")

    def ready(self):
        from .cache import connect_invalidation

        connect_invalidation()
