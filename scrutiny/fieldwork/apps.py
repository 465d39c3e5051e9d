from django.apps import AppConfig


class FieldworkConfig(AppConfig):
    name = "scrutiny.fieldwork"
    verbose_name = "Fieldwork"
