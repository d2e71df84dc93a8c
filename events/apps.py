from __future__ import annotations

from django.apps import AppConfig

# Staff edit the catalogue, providers, funders, funds, tours and the Guinguette's vehicles
# and seasons in the Wagtail admin.
EDITED_BY_STAFF = (
    "animationkind",
    "kindphoto",
    "provider",
    "providerunavailability",
    "funder",
    "fund",
    "tour",
    "guinguettevehicle",
    "guinguetteseason",
)


class EventsConfig(AppConfig):
    name = "events"
    label = "events"
    verbose_name = "Animations"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from community.accounts.roles import STAFF_PERMISSIONS
        from community.places.activity import register_upcoming

        from . import signals  # noqa: F401  (connects the receivers)
        from .cafe_activity import next_guinguette_evenings, next_public_animations
        from .calendars import register_sources

        register_sources()

        register_upcoming(next_public_animations)
        register_upcoming(next_guinguette_evenings)

        for model in EDITED_BY_STAFF:
            for action in ("add", "change", "view"):
                if (self.label, f"{action}_{model}") not in STAFF_PERMISSIONS:
                    STAFF_PERMISSIONS.append((self.label, f"{action}_{model}"))
