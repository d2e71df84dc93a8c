from __future__ import annotations

import pytest

from tests.factories import make_member
from tests.matrix import (
    LOGIN,
    MEMBERSHIP,
    Redirect,
    cases,
    check,
    everyone,
    members_only,
    wagtail_admin,
)

DASHBOARD = Redirect("/espace/")

MATRIX = {
    "/": everyone(200),
    "/comptes/login/": {**everyone(DASHBOARD), "anonymous": 200},
    "/comptes/signup/": {**everyone(DASHBOARD), "anonymous": 200},
    "/espace/": members_only(),
    "/espace/membres/": members_only(),
    "/espace/profil/": {**everyone(200), "anonymous": LOGIN},
    "/adhesion/": {
        "anonymous": LOGIN,
        "pending": 200,
        "refused": 200,
        **dict.fromkeys(("elected", "manager", "partner", "staff"), DASHBOARD),
    },
    # Non-staff members are turned away by Wagtail (sent to log in as someone else);
    # unapproved accounts never reach Wagtail at all.
    "/admin/": wagtail_admin(),
    "/admin/adhesions/": wagtail_admin(),
    "/admin/login/": {**everyone(LOGIN), "pending": MEMBERSHIP, "refused": MEMBERSHIP},
}


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "role", "expected"), cases(MATRIX))
def test_access(client_for, url, role, expected):
    check(client_for(role), url, expected)


@pytest.mark.django_db
def test_staff_with_an_unverified_address_cannot_use_the_admin(client):
    staff = make_member("staff", verified=False)
    client.force_login(staff)

    response = client.get("/admin/")

    assert response.status_code == 302
    assert not response["Location"].startswith("/admin/")


@pytest.mark.django_db
def test_a_superuser_awaiting_approval_cannot_use_the_admin(client):
    boss = make_member("staff", status="pending", is_superuser=True)
    client.force_login(boss)

    assert client.get("/admin/")["Location"] == "/adhesion/"


@pytest.mark.django_db
def test_the_admin_does_not_offer_to_change_the_address_outside_allauth(client_for):
    page = client_for("staff").get("/admin/account/").content.decode()

    assert 'name="email"' not in page
