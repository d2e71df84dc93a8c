"""The animation catalogue, the tours (public pages) and the Guinguette mobile's coming
evenings (as the public agenda lists them) in the site search."""

from __future__ import annotations

from django.utils import timezone

from community.accounts.audience import Audience
from community.lib.formats import french_datetime
from community.lib.searchable import Document, DocumentType, register

from .agenda import announced_evenings
from .models import (
    GUINGUETTE_TITLE,
    AnimationKind,
    Booking,
    BookingState,
    GuinguetteState,
    GuinguetteVehicle,
    GuinguetteVisit,
    Tour,
    TourStop,
)

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


def guinguette_document(visit: GuinguetteVisit) -> Document:
    commune = visit.commune
    department = commune.department
    return Document(
        title=f"{GUINGUETTE_TITLE} à {commune.name} ({department.code}), "
        f"{french_datetime(visit.starts_at)}",
        url=visit.get_agenda_url(),
        text=" ".join(
            [
                visit.programme,
                f"{visit.place}, {commune.name}",
                department.name,
                department.region.name,
                visit.vehicle.name,
            ]
        ),
        date=visit.starts_at,
        access={"audience": Audience.PUBLIC},
    )


def searched_evenings():
    """The agenda's evenings of today and to come. A cancelled one renders as a deletion;
    one whose date passed leaves with the daily unlist_past_guinguette_evenings."""
    today = timezone.localtime().replace(hour=0, minute=0, second=0, microsecond=0)
    return announced_evenings(today).select_related("commune__department__region", "vehicle")


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
register(
    DocumentType(
        name="guinguette",
        group="animation",
        label="Guinguette mobile",
        model=GuinguetteVisit,
        to_document=guinguette_document,
        queryset=searched_evenings,
        depends_on={
            GuinguetteVehicle: lambda vehicle: vehicle.visits.filter(
                state=GuinguetteState.CONFIRMED
            ),
        },
    )
)
