from django.apps import AppConfig


class ExchangeConfig(AppConfig):
    name = "shiraka.exchange"
    verbose_name = "Exchange"
