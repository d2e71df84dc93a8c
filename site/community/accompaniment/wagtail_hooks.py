from __future__ import annotations

from wagtail import hooks
from wagtail.permissions import register_permission_policy

from community.lib.admin_screens import ViewOnlyPermissionPolicy

from .admin_views import AccompanimentViewSetGroup
from .models import Application, Project

# Applications come from the public form and change only through logged decisions; projects
# in their own space (/projets/<commune>/), and their map consent through its service.
for model in (Application, Project):
    register_permission_policy(model, ViewOnlyPermissionPolicy(model), exact_class=True)


@hooks.register("register_admin_viewset")
def register_accompaniment_viewsets() -> AccompanimentViewSetGroup:
    return AccompanimentViewSetGroup()
