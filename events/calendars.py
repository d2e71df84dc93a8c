"""The calendars of a café and of a provider (community.calendars, registered in
EventsConfig.ready): their animations and, in the café's commune, the Guinguette mobile's
public evenings, as calendar apps read them; and the network's public agenda, for anyone.

Proposed dates are in as tentative; cancelled animations and evenings stay, marked
cancelled, so subscribed calendars drop them.
"""

from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.urls import reverse
from icalendar import Event

from community.calendars.sources import FeedSource, PublicCalendar, register, register_public
from community.lib import ics
from community.places.models import Cafe

from .agenda import AgendaEntry, public_entries
from .models import (
    GUINGUETTE_DURATION,
    GUINGUETTE_KIND,
    GUINGUETTE_TITLE,
    Booking,
    BookingState,
    GuinguetteState,
    GuinguetteVisit,
    Provider,
)

CAFE = "cafe"
PROVIDER = "provider"
AGENDA = "agenda"
# The public feed keeps what took place these last weeks: a subscribed calendar shows only
# what its feed holds, and past evenings would vanish from it the moment they start.
AGENDA_HISTORY = timedelta(days=90)

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
# An evening is in once staff confirmed it (it then has a vehicle), and stays when cancelled.
GUINGUETTE_FEED_STATES = (
    GuinguetteState.CONFIRMED,
    GuinguetteState.HELD,
    GuinguetteState.CANCELLED,
)


def booking_uid(booking: Booking) -> str:
    """Stable for the booking's whole life, whatever its date or state."""
    return f"animation-{booking.pk}@1000cafes"


def guinguette_uid(visit: GuinguetteVisit) -> str:
    return f"guinguette-{visit.pk}@1000cafes"


def booking_event(booking: Booking) -> Event:
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


def guinguette_event(visit: GuinguetteVisit) -> Event:
    """Its date and place are set once confirmed, so its sequence stays 0, as an animation's
    when it is cancelled."""
    url = f"{settings.WAGTAILADMIN_BASE_URL}{reverse('events:kind', args=[GUINGUETTE_KIND])}"
    return ics.event(
        uid=guinguette_uid(visit),
        sequence=0,
        start=visit.starts_at,
        end=visit.starts_at + GUINGUETTE_DURATION,
        summary=f"{GUINGUETTE_TITLE} – {visit.commune.name}",
        description=f"{GUINGUETTE_TITLE} ({visit.vehicle.name}) : {visit.place}\n{url}",
        location=f"{visit.place}, {visit.commune.name}",
        status="CANCELLED" if visit.state == GuinguetteState.CANCELLED else "CONFIRMED",
        url=url,
    )


def _bookings(bookings) -> list[Event]:
    bookings = (
        bookings.filter(state__in=FEED_STATES, starts_at__isnull=False)
        .select_related("cafe__commune", "kind", "provider", "tour_stop")
        .order_by("starts_at", "pk")
    )
    return [booking_event(booking) for booking in bookings]


def cafe_events(cafe: Cafe) -> list[Event]:
    """The café's animations, and the Guinguette's public evenings in its commune (it comes to
    the village, and the café's team wants to know)."""
    visits = (
        GuinguetteVisit.objects.filter(
            commune_id=cafe.commune_id,
            state__in=GUINGUETTE_FEED_STATES,
            vehicle__isnull=False,
            is_public=True,
        )
        .select_related("commune", "vehicle")
        .order_by("date", "start_time", "pk")
    )
    return _bookings(Booking.objects.filter(cafe=cafe)) + [
        guinguette_event(visit) for visit in visits
    ]


def provider_events(provider: Provider) -> list[Event]:
    return _bookings(Booking.objects.filter(provider=provider))


def agenda_event(entry: AgendaEntry) -> Event:
    """An entry as the agenda page shows it, linked to it; the same UID as in the café's
    own feed."""
    record = entry.record
    is_booking = isinstance(record, Booking)
    url = f"{settings.WAGTAILADMIN_BASE_URL}{reverse('events:agenda')}#{entry.anchor}"
    lines = [entry.tour.name] if entry.tour else []
    if entry.provider:
        lines.append(f"Avec {entry.provider}")
    lines += [entry.programme, url] if entry.programme else [url]
    return ics.event(
        uid=booking_uid(record) if is_booking else guinguette_uid(record),
        sequence=record.calendar_sequence if is_booking else 0,
        start=entry.starts_at,
        end=entry.ends_at,
        summary=f"{entry.title} – {entry.cafe.name if entry.cafe else entry.commune.name}",
        description="\n".join(lines),
        location=", ".join(
            part
            for part in (
                entry.venue,
                entry.cafe.address if entry.cafe else "",
                f"{entry.commune.name} ({entry.commune.department.code})",
            )
            if part
        ),
        status="CANCELLED" if entry.is_cancelled else "CONFIRMED",
        url=url,
    )


def agenda_events() -> list[Event]:
    return [
        agenda_event(entry) for entry in public_entries(history=AGENDA_HISTORY, with_cancelled=True)
    ]


def register_sources() -> None:
    register_public(
        PublicCalendar(
            name=AGENDA,
            events=agenda_events,
            calendar_name="Agenda du Réseau 1000 cafés",
            product="Agenda",
        )
    )
    register(
        FeedSource(
            name=CAFE,
            model=Cafe,
            events=cafe_events,
            calendar_name=lambda cafe: f"Animations – {cafe.name}",
            product="Animations",
        )
    )
    register(
        FeedSource(
            name=PROVIDER,
            model=Provider,
            events=provider_events,
            calendar_name=lambda provider: f"Animations – {provider.name}",
            product="Animations",
        )
    )
