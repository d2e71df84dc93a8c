"""The public agenda: confirmed public animations in cafés and the Guinguette mobile's
confirmed evenings in communes, in one list by date.

`announced_bookings()` and `announced_evenings()` say what the agenda announces, for every
page that shows it: the agenda page lists the coming entries of `public_entries()`
(`upcoming()`; each entry names its commune, and its café when it has one), the public
calendar feed (events/calendars.py) the same entries with those called off after being
announced and those of the last weeks, café pages and the map (cafe_activity.py) a café's
coming ones, the site search the coming evenings (search_documents.py).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timedelta

from django.db.models import Exists, OuterRef, Q, QuerySet
from django.utils import timezone

from community.page_cache import changes_at
from community.places.models import Cafe, Commune

from .models import (
    GUINGUETTE_DURATION,
    GUINGUETTE_TITLE,
    Booking,
    BookingEvent,
    BookingState,
    GuinguetteState,
    GuinguetteVisit,
    Tour,
)

# What the agenda announces: an animation or an evening once confirmed, and after it took
# place. Requested, proposed, declined or refused ones are never announced.
ANNOUNCED_BOOKINGS = (BookingState.CONFIRMED, BookingState.HELD)
ANNOUNCED_EVENINGS = (GuinguetteState.CONFIRMED, GuinguetteState.HELD)


@dataclass(frozen=True)
class AgendaEntry:
    starts_at: datetime
    ends_at: datetime
    title: str
    venue: str  # the café, or where on the commune the Guinguette sets up
    commune: Commune
    record: Booking | GuinguetteVisit
    cafe: Cafe | None = None
    tour: Tour | None = None
    provider: str = ""
    programme: str = ""
    anchor: str = ""  # the entry's id on the agenda page, where the site search leads
    is_cancelled: bool = False


def announced_bookings(since: datetime, *, with_cancelled: bool = False) -> QuerySet[Booking]:
    """The public animations announced from `since` on, and with_cancelled those called off
    after being announced."""
    shown = Q(state__in=ANNOUNCED_BOOKINGS)
    if with_cancelled:
        # Only one that was announced: a request called off before staff confirmed it was
        # never public.
        was_confirmed = BookingEvent.objects.filter(
            booking=OuterRef("pk"), to_state=BookingState.CONFIRMED
        )
        shown |= Q(state=BookingState.CANCELLED) & Exists(was_confirmed)
    return Booking.objects.filter(shown, is_public=True, starts_at__gte=since)


def announced_evenings(
    since: datetime, *, with_cancelled: bool = False
) -> QuerySet[GuinguetteVisit]:
    """The Guinguette's public evenings announced from `since` on (their start is a local
    date and time), and with_cancelled those called off after being announced."""
    shown = Q(state__in=ANNOUNCED_EVENINGS)
    if with_cancelled:
        # A vehicle is sent only on confirmation: a cancelled evening with one was announced.
        shown |= Q(state=GuinguetteState.CANCELLED, vehicle__isnull=False)
    local = timezone.localtime(since)
    later = Q(date__gt=local.date()) | Q(date=local.date(), start_time__gte=local.time())
    return GuinguetteVisit.objects.filter(shown, later, is_public=True)


def _bookings(since: datetime, with_cancelled: bool) -> list[AgendaEntry]:
    bookings = (
        announced_bookings(since, with_cancelled=with_cancelled)
        .select_related("cafe__commune__department", "kind", "provider", "tour_stop__tour")
        .order_by("starts_at", "pk")
    )
    entries = []
    for booking in bookings:
        stop = getattr(booking, "tour_stop", None)
        entries.append(
            AgendaEntry(
                starts_at=booking.starts_at,
                ends_at=booking.ends_at,
                title=stop.show if stop else booking.kind.name,
                venue=booking.cafe.name,
                commune=booking.cafe.commune,
                record=booking,
                cafe=booking.cafe,
                tour=stop.tour if stop else None,
                provider=booking.provider.name if booking.provider else "",
                anchor=f"animation-{booking.pk}",
                is_cancelled=booking.state == BookingState.CANCELLED,
            )
        )
    return entries


def _evenings(since: datetime, with_cancelled: bool) -> list[AgendaEntry]:
    visits = (
        announced_evenings(since, with_cancelled=with_cancelled)
        .select_related("commune__department", "vehicle")
        .order_by("date", "start_time", "pk")
    )
    return [
        AgendaEntry(
            starts_at=visit.starts_at,
            ends_at=visit.starts_at + GUINGUETTE_DURATION,
            title=str(GUINGUETTE_TITLE),
            venue=visit.place,
            commune=visit.commune,
            record=visit,
            provider=visit.vehicle.name,
            programme=visit.programme,
            anchor=visit.agenda_anchor,
            is_cancelled=visit.state == GuinguetteState.CANCELLED,
        )
        for visit in visits
    ]


def public_entries(
    *, history: timedelta = timedelta(0), with_cancelled: bool = False
) -> list[AgendaEntry]:
    """What the agenda announces, by date, from `history` ago on; `with_cancelled` adds the
    entries called off after being announced, marked so (calendar apps then drop them)."""
    since = timezone.now() - history
    entries = _bookings(since, with_cancelled) + _evenings(since, with_cancelled)
    entries.sort(key=lambda entry: (entry.starts_at, entry.anchor))
    # The first entry leaves the list `history` after it starts: a kept copy of the page or
    # the feed is not served past that.
    changes_at(entries[0].starts_at + history if entries else None)
    return entries


def upcoming() -> list[AgendaEntry]:
    """The coming entries, as the agenda page lists them."""
    return public_entries()
