from django.apps import AppConfig


class InspectionsConfig(AppConfig):
    name = "scrutiny.inspections"
    verbose_name = "Inspections"

    def ready(self) -> None:
        from scrutiny.inspections import audit  # noqa: F401
