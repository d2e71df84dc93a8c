"""The .ics feeds, read back with icalendar as a calendar app would."""

from __future__ import annotations

import pytest
from icalendar import Calendar

from events.ics import booking_uid
from events.models import Provider
from events.services import accept_booking, cancel_booking, ensure_calendar_feed, propose_date

from .conftest import at

pytestmark = pytest.mark.django_db


def read_feed(client, feed) -> Calendar:
    response = client.get(f"/animations/calendrier/{feed.token}.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def events_of(calendar: Calendar) -> dict[str, object]:
    return {str(event["uid"]): event for event in calendar.walk("VEVENT")}


def test_cafe_feed_has_paris_times_and_a_stable_uid(client, confirmed, requested, cafe):
    calendar = read_feed(client, ensure_calendar_feed(cafe=cafe))
    [timezone] = calendar.walk("VTIMEZONE")
    assert str(timezone["tzid"]) == "Europe/Paris"
    event = events_of(calendar)[booking_uid(confirmed)]
    start = event["dtstart"]
    assert start.params["TZID"] == "Europe/Paris"
    assert start.dt == at(20) and str(start.dt.tzinfo) == "Europe/Paris"
    assert event["dtend"].dt == at(20) + confirmed.kind.duration
    assert event.get("sequence") == 0
    assert str(event["status"]) == "CONFIRMED"
    assert str(event["summary"]) == "Atelier d'initiation aux échecs – Le Café du Village"
    assert "Avec Échiquier Tarnais" in str(event["description"])


def test_a_new_date_bumps_the_sequence_and_keeps_the_uid(
    client, confirmed, cafe, staff_user, manager_user, provider
):
    feed = ensure_calendar_feed(cafe=cafe)
    propose_date(confirmed, by=staff_user, starts_at=at(35), provider=provider)
    event = events_of(read_feed(client, feed))[booking_uid(confirmed)]
    assert (str(event["status"]), event["sequence"], event["dtstart"].dt) == (
        "TENTATIVE",
        1,
        at(35),
    )
    accept_booking(confirmed, by=manager_user)
    cancel_booking(confirmed, by=staff_user)
    event = events_of(read_feed(client, feed))[booking_uid(confirmed)]
    assert (str(event["status"]), event["sequence"]) == ("CANCELLED", 1)


def test_provider_feed_lists_only_its_engagements(client, confirmed, provider):
    other = Provider.objects.create(name="Les Tréteaux", type="company")
    assert list(events_of(read_feed(client, ensure_calendar_feed(provider=other)))) == []
    feed = ensure_calendar_feed(provider=provider)
    assert list(events_of(read_feed(client, feed))) == [booking_uid(confirmed)]


def test_requests_without_a_date_are_not_in_the_feed(client, requested, cafe):
    assert events_of(read_feed(client, ensure_calendar_feed(cafe=cafe))) == {}


def test_calendars_page_shows_the_subscription_address(client_for, confirmed, cafe):
    token = ensure_calendar_feed(cafe=cafe).token
    html = client_for("manager").get("/animations/calendrier/").content.decode()
    assert f"/animations/calendrier/{token}.ics" in html
