from django.apps import AppConfig


class PlacesConfig(AppConfig):
    name = "community.places"
    label = "places"
    verbose_name = "Communes et cafés"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from community.accounts.roles import STAFF_PERMISSIONS

        from . import map  # noqa: F401  (connects the receivers that refresh the map's cache)

        # Staff keep the list of services de proximité in the Wagtail admin.
        for action in ("add", "change", "delete", "view"):
            if ("places", f"{action}_proximityservice") not in STAFF_PERMISSIONS:
                STAFF_PERMISSIONS.append(("places", f"{action}_proximityservice"))
