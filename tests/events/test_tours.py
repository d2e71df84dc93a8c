"""Tours: cafés apply to host a stop, staff build the stops, the public agenda lists them."""

from __future__ import annotations

from datetime import timedelta

import pytest
from django.core import mail
from django.utils import timezone

from community.accounts.models import Role
from events.models import BookingState, HostApplication, Provider, Tour
from events.services import (
    EventsError,
    add_tour_stop,
    apply_to_host_stop,
    cancel_booking,
    confirm_booking,
    reject_host_application,
    request_booking,
)
from tests.factories import make_cafe, make_member

from .conftest import at, html_of, kind

pytestmark = pytest.mark.django_db


@pytest.fixture
def tour(db) -> Tour:
    today = timezone.localdate()
    return Tour.objects.create(
        name="Tournée des Villages — été",
        slug="tournee-ete",
        kind=kind("tournee-des-villages"),
        season_start=today,
        season_end=today + timedelta(days=120),
    )


@pytest.fixture
def company(tour) -> Provider:
    company = Provider.objects.create(name="Compagnie du Petit Chapiteau", type="company")
    tour.kind.providers.add(company)
    return company


def test_a_manager_applies_and_staff_turn_it_into_a_stop(
    django_capture_on_commit_callbacks, tour, company, manager_user, staff_user, cafe
):
    with django_capture_on_commit_callbacks(execute=True):
        application = apply_to_host_stop(
            tour, by=manager_user, cafe=cafe, preferred_dates="Samedis de juillet", message="Pré"
        )
        stop = add_tour_stop(
            tour,
            by=staff_user,
            cafe=cafe,
            starts_at=at(30, 21),
            show="Cinéma plein air : Le Grand Bleu",
            provider=company,
            application=application,
        )
    application.refresh_from_db()
    assert application.state == HostApplication.State.ACCEPTED
    booking = stop.booking
    assert (booking.state, booking.kind.slug, booking.is_public) == (
        BookingState.CONFIRMED,
        "tournee-des-villages",
        True,
    )
    assert booking.history.get().action == "plan"
    application_mail, planned_mail = mail.outbox
    assert staff_user.email in application_mail.to and "Samedis de juillet" in application_mail.body
    assert manager_user.email in planned_mail.to and company.account is None


def test_application_rules(tour, manager_user, cafe, elected_user):
    apply_to_host_stop(tour, by=manager_user, cafe=cafe, preferred_dates="août")
    with pytest.raises(EventsError, match="déjà proposé"):
        apply_to_host_stop(tour, by=manager_user, cafe=cafe, preferred_dates="août")
    with pytest.raises(EventsError, match="gérant·e du café"):
        apply_to_host_stop(tour, by=elected_user, cafe=cafe, preferred_dates="août")
    other = make_cafe(name="Le Relais")
    other_manager = make_member(Role.MANAGER, cafe=other)
    with pytest.raises(EventsError, match="Indiquez les dates"):
        apply_to_host_stop(tour, by=other_manager, cafe=other, preferred_dates=" ")
    Tour.objects.filter(pk=tour.pk).update(applications_open=False)
    with pytest.raises(EventsError, match="closes"):
        apply_to_host_stop(tour, by=other_manager, cafe=other, preferred_dates="août")
    assert HostApplication.objects.count() == 1


def test_stop_rules(tour, company, staff_user, manager_user, cafe):
    with pytest.raises(EventsError, match="Seule l'équipe"):
        add_tour_stop(tour, by=manager_user, cafe=cafe, starts_at=at(10), show="x", provider=None)
    with pytest.raises(EventsError, match="pendant la saison"):
        add_tour_stop(tour, by=staff_user, cafe=cafe, starts_at=at(200), show="x", provider=None)
    add_tour_stop(
        tour, by=staff_user, cafe=cafe, starts_at=at(10), show="Concert", provider=company
    )
    other = make_cafe(name="Le Relais")
    with pytest.raises(EventsError, match="déjà engagé·e ailleurs"):
        add_tour_stop(
            tour, by=staff_user, cafe=other, starts_at=at(10, 19), show="x", provider=company
        )
    assert tour.stops.count() == 1


def test_rejecting_an_application_once(tour, manager_user, staff_user, cafe):
    application = apply_to_host_stop(tour, by=manager_user, cafe=cafe, preferred_dates="juillet")
    reject_host_application(application, by=staff_user)
    with pytest.raises(EventsError, match="déjà été traitée"):
        reject_host_application(application, by=staff_user)


def test_agenda_lists_upcoming_public_animations_only(
    client, tour, company, staff_user, manager_user, cafe, provider
):
    add_tour_stop(
        tour, by=staff_user, cafe=cafe, starts_at=at(15, 21), show="Le Grand Bleu", provider=company
    )
    chess = kind("chess-workshop")
    public = request_booking(
        by=manager_user, cafe=cafe, kind=chess, preferred_dates=[at(20)], is_public=True
    )
    confirm_booking(public, by=staff_user, starts_at=at(20), provider=provider)
    private = request_booking(by=manager_user, cafe=cafe, kind=chess, preferred_dates=[at(25)])
    confirm_booking(private, by=staff_user, starts_at=at(25), provider=provider)
    cancelled = request_booking(
        by=manager_user, cafe=cafe, kind=chess, preferred_dates=[at(29)], is_public=True
    )
    confirm_booking(cancelled, by=staff_user, starts_at=at(29), provider=provider)
    cancel_booking(cancelled, by=staff_user)

    html = html_of(client.get("/animations/agenda/"))
    assert "Le Grand Bleu" in html and "Tournée des Villages — été" in html
    assert html.count("Atelier d'initiation aux échecs") == 1
    tour_page = html_of(client.get("/animations/tournees/tournee-ete/"))
    assert "Le Grand Bleu" in tour_page and "Le Café du Village" in tour_page


def test_tour_page_offers_the_right_forms(client_for, tour, company):
    assert "Proposer mon café" in html_of(
        client_for("manager").get("/animations/tournees/tournee-ete/")
    )
    staff_page = html_of(client_for("staff").get("/animations/tournees/tournee-ete/"))
    assert "Ajouter l'étape" in staff_page and "Proposer mon café" not in staff_page
    public = html_of(client_for("anonymous").get("/animations/tournees/tournee-ete/"))
    assert "Ajouter l'étape" not in public and "Proposer mon café" not in public


def test_staff_add_a_stop_through_the_page(client_for, tour, company, cafe):
    response = client_for("staff").post(
        "/animations/tournees/tournee-ete/etapes/",
        {
            "cafe": cafe.pk,
            "starts_at": at(12, 21).strftime("%Y-%m-%dT%H:%M"),
            "show": "Théâtre : Les Fourberies",
            "provider": company.pk,
        },
    )
    assert response.status_code == 302
    assert tour.stops.get().booking.starts_at == at(12, 21)
    bad = client_for("staff").post(
        "/animations/tournees/tournee-ete/etapes/",
        {"cafe": cafe.pk, "starts_at": "pas une date", "show": "x"},
    )
    assert bad.status_code == 400 and "Saisissez une date et une heure valides" in html_of(bad)
    assert tour.stops.count() == 1
