"""Issue 11, finding 6: a calendar address follows the people who may hold it.

A café's feed address rotates when its managers change (a removed manager's old address
answers 404), a provider's when its account changes, and both when the rights of a manager
or a provider's account change. And the calendars page creates addresses on POST only.
"""

from __future__ import annotations

import pytest
from django.test import Client

from community.accounts.models import MembershipStatus, Role, User
from community.calendars.models import CalendarFeed
from community.calendars.services import feed_for
from events.calendars import CAFE, PROVIDER
from events.models import Provider
from tests.factories import make_cafe, make_member
from tests.matrix import LOGIN, MEMBERSHIP, Redirect, cases

pytestmark = pytest.mark.django_db

PAGE = "/animations/calendrier/"


def answers(token: str) -> int:
    return Client().get(f"/animations/calendrier/{token}.ics").status_code


def signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


@pytest.fixture
def provider(partner_user) -> Provider:
    return Provider.objects.create(
        name="Échiquier Tarnais", type=Provider.Type.ASSOCIATION, account=partner_user
    )


def _remove_from_cafe(manager, cafe):
    cafe.managers.remove(manager)


def _cafe_cleared(manager, cafe):
    cafe.managers.clear()


def _leaves_every_cafe(manager, cafe):
    manager.managed_cafes.clear()


def _set_without_them(manager, cafe):
    cafe.managers.set([make_member(Role.MANAGER)])  # what the admin's form does


def _deactivated(manager, cafe):
    manager.is_active = False
    manager.save()


def _becomes_elected(manager, cafe):
    manager.role = Role.ELECTED
    manager.save()


@pytest.mark.parametrize(
    "change",
    [
        _remove_from_cafe,
        _cafe_cleared,
        _leaves_every_cafe,
        _set_without_them,
        _deactivated,
        _becomes_elected,
    ],
)
def test_a_manager_who_loses_the_cafe_loses_its_address(manager_user, cafe, change):
    old = feed_for(CAFE, cafe).token
    untouched = feed_for(CAFE, make_cafe(name="Le Bistrot d'en face")).token
    change(manager_user, cafe)
    assert answers(old) == 404
    new = CalendarFeed.objects.get(source=CAFE, owner_pk=cafe.pk).token
    assert new != old and answers(new) == 200
    assert answers(untouched) == 200  # other cafés keep theirs


def test_a_new_manager_gets_a_new_address_the_team_finds_on_its_page(manager_user, cafe):
    old = feed_for(CAFE, cafe).token
    newcomer = make_member(Role.MANAGER)
    newcomer.managed_cafes.add(cafe)
    assert answers(old) == 404
    new = CalendarFeed.objects.get(source=CAFE, owner_pk=cafe.pk).token
    for member in (manager_user, newcomer):
        page = signed_in(member).get(PAGE).content.decode()
        assert f"/calendrier/{new}.ics" in page


def test_a_login_or_a_profile_edit_rotates_nothing(manager_user, cafe):
    token = feed_for(CAFE, cafe).token
    signed_in(manager_user)
    manager_user.display_name = "Gaston G."
    manager_user.save()
    assert answers(token) == 200


@pytest.mark.parametrize("new_account", ["another partner", "nobody"])
def test_a_providers_former_account_loses_its_address(provider, new_account):
    old = feed_for(PROVIDER, provider).token
    provider.account = make_member(Role.PARTNER) if new_account == "another partner" else None
    provider.save()
    assert answers(old) == 404
    assert answers(CalendarFeed.objects.get(source=PROVIDER, owner_pk=provider.pk).token) == 200


def test_editing_a_provider_without_changing_its_account_keeps_the_address(provider):
    token = feed_for(PROVIDER, provider).token
    provider.description = "Ateliers d'échecs pour tous les âges."
    provider.save()
    assert answers(token) == 200


def test_a_refused_partner_account_loses_the_providers_address(provider, partner_user):
    token = feed_for(PROVIDER, provider).token
    partner_user.membership_status = MembershipStatus.REFUSED
    partner_user.save()
    assert answers(token) == 404


# ---------------------------------------------------------------------------- the page


def test_showing_the_calendars_page_creates_no_address(client_for, manager_user, provider):
    for role in ("manager", "partner", "staff"):
        assert client_for(role).get(PAGE).status_code == 200
    assert not CalendarFeed.objects.exists()


def test_the_address_is_created_on_post_then_shown(client_for, cafe):
    manager = client_for("manager")
    assert f'name="cafe" value="{cafe.pk}"' in manager.get(PAGE).content.decode()
    response = manager.post(PAGE, {"cafe": cafe.pk})
    assert response.status_code == 302 and response["Location"] == PAGE
    assert manager.post(PAGE, {"cafe": cafe.pk}).status_code == 302  # twice: still one
    [feed] = CalendarFeed.objects.all()
    assert (feed.source, feed.owner_pk) == (CAFE, cafe.pk)
    assert f"/calendrier/{feed.token}.ics" in manager.get(PAGE).content.decode()


@pytest.fixture
def owners(cafe, manager_user, provider) -> dict[str, int]:
    return {"own_cafe": cafe.pk, "other_cafe": make_cafe(name="Ailleurs").pk, "own": provider.pk}


CREATE = {
    "cafe={own_cafe}": {
        "anonymous": LOGIN,
        "pending": MEMBERSHIP,
        "refused": MEMBERSHIP,
        "elected": 403,
        "manager": 302,
        "partner": 404,
        "staff": 404,  # staff list the cafés with bookings only; this one has none
    },
    "cafe={other_cafe}": {
        "anonymous": LOGIN,
        "pending": MEMBERSHIP,
        "refused": MEMBERSHIP,
        "elected": 403,
        "manager": 404,
        "partner": 404,
        "staff": 404,
    },
    "prestataire={own}": {
        "anonymous": LOGIN,
        "pending": MEMBERSHIP,
        "refused": MEMBERSHIP,
        "elected": 403,
        "manager": 404,
        "partner": 302,
        "staff": 302,
    },
    "prestataire=abc": {
        "anonymous": LOGIN,
        "pending": MEMBERSHIP,
        "refused": MEMBERSHIP,
        "elected": 403,
        "manager": 404,
        "partner": 404,
        "staff": 404,
    },
}


@pytest.mark.parametrize("data, role, expected", cases(CREATE))
def test_who_may_create_which_address(owners, client_for, data, role, expected):
    field, value = data.format(**owners).split("=")
    response = client_for(role).post(PAGE, {field: value})
    if isinstance(expected, Redirect):
        assert response.status_code == 302 and response["Location"].startswith(expected.to)
    else:
        assert response.status_code == expected
    assert CalendarFeed.objects.exists() is (expected == 302)
