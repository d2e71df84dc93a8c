"""The café pages and the network map learn about coming animations through places'
registry (community.places.activity), registered in EventsConfig.ready."""

from __future__ import annotations

from collections.abc import Collection

from django.utils import timezone

from community.places.activity import Upcoming

from .models import Booking, BookingState


def next_public_animations(cafe_ids: Collection[int] | None) -> dict[int, list[Upcoming]]:
    """Confirmed bookings announced in the public agenda, as the agenda lists them."""
    bookings = Booking.objects.filter(
        state=BookingState.CONFIRMED, is_public=True, starts_at__gte=timezone.now()
    ).select_related("kind")
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
