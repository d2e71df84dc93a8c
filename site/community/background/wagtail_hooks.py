from __future__ import annotations

from django.urls import path
from django.utils.translation import gettext_lazy as _

from community.lib.admin_screens import register_screen

from . import admin_views
from .services import RETRY_PERMISSION

register_screen(
    url_prefix="taches/",
    namespace="background_admin",
    urls=[
        path("", admin_views.FailedTasksView.as_view(), name="failed"),
        path("<uuid:task_id>/relancer/", admin_views.retry, name="retry"),
    ],
    permission=RETRY_PERMISSION,
    label=_("Tâches en échec"),
    icon="warning",
    order=900,
)
