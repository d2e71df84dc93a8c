"""iCalendar feeds (RFC 5545) of a café's or a provider's animations."""

from __future__ import annotations

from collections.abc import Iterable

from django.conf import settings
from icalendar import Event

from community.lib import ics

from .models import Booking, BookingState

# Proposed dates are not settled yet; cancelled ones stay so subscribed calendars drop them.
FEED_STATES = (
    BookingState.PROPOSED,
    BookingState.CONFIRMED,
    BookingState.HELD,
    BookingState.CANCELLED,
)
STATUS = {
    BookingState.PROPOSED: "TENTATIVE",
    BookingState.CONFIRMED: "CONFIRMED",
    BookingState.HELD: "CONFIRMED",
    BookingState.CANCELLED: "CANCELLED",
}


def booking_uid(booking: Booking) -> str:
    """Stable for the booking's whole life, whatever its date or state."""
    return f"animation-{booking.pk}@1000cafes"


def _event(booking: Booking) -> Event:
    cafe = booking.cafe
    title = booking.tour_stop.show if hasattr(booking, "tour_stop") else booking.kind.name
    lines = [booking.kind.name]
    if booking.provider:
        lines.append(f"Avec {booking.provider.name}")
    lines.append(f"{settings.WAGTAILADMIN_BASE_URL}{booking.get_absolute_url()}")
    return ics.event(
        uid=booking_uid(booking),
        sequence=booking.calendar_sequence,
        start=booking.starts_at,
        end=booking.ends_at,
        summary=f"{title} – {cafe.name}",
        description="\n".join(lines),
        location=", ".join(p for p in (cafe.address, cafe.commune.name) if p),
        status=STATUS[booking.state],
    )


def feed_bookings(bookings) -> Iterable[Booking]:
    return (
        bookings.filter(state__in=FEED_STATES, starts_at__isnull=False)
        .select_related("cafe__commune", "kind", "provider", "tour_stop")
        .order_by("starts_at", "pk")
    )


def build_calendar(bookings: Iterable[Booking], name: str) -> bytes:
    return ics.build_calendar(
        (_event(booking) for booking in bookings), name=name, product="Animations"
    )
