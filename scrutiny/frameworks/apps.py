from django.apps import AppConfig


class FrameworksConfig(AppConfig):
    name = "scrutiny.frameworks"
    verbose_name = "Quality frameworks"
