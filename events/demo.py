"""Demo data for the events app, read from demo_data/events.yaml by `manage.py seed_demo`
after the cafés and accounts.

Idempotent: providers, funds and tours are looked up by name, bookings by café, kind and
first preferred date. Dates hang on last summer's and next summer's tours (and a few
animations the year before, for the impact dashboard), so running the seed again within a
season finds the same rows. Past animations are written as they would
have been recorded (the services refuse dates in the past, rightly).
"""

from __future__ import annotations

from datetime import date, datetime, timedelta
from decimal import Decimal
from typing import Any

from django.core.files.base import ContentFile
from django.utils import timezone

from community.accounts.models import User
from community.lib.demo import DemoData, Log, pdf, relative_day
from community.places.models import Cafe, Commune, Region

from .models import (
    TRANSITIONS,
    AnimationKind,
    Booking,
    BookingEvent,
    BookingState,
    Fund,
    Funder,
    GuinguetteState,
    GuinguetteVehicle,
    GuinguetteVisit,
    HostApplication,
    KindPhoto,
    Provider,
    ProviderUnavailability,
    Reimbursement,
    Tour,
    TourStop,
)

DATA = DemoData(__file__)
STAFF = "equipe@example.org"
# The flat placeholders earlier demos stored (a colour and the kind's name in tiny letters).
OLD_PLACEHOLDER_ALT = "{name} dans un café"
TOUR_KIND = "tournee-des-villages"
TOUR_HOUR = 21

# The steps that led to each state, as the history records them.
STEPS = {
    BookingState.REQUESTED: ["request"],
    BookingState.PROPOSED: ["request", "propose"],
    BookingState.CONFIRMED: ["request", "confirm"],
    BookingState.HELD: ["request", "confirm", "report"],
    BookingState.CANCELLED: ["request", "confirm", "cancel"],
    BookingState.DECLINED: ["request", "decline"],
}
TOUR_STEPS = {BookingState.CONFIRMED: ["plan"], BookingState.HELD: ["plan", "report"]}
MANAGER_STEPS = {"request", "accept", "report", "cancel"}


def _seasons() -> tuple[int, int]:
    """Last summer's year and next summer's: a summer is over once October starts."""
    today = timezone.localdate()
    past = today.year if today.month >= 10 else today.year - 1
    return past, past + 1


class Seasons:
    """The data file's `season-MM-DD` days and `{past}`/`{next}` texts, made concrete."""

    def __init__(self) -> None:
        past, next_ = _seasons()
        self.years = {"before": past - 1, "past": past, "next": next_}

    def day(self, value: str) -> date:
        return relative_day(value, self.years)

    def text(self, value: str) -> str:
        return value.format(past=self.years["past"], next=self.years["next"])


def _bookings(data: dict[str, Any], seasons: Seasons) -> list[dict[str, Any]]:
    """Every booking of the file, the tours' stops included, with its concrete day."""
    bookings = [{**spec, "day": seasons.day(spec["day"])} for spec in data["bookings"]]
    for tour in data["tours"]:
        for stop in tour["stops"]:
            held = stop["participants"] is not None
            bookings.append(
                {
                    **stop,
                    "day": seasons.day(stop["day"]),
                    "kind": TOUR_KIND,
                    "hour": TOUR_HOUR,
                    "state": BookingState.HELD if held else BookingState.CONFIRMED,
                    "public": True,
                    "tour": seasons.text(tour["slug"]),
                }
            )
    return bookings


def _seed_providers(data: dict[str, Any], log: Log) -> dict[str, Provider]:
    accounts = {
        user.email: user
        for user in User.objects.filter(email__in=[p.get("account") for p in data["providers"]])
    }
    providers = {}
    for spec in data["providers"]:
        provider, _ = Provider.objects.update_or_create(
            name=spec["name"],
            defaults={
                "type": spec["type"],
                "description": spec["description"],
                "account": accounts.get(spec.get("account")),
            },
        )
        for kind in AnimationKind.objects.filter(slug__in=spec["kinds"]):
            kind.providers.add(provider)
        providers[spec["name"]] = provider
    partners = ", ".join(spec["account"] for spec in data["providers"] if spec.get("account"))
    log(f"  {len(providers)} prestataires (dont la compagnie du compte {partners}).")
    return providers


def _seed_photos() -> None:
    """An illustration per kind that has no photo; earlier demos' placeholders are replaced."""
    for slug, alt_text in DATA.read("events")["pictures"].items():
        kind = AnimationKind.objects.filter(slug=slug).first()
        if kind is None:
            continue
        kind.photos.filter(alt_text=OLD_PLACEHOLDER_ALT.format(name=kind.name)).delete()
        if not kind.photos.exists():
            picture = DATA.file(f"pictures/{slug}.jpg")
            KindPhoto.objects.create(kind=kind, image=picture, alt_text=alt_text)


def _seed_funds(data: dict[str, Any]) -> dict[tuple[str, int], Fund]:
    """Each fund for each of its seasons, its funder (and the funder's demo account), the
    kinds it pays for and the cafés and regions it is limited to."""
    seasons = Seasons()
    funds = {}
    for spec in data["funds"]:
        funder, _ = Funder.objects.get_or_create(
            name=spec["funder"], defaults={"type": spec["funder_type"]}
        )
        if account := User.objects.filter(email=spec["funder_account"]).first():
            funder.accounts.add(account)
        kinds = AnimationKind.objects.filter(slug__in=spec["kinds"])
        cafes = Cafe.objects.filter(name__in=spec["cafes"])
        regions = Region.objects.filter(code__in=spec["regions"])
        for season in spec["seasons"]:
            year = seasons.years[season]
            fund, _ = Fund.objects.update_or_create(
                name=spec["name"],
                year=year,
                defaults={
                    "funder": funder,
                    "budget": Decimal(spec["budget"]),
                    "cap_per_cafe": Decimal(spec["cap_per_cafe"]),
                    "description": spec["description"],
                },
            )
            fund.eligible_kinds.set(kinds)
            fund.cafes.set(cafes)
            fund.regions.set(regions)
            funds[spec["name"], year] = fund
    return funds


def _seed_tours(data: dict[str, Any], seasons: Seasons) -> dict[str, Tour]:
    kind = AnimationKind.objects.get(slug=TOUR_KIND)
    tours = {}
    for spec in data["tours"]:
        slug = seasons.text(spec["slug"])
        year = seasons.day(spec["stops"][0]["day"]).year
        tours[slug], _ = Tour.objects.update_or_create(
            slug=slug,
            defaults={
                "name": seasons.text(spec["name"]),
                "kind": kind,
                "season_start": date(year, 6, 1),
                "season_end": date(year, 9, 30),
                "applications_open": spec["applications_open"],
                "description": spec["description"],
            },
        )
    return tours


def _record(booking: Booking, item: dict[str, Any], staff: User | None) -> None:
    manager = booking.cafe.managers.first()
    steps = (TOUR_STEPS if "show" in item else STEPS)[item["state"]]
    moment = booking.created_at
    state = ""
    for action in steps:
        target = TRANSITIONS[action].target
        BookingEvent.objects.create(
            booking=booking,
            action=action,
            from_state=state,
            to_state=target,
            by=manager if action in MANAGER_STEPS and manager else staff,
            at=moment,
            starts_at=booking.starts_at,
        )
        state = target
        moment += timedelta(days=2)
    # Cancelled and declined steps end where the table says; the last one fixes the state.
    booking.state = item["state"]
    booking.save(update_fields=["state"])


def _seed_bookings(log: Log, bookings: list[dict[str, Any]], providers, funds, tours) -> None:
    staff = User.objects.filter(email=STAFF).first()
    created = 0
    for item in bookings:
        cafe = Cafe.objects.filter(name=item["cafe"]).select_related("commune").first()
        if cafe is None:
            continue
        kind = AnimationKind.objects.get(slug=item["kind"])
        day = item["day"]
        start = timezone.make_aware(datetime(day.year, day.month, day.day, item["hour"]))
        dated = item["state"] in (
            BookingState.CONFIRMED,
            BookingState.HELD,
            BookingState.PROPOSED,
            BookingState.CANCELLED,
        )
        participants = item.get("participants")
        booking, is_new = Booking.objects.get_or_create(
            cafe=cafe,
            kind=kind,
            preferred_1=start,
            defaults={
                "preferred_2": None if "show" in item else start + timedelta(days=7),
                "provider": providers.get(item.get("provider")),
                "starts_at": start if dated else None,
                "ends_at": start + kind.duration if dated else None,
                "participants": participants,
                "expected_audience": participants or 15,
                "is_public": item.get("public", False),
                "requested_by": cafe.managers.first() or staff,
                "created_at": start - timedelta(days=45),
                "notes": "Demande de démonstration.",
            },
        )
        if not is_new:
            continue
        created += 1
        _record(booking, item, staff)
        if "show" in item:
            TourStop.objects.create(tour=tours[item["tour"]], booking=booking, show=item["show"])
        if reimbursed := item.get("reimbursed"):
            amount = Decimal(reimbursed["amount"])
            Reimbursement.objects.create(
                booking=booking,
                fund=funds[reimbursed["fund"], day.year],
                state=Reimbursement.State.APPROVED,
                requested_amount=amount,
                approved_amount=amount,
                invoice=ContentFile(pdf(f"Facture - {booking}"), name="facture.pdf"),
                claimed_by=booking.requested_by,
                claimed_at=start + timedelta(days=3),
                decided_by=staff,
                decided_at=start + timedelta(days=10),
            )
    log(f"  {created} réservations d'animation créées (tous les états du parcours).")


def _seed_guinguette(data: dict[str, Any], seasons: Seasons, log: Log) -> None:
    vehicles = {vehicle.name: vehicle for vehicle in GuinguetteVehicle.objects.all()}
    year = data["year"]
    season_days = (date(year, 10, 1) - date(year, 5, 1)).days  # 1 May to 30 September
    created = 0
    for spec in data["history"]:
        communes = list(
            Commune.objects.filter(insee_code__in=spec["communes"]).order_by("insee_code")
        )
        if spec["vehicle"] not in vehicles or not communes:
            continue
        dates = spec["dates"]
        for n in range(dates):
            # Spread over the season, one evening a date per vehicle.
            day = date(year, 5, 1) + timedelta(days=n * season_days // dates)
            _, is_new = GuinguetteVisit.objects.get_or_create(
                vehicle=vehicles[spec["vehicle"]],
                date=day,
                defaults={
                    "commune": communes[n % len(communes)],
                    "place": data["history_place"],
                    "state": GuinguetteState.HELD,
                    "participants": 150 + (n * 37) % 150,
                    "created_at": timezone.make_aware(datetime(year, 3, 1, 10)),
                },
            )
            created += is_new
    members = {user.email: user for user in User.objects.filter(email__endswith="@example.org")}
    for spec in data["upcoming"]:
        commune = Commune.objects.filter(insee_code=spec["commune"]).first()
        if commune is None:
            continue
        _, is_new = GuinguetteVisit.objects.get_or_create(
            commune=commune,
            date=seasons.day(spec["day"]),
            defaults={
                **data["evening"],
                "state": spec["state"],
                "vehicle": vehicles.get(spec.get("vehicle")),
                "requested_by": members.get(spec.get("requested_by")),
            },
        )
        created += is_new
    log(
        f"  Guinguette mobile : {created} dates créées ({year} : 64 en Grand Est, "
        f"19 dans l'Aisne ; saison {seasons.years['next']} : demandes et dates confirmées)."
    )


def _seed_host_applications(data: dict[str, Any], seasons: Seasons, tours) -> None:
    for spec in data["host_applications"]:
        cafe = Cafe.objects.filter(name=spec["cafe"]).first()
        if cafe is None or not cafe.managers.exists():
            continue
        HostApplication.objects.get_or_create(
            tour=tours[seasons.text(spec["tour"])],
            cafe=cafe,
            defaults={
                "applied_by": cafe.managers.first(),
                "preferred_dates": spec["preferred_dates"],
                "message": spec["message"],
            },
        )


def seed(log: Log) -> None:
    data = DATA.read("events")
    seasons = Seasons()
    providers = _seed_providers(data, log)
    for spec in data["unavailabilities"]:
        ProviderUnavailability.objects.get_or_create(
            provider=providers[spec["provider"]],
            start=seasons.day(spec["start"]),
            defaults={"end": seasons.day(spec["end"]), "reason": spec["reason"]},
        )
    _seed_photos()
    funds = _seed_funds(data)
    tours = _seed_tours(data, seasons)
    _seed_bookings(log, _bookings(data, seasons), providers, funds, tours)
    _seed_guinguette(data["guinguette"], seasons, log)
    _seed_host_applications(data, seasons, tours)
    past, next_ = seasons.years["past"], seasons.years["next"]
    log(
        f"  Fonds Bien vieillir {past} et {next_} (25 000 € chacun, KLESIA), "
        f"{len(tours)} tournées des étés {past} et {next_}."
    )
