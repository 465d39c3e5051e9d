from django.apps import AppConfig


class ImprovementConfig(AppConfig):
    name = "scrutiny.improvement"
    verbose_name = "Improvement"

    def ready(self) -> None:
        from scrutiny.improvement import audit  # noqa: F401
        from scrutiny.improvement.sources import register_own_sources

        register_own_sources()
