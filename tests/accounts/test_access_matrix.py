from __future__ import annotations

import pytest

from tests.matrix import LOGIN, MEMBERSHIP, Redirect, cases, check, everyone, members_only

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
    "/admin/": {
        "anonymous": LOGIN,
        "pending": MEMBERSHIP,
        "refused": MEMBERSHIP,
        "elected": LOGIN,
        "manager": LOGIN,
        "partner": LOGIN,
        "staff": 200,
    },
    "/admin/adhesions/": {
        "anonymous": LOGIN,
        "pending": MEMBERSHIP,
        "refused": MEMBERSHIP,
        "elected": LOGIN,
        "manager": LOGIN,
        "partner": LOGIN,
        "staff": 200,
    },
    "/admin/login/": {**everyone(LOGIN), "pending": MEMBERSHIP, "refused": MEMBERSHIP},
}


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "role", "expected"), cases(MATRIX))
def test_access(client_for, url, role, expected):
    check(client_for(role), url, expected)
