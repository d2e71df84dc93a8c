from __future__ import annotations

from django.urls import include, path, reverse
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin.menu import MenuItem

from . import admin_views
from .services import RETRY_PERMISSION

admin_urlpatterns = (
    [
        path("", admin_views.FailedTasksView.as_view(), name="failed"),
        path("<uuid:task_id>/relancer/", admin_views.retry, name="retry"),
    ],
    "background_admin",
)


@hooks.register("register_admin_urls")
def register_background_urls():
    return [path("taches/", include(admin_urlpatterns))]


class FailedTasksMenuItem(MenuItem):
    def is_shown(self, request):
        return request.user.has_perm(RETRY_PERMISSION)


@hooks.register("register_admin_menu_item")
def register_failed_tasks_menu_item():
    return FailedTasksMenuItem(
        _("Tâches en échec"), reverse("background_admin:failed"), icon_name="warning", order=900
    )
