from __future__ import annotations

from django.apps import AppConfig


class WebinarsConfig(AppConfig):
    name = "webinars"
    label = "webinars"
    verbose_name = "Webinaires"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from community.accounts.roles import STAFF_PERMISSIONS

        from . import (
            signals,  # noqa: F401  (connects the receivers)
            views,  # noqa: F401  (declares the pages' routes: lib.routes.page_route)
        )
        from .calendars import register_sources

        register_sources()

        # community must not import features, so the staff group learns about this
        # permission from here; accounts' post_migrate hook then grants it.
        if ("webinars", "manage_registrations") not in STAFF_PERMISSIONS:
            STAFF_PERMISSIONS.append(("webinars", "manage_registrations"))
