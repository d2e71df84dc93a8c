"""The network's public agenda as a calendar anyone subscribes to (/animations/agenda.ics):
what the agenda page announces, from the same query, read back with a calendar parser; what
was announced then called off stays, cancelled; private, pending, refused never appear; the
anonymous page cache keeps the page and the feed until an animation changes."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.utils import timezone
from icalendar import Calendar

from community.places.activity import upcoming_by_cafe
from events.agenda import upcoming
from events.calendars import AGENDA_HISTORY, booking_uid, guinguette_uid
from events.models import Booking, GuinguetteVisit, Tour
from events.services import (
    accept_booking,
    add_tour_stop,
    cancel_booking,
    cancel_guinguette,
    confirm_booking,
    confirm_guinguette,
    decline_booking,
    propose_date,
    refuse_guinguette,
    request_booking,
    request_guinguette,
)
from tests.events.conftest import at, html_of, kind, summer
from tests.factories import make_commune, make_member

pytestmark = pytest.mark.django_db

FEED = "/animations/agenda.ics"
PAGE = "/animations/agenda/"


def events_of(response) -> dict[str, dict]:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    calendar = Calendar.from_ical(response.content)
    assert str(calendar["x-wr-calname"]) == "Agenda du Réseau 1000 cafés"
    return {
        str(event["uid"]): {
            "status": str(event["status"]),
            "summary": str(event["summary"]),
            "location": str(event["location"]),
            "description": str(event["description"]),
            "sequence": int(event["sequence"]),
            "start": event.decoded("dtstart"),
            "end": event.decoded("dtend"),
        }
        for event in calendar.walk("VEVENT")
    }


@pytest.fixture
def network(manager_user, staff_user, cafe, provider, vehicles):
    """One record in each state the agenda must sort out, named for what it is."""
    chess = kind("chess-workshop")
    tour = Tour.objects.create(
        name="Tournée des Villages — été",
        slug="tournee-ete",
        kind=kind("tournee-des-villages"),
        season_start=timezone.localdate(),
        season_end=timezone.localdate() + timedelta(days=120),
    )
    tour.kind.providers.add(provider)

    def booking(days: int, *, public: bool = True) -> Booking:
        return request_booking(
            by=manager_user, cafe=cafe, kind=chess, preferred_dates=[at(days)], is_public=public
        )

    def confirmed(days: int, *, public: bool = True) -> Booking:
        made = booking(days, public=public)
        return confirm_booking(made, by=staff_user, starts_at=at(days), provider=provider)

    records = {
        "public": confirmed(10),
        "private": confirmed(11, public=False),
        "requested": booking(12),
        "proposed": propose_date(booking(13), by=staff_user, starts_at=at(14), provider=provider),
        "declined": decline_booking(booking(15), by=staff_user, note="Pas de prestataire"),
        "withdrawn": cancel_booking(booking(16), by=manager_user),
        "called_off": cancel_booking(confirmed(17), by=staff_user),
        "stop": add_tour_stop(
            tour,
            by=staff_user,
            cafe=cafe,
            starts_at=at(18, 21),
            show="Le Grand Bleu",
            provider=provider,
        ).booking,
        "recent": confirmed(19),
        "long_ago": confirmed(21),
    }
    # Moved into the past as a booking that took place: 20 days ago is kept by the feed,
    # 120 days ago is not.
    for name, days in (("recent", -20), ("long_ago", -120)):
        Booking.objects.filter(pk=records[name].pk).update(
            starts_at=at(days), ends_at=at(days) + chess.duration, state="held"
        )
        records[name].refresh_from_db()

    grand_est, picarde = vehicles
    elected = make_member(commune=make_commune(name="Mussy-sur-Seine", department_code="10"))

    def evening(day: int, place: str) -> GuinguetteVisit:
        return request_guinguette(
            by=elected, commune=elected.commune, day=summer(day=day), place=place
        )

    records |= {
        "evening": confirm_guinguette(
            evening(6, "Pré du lavoir"), by=staff_user, vehicle=grand_est
        ),
        "unlisted_evening": confirm_guinguette(
            evening(7, "Cour de la mairie"), by=staff_user, vehicle=picarde
        ),
        "asked_evening": evening(8, "Place de l'église"),
        "refused_evening": refuse_guinguette(
            evening(9, "Salle des fêtes"), by=staff_user, note="Les véhicules sont pris"
        ),
        "withdrawn_evening": cancel_guinguette(evening(10, "Stade"), by=elected),
        "called_off_evening": cancel_guinguette(
            confirm_guinguette(evening(11, "Halle"), by=staff_user, vehicle=grand_est), by=elected
        ),
    }
    GuinguetteVisit.objects.filter(pk=records["unlisted_evening"].pk).update(is_public=False)
    return records


def uid(record) -> str:
    return booking_uid(record) if isinstance(record, Booking) else guinguette_uid(record)


def test_the_feed_holds_what_the_agenda_announces_and_what_was_called_off(client, network):
    events = events_of(client.get(FEED))

    expected = {
        "public": "CONFIRMED",
        "stop": "CONFIRMED",
        "recent": "CONFIRMED",
        "evening": "CONFIRMED",
        "called_off": "CANCELLED",
        "called_off_evening": "CANCELLED",
    }
    assert {uid: event["status"] for uid, event in events.items()} == {
        uid(network[name]): status for name, status in expected.items()
    }
    public = events[uid(network["public"])]
    assert public["summary"] == "Atelier d'initiation aux échecs – Le Café du Village"
    assert public["location"].endswith("Saint-Antonin (81)")
    assert "Avec Échiquier Tarnais" in public["description"]
    assert public["start"] == network["public"].starts_at
    assert public["end"] == network["public"].ends_at
    assert f"/animations/agenda/#animation-{network['public'].pk}" in public["description"]
    stop = events[uid(network["stop"])]
    assert stop["summary"] == "Le Grand Bleu – Le Café du Village"
    assert "Tournée des Villages — été" in stop["description"]
    evening = events[uid(network["evening"])]
    assert evening["summary"] == "Guinguette mobile – Mussy-sur-Seine"
    assert evening["location"] == "Pré du lavoir, Mussy-sur-Seine (10)"
    assert "Avec Guinguette mobile du Grand Est" in evening["description"]


def test_the_page_lists_the_feeds_coming_announced_entries(client, network):
    events = events_of(client.get(FEED))
    now = timezone.now()
    coming = {
        key
        for key, event in events.items()
        if event["status"] == "CONFIRMED" and event["start"] >= now
    }
    page = html_of(client.get(PAGE))
    anchors = {
        uid(record)
        for record in network.values()
        if f'id="{"animation" if isinstance(record, Booking) else "guinguette"}-{record.pk}"'
        in page
    }
    assert anchors == coming == {uid(network[n]) for n in ("public", "stop", "evening")}


def test_cafe_pages_and_the_map_announce_what_the_agenda_does(network, cafe):
    """One rule for every page that shows the agenda: a café's « animations à venir »."""
    agenda = [entry.starts_at for entry in upcoming() if entry.cafe == cafe]
    assert agenda == [network["public"].starts_at, network["stop"].starts_at]
    assert [item.starts_at for item in upcoming_by_cafe([cafe.pk])[cafe.pk]] == agenda


def test_a_date_moved_by_staff_bumps_the_sequence(
    client, network, staff_user, manager_user, provider
):
    booking = network["public"]
    assert events_of(client.get(FEED))[uid(booking)]["sequence"] == 0
    propose_date(booking, by=staff_user, starts_at=at(30), provider=provider)
    # A proposed date is not announced: the entry leaves the feed until the café accepts.
    assert uid(booking) not in events_of(client.get(FEED))
    accept_booking(booking, by=manager_user)
    assert events_of(client.get(FEED))[uid(booking)]["sequence"] == 1


@pytest.mark.parametrize("role", ["anonymous", "elected", "manager", "staff", "partner", "pending"])
def test_anyone_reads_the_same_feed_and_page(client_for, network, role):
    anonymous = events_of(client_for("anonymous").get(FEED))
    response = client_for(role).get(FEED)
    assert events_of(response).keys() == anonymous.keys()
    assert "public" in response["Cache-Control"] and "max-age=300" in response["Cache-Control"]
    page = html_of(client_for(role).get(PAGE))
    assert "<a href=\"/animations/agenda.ics\">S'abonner à l'agenda (.ics)</a>" in page
    assert (
        '<link rel="alternate" type="text/calendar" title="Agenda du Réseau 1000 cafés" '
        'href="/animations/agenda.ics">' in page
    )


def test_an_empty_agenda_is_a_valid_calendar(client):
    assert events_of(client.get(FEED)) == {}
    assert client.get("/animations/autre.ics").status_code == 404


def visit(client, url: str):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response, len(queries)


def test_the_cached_page_and_feed_are_outdated_when_an_animation_changes(
    client, network, staff_user
):
    booking = network["public"]
    for url in (FEED, PAGE):
        visit(client, url)
        assert visit(client, url)[1] == 0  # kept: the second visitor costs no query

    cancel_booking(booking, by=staff_user)

    feed, queries = visit(client, FEED)
    assert queries > 0
    assert events_of(feed)[uid(booking)]["status"] == "CANCELLED"
    page, _ = visit(client, PAGE)
    assert f'id="animation-{booking.pk}"' not in page.content.decode()


def test_the_kept_feed_expires_when_its_oldest_entry_leaves_it(client, network, monkeypatch):
    """No write happens when an entry grows too old for the feed: the clock decides, and
    the kept copy is not served past that moment, sooner than the cache's own expiry."""
    recent = network["recent"]
    now = timezone.now()
    leaves = now + timedelta(seconds=30)
    Booking.objects.filter(pk=recent.pk).update(starts_at=leaves - AGENDA_HISTORY)
    assert uid(recent) in events_of(visit(client, FEED)[0])
    assert visit(client, FEED)[1] == 0
    monkeypatch.setattr(timezone, "now", lambda: leaves + timedelta(seconds=1))
    feed, queries = visit(client, FEED)
    assert queries > 0 and uid(recent) not in events_of(feed)
