from django.apps import AppConfig


class IntakeConfig(AppConfig):
    name = "shiraka.intake"
