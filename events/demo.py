"""Demo data for the events app, called by `manage.py seed_demo` after the cafés and accounts.

Idempotent: providers, funds and tours are looked up by name, bookings by café, kind and
first preferred date. Dates hang on last summer's and next summer's tours (and a few
animations the year before, for the impact dashboard), so running the seed again within a
season finds the same rows. Past animations are written as they would
have been recorded (the services refuse dates in the past, rightly).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone

from community.accounts.models import User
from community.places.models import Cafe, Commune, Region

from .demo_pictures import PICTURES
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

STAFF = "equipe@example.org"
PARTNER = "partenaire@example.org"
FUNDER_ACCOUNT = "financeur@example.org"

# (name, type, kinds, description, partner account)
PROVIDERS = [
    (
        "Compagnie du Petit Chapiteau",
        Provider.Type.COMPANY,
        ["tournee-des-villages", "raconte-moi-ton-village"],
        "Théâtre itinérant et cinéma en plein air, de place de village en place de village.",
        PARTNER,
    ),
    (
        "Ciné-Villages",
        Provider.Type.ASSOCIATION,
        ["tournee-des-villages"],
        "Association de cinéma itinérant : écran gonflable, projecteur et transats.",
        None,
    ),
    (
        "Échiquier Occitan",
        Provider.Type.ASSOCIATION,
        ["chess-workshop"],
        "Club d'échecs qui anime des initiations dans les cafés et les écoles.",
        None,
    ),
    (
        "Secours Formation Rurale",
        Provider.Type.TRAINER,
        ["first-aid-training"],
        "Formateurs agréés PSC1, interventions en petits groupes.",
        None,
    ),
    (
        "Compagnie des Tréteaux du Soir",
        Provider.Type.COMPANY,
        ["tournee-des-villages"],
        "Chansons et spectacle musical en plein air, avec une scène démontable.",
        None,
    ),
    (
        "Concerts de Poche",
        Provider.Type.ASSOCIATION,
        ["concert-de-poche"],
        "Musiciens professionnels et ateliers musicaux avec les habitants.",
        None,
    ),
    (
        "Diététique & Territoires",
        Provider.Type.TRAINER,
        ["nutrition-workshop"],
        "Diététiciennes qui animent les ateliers du programme Bien vieillir.",
        None,
    ),
    (
        "Bouger au village",
        Provider.Type.TRAINER,
        ["physical-activity"],
        "Éducateurs en activité physique adaptée.",
        None,
    ),
    (
        "Guinguette mobile 1000 cafés",
        Provider.Type.NETWORK,
        ["guinguette-mobile"],
        "La guinguette itinérante du réseau, de mai à septembre.",
        None,
    ),
]

BIEN_VIEILLIR_KINDS = [
    "nutrition-workshop",
    "physical-activity",
    "first-aid-training",
    "shared-meal",
]
# The flat placeholders earlier demos stored (a colour and the kind's name in tiny letters).
OLD_PLACEHOLDER_ALT = "{name} dans un café"


@dataclass(frozen=True)
class DemoBooking:
    cafe: str
    kind: str
    day: date
    hour: int
    state: str
    provider: str | None = None
    participants: int | None = None
    public: bool = False
    show: str = ""  # a tour stop when set, of the tour below
    tour: str = ""  # the slug of the tour (see _tours)
    reimbursed: str = ""  # approved amount from the Bien vieillir fund of that year


@dataclass(frozen=True)
class DemoTour:
    slug: str
    name: str
    description: str
    applications_open: bool
    stops: list[DemoBooking]


def _stop(
    tour: str, cafe: str, day: date, provider: str, show: str, participants: int | None
) -> DemoBooking:
    state = BookingState.HELD if participants else BookingState.CONFIRMED
    return DemoBooking(
        cafe, "tournee-des-villages", day, 21, state, provider, participants, True, show, tour=tour
    )


def _tours(past: int, next_: int) -> list[DemoTour]:
    """Last summer's three Tournées des Villages as the 2025 report counts them (3 tours,
    450 participants, 11 cafés and communes, 2 theatre companies and 1 association), and
    next summer's, open to the cafés' applications."""
    cinema, theatre, songs = (
        f"tournee-des-villages-cinema-{past}",
        f"tournee-des-villages-ete-{past}",  # the demo's one tour of that summer before
        f"tournee-des-villages-chansons-{past}",
    )
    hulot = "Cinéma en plein air : Les Vacances de M. Hulot"
    moliere = "Théâtre : Le Médecin malgré lui"
    bal = "Chansons : le bal des villages"
    cine, chapiteau, treteaux = (
        "Ciné-Villages",
        "Compagnie du Petit Chapiteau",
        "Compagnie des Tréteaux du Soir",
    )
    upcoming = f"tournee-des-villages-ete-{next_}"
    return [
        DemoTour(
            cinema,
            f"Tournée des Villages — cinéma en plein air, été {past}",
            "Un écran gonflable et des transats sur la place, avec l'association Ciné-Villages.",
            False,
            [
                _stop(cinema, "Le Café de la Place", date(past, 7, 18), cine, hulot, 62),
                _stop(cinema, "Le Cordes Café", date(past, 7, 25), cine, hulot, 48),
                _stop(cinema, "Le Café des Corbières", date(past, 8, 1), cine, hulot, 35),
                _stop(cinema, "Le Café de Monflanquin", date(past, 8, 8), cine, hulot, 40),
            ],
        ),
        DemoTour(
            theatre,
            f"Tournée des Villages — théâtre, été {past}",
            "Molière en plein air, de café en café, avec la Compagnie du Petit Chapiteau.",
            False,
            [
                _stop(theatre, "Ti Kafe Lokorn", date(past, 8, 8), chapiteau, moliere, 45),
                _stop(theatre, "Le Café de Tiranges", date(past, 8, 14), chapiteau, moliere, 38),
                _stop(theatre, "Le Café du Livradois", date(past, 8, 21), chapiteau, moliere, 30),
                _stop(theatre, "Le Café du Pont", date(past, 8, 28), chapiteau, moliere, 27),
            ],
        ),
        DemoTour(
            songs,
            f"Tournée des Villages — chansons, été {past}",
            "Un spectacle musical et un bal, avec la Compagnie des Tréteaux du Soir.",
            False,
            [
                _stop(songs, "Chez Renoir", date(past, 7, 4), treteaux, bal, 44),
                _stop(songs, "Le Stammtisch", date(past, 7, 11), treteaux, bal, 41),
                _stop(songs, "Le Bistrot de Gerberoy", date(past, 7, 19), treteaux, bal, 40),
            ],
        ),
        DemoTour(
            upcoming,
            f"Tournée des Villages — été {next_}",
            "Cinéma en plein air, théâtre et concerts de café en café, avec la Compagnie du "
            "Petit Chapiteau, la Compagnie des Tréteaux du Soir et Ciné-Villages.",
            True,
            [
                _stop(
                    upcoming,
                    "Le Café de Tiranges",
                    date(next_, 7, 10),
                    chapiteau,
                    "Théâtre en plein air : La Fontaine au village",
                    None,
                ),
            ],
        ),
    ]


def _seasons() -> tuple[int, int]:
    """Last summer's year and next summer's: a summer is over once October starts."""
    today = timezone.localdate()
    past = today.year if today.month >= 10 else today.year - 1
    return past, past + 1


def _bookings(past: int, next_: int) -> list[DemoBooking]:
    S = BookingState
    tiranges, lokorn = "Le Café de Tiranges", "Ti Kafe Lokorn"
    # The season before last, so the impact dashboard has two years to compare.
    before = past - 1
    return [
        DemoBooking(
            tiranges, "chess-workshop", date(before, 3, 14), 18, S.HELD, "Échiquier Occitan", 9
        ),
        DemoBooking(
            lokorn, "chess-workshop", date(before, 10, 17), 18, S.HELD, "Échiquier Occitan", 14
        ),
        DemoBooking(
            "Le Café de la Place",
            "concert-de-poche",
            date(before, 5, 23),
            20,
            S.HELD,
            "Concerts de Poche",
            48,
        ),
        DemoBooking(
            "Le Cordes Café",
            "first-aid-training",
            date(before, 11, 8),
            9,
            S.HELD,
            "Secours Formation Rurale",
            10,
        ),
        DemoBooking(
            tiranges, "chess-workshop", date(past, 7, 11), 18, S.HELD, "Échiquier Occitan", 12
        ),
        DemoBooking(
            tiranges,
            "nutrition-workshop",
            date(past, 9, 19),
            15,
            S.HELD,
            "Diététique & Territoires",
            11,
            reimbursed="250.00",
        ),
        DemoBooking(
            "Le Cordes Café",
            "shared-meal",
            date(past, 9, 26),
            12,
            S.HELD,
            None,
            34,
            reimbursed="420.00",
        ),
        DemoBooking(
            lokorn, "physical-activity", date(past, 6, 13), 10, S.CANCELLED, "Bouger au village"
        ),
        DemoBooking(
            tiranges,
            "concert-de-poche",
            date(next_, 4, 18),
            20,
            S.CONFIRMED,
            "Concerts de Poche",
            public=True,
        ),
        DemoBooking(tiranges, "first-aid-training", date(next_, 3, 14), 9, S.REQUESTED),
        DemoBooking(
            lokorn, "physical-activity", date(next_, 3, 5), 10, S.PROPOSED, "Bouger au village"
        ),
        DemoBooking(lokorn, "raconte-moi-ton-village", date(next_, 2, 7), 14, S.DECLINED),
    ] + [stop for tour in _tours(past, next_) for stop in tour.stops]


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


def invoice_pdf(title: str) -> bytes:
    """A well-formed one-page PDF reading « Facture - title » (objects, xref, trailer)."""
    text = f"Facture - {title}".encode("latin-1", "replace")
    text = text.replace(b"\\", b"\\\\").replace(b"(", b"\\(").replace(b")", b"\\)")
    stream = b"BT /F1 14 Tf 72 770 Td (" + text + b") Tj ET"
    objects = [
        b"<</Type/Catalog/Pages 2 0 R>>",
        b"<</Type/Pages/Kids[3 0 R]/Count 1>>",
        b"<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]"
        b"/Resources<</Font<</F1 4 0 R>>>>/Contents 5 0 R>>",
        b"<</Type/Font/Subtype/Type1/BaseFont/Helvetica>>",
        b"<</Length %d>>stream\n%s\nendstream" % (len(stream), stream),
    ]
    body, offsets = b"%PDF-1.4\n", []
    for number, content in enumerate(objects, 1):
        offsets.append(len(body))
        body += b"%d 0 obj\n%s\nendobj\n" % (number, content)
    xref = len(body)
    body += b"xref\n0 %d\n0000000000 65535 f \n" % (len(objects) + 1)
    body += b"".join(b"%010d 00000 n \n" % offset for offset in offsets)
    body += b"trailer\n<</Size %d/Root 1 0 R>>\nstartxref\n%d\n%%%%EOF\n" % (len(objects) + 1, xref)
    return body


def _pdf(title: str) -> ContentFile:
    return ContentFile(invoice_pdf(title), name="facture.pdf")


def _seed_providers(log: Callable[[str], None]) -> dict[str, Provider]:
    partner = User.objects.filter(email=PARTNER).first()
    providers = {}
    for name, type_, kinds, description, account in PROVIDERS:
        provider, _ = Provider.objects.update_or_create(
            name=name,
            defaults={
                "type": type_,
                "description": description,
                "account": partner if account == PARTNER else None,
            },
        )
        for kind in AnimationKind.objects.filter(slug__in=kinds):
            kind.providers.add(provider)
        providers[name] = provider
    log(f"  {len(providers)} prestataires (dont la compagnie du compte {PARTNER}).")
    return providers


def _seed_photos() -> None:
    """An illustration per kind that has no photo; earlier demos' placeholders are replaced."""
    for slug, draw, alt_text in PICTURES:
        kind = AnimationKind.objects.filter(slug=slug).first()
        if kind is None:
            continue
        kind.photos.filter(alt_text=OLD_PLACEHOLDER_ALT.format(name=kind.name)).delete()
        if not kind.photos.exists():
            picture = ContentFile(draw(), name=f"{slug}.jpg")
            KindPhoto.objects.create(kind=kind, image=picture, alt_text=alt_text)


def _seed_funds(past: int, next_: int) -> dict[int, Fund]:
    kinds = AnimationKind.objects.filter(slug__in=BIEN_VIEILLIR_KINDS)
    funds = {}
    for year in (past, next_):
        fund, _ = Fund.objects.update_or_create(
            name="Fonds Bien vieillir",
            year=year,
            defaults={
                "budget": Decimal("25000.00"),
                "cap_per_cafe": Decimal("2500.00"),
                "description": "Ateliers nutrition, activité physique, premiers secours et "
                "repas partagés dans les cafés membres du programme.",
            },
        )
        fund.eligible_kinds.set(kinds)
        funds[year] = fund
    return funds


def _seed_tours(past: int, next_: int) -> dict[str, Tour]:
    kind = AnimationKind.objects.get(slug="tournee-des-villages")
    tours = {}
    for spec in _tours(past, next_):
        year = spec.stops[0].day.year
        tours[spec.slug], _ = Tour.objects.update_or_create(
            slug=spec.slug,
            defaults={
                "name": spec.name,
                "kind": kind,
                "season_start": date(year, 6, 1),
                "season_end": date(year, 9, 30),
                "applications_open": spec.applications_open,
                "description": spec.description,
            },
        )
    return tours


def _record(booking: Booking, item: DemoBooking, staff: User | None) -> None:
    manager = booking.cafe.managers.first()
    steps = (TOUR_STEPS if item.show else STEPS)[item.state]
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
    booking.state = item.state
    booking.save(update_fields=["state"])


def _seed_bookings(
    log: Callable[[str], None], past: int, next_: int, providers, funds, tours
) -> None:
    staff = User.objects.filter(email=STAFF).first()
    created = 0
    for item in _bookings(past, next_):
        cafe = Cafe.objects.filter(name=item.cafe).select_related("commune").first()
        if cafe is None:
            continue
        kind = AnimationKind.objects.get(slug=item.kind)
        start = timezone.make_aware(
            datetime(item.day.year, item.day.month, item.day.day, item.hour)
        )
        dated = item.state in (BookingState.CONFIRMED, BookingState.HELD, BookingState.PROPOSED)
        dated = dated or (item.state == BookingState.CANCELLED)
        booking, is_new = Booking.objects.get_or_create(
            cafe=cafe,
            kind=kind,
            preferred_1=start,
            defaults={
                "preferred_2": None if item.show else start + timedelta(days=7),
                "provider": providers.get(item.provider),
                "starts_at": start if dated else None,
                "ends_at": start + kind.duration if dated else None,
                "participants": item.participants,
                "expected_audience": item.participants or 15,
                "is_public": item.public,
                "requested_by": cafe.managers.first() or staff,
                "created_at": start - timedelta(days=45),
                "notes": "Demande de démonstration.",
            },
        )
        if not is_new:
            continue
        created += 1
        _record(booking, item, staff)
        if item.show:
            TourStop.objects.create(tour=tours[item.tour], booking=booking, show=item.show)
        if item.reimbursed:
            amount = Decimal(item.reimbursed)
            Reimbursement.objects.create(
                booking=booking,
                fund=funds[item.day.year],
                state=Reimbursement.State.APPROVED,
                requested_amount=amount,
                approved_amount=amount,
                invoice=_pdf(str(booking)),
                claimed_by=booking.requested_by,
                claimed_at=start + timedelta(days=3),
                decided_by=staff,
                decided_at=start + timedelta(days=10),
            )
    log(f"  {created} réservations d'animation créées (tous les états du parcours).")


# ---------------------------------------------------------------------------- funders

# KLESIA's « Bien vieillir »: ten member cafés in Occitanie and Auvergne-Rhône-Alpes.
BIEN_VIEILLIR_REGIONS = ["76", "84"]
BIEN_VIEILLIR_CAFES = [
    "Le Café de la Place",
    "Le Cordes Café",
    "L'Estanquet de Puycelsi",
    "Le Bistrot de Vaour",
    "Le Café du Pont",
    "L'Auberge des Pèlerins",
    "Le Café des Corbières",
    "Le Café de Tiranges",
    "La Halte de Pradelles",
    "Le Café du Livradois",
]


def _link_funders(funds: dict[int, Fund]) -> None:
    """The Bien vieillir funds are KLESIA's, limited to its ten cafés, and the demo's
    funder account sees them."""
    klesia, _ = Funder.objects.get_or_create(name="KLESIA", defaults={"type": Funder.Type.INSURER})
    if account := User.objects.filter(email=FUNDER_ACCOUNT).first():
        klesia.accounts.add(account)
    cafes = Cafe.objects.filter(name__in=BIEN_VIEILLIR_CAFES)
    regions = Region.objects.filter(code__in=BIEN_VIEILLIR_REGIONS)
    for fund in funds.values():
        Fund.objects.filter(pk=fund.pk).update(funder=klesia)
        fund.cafes.set(cafes)
        fund.regions.set(regions)


# ---------------------------------------------------------------------------- Guinguette

# The report's year: 64 dates in Grand Est and 19 in the Aisne, in villages without a café.
GUINGUETTE_YEAR = 2025
GUINGUETTE_HISTORY = [
    ("Guinguette mobile du Grand Est", 64, ["10261", "67295", "67351", "68277", "55012", "52064"]),
    ("Guinguette Mobile Picarde", 19, ["02468", "02789"]),
]
SEASON_DAYS = 153  # 1 May to 30 September


def _seed_guinguette(log: Callable[[str], None], next_: int) -> None:
    vehicles = {vehicle.name: vehicle for vehicle in GuinguetteVehicle.objects.all()}
    created = 0
    for name, dates, insee_codes in GUINGUETTE_HISTORY:
        communes = list(Commune.objects.filter(insee_code__in=insee_codes).order_by("insee_code"))
        if name not in vehicles or not communes:
            continue
        for n in range(dates):
            # Spread over the season, one evening a date per vehicle.
            day = date(GUINGUETTE_YEAR, 5, 1) + timedelta(days=n * SEASON_DAYS // dates)
            _, is_new = GuinguetteVisit.objects.get_or_create(
                vehicle=vehicles[name],
                date=day,
                defaults={
                    "commune": communes[n % len(communes)],
                    "place": "Place du village",
                    "state": GuinguetteState.HELD,
                    "participants": 150 + (n * 37) % 150,
                    "created_at": timezone.make_aware(datetime(GUINGUETTE_YEAR, 3, 1, 10)),
                },
            )
            created += is_new
    elected = User.objects.filter(email="adjointe@example.org").first()
    upcoming = [
        ("10141", date(next_, 6, 20), GuinguetteState.REQUESTED, None, elected),
        (
            "10261",
            date(next_, 7, 4),
            GuinguetteState.CONFIRMED,
            "Guinguette mobile du Grand Est",
            None,
        ),
        ("02789", date(next_, 7, 11), GuinguetteState.CONFIRMED, "Guinguette Mobile Picarde", None),
    ]
    for insee, day, state, vehicle, requested_by in upcoming:
        commune = Commune.objects.filter(insee_code=insee).first()
        if commune is None:
            continue
        _, is_new = GuinguetteVisit.objects.get_or_create(
            commune=commune,
            date=day,
            defaults={
                "place": "Place de la mairie",
                "state": state,
                "vehicle": vehicles.get(vehicle),
                "requested_by": requested_by,
                "expected_audience": 200,
                "notes": "Avec le comité des fêtes et l'association des parents d'élèves.",
                "programme": "Bal guinguette avec un accordéoniste, jeux en bois pour les "
                "enfants, buvette et petite restauration du comité des fêtes.",
            },
        )
        created += is_new
    log(
        f"  Guinguette mobile : {created} dates créées ({GUINGUETTE_YEAR} : 64 en Grand Est, "
        f"19 dans l'Aisne ; saison {next_} : demandes et dates confirmées)."
    )


def seed(log: Callable[[str], None]) -> None:
    past, next_ = _seasons()
    providers = _seed_providers(log)
    ProviderUnavailability.objects.get_or_create(
        provider=providers["Compagnie du Petit Chapiteau"],
        start=date(next_, 8, 1),
        defaults={"end": date(next_, 8, 20), "reason": "Festival d'Aurillac"},
    )
    _seed_photos()
    funds = _seed_funds(past, next_)
    _link_funders(funds)
    tours = _seed_tours(past, next_)
    _seed_bookings(log, past, next_, providers, funds, tours)
    _seed_guinguette(log, next_)
    lokorn = Cafe.objects.filter(name="Ti Kafe Lokorn").first()
    if lokorn is not None and lokorn.managers.exists():
        HostApplication.objects.get_or_create(
            tour=tours[f"tournee-des-villages-ete-{next_}"],
            cafe=lokorn,
            defaults={
                "applied_by": lokorn.managers.first(),
                "preferred_dates": "Un samedi de juillet, ou le 15 août",
                "message": "Nous avons un grand pré derrière le café et une salle de repli.",
            },
        )
    log(
        f"  Fonds Bien vieillir {past} et {next_} (25 000 € chacun, KLESIA), "
        f"{len(tours)} tournées des étés {past} et {next_}."
    )
