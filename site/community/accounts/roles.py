"""Roles map to Django groups, which every module uses for its permissions.

A member is in the group of their role and in the "Membres" group only while their
membership is approved, so pending or refused accounts hold no permission at all.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.contrib.auth.models import Group, Permission
from django.db import transaction

from .models import Role

if TYPE_CHECKING:
    from .models import User

MEMBERS_GROUP = "Membres"
ROLE_GROUPS: dict[str, str] = {
    Role.ELECTED: "Élus",
    Role.MANAGER: "Gérants",
    Role.STAFF: "Équipe",
    Role.PARTNER: "Partenaires",
}

# (app_label, codename) granted to staff; modules add theirs to STAFF_PERMISSIONS.
STAFF_PERMISSIONS: list[tuple[str, str]] = [
    ("wagtailadmin", "access_admin"),
    ("accounts", "review_membership"),
    ("places", "add_commune"),
    ("places", "change_commune"),
    ("places", "view_commune"),
    ("places", "add_cafe"),
    ("places", "change_cafe"),
    ("places", "delete_cafe"),
    ("places", "view_cafe"),
    ("wagtailimages", "add_image"),
    ("wagtailimages", "change_image"),
    ("wagtailimages", "choose_image"),
    ("wagtaildocs", "add_document"),
    ("wagtaildocs", "change_document"),
    ("wagtaildocs", "choose_document"),
]


def ensure_role_groups(**kwargs) -> None:
    """Create the role groups and give staff its permissions (idempotent)."""
    for name in [MEMBERS_GROUP, *ROLE_GROUPS.values()]:
        Group.objects.get_or_create(name=name)
    staff = Group.objects.get(name=ROLE_GROUPS[Role.STAFF])
    for app_label, codename in STAFF_PERMISSIONS:
        permission = Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).first()
        if permission is not None:
            staff.permissions.add(permission)
    _grant_staff_page_permissions(staff)
    _grant_staff_collection_permissions(staff)


# Wagtail checks images and documents against permissions held on a collection, not the
# model-wide ones: without these, staff saw an empty image chooser.
STAFF_COLLECTION_PERMISSIONS = [
    ("wagtailimages", codename) for codename in ("add_image", "change_image", "choose_image")
] + [
    ("wagtaildocs", codename) for codename in ("add_document", "change_document", "choose_document")
]


def _grant_staff_collection_permissions(staff: Group) -> None:
    from wagtail.models import Collection, GroupCollectionPermission

    root = Collection.get_first_root_node()
    if root is None:
        return
    for app_label, codename in STAFF_COLLECTION_PERMISSIONS:
        permission = Permission.objects.filter(
            content_type__app_label=app_label, codename=codename
        ).first()
        if permission is not None:
            GroupCollectionPermission.objects.get_or_create(
                group=staff, collection=root, permission=permission
            )


def _grant_staff_page_permissions(staff: Group) -> None:
    from wagtail.models import GroupPagePermission, Page

    root = Page.get_first_root_node()
    if root is None:
        return
    for codename in ("add_page", "change_page", "publish_page", "lock_page", "unlock_page"):
        permission = Permission.objects.filter(
            content_type__app_label="wagtailcore", codename=codename
        ).first()
        if permission is not None:
            GroupPagePermission.objects.get_or_create(group=staff, page=root, permission=permission)


def sync_role_groups(user: User) -> None:
    """Make the user's groups match their role and membership; call inside a transaction."""
    managed = Group.objects.filter(name__in=[MEMBERS_GROUP, *ROLE_GROUPS.values()])
    wanted: list[str] = []
    if user.is_approved_member:
        wanted = [MEMBERS_GROUP, ROLE_GROUPS[user.role]]
    with transaction.atomic():
        user.groups.remove(*managed.exclude(name__in=wanted))
        user.groups.add(*managed.filter(name__in=wanted))
