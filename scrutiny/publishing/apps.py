from django.apps import AppConfig


class PublishingConfig(AppConfig):
    name = "scrutiny.publishing"
    verbose_name = "Publishing"
