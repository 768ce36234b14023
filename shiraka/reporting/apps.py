from django.apps import AppConfig


class ReportingConfig(AppConfig):
    name = "shiraka.reporting"
    verbose_name = "Reporting"

    def ready(self):
        from . import national

        national.connect()
