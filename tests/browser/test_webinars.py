"""A mayor registers to a webinar and takes it into her calendar, in a real browser;
axe-core audits the webinar list and a webinar page."""

from __future__ import annotations

import re
from datetime import timedelta
from pathlib import Path

import pytest
from django.utils import timezone
from icalendar import Calendar

from community.accounts.audience import Audience
from community.accounts.models import Role
from tests.factories import make_commune, make_member
from webinars.models import Registration, RegistrationStatus, WebinarIndexPage, WebinarPage

from .axe import assert_accessible
from .helpers import BROWSER_TEST, log_in, path_of

pytestmark = BROWSER_TEST


@pytest.fixture
def webinars(home_site):
    index = home_site.root_page.add_child(
        instance=WebinarIndexPage(
            title="Webinaires",
            slug="webinaires",
            intro="Une heure pour se former entre pairs, en direct puis en replay.",
        )
    )
    index.save_revision().publish()
    # Whole minutes, as staff enter them (calendar files carry no fractions of seconds).
    now = timezone.now().replace(second=0, microsecond=0)
    pages = {}
    for slug, title, audience, days in [
        ("recruter", "Trouver et recruter un·e gérant·e", Audience.ELECTED, 7),
        ("animer", "Animer son café : la programmation culturelle", Audience.MANAGERS, 14),
        ("decouvrir", "Découvrir le réseau 1000 cafés", Audience.PUBLIC, 21),
        ("aides", "Financer la réouverture du café : les aides", Audience.MEMBERS, -30),
    ]:
        start = now + timedelta(days=days)
        page = index.add_child(
            instance=WebinarPage(
                title=title,
                slug=slug,
                start=start,
                end=start + timedelta(minutes=90),
                audience=audience,
                capacity=40,
                speakers="Camille Roux, équipe 1000 cafés\nJeanne Martin, maire de Cadalen",
                description="<p>Rédiger l'annonce, mener les entretiens, accueillir.</p>",
                join_link="https://visio.example.org/b/1000-cafes",
                recording_url="https://video.example.org/w/aides" if days < 0 else "",
            )
        )
        page.save_revision().publish()
        pages[slug] = page
    return pages


def test_mayor_registers_and_downloads_the_calendar_file(page, webinars):
    cadalen = make_commune("Cadalen", insee_code="81046", postal_codes="81600")
    mayor = make_member(Role.ELECTED, commune=cadalen, display_name="Jeanne Martin")
    webinar = webinars["recruter"]

    log_in(page, mayor.email, next_url=webinar.url)
    assert path_of(page) == webinar.url
    assert page.locator("h1").inner_text() == "Trouver et recruter un·e gérant·e"

    with page.expect_navigation():
        page.get_by_role("button", name=re.compile("^S'inscrire")).click()
    assert path_of(page) == webinar.url
    assert "Votre inscription est confirmée" in page.locator(".messages").inner_text()
    assert page.get_by_role("button", name="Annuler mon inscription").is_visible()
    registration = Registration.objects.get(webinar=webinar, member=mayor)
    assert registration.status == RegistrationStatus.CONFIRMED

    with page.expect_download() as download_info:
        page.get_by_role("link", name="Ajouter à mon agenda (fichier .ics)").click()
    download = download_info.value
    assert download.suggested_filename == "webinaire-recruter.ics"
    calendar = Calendar.from_ical(Path(download.path()).read_bytes())
    (event,) = calendar.walk("VEVENT")
    assert event["SUMMARY"] == "Webinaire 1000 cafés : Trouver et recruter un·e gérant·e"
    assert event["DTSTART"].params["TZID"] == "Europe/Paris"
    assert event.decoded("DTSTART") == webinar.start
    assert str(event["UID"]) == f"webinar-{webinar.pk}@localhost"

    assert_accessible(page, f"{webinar.url} (registered mayor)")


def test_webinar_list_is_accessible(page, webinars):
    response = page.goto("/webinaires/")
    assert response.status == 200
    assert page.locator("h1").inner_text() == "Webinaires"
    # An anonymous visitor sees the public webinar only.
    assert page.get_by_role("link", name="Découvrir le réseau 1000 cafés").is_visible()
    assert page.get_by_text("Trouver et recruter").count() == 0
    assert_accessible(page, "/webinaires/ (anonymous)")


def test_member_views_are_accessible(page, webinars):
    tiranges = make_commune("Tiranges", insee_code="43246", department_code="43")
    manager = make_member(Role.MANAGER, commune=tiranges, display_name="Lucas Bernard")
    log_in(page, manager.email, next_url="/webinaires/")
    assert page.get_by_role("link", name="Animer son café", exact=False).first.is_visible()
    replay = "Financer la réouverture du café : les aides"
    assert page.get_by_role("link", name=replay, exact=True).is_visible()
    assert_accessible(page, "/webinaires/ (manager)")

    page.goto(webinars["aides"].url)
    assert page.get_by_role("heading", name="Replay").is_visible()
    assert_accessible(page, "past webinar page (manager)")

    page.goto("/webinaires/mes-webinaires/")
    assert_accessible(page, "/webinaires/mes-webinaires/ (no calendar address yet)")
    page.get_by_role("button", name="Obtenir l'adresse de mon agenda").click()
    address = page.get_by_label("Adresse de mon agenda").input_value()
    assert address.startswith("http") and "/calendrier/" in address
    assert_accessible(page, "/webinaires/mes-webinaires/")
