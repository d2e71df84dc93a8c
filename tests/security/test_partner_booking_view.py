"""Issue 11, finding 7: a partner sees their intervention, not the café's side of a booking.

Every place a partner meets a booking (its page, the list of engagements, the provider's
calendar feed, the e-mails of a step) × who looks: the booking's partner, another booking's
partner, the café's manager, another café's manager, staff. The café's note, the messages
exchanged between the café and staff and the reimbursed amounts are for the café and staff.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

import pytest
from django.core import mail
from django.test import Client

from community.accounts.models import Role, User
from community.calendars.services import feed_for
from events.calendars import PROVIDER
from events.models import Booking, Fund, Provider, Reimbursement
from events.services import (
    confirm_booking,
    report_booking,
    request_booking,
)
from tests.events.conftest import at, funder, html_of, kind
from tests.factories import make_cafe, make_member

pytestmark = pytest.mark.django_db

CAFE_NOTE = "Code du portail : 4521, clé chez la voisine"
STAFF_MESSAGE = "Le devis validé par la mairie est de 180 euros"
REPORT_MESSAGE = "Salle trop petite, à revoir avec le maire"
AMOUNTS = ("137,50", "120,00")
CAFE_SIDE = (CAFE_NOTE, STAFF_MESSAGE, REPORT_MESSAGE, *AMOUNTS, "Dates souhaitées")
# What the partner needs to deliver, as everyone who sees the booking does.
INTERVENTION = ("Atelier d'initiation aux échecs", "3 place de l'Église", "14 personnes")


@dataclass
class World:
    booking: Booking
    users: dict[str, User]

    def client(self, who: str) -> Client:
        client = Client()
        client.force_login(self.users[who])
        return client


def _partner(name: str) -> tuple[User, Provider]:
    user = make_member(Role.PARTNER, display_name=f"Compte {name}")
    provider = Provider.objects.create(name=name, type=Provider.Type.ASSOCIATION, account=user)
    kind("chess-workshop").providers.add(provider)
    return user, provider


def _booking(manager: User, cafe, provider: Provider, staff: User, **request) -> Booking:
    booking = request_booking(
        by=manager, cafe=cafe, kind=kind("chess-workshop"), preferred_dates=[at(20)], **request
    )
    return confirm_booking(
        booking, by=staff, starts_at=at(20), provider=provider, note=STAFF_MESSAGE
    )


@pytest.fixture
def world(cafe, manager_user, staff_user) -> World:
    cafe.address = "3 place de l'Église"
    cafe.save()
    partner, provider = _partner("Échiquier Tarnais")
    other_partner, other_provider = _partner("Cavaliers du Causse")
    other_cafe = make_cafe(name="Le Bistrot d'en face")
    other_manager = make_member(Role.MANAGER, cafe=other_cafe)
    _booking(other_manager, other_cafe, other_provider, staff_user)

    booking = _booking(
        manager_user, cafe, provider, staff_user, notes=CAFE_NOTE, expected_audience=14
    )
    Booking.objects.filter(pk=booking.pk).update(starts_at=at(-3), ends_at=at(-3, 20))
    booking.refresh_from_db()
    report_booking(booking, by=manager_user, participants=12, note=REPORT_MESSAGE)
    fund = Fund.objects.create(
        name="Fonds Bien vieillir", funder=funder("Mutuelle"), year=at(-3).year, budget=1000
    )
    Reimbursement.objects.create(
        booking=booking,
        fund=fund,
        state=Reimbursement.State.APPROVED,
        requested_amount=Decimal("137.50"),
        approved_amount=Decimal("120.00"),
    )
    users = {
        "partner": partner,
        "other_partner": other_partner,
        "manager": manager_user,
        "other_manager": other_manager,
        "staff": staff_user,
    }
    return World(booking, users)


# (who, status of the booking's page, sees the café's side)
MATRIX = [
    ("partner", 200, False),
    ("other_partner", 404, False),
    ("manager", 200, True),
    ("other_manager", 404, False),
    ("staff", 200, True),
]


@pytest.mark.parametrize("who, status, cafe_side", MATRIX)
def test_booking_page(world, who, status, cafe_side):
    response = world.client(who).get(world.booking.get_absolute_url())
    assert response.status_code == status
    if status != 200:
        return
    page = html_of(response)
    for text in INTERVENTION:
        assert text in page, text
    for text in CAFE_SIDE:
        assert (text in page) is cafe_side, text


def test_the_partner_is_told_whom_to_contact_on_the_spot(world):
    page = html_of(world.client("partner").get(world.booking.get_absolute_url()))
    manager = world.users["manager"]
    assert "Contact sur place" in page
    assert manager.display_name in page and f"mailto:{manager.email}" in page


@pytest.mark.parametrize("who", ["partner", "manager", "staff"])
def test_bookings_list_shows_no_cafe_side(world, who):
    page = html_of(world.client(who).get("/animations/reservations/"))
    assert "Atelier d'initiation aux échecs" in page
    for text in CAFE_SIDE:
        assert text not in page, text


def test_provider_feed_carries_no_cafe_side(world, client):
    feed = feed_for(PROVIDER, world.booking.provider)
    body = client.get(feed.get_absolute_url()).content.decode()
    assert "3 place de l'Église" in body.replace("\\,", ",")
    for text in CAFE_SIDE:
        assert text not in body, text


def test_the_provider_is_emailed_the_date_without_the_cafes_exchange(
    django_capture_on_commit_callbacks, cafe, manager_user, staff_user
):
    partner, provider = _partner("Échiquier Tarnais")
    with django_capture_on_commit_callbacks(execute=True):
        _booking(manager_user, cafe, provider, staff_user, notes=CAFE_NOTE)
    confirmation = {to: m.body for m in mail.outbox if "confirmée" in m.subject for to in m.to}
    assert STAFF_MESSAGE in confirmation[manager_user.email]
    assert "Atelier d'initiation aux échecs" in confirmation[partner.email]
    for text in (STAFF_MESSAGE, CAFE_NOTE):
        assert text not in confirmation[partner.email]
