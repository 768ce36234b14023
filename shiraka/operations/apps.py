from django.apps import AppConfig


class OperationsConfig(AppConfig):
    name = "shiraka.operations"
    label = "operations"
    verbose_name = "Operations"
