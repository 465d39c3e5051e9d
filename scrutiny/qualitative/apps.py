from django.apps import AppConfig


class QualitativeConfig(AppConfig):
    name = "scrutiny.qualitative"
    verbose_name = "Qualitative evidence"

    def ready(self) -> None:
        from scrutiny.qualitative import audit  # noqa: F401
