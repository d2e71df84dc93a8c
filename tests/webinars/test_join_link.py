"""The join link: for confirmed registrants only, from the set time before the start
until the end. Fixed datetimes for the rule, relative ones for the page."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.utils import timezone

from community.accounts.models import Role
from tests.factories import make_member
from webinars.services import cancel_registration, register_for_webinar

from .conftest import START

pytestmark = pytest.mark.django_db

LINK = "https://visio.example.org/b/salle-1000-cafes"


@pytest.mark.parametrize(
    ("moment", "open_"),
    [
        (START - timedelta(days=1), False),
        (START - timedelta(minutes=16), False),
        (START - timedelta(minutes=15), True),
        (START, True),
        (START + timedelta(minutes=89, seconds=59), True),
        (START + timedelta(minutes=90), False),  # the end
    ],
)
def test_link_opens_fifteen_minutes_before_and_closes_at_the_end(make_webinar, moment, open_):
    webinar = make_webinar(start=START)
    assert webinar.join_link_opens_minutes_before == 15
    assert webinar.join_link_is_open(moment) is open_


def test_the_opening_delay_is_set_per_webinar(make_webinar):
    webinar = make_webinar(start=START, join_link_opens_minutes_before=60)
    assert webinar.join_link_is_open(START - timedelta(minutes=60))
    assert not webinar.join_link_is_open(START - timedelta(minutes=61))


def test_no_link_no_opening(make_webinar):
    assert not make_webinar(start=START, join_link="").join_link_is_open(START)


def _page_for(client, webinar) -> str:
    return client.get(webinar.url).content.decode()


@pytest.mark.parametrize(("minutes_before", "shown"), [(10, True), (60, False)])
def test_registered_member_sees_the_link_only_once_it_opens(
    client_for, elected_user, make_webinar, minutes_before, shown
):
    webinar = make_webinar(start=timezone.now() + timedelta(minutes=minutes_before))
    register_for_webinar(webinar, elected_user)
    html = _page_for(client_for("elected"), webinar)
    assert (LINK in html) is shown
    if not shown:
        assert "Le lien de connexion apparaîtra ici à partir du" in html


def test_link_is_shown_during_the_webinar(client_for, elected_user, make_webinar):
    webinar = make_webinar(start=timezone.now() - timedelta(minutes=30))
    register_for_webinar(webinar, elected_user)
    assert LINK in _page_for(client_for("elected"), webinar)


@pytest.mark.parametrize("role", ["anonymous", "pending", "elected", "manager", "partner", "staff"])
def test_unregistered_never_see_the_link(client_for, make_webinar, role):
    webinar = make_webinar(start=timezone.now() + timedelta(minutes=5), audience="public")
    assert LINK not in _page_for(client_for(role), webinar)


def test_waiting_list_does_not_see_the_link(client_for, manager_user, make_webinar):
    webinar = make_webinar(start=timezone.now() + timedelta(minutes=5), capacity=1)
    register_for_webinar(webinar, make_member(Role.ELECTED))
    register_for_webinar(webinar, manager_user)
    html = _page_for(client_for("manager"), webinar)
    assert LINK not in html
    assert "Liste d'attente" in html


def test_cancelled_registration_does_not_see_the_link(client_for, elected_user, make_webinar):
    webinar = make_webinar(start=timezone.now() + timedelta(minutes=5))
    register_for_webinar(webinar, elected_user)
    cancel_registration(webinar, elected_user)
    assert LINK not in _page_for(client_for("elected"), webinar)
