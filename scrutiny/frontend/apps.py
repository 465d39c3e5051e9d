from django.apps import AppConfig


class FrontendConfig(AppConfig):
    name = "scrutiny.frontend"
    verbose_name = "Front end"
