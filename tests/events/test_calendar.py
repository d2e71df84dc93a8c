"""The .ics feeds, read back with icalendar as a calendar app would."""

from __future__ import annotations

from datetime import date

import pytest
from icalendar import Calendar

from community.accounts.models import Role
from community.calendars.models import CalendarFeed
from community.calendars.services import feed_for
from events.calendars import CAFE, PROVIDER, booking_uid, guinguette_uid
from events.models import GUINGUETTE_DURATION, GuinguetteVehicle, GuinguetteVisit, Provider
from events.services import (
    accept_booking,
    cancel_booking,
    cancel_guinguette,
    confirm_guinguette,
    propose_date,
    request_guinguette,
)
from tests.factories import make_commune, make_member

from .conftest import at, grand_est_vehicle, summer

pytestmark = pytest.mark.django_db


def read_feed(client, feed) -> Calendar:
    response = client.get(f"/animations/calendrier/{feed.token}.ics")
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def events_of(calendar: Calendar) -> dict[str, object]:
    return {str(event["uid"]): event for event in calendar.walk("VEVENT")}


def test_cafe_feed_has_paris_times_and_a_stable_uid(client, confirmed, requested, cafe):
    calendar = read_feed(client, feed_for(CAFE, cafe))
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
    feed = feed_for(CAFE, cafe)
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
    assert list(events_of(read_feed(client, feed_for(PROVIDER, other)))) == []
    feed = feed_for(PROVIDER, provider)
    assert list(events_of(read_feed(client, feed))) == [booking_uid(confirmed)]


def test_requests_without_a_date_are_not_in_the_feed(client, requested, cafe):
    assert events_of(read_feed(client, feed_for(CAFE, cafe))) == {}


def test_calendars_page_shows_the_subscription_address(client_for, confirmed, cafe):
    token = feed_for(CAFE, cafe).token
    html = client_for("manager").get("/animations/calendrier/").content.decode()
    assert f"http://testserver/calendrier/{token}.ics" in html


# ---------------------------------------------------------------------------- Guinguette


@pytest.fixture
def vehicle(db) -> GuinguetteVehicle:
    return grand_est_vehicle()


def request(commune, day: date, place: str = "Place de la mairie") -> GuinguetteVisit:
    mayor = make_member(Role.ELECTED, commune=commune)
    return request_guinguette(by=mayor, commune=commune, day=day, place=place)


def test_the_guinguettes_evenings_in_the_cafes_commune_are_in_its_feed(
    client, cafe, staff_user, vehicle, confirmed
):
    place = "Pré communal, derrière l'église; parking, buvette"
    evening = confirm_guinguette(
        request(cafe.commune, summer(), place), by=staff_user, vehicle=vehicle
    )
    private = confirm_guinguette(
        request(cafe.commune, summer(day=16)), by=staff_user, vehicle=vehicle
    )
    GuinguetteVisit.objects.filter(pk=private.pk).update(is_public=False)
    request(cafe.commune, summer(day=17))  # asked, not confirmed yet
    elsewhere = make_commune(name="Ailleurs-sur-Marne", insee_code="51999")
    confirm_guinguette(request(elsewhere, summer(day=18)), by=staff_user, vehicle=vehicle)

    feed = feed_for(CAFE, cafe)
    found = events_of(read_feed(client, feed))
    assert set(found) == {booking_uid(confirmed), guinguette_uid(evening)}
    event = found[guinguette_uid(evening)]
    start = event["dtstart"]
    assert start.params["TZID"] == "Europe/Paris" and str(start.dt.tzinfo) == "Europe/Paris"
    assert start.dt == evening.starts_at
    assert start.dt.hour == 18  # the evening's Paris hour, not shifted to UTC
    assert event["dtend"].dt == evening.starts_at + GUINGUETTE_DURATION
    assert (str(event["status"]), event["sequence"]) == ("CONFIRMED", 0)
    assert str(event["summary"]) == f"Guinguette mobile – {cafe.commune.name}"
    assert str(event["location"]) == f"{place}, {cafe.commune.name}"
    # The provider's calendar is its own engagements: the Guinguette is the network's.
    assert guinguette_uid(evening) not in events_of(
        read_feed(client, feed_for(PROVIDER, confirmed.provider))
    )


def test_a_cancelled_evening_stays_marked_cancelled_a_withdrawn_request_never_shows(
    client, cafe, staff_user, vehicle
):
    feed = feed_for(CAFE, cafe)
    evening = confirm_guinguette(request(cafe.commune, summer()), by=staff_user, vehicle=vehicle)
    assert str(events_of(read_feed(client, feed))[guinguette_uid(evening)]["status"]) == (
        "CONFIRMED"
    )
    cancel_guinguette(evening, by=staff_user, note="Orage annoncé")
    withdrawn = request(cafe.commune, summer(day=20))
    cancel_guinguette(withdrawn, by=staff_user)
    found = events_of(read_feed(client, feed))
    assert str(found[guinguette_uid(evening)]["status"]) == "CANCELLED"
    assert guinguette_uid(withdrawn) not in found


def test_the_feed_is_strict_rfc_5545(client, cafe, staff_user, vehicle, confirmed):
    """Lines end in CRLF and fold at 75 octets (counted in UTF-8, accents included); commas
    and semicolons in text are escaped, and read back as written."""
    place = "Salle des fêtes « Les Tilleuls », près de l'école; entrée par la cour " * 2
    evening = confirm_guinguette(
        request(cafe.commune, summer(), place.strip()), by=staff_user, vehicle=vehicle
    )
    body = client.get(f"/calendrier/{feed_for(CAFE, cafe).token}.ics").content
    assert body.endswith(b"\r\n") and b"\n" not in body.replace(b"\r\n", b"")
    lines = body.split(b"\r\n")[:-1]
    assert max(len(line) for line in lines) <= 75
    assert any(line.startswith(b" ") for line in lines)  # the long location was folded
    unfolded = body.replace(b"\r\n ", b"").decode()
    assert "Les Tilleuls »\\, près de l'école\\; entrée" in unfolded
    location = events_of(Calendar.from_ical(body))[guinguette_uid(evening)]["location"]
    assert str(location) == f"{place.strip()}, {cafe.commune.name}"
    stamps = [line for line in unfolded.split("\r\n") if line.startswith("DTSTAMP")]
    assert stamps and all(stamp.endswith("Z") for stamp in stamps)  # DTSTAMP is UTC


# ---------------------------------------------------------------------------- addresses


def test_one_address_scheme_and_the_old_one_answer_the_same_calendar(client, cafe, confirmed):
    token = feed_for(CAFE, cafe).token
    new = client.get(f"/calendrier/{token}.ics")
    old = client.get(f"/animations/calendrier/{token}.ics")
    assert list(events_of(Calendar.from_ical(new.content))) == [booking_uid(confirmed)]
    assert list(events_of(Calendar.from_ical(old.content))) == [booking_uid(confirmed)]
    assert new["Cache-Control"] == "private, no-cache"  # never kept by the page cache


def test_a_deleted_owner_takes_its_address_along(client):
    provider = Provider.objects.create(name="Les Tréteaux", type="company")
    token = feed_for(PROVIDER, provider).token
    provider.delete()
    assert not CalendarFeed.objects.filter(token=token).exists()
    assert client.get(f"/calendrier/{token}.ics").status_code == 404
