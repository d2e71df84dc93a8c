"""Concurrent requests with real threads: the locks hold on SQLite and on PostgreSQL."""

from __future__ import annotations

from collections.abc import Callable
from decimal import Decimal

import pytest

from community.accounts.models import Role
from events.models import Booking, BookingState, Fund, Provider, Reimbursement
from events.services import (
    EventsError,
    approve_reimbursement,
    confirm_booking,
    propose_date,
    request_booking,
)
from tests.concurrency import run_at_once
from tests.factories import make_cafe, make_member

from .conftest import at, funder, kind, make_fund
from .files import invoice_pdf

pytestmark = pytest.mark.django_db(transaction=True)


def race(*actions: Callable[[], object]) -> list[str]:
    """Run the actions at the same instant in threads; 'done' or the EventsError message."""
    outcomes = run_at_once(actions, refused=EventsError, timeout=30)
    return [str(o) if isinstance(o, EventsError) else "done" for o in outcomes]


def assert_one_won(outcomes: list[str], refusal: str) -> None:
    assert len(outcomes) == 2 and outcomes.count("done") == 1, outcomes
    [message] = [o for o in outcomes if o != "done"]
    assert refusal in message


def requests_in_two_cafes(staff_user) -> tuple[Booking, Booking, Provider]:
    chess = kind("chess-workshop")
    provider = Provider.objects.create(name="Échiquier Tarnais", type=Provider.Type.ASSOCIATION)
    chess.providers.add(provider)
    bookings = []
    for name in ("Le Café de la Place", "L'Estanquet"):
        cafe = make_cafe(name=name)
        manager = make_member(Role.MANAGER, cafe=cafe)
        bookings.append(
            request_booking(by=manager, cafe=cafe, kind=chess, preferred_dates=[at(20), at(21)])
        )
    return bookings[0], bookings[1], provider


def test_two_cafes_confirmed_at_once_never_share_the_provider(staff_user):
    first, second, provider = requests_in_two_cafes(staff_user)
    outcomes = race(
        lambda: confirm_booking(first, by=staff_user, starts_at=at(20), provider=provider),
        lambda: confirm_booking(second, by=staff_user, starts_at=at(20), provider=provider),
    )
    assert_one_won(outcomes, "déjà engagé·e ailleurs")
    assert Booking.objects.filter(state=BookingState.CONFIRMED, provider=provider).count() == 1


def test_one_cafe_given_two_providers_at_once_holds_one_animation(staff_user, manager_user, cafe):
    meal = kind("shared-meal")
    first = request_booking(by=manager_user, cafe=cafe, kind=meal, preferred_dates=[at(20)])
    second = request_booking(by=manager_user, cafe=cafe, kind=meal, preferred_dates=[at(20, 19)])
    outcomes = race(
        lambda: confirm_booking(first, by=staff_user, starts_at=at(20), provider=None),
        lambda: propose_date(second, by=staff_user, starts_at=at(20, 19), provider=None),
    )
    assert_one_won(outcomes, "a déjà une animation prévue")
    assert Booking.objects.filter(cafe=cafe, starts_at__isnull=False).count() == 1


def test_two_staff_confirming_the_same_request_confirm_it_once(staff_user):
    first, _second, provider = requests_in_two_cafes(staff_user)
    colleague = make_member(Role.STAFF)
    outcomes = race(
        lambda: confirm_booking(first, by=staff_user, starts_at=at(20), provider=provider),
        lambda: confirm_booking(first, by=colleague, starts_at=at(21), provider=provider),
    )
    assert_one_won(outcomes, "« confirmée »")
    assert first.history.filter(action="confirm").count() == 1


def held_claims(count: int, amount: str, same_cafe: bool) -> tuple[Fund, list[Reimbursement]]:
    chess = kind("chess-workshop")
    fund = make_fund(
        "Fonds Bien vieillir", funder("Mutuelle"), "1000.00", chess, cap_per_cafe="700.00"
    )
    shared = make_cafe(name="Le Café de la Place")
    claims = []
    for n in range(count):
        cafe = shared if same_cafe else make_cafe(name=f"Café {n}")
        booking = Booking.objects.create(
            cafe=cafe,
            kind=chess,
            state=BookingState.HELD,
            preferred_1=at(-10 - n),
            starts_at=at(-10 - n),
            ends_at=at(-10 - n, 20),
            participants=10,
        )
        claims.append(
            Reimbursement.objects.create(
                booking=booking,
                fund=fund,
                requested_amount=Decimal(amount),
                invoice=invoice_pdf(),
            )
        )
    return fund, claims


def test_concurrent_approvals_never_exceed_the_fund_budget(staff_user, media_roots):
    fund, claims = held_claims(3, "400.00", same_cafe=False)
    outcomes = race(
        *[
            (lambda claim=claim: approve_reimbursement(claim, by=staff_user, amount=Decimal("400")))
            for claim in claims
        ]
    )
    assert outcomes.count("done") == 2
    [refusal] = [o for o in outcomes if o != "done"]
    assert "Budget insuffisant : il reste 200,00\u00a0€" in refusal
    fund = Fund.objects.with_totals().get(pk=fund.pk)
    assert fund.approved_total() == Decimal("800.00")
    assert fund.paid == Decimal("800.00") and fund.remaining == Decimal("200.00")


def test_concurrent_approvals_never_exceed_the_cap_per_cafe(staff_user, media_roots):
    fund, claims = held_claims(2, "400.00", same_cafe=True)
    outcomes = race(
        *[
            (lambda claim=claim: approve_reimbursement(claim, by=staff_user, amount=Decimal("400")))
            for claim in claims
        ]
    )
    assert_one_won(outcomes, "Plafond atteint")
    assert fund.approved_total(cafe=claims[0].booking.cafe) == Decimal("400.00")
