"""Fixtures of the events tests: catalogue kinds, a provider linked to the partner, dates."""

from __future__ import annotations

import html
from datetime import date, datetime, timedelta
from decimal import Decimal
from importlib import import_module

import pytest
from django.apps import apps
from django.utils import timezone

from events.models import (
    AnimationKind,
    Booking,
    Fund,
    Funder,
    GuinguetteVehicle,
    Provider,
    Reimbursement,
)
from events.services import (
    claim_reimbursement,
    confirm_booking,
    report_booking,
    request_booking,
)

from .files import invoice_pdf

_seed_migration = import_module("events.migrations.0002_seed_animation_kinds")

# The kinds the migrations seed, in the catalogue's order.
CATALOGUE = [
    "chess-workshop",
    "first-aid-training",
    "concert-de-poche",
    "tournee-des-villages",
    "raconte-moi-ton-village",
    "nutrition-workshop",
    "physical-activity",
    "shared-meal",
    "guinguette-mobile",
]


def kind(slug: str) -> AnimationKind:
    """A seeded kind; transactional tests flush the table, so seed it again when needed."""
    if not AnimationKind.objects.filter(slug=slug).exists():
        _seed_migration.seed_kinds(apps, None)
    return AnimationKind.objects.get(slug=slug)


def funder(name: str, type: str = Funder.Type.INSURER) -> Funder:
    return Funder.objects.get_or_create(name=name, defaults={"type": type})[0]


def summer(month: int = 6, day: int = 15) -> date:
    """A day of next year's Guinguette season: always ahead, always within May–September."""
    return date(timezone.localdate().year + 1, month, day)


def make_fund(
    name: str, funder: Funder, budget: str, *kinds: AnimationKind, year: int | None = None, **fields
) -> Fund:
    """A fund of this year (or `year`) for the animations of `kinds`."""
    fund = Fund.objects.create(
        name=name,
        funder=funder,
        year=year or timezone.localdate().year,
        budget=Decimal(budget),
        **fields,
    )
    fund.eligible_kinds.add(*kinds)
    return fund


def claim(held, manager, fund, amount="250.00", invoice=None) -> Reimbursement:
    """The manager asks `fund` for `amount` for the held animation, with a PDF invoice."""
    return claim_reimbursement(
        held, by=manager, fund=fund, amount=Decimal(amount), invoice=invoice or invoice_pdf()
    )


def grand_est_vehicle() -> GuinguetteVehicle:
    """A vehicle the migration creates (again after a transactional test's flush)."""
    return GuinguetteVehicle.objects.get_or_create(
        name="Guinguette mobile du Grand Est", defaults={"territory": "Grand Est"}
    )[0]


def html_of(response) -> str:
    """The page with entities decoded, so assertions read like the French text."""
    return html.unescape(response.content.decode())


def at(days: int, hour: int = 18) -> datetime:
    """A whole hour `days` from today, in Paris time."""
    day = timezone.localdate() + timedelta(days=days)
    return timezone.make_aware(datetime(day.year, day.month, day.day, hour))


@pytest.fixture
def chess(db) -> AnimationKind:
    return kind("chess-workshop")


@pytest.fixture
def provider(partner_user, chess) -> Provider:
    provider = Provider.objects.create(
        name="Échiquier Tarnais", type=Provider.Type.ASSOCIATION, account=partner_user
    )
    chess.providers.add(provider)
    return provider


@pytest.fixture
def requested(manager_user, cafe, chess) -> Booking:
    return request_booking(
        by=manager_user, cafe=cafe, kind=chess, preferred_dates=[at(20), at(27)], notes="Salle"
    )


@pytest.fixture
def confirmed(requested, staff_user, provider) -> Booking:
    return confirm_booking(requested, by=staff_user, starts_at=at(20), provider=provider)


@pytest.fixture
def held(confirmed, manager_user) -> Booking:
    """A confirmed booking moved into the past, then reported with 12 participants."""
    Booking.objects.filter(pk=confirmed.pk).update(
        starts_at=at(-3), ends_at=at(-3) + confirmed.kind.duration
    )
    confirmed.refresh_from_db()
    return report_booking(confirmed, by=manager_user, participants=12)


@pytest.fixture
def fund(chess) -> Fund:
    return make_fund(
        "Fonds Bien vieillir",
        funder("Mutuelle partenaire"),
        "1000.00",
        chess,
        cap_per_cafe=Decimal("600.00"),
    )


@pytest.fixture
def vehicles() -> tuple[GuinguetteVehicle, GuinguetteVehicle]:
    """The two vehicles the migration creates (again after a transactional test's flush)."""
    picarde, _ = GuinguetteVehicle.objects.get_or_create(
        name="Guinguette Mobile Picarde", defaults={"territory": "Aisne"}
    )
    return grand_est_vehicle(), picarde
