"""The network's public map (/carte/) and its GeoJSON: what the public may know of each
café, built once and cached until a café, its commune or the list of services changes."""

from __future__ import annotations

from dataclasses import dataclass
from itertools import groupby
from typing import Any

from django import forms
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_lazy as _

from community.cache import Generation

from .activity import upcoming_by_cafe
from .models import Cafe, Commune, Department, ProximityService, Region, Stage

# Generations keep the entries fresh; the timeout only bounds memory.
MAP_CACHE = Generation("places:map", timeout=24 * 3600)


@dataclass(frozen=True)
class MapCafe:
    """The public fields of a café on the map: nothing that is not on its public page."""

    pk: int
    name: str
    url: str
    address: str
    commune: str
    department_code: str
    department: str
    region_code: str
    region: str
    stage: str
    stage_label: str
    services: tuple[str, ...]  # slugs
    service_names: tuple[str, ...]
    latitude: float | None
    longitude: float | None


def _build() -> list[MapCafe]:
    cafes = (
        Cafe.objects.public()
        .select_related("commune__department__region")
        .prefetch_related("services")
        .order_by("commune__department__region__name", "commune__department__code", "name")
    )
    return [
        MapCafe(
            pk=cafe.pk,
            name=cafe.name,
            url=cafe.get_absolute_url(),
            address=cafe.address,
            commune=cafe.commune.name,
            department_code=cafe.commune.department.code,
            department=cafe.commune.department.name,
            region_code=cafe.commune.department.region.code,
            region=cafe.commune.department.region.name,
            stage=cafe.stage,
            stage_label=str(cafe.get_stage_display()),
            services=tuple(service.slug for service in cafe.services.all()),
            service_names=tuple(service.name for service in cafe.services.all()),
            latitude=float(cafe.latitude) if cafe.latitude is not None else None,
            longitude=float(cafe.longitude) if cafe.longitude is not None else None,
        )
        for cafe in cafes
    ]


def public_cafes() -> list[MapCafe]:
    return MAP_CACHE.get_or_build("cafes", _build)


for _model in (Cafe, Commune, Department, Region, ProximityService):
    post_save.connect(MAP_CACHE.invalidate, sender=_model, dispatch_uid=f"map:{_model.__name__}")
    post_delete.connect(
        MAP_CACHE.invalidate, sender=_model, dispatch_uid=f"map:{_model.__name__}:delete"
    )
m2m_changed.connect(MAP_CACHE.invalidate, sender=Cafe.services.through, dispatch_uid="map:services")


class MapFilterForm(forms.Form):
    """The map's filters, a GET form that works without JavaScript; the GeoJSON takes the
    same parameters. A value that names nothing is reported, and that filter ignored."""

    region = forms.ChoiceField(label=_("Région"), required=False)
    department = forms.ChoiceField(label=_("Département"), required=False)
    stage = forms.ChoiceField(
        label=_("Étape"), required=False, choices=[("", _("Toutes"))] + Stage.choices
    )
    services = forms.MultipleChoiceField(
        label=_("Services de proximité"), required=False, widget=forms.CheckboxSelectMultiple
    )
    upcoming = forms.BooleanField(label=_("Avec une animation à venir"), required=False)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.fields["region"].choices = [("", _("Toutes"))] + [
            (region.code, region.name) for region in Region.objects.all()
        ]
        self.fields["department"].choices = [("", _("Tous"))] + [
            (department.code, str(department)) for department in Department.objects.all()
        ]
        self.fields["services"].choices = [
            (service.slug, service.name) for service in ProximityService.objects.all()
        ]

    def selected(self, cafes: list[MapCafe]) -> tuple[list[MapCafe], set[int]]:
        """(the cafés the valid filters keep, the ids of cafés with a coming animation)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        upcoming = set(upcoming_by_cafe())
        kept = []
        for cafe in cafes:
            if data.get("region") and cafe.region_code != data["region"]:
                continue
            if data.get("department") and cafe.department_code != data["department"]:
                continue
            if data.get("stage") and cafe.stage != data["stage"]:
                continue
            if not set(data.get("services") or ()) <= set(cafe.services):
                continue
            if data.get("upcoming") and cafe.pk not in upcoming:
                continue
            kept.append(cafe)
        return kept, upcoming


def grouped(cafes: list[MapCafe]) -> list[tuple[str, list[tuple[str, list[MapCafe]]]]]:
    """[(region, [(department, cafés)])] in the order public_cafes() sorts them."""
    return [
        (
            region,
            [
                (f"{name} ({code})", list(items))
                for (code, name), items in groupby(
                    region_cafes, key=lambda c: (c.department_code, c.department)
                )
            ],
        )
        for region, region_cafes in (
            (region, list(items)) for region, items in groupby(cafes, key=lambda c: c.region)
        )
    ]


def feature_collection(cafes: list[MapCafe], upcoming: set[int]) -> dict[str, Any]:
    """GeoJSON (RFC 7946, longitude first) of the cafés that have coordinates."""
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": cafe.pk,
                "geometry": {"type": "Point", "coordinates": [cafe.longitude, cafe.latitude]},
                "properties": {
                    "name": cafe.name,
                    "url": cafe.url,
                    "address": cafe.address,
                    "commune": cafe.commune,
                    "department": cafe.department,
                    "region": cafe.region,
                    "stage": cafe.stage_label,
                    "services": list(cafe.service_names),
                    "upcoming": cafe.pk in upcoming,
                },
            }
            for cafe in cafes
            if cafe.latitude is not None and cafe.longitude is not None
        ],
    }
