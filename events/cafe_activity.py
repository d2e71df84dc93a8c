"""The café pages and the network map learn about coming animations through places'
registry (community.places.activity), registered in EventsConfig.ready."""

from __future__ import annotations

from collections.abc import Collection

from django.urls import reverse
from django.utils import timezone

from community.places.activity import Upcoming
from community.places.models import Cafe

from .agenda import announced_bookings, announced_evenings
from .models import GUINGUETTE_KIND, GUINGUETTE_TITLE


def next_public_animations(cafe_ids: Collection[int] | None) -> dict[int, list[Upcoming]]:
    """The café's coming animations the public agenda announces."""
    bookings = announced_bookings(timezone.now()).select_related("kind")
    if cafe_ids is not None:
        bookings = bookings.filter(cafe_id__in=cafe_ids)
    result: dict[int, list[Upcoming]] = {}
    for booking in bookings.order_by("starts_at", "pk"):
        result.setdefault(booking.cafe_id, []).append(
            Upcoming(
                title=booking.kind.name,
                starts_at=booking.starts_at,
                url=booking.kind.get_absolute_url(),
            )
        )
    return result


def next_guinguette_evenings(cafe_ids: Collection[int] | None) -> dict[int, list[Upcoming]]:
    """The Guinguette mobile's confirmed public evenings in the cafés' communes: it comes to
    villages rather than cafés, and where a village has a café its page and marker say so
    (Guinguette bookings were made by cafés before visits were the communes')."""
    visits = list(announced_evenings(timezone.now()).order_by("date", "start_time"))
    cafes = Cafe.objects.filter(commune_id__in={visit.commune_id for visit in visits})
    if cafe_ids is not None:
        cafes = cafes.filter(pk__in=cafe_ids)
    by_commune: dict[int, list[int]] = {}
    for cafe_id, commune_id in cafes.values_list("pk", "commune_id"):
        by_commune.setdefault(commune_id, []).append(cafe_id)
    result: dict[int, list[Upcoming]] = {}
    for visit in visits:
        for cafe_id in by_commune.get(visit.commune_id, []):
            result.setdefault(cafe_id, []).append(
                Upcoming(
                    title=str(GUINGUETTE_TITLE),
                    starts_at=visit.starts_at,
                    url=reverse("events:kind", args=[GUINGUETTE_KIND]),
                )
            )
    return result
