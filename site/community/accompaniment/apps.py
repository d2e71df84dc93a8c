from django.apps import AppConfig


class AccompanimentConfig(AppConfig):
    name = "community.accompaniment"
    label = "accompaniment"
    verbose_name = "Accompagnement des communes"
    default_auto_field = "django.db.models.BigAutoField"
