"""Permission matrices: every URL × every role → what that role must get.

A matrix must name every role for every URL, so adding a page forces a decision for each
audience. Modules build their matrices with `cases()` and check each cell with `check()`.
"""

from __future__ import annotations

from dataclasses import dataclass

import pytest
from django.test import Client

from community.accounts.audience import Audience

ROLES = ("anonymous", "pending", "refused", "elected", "manager", "partner", "staff")

# The audiences whose content each role may read.
AUDIENCES = {
    "anonymous": {Audience.PUBLIC},
    "pending": {Audience.PUBLIC},
    "refused": {Audience.PUBLIC},
    "elected": {Audience.PUBLIC, Audience.MEMBERS, Audience.ELECTED},
    "manager": {Audience.PUBLIC, Audience.MEMBERS, Audience.MANAGERS},
    "partner": {Audience.PUBLIC, Audience.MEMBERS},
    "staff": set(Audience.values),
}


@dataclass(frozen=True)
class Redirect:
    """A redirect whose target starts with `to` (a refusal that sends the user elsewhere)."""

    to: str


LOGIN = Redirect("/comptes/login/")
MEMBERSHIP = Redirect("/adhesion/")
Expected = int | Redirect


def everyone(expected: Expected) -> dict[str, Expected]:
    return dict.fromkeys(ROLES, expected)


def members_only(ok: Expected = 200) -> dict[str, Expected]:
    """Approved members of every role get `ok`; others are sent to log in or to their status."""
    return {
        "anonymous": LOGIN,
        "pending": MEMBERSHIP,
        "refused": MEMBERSHIP,
        **dict.fromkeys(("elected", "manager", "partner", "staff"), ok),
    }


def staff_only(ok: Expected = 200) -> dict[str, Expected]:
    """Staff get `ok`; other members are refused, the rest sent to log in or to their status."""
    return {**members_only(403), "staff": ok}


def wagtail_admin(ok: Expected = 200) -> dict[str, Expected]:
    """A Wagtail admin page: staff get `ok`; Wagtail sends other members to log in as someone
    else, and unapproved accounts never reach Wagtail at all."""
    return {**members_only(LOGIN), "staff": ok}


def cases(matrix: dict[str, dict[str, Expected]]) -> list:
    params = []
    for url, expectations in matrix.items():
        missing = set(ROLES) - set(expectations)
        if missing:
            raise AssertionError(f"{url}: the matrix says nothing for {sorted(missing)}")
        params += [
            pytest.param(url, role, expected, id=f"{role}-{url}")
            for role, expected in expectations.items()
        ]
    return params


def check(client: Client, url: str, expected: Expected, method: str = "get") -> None:
    response = getattr(client, method)(url)
    if isinstance(expected, Redirect):
        assert response.status_code == 302, (
            f"{url}: expected a redirect to {expected.to}, got {response.status_code}"
        )
        assert response["Location"].startswith(expected.to), (
            f"{url}: redirected to {response['Location']}, expected {expected.to}"
        )
    else:
        assert response.status_code == expected, (
            f"{url}: expected {expected}, got {response.status_code}"
        )
