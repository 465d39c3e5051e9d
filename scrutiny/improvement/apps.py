from django.apps import AppConfig


class ImprovementConfig(AppConfig):
    name = "scrutiny.improvement"
    verbose_name = "Improvement"
