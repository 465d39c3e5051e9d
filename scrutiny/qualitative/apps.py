from django.apps import AppConfig


class QualitativeConfig(AppConfig):
    name = "scrutiny.qualitative"
    verbose_name = "Qualitative evidence"
