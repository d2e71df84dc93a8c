from __future__ import annotations

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from .admin_views import (
    AccompanimentViewSetGroup,
    ApplicationPermissionPolicy,
    ProjectPermissionPolicy,
)
from .models import Application, Project

register_permission_policy(Application, ApplicationPermissionPolicy(Application), exact_class=True)
register_permission_policy(Project, ProjectPermissionPolicy(Project), exact_class=True)


@hooks.register("register_admin_viewset")
def register_accompaniment_viewsets() -> AccompanimentViewSetGroup:
    return AccompanimentViewSetGroup()
