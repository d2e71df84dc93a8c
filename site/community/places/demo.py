"""Demo content of the cafés' pages (called by `manage.py seed_demo`, after the cafés): the
services de proximité they offer, their hours and a few exceptions, so that the map and the
pages look like the network's."""

from __future__ import annotations

from collections.abc import Callable
from datetime import date, time

from django.db import transaction
from django.utils import timezone

from .models import (
    OPEN_STAGES,
    Cafe,
    HoursException,
    LegalForm,
    OpeningHours,
    ProximityService,
    Stage,
    Weekday,
)

DESCRIPTIONS = {
    LegalForm.ASSOCIATIVE: (
        "Un café associatif tenu par une équipe d'habitant·es et de bénévoles : on y boit un "
        "café, on y prend son pain, on y lit le journal et on s'y retrouve."
    ),
    LegalForm.MUNICIPAL: (
        "Rouvert par la commune avec l'accompagnement de 1000 cafés, le café est redevenu le "
        "lieu de rencontre du village et de ses services du quotidien."
    ),
    LegalForm.PRIVATE: (
        "Le café du village, tenu par son gérant ou sa gérante : un comptoir, une terrasse, "
        "une petite épicerie et des soirées ouvertes à tous."
    ),
    LegalForm.COOPERATIVE: (
        "Un café coopératif (SCIC) porté ensemble par des habitant·es, la commune et des "
        "producteurs du coin."
    ),
}
# Weekly patterns: (days, [(opens, closes)]).
PATTERNS = [
    [
        ((1, 2, 3, 4, 5), [(time(8), time(13)), (time(16), time(21))]),
        ((6,), [(time(8, 30), time(13))]),
    ],
    [((2, 3, 4, 5, 6), [(time(9), time(20))])],
    [
        ((0, 1, 2, 3, 4, 5), [(time(7, 30), time(14))]),
        ((4, 5), [(time(18), time(23))]),
    ],
]
SERVICE_SETS = [
    ["depot-de-pain", "epicerie", "relais-colis", "wifi"],
    ["depot-de-pain", "presse", "restauration"],
    ["produits-locaux", "point-poste", "wifi", "boite-a-livres"],
    ["restauration", "point-information-tourisme", "wifi"],
    ["epicerie", "aide-numerique", "depot-de-pain", "distributeur-de-billets"],
]


def _hours(cafe: Cafe, pattern: list) -> list[OpeningHours]:
    return [
        OpeningHours(cafe=cafe, weekday=day, opens=opens, closes=closes)
        for days, ranges in pattern
        for day in days
        for opens, closes in ranges
    ]


def _exceptions(cafe: Cafe, index: int) -> list[HoursException]:
    year = timezone.localdate().year
    if index % 3 == 2:
        return [
            HoursException(
                cafe=cafe,
                label="Fermé le lundi l'hiver",
                starts_on=date(year, 11, 1),
                ends_on=date(year + 1, 3, 31),
                weekday=Weekday.MONDAY,
            )
        ]
    if index % 4 == 1:
        return [
            HoursException(
                cafe=cafe,
                label="Congés annuels",
                starts_on=date(year + 1, 1, 5),
                ends_on=date(year + 1, 1, 19),
            )
        ]
    return []


@transaction.atomic
def seed(log: Callable[[str], None]) -> None:
    services = {service.slug: service for service in ProximityService.objects.all()}
    cafes = Cafe.objects.filter(needs_review=False).order_by("name")
    dressed = 0
    for index, cafe in enumerate(cafes):
        if cafe.stage == Stage.RECRUITMENT:
            # These communes agreed to show their project on the map.
            Cafe.objects.filter(pk=cafe.pk).update(show_in_progress=True)
        if cafe.stage not in OPEN_STAGES:
            continue
        cafe.description = cafe.description or DESCRIPTIONS.get(cafe.legal_form, "")
        cafe.save(update_fields=["description", "updated_at"])
        cafe.services.set(
            [services[slug] for slug in SERVICE_SETS[index % len(SERVICE_SETS)] if slug in services]
        )
        cafe.opening_hours.all().delete()
        OpeningHours.objects.bulk_create(_hours(cafe, PATTERNS[index % len(PATTERNS)]))
        cafe.hours_exceptions.all().delete()
        HoursException.objects.bulk_create(_exceptions(cafe, index))
        # The demo's managers agree to be named on their café's page.
        cafe.named_managers.set(cafe.managers.all())
        dressed += 1
    log(f"  {dressed} pages de cafés : services de proximité, horaires et exceptions")
