from django.apps import AppConfig


class BackgroundConfig(AppConfig):
    name = "community.background"
    label = "background"
    verbose_name = "Tâches de fond"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from community.accounts.roles import STAFF_PERMISSIONS

        if ("background", "retry_task") not in STAFF_PERMISSIONS:
            STAFF_PERMISSIONS.append(("background", "retry_task"))
