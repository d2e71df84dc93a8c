from __future__ import annotations

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from .admin_views import AccompanimentViewSetGroup, ApplicationPermissionPolicy
from .models import Application

register_permission_policy(Application, ApplicationPermissionPolicy(Application), exact_class=True)


@hooks.register("register_admin_viewset")
def register_accompaniment_viewsets() -> AccompanimentViewSetGroup:
    return AccompanimentViewSetGroup()
