from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "scrutiny.places"
    verbose_name = "Places"
