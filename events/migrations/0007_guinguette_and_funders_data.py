"""The Guinguette's two vehicles, the report's funders, and existing data moved over.

Guinguette mobile bookings made by cafés become visits requested by the café's commune, in
the state they had; the kind stops being bookable by cafés. A booking that carries what a
visit cannot (a reimbursement claim, report photos, a tour stop), or that finds no vehicle
free on its date, stays a booking so that nothing is lost. Funds whose partner is one of the
report's funders are linked to it.
"""

from __future__ import annotations

from django.db import migrations
from django.utils import timezone

GUINGUETTE_KIND = "guinguette-mobile"
# (name, territory, region codes it serves first): the report's two Guinguettes in 2025.
VEHICLES = [
    ("Guinguette mobile du Grand Est", "Grand Est", {"44"}),
    ("Guinguette Mobile Picarde", "Aisne", {"32"}),
]
# The funders the 2025 activity report names.
FUNDERS = [
    ("KLESIA", "insurer"),
    ("Banque des Territoires", "public_body"),
    ("ANCT", "public_body"),
    ("Fondation Kronenbourg", "foundation"),
    ("Le Rustique", "company"),
    ("Groupe Casino", "company"),
    ("Région Grand Est", "local_authority"),
    ("Département de l'Aube", "local_authority"),
]
STATES = {
    "requested": "requested",
    "proposed": "requested",
    "confirmed": "confirmed",
    "held": "held",
    "cancelled": "cancelled",
    "declined": "refused",
}
HOLDING = {"confirmed", "held"}
LIVE = {"requested", "confirmed", "held"}


def seed(apps, schema_editor):
    Vehicle = apps.get_model("events", "GuinguetteVehicle")
    Funder = apps.get_model("events", "Funder")
    Fund = apps.get_model("events", "Fund")
    vehicles = []
    for name, territory, regions in VEHICLES:
        vehicle, _ = Vehicle.objects.get_or_create(name=name, defaults={"territory": territory})
        vehicles.append((vehicle, regions))
    for name, type_ in FUNDERS:
        funder, _ = Funder.objects.get_or_create(name=name, defaults={"type": type_})
        Fund.objects.filter(partner__iexact=name, funder__isnull=True).update(funder=funder)
    _move_bookings(apps, vehicles)


def _free_vehicle(Visit, vehicles, region_code: str, day):
    # The vehicle of the café's region first, then any other free that day.
    ordered = sorted(vehicles, key=lambda pair: region_code not in pair[1])
    for vehicle, _regions in ordered:
        if not Visit.objects.filter(vehicle=vehicle, date=day, state__in=HOLDING).exists():
            return vehicle
    return None


def _move_bookings(apps, vehicles):
    AnimationKind = apps.get_model("events", "AnimationKind")
    Booking = apps.get_model("events", "Booking")
    BookingEvent = apps.get_model("events", "BookingEvent")
    Visit = apps.get_model("events", "GuinguetteVisit")
    kind = AnimationKind.objects.filter(slug=GUINGUETTE_KIND).first()
    if kind is None:
        return
    AnimationKind.objects.filter(pk=kind.pk).update(is_bookable=False)
    bookings = (
        Booking.objects.filter(kind=kind, reimbursements__isnull=True, photos__isnull=True)
        .filter(tour_stop__isnull=True)
        .select_related("cafe__commune__department")
        .order_by("pk")
    )
    for booking in bookings:
        state = STATES[booking.state]
        moment = timezone.localtime(booking.starts_at or booking.preferred_1)
        commune = booking.cafe.commune
        vehicle = None
        if state in HOLDING:
            vehicle = _free_vehicle(Visit, vehicles, commune.department.region.code, moment.date())
            if vehicle is None:
                continue
        if (
            state in LIVE
            and Visit.objects.filter(commune=commune, date=moment.date(), state__in=LIVE).exists()
        ):
            continue
        decision = (
            BookingEvent.objects.filter(booking=booking, to_state__in=["confirmed", "declined"])
            .order_by("-at", "-pk")
            .first()
        )
        Visit.objects.create(
            commune=commune,
            date=moment.date(),
            start_time=moment.time().replace(second=0, microsecond=0),
            place=booking.cafe.address or f"Devant {booking.cafe.name}",
            expected_audience=booking.expected_audience,
            notes=booking.notes,
            state=state,
            vehicle=vehicle,
            is_public=booking.is_public,
            participants=booking.participants,
            requested_by=booking.requested_by,
            created_at=booking.created_at,
            decided_by=decision.by if decision else None,
            decided_at=decision.at if decision else None,
            decision_note=decision.note if decision else "",
        )
        booking.delete()


class Migration(migrations.Migration):
    dependencies = [("events", "0006_guinguette_visits_and_funders")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
