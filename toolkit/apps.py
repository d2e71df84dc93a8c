from __future__ import annotations

from django.apps import AppConfig


class ToolkitConfig(AppConfig):
    name = "toolkit"
    label = "toolkit"
    verbose_name = "Boîtes à outils"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from wagtail.documents.models import document_served

        from community.migrating import after_every_app_migrated

        from . import (
            listing,  # noqa: F401  (declares the index page's route)
            signals,
        )
        from .services import record_download
        from .workflow import ensure_moderation_workflow

        signals.connect()

        # Counted on Wagtail's signal rather than in our before_serve hook: the signal is
        # sent only once every hook (ours, collection privacy…) let the file through.
        document_served.connect(
            lambda sender, instance, **kwargs: record_download(instance),
            weak=False,
            dispatch_uid="toolkit.record_download",
        )
        # The review group ("Équipe") is created by accounts' handler, connected (and so
        # run) before this one; the workflow must also reach index pages that existed
        # before this app was deployed.
        after_every_app_migrated(ensure_moderation_workflow, "toolkit.workflow")
