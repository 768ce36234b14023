from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class PortfolioConfig(AppConfig):
    name = "shiraka.portfolio"
    verbose_name = _("Portfolio figures")

    def ready(self):
        from . import figures, milestones

        figures.connect()
        milestones.connect()
