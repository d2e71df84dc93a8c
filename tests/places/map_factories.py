"""Public cafés for the map and café page tests."""

from __future__ import annotations

from datetime import timedelta
from decimal import Decimal

from django.utils import timezone

from community.places.models import Cafe, ProximityService, Region, Stage
from events.models import AnimationKind, Booking, BookingState
from tests.factories import make_cafe, make_commune


def service(name: str, slug: str) -> ProximityService:
    return ProximityService.objects.get_or_create(slug=slug, defaults={"name": name})[0]


def open_cafe(
    name: str,
    commune_name: str = "Cadalen",
    department_code: str = "81",
    *,
    at: tuple[str, str] | None = ("43.8479", "1.9862"),
    stage: str = Stage.OPERATION,
    services: tuple[ProximityService, ...] = (),
    **fields,
) -> Cafe:
    commune = make_commune(commune_name, department_code=department_code)
    cafe = make_cafe(
        name,
        commune=commune,
        stage=stage,
        latitude=Decimal(at[0]) if at else None,
        longitude=Decimal(at[1]) if at else None,
        **fields,
    )
    cafe.services.set(services)
    return cafe


def in_region(department_code: str, region_code: str, region_name: str) -> None:
    """Move a department (made by make_commune in Occitanie) to another region."""
    from community.places.models import Department

    region, _ = Region.objects.get_or_create(code=region_code, defaults={"name": region_name})
    Department.objects.filter(code=department_code).update(region=region)


def public_animation(cafe: Cafe, days: int = 10, *, public: bool = True) -> Booking:
    kind = AnimationKind.objects.get(slug="chess-workshop")
    starts_at = timezone.now() + timedelta(days=days)
    return Booking.objects.create(
        cafe=cafe,
        kind=kind,
        state=BookingState.CONFIRMED,
        preferred_1=starts_at,
        starts_at=starts_at,
        ends_at=starts_at + kind.duration,
        is_public=public,
    )
