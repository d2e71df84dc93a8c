"""Demo content of the cafés' pages (called by `manage.py seed_demo`, after the cafés): the
services de proximité they offer, their hours and a few exceptions, read from
demo_data/cafes.yaml, so that the map and the pages look like the network's."""

from __future__ import annotations

from datetime import time
from typing import Any

from django.db import transaction
from django.utils import timezone

from community.lib.demo import DemoData, Log, relative_day

from .models import (
    OPEN_STAGES,
    Cafe,
    HoursException,
    OpeningHours,
    ProximityService,
)

DATA = DemoData(__file__)


def _hours(cafe: Cafe, pattern: list[dict[str, Any]]) -> list[OpeningHours]:
    return [
        OpeningHours(
            cafe=cafe,
            weekday=day,
            opens=time.fromisoformat(opens),
            closes=time.fromisoformat(closes),
        )
        for part in pattern
        for day in part["days"]
        for opens, closes in part["ranges"]
    ]


def _exceptions(cafe: Cafe, index: int, rules: list[dict[str, Any]]) -> list[HoursException]:
    year = timezone.localdate().year
    years = {"this": year, "next": year + 1}
    for rule in rules:
        if index % rule["every"] == rule["at"]:
            return [
                HoursException(
                    cafe=cafe,
                    label=rule["label"],
                    starts_on=relative_day(rule["starts_on"], years),
                    ends_on=relative_day(rule["ends_on"], years),
                    weekday=rule.get("weekday"),
                )
            ]
    return []


@transaction.atomic
def seed(log: Log) -> None:
    data = DATA.read("cafes")
    services = {service.slug: service for service in ProximityService.objects.all()}
    cafes = Cafe.objects.filter(needs_review=False).order_by("name")
    dressed = 0
    for index, cafe in enumerate(cafes):
        if cafe.stage not in OPEN_STAGES:
            continue
        cafe.description = cafe.description or data["descriptions"].get(cafe.legal_form, "")
        cafe.save(update_fields=["description", "updated_at"])
        cafe.services.set(
            [
                services[slug]
                for slug in data["services"][index % len(data["services"])]
                if slug in services
            ]
        )
        cafe.opening_hours.all().delete()
        OpeningHours.objects.bulk_create(_hours(cafe, data["hours"][index % len(data["hours"])]))
        cafe.hours_exceptions.all().delete()
        HoursException.objects.bulk_create(_exceptions(cafe, index, data["exceptions"]))
        # The demo's managers agree to be named on their café's page.
        cafe.named_managers.set(cafe.managers.all())
        dressed += 1
    log(f"  {dressed} pages de cafés : services de proximité, horaires et exceptions")
