"""Every webinar URL × every role (tests/matrix.py)."""

from __future__ import annotations

import pytest

from community.accounts.audience import Audience
from community.accounts.models import Role
from community.calendars.models import CalendarFeed
from tests.factories import make_member
from tests.matrix import (
    LOGIN,
    MEMBERSHIP,
    Redirect,
    cases,
    check,
    everyone,
    members_only,
    staff_only,
)
from webinars.calendars import MEMBER

KNOWN_TOKEN = "jeton-de-test-connu-0123456789abcdefABCDEF"
REVOKED_TOKEN = "jeton-de-test-revoque-0123456789abcdefABC"
RANDOM_TOKEN = "jeton-au-hasard-que-personne-n-a-0123456789"

SLUGS = {
    Audience.PUBLIC: "pour-tous",
    Audience.MEMBERS: "membres",
    Audience.ELECTED: "elus",
    Audience.MANAGERS: "gerants",
}
APPROVED = ("elected", "manager", "partner", "staff")


def audience_matrix(audience: str, ok, *, anonymous_ok=None) -> dict:
    """What each role gets from a URL of a webinar for that audience."""
    if audience == Audience.PUBLIC:
        return everyone(ok) if anonymous_ok is None else {**everyone(ok), **anonymous_ok}
    expected = members_only(ok)
    allowed = {
        Audience.MEMBERS: set(APPROVED),
        Audience.ELECTED: {"elected", "staff"},
        Audience.MANAGERS: {"manager", "staff"},
    }[audience]
    for role in APPROVED:
        if role not in allowed:
            expected[role] = 403
    return expected


def webinar_pages() -> dict:
    return {f"/webinaires/{slug}/": audience_matrix(a, 200) for a, slug in SLUGS.items()}


def ics_files() -> dict:
    return {f"/webinaires/{slug}/calendrier/": audience_matrix(a, 200) for a, slug in SLUGS.items()}


def registration_posts() -> dict:
    matrix = {}
    for audience, slug in SLUGS.items():
        page = f"/webinaires/{slug}/"
        back = Redirect(page)
        # Anyone may see a public webinar, but only approved members register.
        expected = audience_matrix(audience, back)
        if audience == Audience.PUBLIC:
            expected.update(anonymous=LOGIN, pending=MEMBERSHIP, refused=MEMBERSHIP)
        matrix[f"{page}inscription/"] = expected
    return matrix


GET_MATRIX = {
    "/webinaires/": everyone(200),
    **webinar_pages(),
    **ics_files(),
    "/webinaires/mes-webinaires/": members_only(200),
    # The token is the credential (calendar apps cannot log in): same answer for all.
    f"/webinaires/calendrier/{KNOWN_TOKEN}/": everyone(200),
    f"/webinaires/calendrier/{REVOKED_TOKEN}/": everyone(404),
    f"/webinaires/calendrier/{RANDOM_TOKEN}/": everyone(404),
    # A members' webinar: its audience check runs first, then the staff check.
    "/webinaires/membres/inscrits/": staff_only(),
    "/webinaires/membres/inscrits/export/": staff_only(),
    "/webinaires/elus/inscrits/": staff_only(),
}

POST_MATRIX = {
    **registration_posts(),
    "/webinaires/mes-webinaires/nouveau-lien/": members_only(
        Redirect("/webinaires/mes-webinaires/")
    ),
}


@pytest.fixture(autouse=True)
def webinars(make_webinar):
    for audience, slug in SLUGS.items():
        make_webinar(slug, audience=audience)
    owner = make_member(Role.ELECTED)
    CalendarFeed.objects.create(source=MEMBER, owner_pk=owner.pk, token=KNOWN_TOKEN)
    # A revoked token is simply one that no longer exists: the member made a new one.
    CalendarFeed.objects.create(
        source=MEMBER, owner_pk=make_member(Role.MANAGER).pk, token="nouveau-" + KNOWN_TOKEN
    )


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "role", "expected"), cases(GET_MATRIX))
def test_get(client_for, url, role, expected):
    check(client_for(role), url, expected)


@pytest.mark.django_db
@pytest.mark.parametrize(("url", "role", "expected"), cases(POST_MATRIX))
def test_post(client_for, url, role, expected):
    check(client_for(role), url, expected, method="post")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url", ["/webinaires/membres/inscription/", "/webinaires/membres/desinscription/"]
)
def test_registration_routes_refuse_get(client_for, url):
    assert client_for("elected").get(url).status_code == 405
