from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "scrutiny.indicators"
    verbose_name = "Performance indicators"
