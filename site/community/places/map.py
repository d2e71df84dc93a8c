"""The network's public map (/carte/) and its GeoJSON: what the public may know of each
café, built once and cached until a café, its commune or the list of services changes.

Other core apps add their own points through register_source (the communes' journey adds
the projects in progress whose commune agreed, before any café exists) and invalidate
MAP_CACHE when what they add changes: places does not import them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from itertools import groupby
from typing import Any

from django import forms
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.utils.translation import gettext_lazy as _

from community import page_cache
from community.cache import Generation

from .activity import upcoming_by_cafe
from .models import OPEN_STAGES, Cafe, Commune, Department, ProximityService, Region, Stage

# Generations keep the entries fresh; the timeout only bounds memory.
MAP_CACHE = Generation("places:map", timeout=24 * 3600)


def refresh_after_bulk_write() -> None:
    """Bulk writes (bulk_create, bulk_update, update()) send no signal: their caller outdates
    the map and the visitors' whole-page cache here, both after the commit."""
    MAP_CACHE.invalidate()
    page_cache.content_changed()


@dataclass(frozen=True)
class MapCafe:
    """The public fields of a café on the map: nothing that is not on its public page.

    A project shown before its café exists is one too (kind « project », no page: url "").
    approximate: the point is the commune's centre, the café's own place being unknown."""

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
    approximate: bool = False
    kind: str = "cafe"

    @property
    def key(self) -> str:
        """Unique among all points (a café and a project may share a pk)."""
        return f"{self.kind}-{self.pk}"

    @property
    def is_placed(self) -> bool:
        return self.latitude is not None and self.longitude is not None

    @property
    def is_open(self) -> bool:
        return self.stage in OPEN_STAGES


def map_point(
    commune: Commune,
    position: tuple[float, float, bool] | None,
    **fields: Any,
) -> MapCafe:
    """A point of the map in `commune`, at `position` (see Cafe.position, Commune.centre)."""
    department = commune.department
    latitude, longitude, approximate = position or (None, None, False)
    return MapCafe(
        commune=commune.name,
        department_code=department.code,
        department=department.name,
        region_code=department.region.code,
        region=department.region.name,
        latitude=latitude,
        longitude=longitude,
        approximate=approximate,
        **fields,
    )


_sources: list[Callable[[], Iterable[MapCafe]]] = []


def register_source(source: Callable[[], Iterable[MapCafe]]) -> None:
    """Add the points `source()` returns to the map (called by an AppConfig.ready)."""
    if source not in _sources:
        _sources.append(source)


def _cafes() -> list[MapCafe]:
    cafes = (
        Cafe.objects.public()
        .select_related("commune__department__region")
        .prefetch_related("services")
    )
    return [
        map_point(
            cafe.commune,
            cafe.position,
            pk=cafe.pk,
            name=cafe.name,
            url=cafe.get_absolute_url(),
            address=cafe.address,
            stage=cafe.stage,
            stage_label=str(cafe.get_stage_display()),
            services=tuple(service.slug for service in cafe.services.all()),
            service_names=tuple(service.name for service in cafe.services.all()),
        )
        for cafe in cafes
    ]


def _build() -> list[MapCafe]:
    points = _cafes()
    for source in _sources:
        points.extend(source())
    return sorted(points, key=lambda p: (p.region, p.department_code, p.name, p.key))


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

    def selected(self, cafes: list[MapCafe]) -> tuple[list[MapCafe], set[str]]:
        """(the points the valid filters keep, the keys of cafés with a coming animation)."""
        self.is_valid()
        data = getattr(self, "cleaned_data", {})
        upcoming = {f"cafe-{pk}" for pk in upcoming_by_cafe()}
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
            if data.get("upcoming") and cafe.key not in upcoming:
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


def feature_collection(cafes: list[MapCafe], upcoming: set[str]) -> dict[str, Any]:
    """GeoJSON (RFC 7946, longitude first) of the points that have coordinates."""
    return {
        "type": "FeatureCollection",
        "features": [
            {
                "type": "Feature",
                "id": cafe.key,
                "geometry": {"type": "Point", "coordinates": [cafe.longitude, cafe.latitude]},
                "properties": {
                    "kind": cafe.kind,
                    "approximate": cafe.approximate,
                    "name": cafe.name,
                    "url": cafe.url,
                    "address": cafe.address,
                    "commune": cafe.commune,
                    "department": cafe.department,
                    "region": cafe.region,
                    "stage": cafe.stage_label,
                    "services": list(cafe.service_names),
                    "upcoming": cafe.key in upcoming,
                },
            }
            for cafe in cafes
            if cafe.is_placed
        ],
    }
