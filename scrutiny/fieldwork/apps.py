from django.apps import AppConfig


class FieldworkConfig(AppConfig):
    name = "scrutiny.fieldwork"
    verbose_name = "Fieldwork"

    def ready(self) -> None:
        from scrutiny.fieldwork import audit  # noqa: F401
