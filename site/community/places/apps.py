from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "community.places"
    label = "places"
    verbose_name = "Communes et cafés"
    default_auto_field = "django.db.models.BigAutoField"
