from django.apps import AppConfig


class FrameworksConfig(AppConfig):
    name = "scrutiny.frameworks"
    verbose_name = "Quality frameworks"

    def ready(self) -> None:
        from scrutiny.frameworks import audit  # noqa: F401  (registers models with auditlog)
