from django.apps import AppConfig


class EventsConfig(AppConfig):
    name = "events"
    label = "events"
    verbose_name = "Animations"
    default_auto_field = "django.db.models.BigAutoField"
