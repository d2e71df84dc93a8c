from django.apps import AppConfig


class ChatConfig(AppConfig):
    name = "forum.chat"
    label = "chat"
    verbose_name = "Discussions en direct"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from . import signals  # noqa: F401  (connects the receivers)
