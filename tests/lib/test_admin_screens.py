"""community.lib.admin_screens: an admin screen of our own (the membership review, the failed
tasks) is for the staff holding its permission; other staff neither see it in the menu nor
open it, nor run its actions (Wagtail sends them back to the admin's home)."""

from __future__ import annotations

import uuid

import pytest
from django.contrib.auth.models import Group, Permission

from community.accounts.models import MembershipStatus, Role
from community.accounts.roles import ROLE_GROUPS

SCREENS = [
    pytest.param("accounts", "review_membership", "/admin/adhesions/", "Adhésions", id="review"),
    pytest.param("background", "retry_task", "/admin/taches/", "Tâches en échec", id="tasks"),
]


def in_menu(client, url: str) -> bool:
    """The admin's sidebar is built from JSON in the page."""
    return f'"url": "{url}"' in client.get("/admin/").content.decode()


def refused(response) -> bool:
    return response.status_code == 302 and response["Location"] == "/admin/"


@pytest.mark.django_db
@pytest.mark.parametrize(("app_label", "codename", "url", "label"), SCREENS)
def test_a_screen_is_shown_and_opened_only_with_its_permission(
    client_for, app_label, codename, url, label
):
    client = client_for("staff")
    assert in_menu(client, url)
    assert client.get(url).status_code == 200

    Group.objects.get(name=ROLE_GROUPS[Role.STAFF]).permissions.remove(
        Permission.objects.get(content_type__app_label=app_label, codename=codename)
    )

    assert not in_menu(client, url)
    assert refused(client.get(url))


@pytest.mark.django_db
def test_its_actions_are_refused_without_the_permission(client_for, pending_user):
    client = client_for("staff")
    Group.objects.get(name=ROLE_GROUPS[Role.STAFF]).permissions.remove(
        *Permission.objects.filter(codename__in=["review_membership", "retry_task"])
    )

    assert refused(client.post(f"/admin/adhesions/{pending_user.pk}/valider/"))
    assert refused(client.post(f"/admin/taches/{uuid.uuid4()}/relancer/"))
    pending_user.refresh_from_db()
    assert pending_user.membership_status == MembershipStatus.PENDING
