"""One search service over the resource library (see community/lib/searchable.py)."""

from django.apps import AppConfig
from django.utils.module_loading import autodiscover_modules


class SearchConfig(AppConfig):
    name = "search"
    label = "search"
    verbose_name = "Recherche"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from community.accounts.audience import audiences_for
        from community.lib import searchable

        from . import signals
        from .indexing import schedule_stale

        searchable.register_access("audience", audiences_for)
        searchable.on_stale(schedule_stale)
        searchable.on_register(signals.connect)
        signals.connect_wagtail()
        autodiscover_modules("search_documents")
