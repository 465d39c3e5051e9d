from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "scrutiny.accounts"
    verbose_name = "People and permissions"

    def ready(self) -> None:
        from scrutiny.accounts import audit  # noqa: F401  (registers models with auditlog)
