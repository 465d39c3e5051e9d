from django.apps import AppConfig


class QualitativeConfig(AppConfig):
    name = "scrutiny.qualitative"
    verbose_name = "Qualitative evidence"

    def ready(self) -> None:
        from scrutiny.qualitative import audit, links  # noqa: F401

        links.register()
