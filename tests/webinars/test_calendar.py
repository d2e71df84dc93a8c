"""Calendar files: one webinar's .ics and the member's private feed, read back with the
icalendar library as calendar apps would."""

from __future__ import annotations

from datetime import datetime, timedelta
from html import unescape

import pytest
from django.test import Client
from icalendar import Calendar

from community.accounts.audience import Audience
from community.accounts.models import MembershipStatus, Role
from community.accounts.roles import sync_role_groups
from community.calendars.models import CalendarFeed
from tests.factories import make_member
from webinars.calendars import MEMBER
from webinars.models import WebinarPage
from webinars.services import cancel_registration, register_for_webinar

from .conftest import START

pytestmark = pytest.mark.django_db


def parse(response) -> Calendar:
    assert response.status_code == 200
    assert response["Content-Type"] == "text/calendar; charset=utf-8"
    return Calendar.from_ical(response.content)


def events(calendar: Calendar) -> list:
    return calendar.walk("VEVENT")


def only_event(client, webinar: WebinarPage):
    (event,) = events(parse(client.get(webinar.url + "calendrier/")))
    return event


def test_webinar_ics_is_a_complete_calendar(client, make_webinar):
    webinar = make_webinar(
        "aides", title="Financer la réouverture", start=START, audience=Audience.PUBLIC
    )
    response = client.get(webinar.url + "calendrier/")
    assert response["Content-Disposition"] == 'attachment; filename="webinaire-aides.ics"'
    calendar = parse(response)
    assert calendar["VERSION"] == "2.0"
    assert calendar["PRODID"] == "-//Réseau 1000 cafés//Webinaires//FR"
    assert calendar["METHOD"] == "PUBLISH"

    (timezone,) = calendar.walk("VTIMEZONE")
    assert timezone["TZID"] == "Europe/Paris"
    # The hand-written VTIMEZONE gives the right offsets in winter and summer, any year.
    tz = timezone.to_tz()
    assert tz.utcoffset(datetime(2031, 1, 15, 12)) == timedelta(hours=1)
    assert tz.utcoffset(datetime(2045, 7, 15, 12)) == timedelta(hours=2)

    (event,) = events(calendar)
    assert str(event["UID"]) == f"webinar-{webinar.pk}@localhost"
    assert event["DTSTART"].params["TZID"] == "Europe/Paris"
    assert event["DTEND"].params["TZID"] == "Europe/Paris"
    assert event.decoded("DTSTART") == START
    assert event.decoded("DTSTART").utcoffset() == timedelta(hours=1)
    assert event.decoded("DTEND") == START + timedelta(minutes=90)
    assert "DTSTAMP" in event
    assert event["SUMMARY"] == "Webinaire 1000 cafés : Financer la réouverture"
    assert "Camille Roux, équipe 1000 cafés" in event["DESCRIPTION"]
    assert "Les aides pour rouvrir le café." in event["DESCRIPTION"]
    assert "<b>" not in event["DESCRIPTION"]
    assert event["URL"] == "http://localhost/webinaires/aides/"
    assert event["SEQUENCE"] == 0
    # The room stays on the page, where its opening time is enforced.
    assert "visio.example.org" not in response.content.decode()


def test_uid_is_stable_and_sequence_grows_when_time_or_title_change(client, make_webinar):
    webinar = make_webinar(start=START, audience=Audience.PUBLIC)
    first = only_event(client, webinar)

    webinar.start = START + timedelta(hours=1)
    webinar.end = START + timedelta(hours=2)
    webinar.save_revision().publish()
    moved = only_event(client, webinar)
    assert moved["UID"] == first["UID"]
    assert moved["SEQUENCE"] == 1
    assert moved.decoded("DTSTART") == START + timedelta(hours=1)

    webinar.title = "Nouveau titre"
    webinar.save_revision().publish()
    assert only_event(client, webinar)["SEQUENCE"] == 2

    # What calendars do not show changes no sequence.
    webinar.description = "<p>Programme précisé.</p>"
    webinar.capacity = 80
    webinar.save_revision().publish()
    assert only_event(client, webinar)["SEQUENCE"] == 2
    assert only_event(client, webinar)["UID"] == first["UID"]


def test_reverting_to_an_old_revision_never_lowers_the_sequence(client, make_webinar):
    webinar = make_webinar(start=START, audience=Audience.PUBLIC)
    original = webinar.get_latest_revision()
    webinar.start = START + timedelta(days=1)
    webinar.end = START + timedelta(days=1, hours=1)
    webinar.save_revision().publish()
    original.publish()  # back to the first date: a change for calendars, again
    event = only_event(client, WebinarPage.objects.get(pk=webinar.pk))
    assert event.decoded("DTSTART") == START
    assert event["SEQUENCE"] == 2


def test_drafts_do_not_change_the_sequence(client, make_webinar):
    webinar = make_webinar(start=START, audience=Audience.PUBLIC)
    webinar.start = START + timedelta(days=1)
    webinar.end = START + timedelta(days=1, hours=1)
    webinar.save_revision()  # not published
    event = only_event(client, WebinarPage.objects.get(pk=webinar.pk))
    assert event.decoded("DTSTART") == START
    assert event["SEQUENCE"] == 0


# The private feed -------------------------------------------------------------------


def feed_of(member) -> CalendarFeed:
    return CalendarFeed.objects.get(source=MEMBER, owner_pk=member.pk)


def feed_url(member) -> str:
    return f"/calendrier/{feed_of(member).token}.ics"


def test_feed_lists_the_confirmed_registrations_only(client, client_for, make_webinar):
    member = make_member(Role.ELECTED)
    mine = make_webinar("le-mien", title="Le mien", start=START)
    cancelled = make_webinar("annule", title="Annulé", start=START + timedelta(days=1))
    waiting = make_webinar(
        "attente", title="En attente", start=START + timedelta(days=2), capacity=1
    )
    make_webinar("autre", title="Pas le mien", start=START + timedelta(days=3))
    register_for_webinar(mine, member, now=START - timedelta(days=10))
    register_for_webinar(cancelled, member, now=START - timedelta(days=10))
    cancel_registration(cancelled, member, now=START - timedelta(days=9))
    register_for_webinar(waiting, make_member(Role.MANAGER), now=START - timedelta(days=10))
    register_for_webinar(waiting, member, now=START - timedelta(days=10))
    CalendarFeed.objects.create(source=MEMBER, owner_pk=member.pk, token="jeton-" + "x" * 30)

    calendar = parse(client.get(feed_url(member)))
    assert calendar["X-WR-CALNAME"] == "Mes webinaires 1000 cafés"
    assert [str(e["UID"]) for e in events(calendar)] == [f"webinar-{mine.pk}@localhost"]
    assert calendar.walk("VTIMEZONE")[0]["TZID"] == "Europe/Paris"


def test_member_page_shows_the_feed_and_a_new_address_revokes_the_old(client, make_webinar):
    member = make_member(Role.MANAGER)
    webinar = make_webinar(start=START)
    register_for_webinar(webinar, member, now=START - timedelta(days=3))
    client.force_login(member)

    html = client.get("/webinaires/mes-webinaires/").content.decode()
    assert "Obtenir l'adresse de mon agenda" in unescape(html)
    assert not CalendarFeed.objects.exists()  # showing the page writes nothing
    response = client.post("/webinaires/mes-webinaires/nouveau-lien/", follow=True)
    assert "Votre agenda a son adresse" in unescape(response.content.decode())
    html = client.get("/webinaires/mes-webinaires/").content.decode()
    old_url = feed_url(member)
    assert f"http://testserver{old_url}" in html
    assert f"webcal://testserver{old_url}" in html
    assert webinar.title in html

    response = client.post("/webinaires/mes-webinaires/nouveau-lien/", follow=True)
    assert "l'ancienne ne fonctionne plus" in unescape(response.content.decode())
    new_url = feed_url(member)
    assert new_url != old_url
    assert client.get(old_url).status_code == 404
    assert len(events(parse(client.get(new_url)))) == 1


def test_feed_stops_when_the_membership_ends(client, make_webinar):
    member = make_member(Role.ELECTED)
    CalendarFeed.objects.create(source=MEMBER, owner_pk=member.pk, token="jeton-" + "y" * 40)
    assert client.get(feed_url(member)).status_code == 200
    member.membership_status = MembershipStatus.REFUSED
    member.save()
    sync_role_groups(member)
    assert client.get(feed_url(member)).status_code == 404


def test_feed_tokens_are_long_and_random(client_for, elected_user, index):
    client_for("elected").post("/webinaires/mes-webinaires/nouveau-lien/")
    token = feed_of(elected_user).token
    assert len(token) >= 40
    client_for("elected").post("/webinaires/mes-webinaires/nouveau-lien/")
    assert feed_of(elected_user).token != token


def test_feed_token_creation_needs_the_csrf_token(elected_user, index):
    client = Client(enforce_csrf_checks=True)
    client.force_login(elected_user)
    assert client.post("/webinaires/mes-webinaires/nouveau-lien/").status_code == 403
    assert not CalendarFeed.objects.exists()
