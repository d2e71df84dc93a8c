"""The events demo data: seeded by seed_demo, idempotent, every state represented."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command

from events.models import (
    Booking,
    BookingEvent,
    BookingState,
    Fund,
    HostApplication,
    KindPhoto,
    Provider,
    Reimbursement,
    Tour,
    TourStop,
)

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("media_roots")]
MODELS = [
    Provider,
    Fund,
    Tour,
    TourStop,
    Booking,
    BookingEvent,
    Reimbursement,
    KindPhoto,
    HostApplication,
]


def counts() -> dict[str, int]:
    return {model.__name__: model.objects.count() for model in MODELS}


def test_seed_demo_fills_the_events_app_once():
    out = StringIO()
    call_command("seed_demo", stdout=out)
    first = counts()
    call_command("seed_demo", stdout=StringIO())
    assert counts() == first
    assert "réservations d'animation" in out.getvalue()
    assert set(Booking.objects.values_list("state", flat=True)) == set(BookingState.values)
    assert Provider.objects.get(account__email="partenaire@example.org").name == (
        "Compagnie du Petit Chapiteau"
    )
    assert Fund.objects.filter(name="Fonds Bien vieillir", budget=25000).count() == 2
    # Last summer's three Tournées des Villages stopped in 11 cafés (the 2025 report).
    assert TourStop.objects.filter(booking__state=BookingState.HELD).count() == 11
    assert Booking.objects.filter(cafe__managers__email="gerant@example.org").exists()
    assert Booking.objects.filter(cafe__managers__email="gerante@example.org").exists()
    for booking in Booking.objects.all():
        assert booking.history.last().to_state == booking.state


def test_demo_pages_render(client):
    call_command("seed_demo", stdout=StringIO())

    for email in ("gerant@example.org", "equipe@example.org", "partenaire@example.org"):
        assert client.login(email=email, password="cafe-demo-2025")
        for url in ("/animations/reservations/", "/animations/calendrier/", "/animations/agenda/"):
            assert client.get(url).status_code == 200, (email, url)
        client.logout()
