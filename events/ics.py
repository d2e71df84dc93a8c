"""iCalendar feeds (RFC 5545) of a café's or a provider's animations."""

from __future__ import annotations

from collections.abc import Iterable
from datetime import UTC, datetime

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event

from .models import Booking, BookingState

PRODID = "-//Réseau 1000 cafés//Animations//FR"
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


def _event(booking: Booking, stamp: datetime) -> Event:
    cafe = booking.cafe
    event = Event()
    event.add("uid", booking_uid(booking))
    event.add("dtstamp", stamp)
    event.add("sequence", booking.calendar_sequence)
    event.add("dtstart", timezone.localtime(booking.starts_at))
    event.add("dtend", timezone.localtime(booking.ends_at))
    title = booking.tour_stop.show if hasattr(booking, "tour_stop") else booking.kind.name
    event.add("summary", f"{title} – {cafe.name}")
    event.add("location", ", ".join(p for p in (cafe.address, cafe.commune.name) if p))
    lines = [booking.kind.name]
    if booking.provider:
        lines.append(f"Avec {booking.provider.name}")
    lines.append(f"{settings.WAGTAILADMIN_BASE_URL}{booking.get_absolute_url()}")
    event.add("description", "\n".join(lines))
    event.add("status", STATUS[booking.state])
    return event


def feed_bookings(bookings) -> Iterable[Booking]:
    return (
        bookings.filter(state__in=FEED_STATES, starts_at__isnull=False)
        .select_related("cafe__commune", "kind", "provider", "tour_stop")
        .order_by("starts_at", "pk")
    )


def build_calendar(bookings: Iterable[Booking], name: str) -> bytes:
    calendar = Calendar()
    calendar.add("prodid", PRODID)
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", name)
    calendar.add("x-wr-timezone", settings.TIME_ZONE)
    stamp = datetime.now(UTC)
    for booking in bookings:
        calendar.add_component(_event(booking, stamp))
    # A VTIMEZONE for every TZID used, so DTSTART;TZID=Europe/Paris is self-contained.
    calendar.add_missing_timezones()
    return calendar.to_ical()
