"""The animation catalogue and the tours (public pages) in the site search."""

from __future__ import annotations

from community.accounts.audience import Audience
from community.lib.searchable import Document, DocumentType, register

from .models import AnimationKind, Booking, BookingState, Tour, TourStop

HIDDEN_STOPS = [BookingState.CANCELLED, BookingState.DECLINED]


def kind_document(kind: AnimationKind) -> Document:
    return Document(
        title=kind.name,
        url=kind.get_absolute_url(),
        text=f"{kind.summary} {kind.description} {kind.audience}",
        access={"audience": Audience.PUBLIC},
    )


def tour_document(tour: Tour) -> Document:
    stops = tour.stops.exclude(booking__state__in=HIDDEN_STOPS).select_related(
        "booking__cafe__commune"
    )
    places = [f"{stop.show} à {stop.booking.cafe.commune.name}" for stop in stops]
    return Document(
        title=tour.name,
        url=tour.get_absolute_url(),
        text=" ".join([tour.kind.name, tour.description, *places]),
        date=tour.season_start,
        access={"audience": Audience.PUBLIC},
    )


register(
    DocumentType(
        name="animation",
        label="Animation",
        model=AnimationKind,
        to_document=kind_document,
    )
)
register(
    DocumentType(
        name="tour",
        group="animation",
        label="Tournée",
        model=Tour,
        to_document=tour_document,
        queryset=lambda: Tour.objects.select_related("kind"),
        depends_on={
            TourStop: lambda stop: [Tour(pk=stop.tour_id)],
            Booking: lambda booking: Tour.objects.filter(stops__booking__pk=booking.pk),
        },
    )
)
