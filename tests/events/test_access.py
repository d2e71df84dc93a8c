"""Every events URL × every role: what each one gets."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

import pytest

from community.accounts.models import Role
from community.calendars.models import CalendarFeed
from community.calendars.services import feed_for
from events.calendars import CAFE, PROVIDER
from events.models import Booking, Fund, Reimbursement, Tour
from events.services import request_booking
from tests.factories import make_cafe, make_member
from tests.matrix import LOGIN, MEMBERSHIP, cases, check, everyone

from .conftest import at, funder, kind
from .files import invoice_pdf

pytestmark = pytest.mark.django_db


def approved(**roles) -> dict:
    """Anonymous to log in, pending and refused to their status; approved roles as given."""
    return {"anonymous": LOGIN, "pending": MEMBERSHIP, "refused": MEMBERSHIP, **roles}


BOOKING_USERS = approved(elected=403, manager=200, partner=200, staff=200)

PAGES = {
    "/animations/": everyone(200),
    "/animations/chess-workshop/": everyone(200),
    "/animations/agenda/": everyone(200),
    # The public agenda as a calendar: no login, no secret.
    "/animations/agenda.ics": everyone(200),
    "/animations/tournees/": everyone(200),
    "/animations/tournees/{tour}/": everyone(200),
    "/animations/reservations/": BOOKING_USERS,
    "/animations/reservations/?state=held&department=81&date_from=2026-01-01": BOOKING_USERS,
    "/animations/reservations/nouvelle/": approved(
        elected=403, manager=200, partner=403, staff=403
    ),
    # The manager's café, with the partner's provider.
    "/animations/reservations/{booking}/": BOOKING_USERS,
    # Another café, no provider: only staff see it.
    "/animations/reservations/{other}/": approved(elected=403, manager=404, partner=404, staff=200),
    # A partner sees its funders' funds (none for this one: the page says so).
    "/animations/fonds/": approved(elected=403, manager=200, partner=200, staff=200),
    "/animations/fonds/export.csv": approved(elected=403, manager=403, partner=403, staff=200),
    "/animations/fonds/remboursements/{claim}/facture/": approved(
        elected=403, manager=200, partner=403, staff=200
    ),
    "/animations/fonds/remboursements/{other_claim}/facture/": approved(
        elected=403, manager=403, partner=403, staff=200
    ),
    "/animations/calendrier/": BOOKING_USERS,
    # The secret address is the credential: calendar apps do not log in.
    "/animations/calendrier/{cafe_feed}.ics": everyone(200),
    "/animations/calendrier/{provider_feed}.ics": everyone(200),
    "/animations/calendrier/pas-le-bon-jeton.ics": everyone(404),
    "/calendrier/{cafe_feed}.ics": everyone(200),
    "/calendrier/pas-le-bon-jeton.ics": everyone(404),
}

ACTIONS = {
    # Staff-only steps: others are refused by the service (400, the page and its message).
    "/animations/reservations/{booking}/confirmer/": approved(
        elected=403, manager=400, partner=400, staff=400
    ),
    "/animations/reservations/{booking}/annuler/": approved(
        elected=403, manager=302, partner=400, staff=302
    ),
    "/animations/reservations/{other}/annuler/": approved(
        elected=403, manager=404, partner=404, staff=302
    ),
    "/animations/reservations/{booking}/inconnue/": approved(
        elected=403, manager=404, partner=404, staff=404
    ),
    "/animations/reservations/{booking}/remboursement/": approved(
        elected=403, manager=400, partner=400, staff=400
    ),
    "/animations/fonds/remboursements/{claim}/refuser/": approved(
        elected=403, manager=403, partner=403, staff=302
    ),
    "/animations/tournees/{tour}/candidater/": approved(
        elected=403, manager=400, partner=403, staff=403
    ),
    "/animations/tournees/{tour}/etapes/": approved(
        elected=403, manager=403, partner=403, staff=400
    ),
    "/animations/calendrier/{cafe_feed}/renouveler/": approved(
        elected=403, manager=302, partner=403, staff=302
    ),
    "/animations/calendrier/{provider_feed}/renouveler/": approved(
        elected=403, manager=403, partner=302, staff=302
    ),
}


@dataclass
class World:
    booking: int
    other: int
    claim: int
    other_claim: int
    tour: str
    cafe_feed: str
    provider_feed: str


@pytest.fixture
def world(manager_user, cafe, provider, media_roots) -> World:
    chess = kind("chess-workshop")
    booking = request_booking(by=manager_user, cafe=cafe, kind=chess, preferred_dates=[at(20)])
    Booking.objects.filter(pk=booking.pk).update(provider=provider)
    other_cafe = make_cafe(name="Le Bistrot d'en face")
    other_manager = make_member(Role.MANAGER, cafe=other_cafe)
    other = request_booking(by=other_manager, cafe=other_cafe, kind=chess, preferred_dates=[at(9)])
    claims = [
        Reimbursement.objects.create(
            booking=b,
            fund=_fund(),
            requested_amount=100,
            invoice=invoice_pdf(),
        )
        for b in (booking, other)
    ]
    tour = Tour.objects.create(
        name="Tournée des Villages — été 2026",
        slug="ete-2026",
        kind=kind("tournee-des-villages"),
        season_start=date(2026, 6, 1),
        season_end=date(2026, 9, 30),
    )
    return World(
        booking=booking.pk,
        other=other.pk,
        claim=claims[0].pk,
        other_claim=claims[1].pk,
        tour=tour.slug,
        cafe_feed=feed_for(CAFE, cafe).token,
        provider_feed=feed_for(PROVIDER, provider).token,
    )


def _fund() -> Fund:
    fund, _ = Fund.objects.get_or_create(
        name="Fonds Bien vieillir",
        year=2026,
        defaults={"funder": funder("Mutuelle"), "budget": 1000},
    )
    return fund


@pytest.mark.parametrize("url, role, expected", cases(PAGES))
def test_pages(world, client_for, url, role, expected):
    check(client_for(role), url.format(**vars(world)), expected)


@pytest.mark.parametrize("url, role, expected", cases(ACTIONS))
def test_actions(world, client_for, url, role, expected):
    check(client_for(role), url.format(**vars(world)), expected, method="post")


@pytest.mark.parametrize("url", [u for u in ACTIONS if "{booking}/" in u])
def test_actions_refuse_get(world, client_for, url):
    assert client_for("staff").get(url.format(**vars(world))).status_code == 405


def test_rotating_a_feed_revokes_the_old_address(world, client_for):
    old = f"/animations/calendrier/{world.cafe_feed}.ics"
    client_for("manager").post(f"/animations/calendrier/{world.cafe_feed}/renouveler/")
    assert client_for("anonymous").get(old).status_code == 404
    new = CalendarFeed.objects.get(source=CAFE).token
    assert client_for("anonymous").get(f"/animations/calendrier/{new}.ics").status_code == 200
