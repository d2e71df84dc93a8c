"""Screens of our own in the Wagtail admin (the membership review, the failed tasks), each
for the staff who hold one permission, and the admin's view-only models.

A screen is a page (AdminScreen), its POST actions (Django's
``permission_required(..., raise_exception=True)``), and its address and menu item, both
registered by register_screen from the app's wagtail_hooks.py. The menu item shows only to
those who hold the permission, and the page and its actions answer 403 to anyone else.
"""

from __future__ import annotations

from django.contrib.auth.mixins import PermissionRequiredMixin
from django.urls import URLPattern, include, path, reverse
from django.views.generic import TemplateView
from wagtail import hooks
from wagtail.admin.menu import MenuItem
from wagtail.admin.views.generic.base import WagtailAdminTemplateMixin
from wagtail.permission_policies import ModelPermissionPolicy


class AdminScreen(PermissionRequiredMixin, WagtailAdminTemplateMixin, TemplateView):
    """Subclasses set permission_required, template_name, page_title and header_icon."""

    raise_exception = True

    def get_breadcrumbs_items(self):
        return [*self.breadcrumbs_items, {"url": "", "label": self.page_title}]


class PermissionMenuItem(MenuItem):
    def __init__(self, *args, permission: str, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.permission = permission

    def is_shown(self, request) -> bool:
        return request.user.has_perm(self.permission)


def register_screen(
    *,
    url_prefix: str,
    namespace: str,
    urls: list[URLPattern],
    permission: str,
    label: str,
    icon: str,
    order: int,
) -> None:
    """Mount ``urls`` at /admin/<url_prefix> under ``namespace``; the menu item opens the
    first of them."""

    def admin_urls() -> list:
        return [path(url_prefix, include((urls, namespace)))]

    def menu_item() -> MenuItem:
        url = reverse(f"{namespace}:{urls[0].name}")
        return PermissionMenuItem(label, url, icon_name=icon, order=order, permission=permission)

    hooks.register("register_admin_urls", admin_urls)
    hooks.register("register_admin_menu_item", menu_item)


class ViewOnlyPermissionPolicy(ModelPermissionPolicy):
    """Records that change only through their services, where each change is checked and
    logged: the admin lists and shows them, and nobody adds, edits or deletes one there,
    superusers included."""

    def user_has_permission(self, user, action: str) -> bool:
        return action == "view" and super().user_has_permission(user, action)
