from django.apps import AppConfig


class IndicatorsConfig(AppConfig):
    name = "scrutiny.indicators"
    verbose_name = "Performance indicators"

    def ready(self) -> None:
        from scrutiny.indicators import audit, links  # noqa: F401

        links.register()
