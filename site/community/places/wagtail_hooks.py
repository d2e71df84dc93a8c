from __future__ import annotations

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from .models import Commune
from .viewsets import CommunePermissionPolicy, PlacesViewSetGroup

register_permission_policy(Commune, CommunePermissionPolicy(Commune), exact_class=True)


@hooks.register("register_admin_viewset")
def register_places_viewsets() -> PlacesViewSetGroup:
    return PlacesViewSetGroup()
