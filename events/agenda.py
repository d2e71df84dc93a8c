"""The public agenda: confirmed public animations in cafés and the Guinguette mobile's
confirmed evenings in communes, in one list by date.

`upcoming()` is the events app's interface for other pages (the map's « animation à
venir »): each entry names its commune, and its café when it has one.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime

from django.utils import timezone

from community.page_cache import changes_at
from community.places.models import Cafe, Commune

from .models import (
    GUINGUETTE_TITLE,
    Booking,
    BookingState,
    GuinguetteState,
    GuinguetteVisit,
    Tour,
)


@dataclass(frozen=True)
class AgendaEntry:
    starts_at: datetime
    title: str
    venue: str  # the café, or where on the commune the Guinguette sets up
    commune: Commune
    cafe: Cafe | None = None
    tour: Tour | None = None
    provider: str = ""
    programme: str = ""
    anchor: str = ""  # the entry's id on the agenda page, where the site search leads


def upcoming() -> list[AgendaEntry]:
    now = timezone.now()
    bookings = (
        Booking.objects.filter(state=BookingState.CONFIRMED, is_public=True, starts_at__gte=now)
        .select_related("cafe__commune__department", "kind", "provider", "tour_stop__tour")
        .order_by("starts_at", "pk")
    )
    entries = []
    for booking in bookings:
        stop = getattr(booking, "tour_stop", None)
        entries.append(
            AgendaEntry(
                starts_at=booking.starts_at,
                title=stop.show if stop else booking.kind.name,
                venue=booking.cafe.name,
                commune=booking.cafe.commune,
                cafe=booking.cafe,
                tour=stop.tour if stop else None,
                provider=booking.provider.name if booking.provider else "",
            )
        )
    visits = GuinguetteVisit.objects.filter(
        state=GuinguetteState.CONFIRMED, is_public=True, date__gte=timezone.localdate()
    ).select_related("commune__department", "vehicle")
    entries += [
        AgendaEntry(
            starts_at=visit.starts_at,
            title=str(GUINGUETTE_TITLE),
            venue=visit.place,
            commune=visit.commune,
            provider=visit.vehicle.name,
            programme=visit.programme,
            anchor=visit.agenda_anchor,
        )
        for visit in visits
        if visit.starts_at >= now
    ]
    entries.sort(key=lambda entry: entry.starts_at)
    # The first entry leaves the agenda when it starts: a kept page is not served past it.
    changes_at(entries[0].starts_at if entries else None)
    return entries
