"""Demo data for the events app, called by `manage.py seed_demo` after the cafés and accounts.

Idempotent: providers, funds and tours are looked up by name, bookings by café, kind and
first preferred date. Dates hang on last summer's and next summer's tours (and a few
animations the year before, for the impact dashboard), so running the seed again within a
season finds the same rows. Past animations are written as they would
have been recorded (the services refuse dates in the past, rightly).
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from decimal import Decimal

from django.core.files.base import ContentFile
from django.utils import timezone
from PIL import Image, ImageDraw

from community.accounts.models import User
from community.places.models import Cafe

from .models import (
    TRANSITIONS,
    AnimationKind,
    Booking,
    BookingEvent,
    BookingState,
    Fund,
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
        "Les Concerts de Poche",
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
PHOTO_COLOURS = {"chess-workshop": (59, 36, 22), "concert-de-poche": (154, 52, 18)}


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
    show: str = ""  # a tour stop when set
    reimbursed: str = ""  # approved amount from the Bien vieillir fund of that year


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
            "Les Concerts de Poche",
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
            lokorn, "shared-meal", date(past, 9, 26), 12, S.HELD, None, 34, reimbursed="420.00"
        ),
        DemoBooking(
            lokorn, "physical-activity", date(past, 6, 13), 10, S.CANCELLED, "Bouger au village"
        ),
        DemoBooking(
            "Le Café de la Place",
            "tournee-des-villages",
            date(past, 7, 18),
            21,
            S.HELD,
            "Ciné-Villages",
            140,
            public=True,
            show="Cinéma en plein air : Les Vacances de M. Hulot",
        ),
        DemoBooking(
            lokorn,
            "tournee-des-villages",
            date(past, 8, 8),
            21,
            S.HELD,
            "Compagnie du Petit Chapiteau",
            85,
            public=True,
            show="Théâtre : Le Médecin malgré lui",
        ),
        DemoBooking(
            "Le Cordes Café",
            "tournee-des-villages",
            date(past, 8, 22),
            21,
            S.HELD,
            "Compagnie du Petit Chapiteau",
            110,
            public=True,
            show="Théâtre : Le Médecin malgré lui",
        ),
        DemoBooking(
            tiranges,
            "concert-de-poche",
            date(next_, 4, 18),
            20,
            S.CONFIRMED,
            "Les Concerts de Poche",
            public=True,
        ),
        DemoBooking(tiranges, "first-aid-training", date(next_, 3, 14), 9, S.REQUESTED),
        DemoBooking(
            lokorn, "physical-activity", date(next_, 3, 5), 10, S.PROPOSED, "Bouger au village"
        ),
        DemoBooking(lokorn, "raconte-moi-ton-village", date(next_, 2, 7), 14, S.DECLINED),
        DemoBooking(
            tiranges,
            "tournee-des-villages",
            date(next_, 7, 10),
            21,
            S.CONFIRMED,
            "Compagnie du Petit Chapiteau",
            public=True,
            show="Théâtre en plein air : La Fontaine au village",
        ),
    ]


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


def _photo(colour: tuple[int, int, int], label: str) -> ContentFile:
    image = Image.new("RGB", (1200, 900), colour)
    ImageDraw.Draw(image).text((60, 60), label, fill=(251, 246, 238))
    output = io.BytesIO()
    image.save(output, format="JPEG", quality=85)
    return ContentFile(output.getvalue(), name="photo.jpg")


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
    for slug, colour in PHOTO_COLOURS.items():
        kind = AnimationKind.objects.get(slug=slug)
        if not kind.photos.exists():
            KindPhoto.objects.create(
                kind=kind, image=_photo(colour, kind.name), alt_text=f"{kind.name} dans un café"
            )


def _seed_funds(past: int, next_: int) -> dict[int, Fund]:
    kinds = AnimationKind.objects.filter(slug__in=BIEN_VIEILLIR_KINDS)
    funds = {}
    for year in (past, next_):
        fund, _ = Fund.objects.update_or_create(
            name="Fonds Bien vieillir",
            year=year,
            defaults={
                "partner": "Mutuelle partenaire du programme Bien vieillir",
                "budget": Decimal("25000.00"),
                "cap_per_cafe": Decimal("2500.00"),
                "description": "Ateliers nutrition, activité physique, premiers secours et "
                "repas partagés dans les cafés membres du programme.",
            },
        )
        fund.eligible_kinds.set(kinds)
        funds[year] = fund
    return funds


def _seed_tours(past: int, next_: int) -> dict[int, Tour]:
    kind = AnimationKind.objects.get(slug="tournee-des-villages")
    tours = {}
    for year in (past, next_):
        tours[year], _ = Tour.objects.update_or_create(
            slug=f"tournee-des-villages-ete-{year}",
            defaults={
                "name": f"Tournée des Villages — été {year}",
                "kind": kind,
                "season_start": date(year, 6, 1),
                "season_end": date(year, 9, 30),
                "applications_open": year == next_,
                "description": "Cinéma en plein air, théâtre et concerts de café en café, "
                "avec la Compagnie du Petit Chapiteau et Ciné-Villages.",
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
            TourStop.objects.create(tour=tours[item.day.year], booking=booking, show=item.show)
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
    tours = _seed_tours(past, next_)
    _seed_bookings(log, past, next_, providers, funds, tours)
    lokorn = Cafe.objects.filter(name="Ti Kafe Lokorn").first()
    if lokorn is not None and lokorn.managers.exists():
        HostApplication.objects.get_or_create(
            tour=tours[next_],
            cafe=lokorn,
            defaults={
                "applied_by": lokorn.managers.first(),
                "preferred_dates": "Un samedi de juillet, ou le 15 août",
                "message": "Nous avons un grand pré derrière le café et une salle de repli.",
            },
        )
    log(
        f"  Fonds Bien vieillir {past} et {next_} (25 000 € chacun), "
        f"tournées des étés {past} et {next_}."
    )
