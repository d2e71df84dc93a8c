from django.apps import AppConfig


class HomeConfig(AppConfig):
    name = "community.home"
    label = "home"
    verbose_name = "Pages du site"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from community import page_cache

        from .tree_cache import connect_signals, look_sites_up_in_the_cache

        connect_signals()
        look_sites_up_in_the_cache()
        page_cache.connect_signals()
