"""Import of past programming from a CSV file (`manage.py import_programming`).

One line per animation, header::

    date,kind,cafe,commune_insee,commune,department,provider,participants,status,tour,fund,reimbursed_eur

The file is read twice, streaming, in chunks of CHUNK_SIZE rows, so memory does not grow with
its length: lookups (communes by INSEE code, cafés by commune and name, providers, tours,
funds) go through caches of bounded size, and each chunk asks the database in one query per
table what it does not know yet.

1. `check_file` checks every row and reports every error with its line number; a file with
   one error imports nothing.
2. `import_file` writes in one transaction, chunk by chunk with bulk inserts. What a row names
   and the database lacks (commune, café, provider, tour, fund) is created and flagged
   « à vérifier » (needs_review) for staff. A row is identified by its date, kind and café
   (which stands for café and commune): the booking stores it in `import_key`, a unique
   index, so importing the same file again finds every row and creates nothing.

What a row becomes, so impact figures count it like any other animation: a Booking in the
row's state (held ones with their participants), dated at noon (Paris time) on the row's date
when the state holds a date; a TourStop when it names a tour; an approved Reimbursement of the
fund of that name and of the date's year when it names a fund. Its history holds one
"import" step naming the file and the line. Nobody is e-mailed: these animations are over or
were arranged before the platform.
"""

from __future__ import annotations

import re
from collections import OrderedDict
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from datetime import date, datetime, time
from decimal import Decimal
from pathlib import Path
from typing import Generic, TypeVar

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from community.lib import searchable
from community.lib.formats import euros, number
from community.places.map import refresh_after_bulk_write
from community.places.models import INSEE_CODE_PATTERN, Cafe, Commune, Department
from community.places.normalize import search_key
from community.spreadsheet import count, read_rows, restore_leading_zero

from .models import (
    IMPORT_ACTION,
    AnimationKind,
    Booking,
    BookingEvent,
    BookingState,
    Fund,
    Provider,
    Reimbursement,
    Tour,
    TourStop,
)
from .services import MAX_PARTICIPANTS

HEADER = [
    "date",
    "kind",
    "cafe",
    "commune_insee",
    "commune",
    "department",
    "provider",
    "participants",
    "status",
    "tour",
    "fund",
    "reimbursed_eur",
]
STATUSES = {
    "requested": BookingState.REQUESTED,
    "confirmed": BookingState.CONFIRMED,
    "held": BookingState.HELD,
    "cancelled": BookingState.CANCELLED,
    "declined": BookingState.DECLINED,
}
# States in which a booking has a slot (starts_at); a request or a refusal only had wishes.
DATED_STATES = {BookingState.CONFIRMED, BookingState.HELD, BookingState.CANCELLED}
# Past programming has a day, not an hour: noon keeps the day whatever the time zone.
IMPORTED_TIME = time(12, 0)

# 500 rows × at most 9 columns per bulk insert stays far below PostgreSQL's 65,535 parameters
# and SQLite's 32,766, and a chunk's IN (...) lists stay short.
CHUNK_SIZE = 500
# Enough for every commune of a département or two, and bounded whatever the file's length.
CACHE_SIZE = 10_000
PROGRESS_EVERY = 5_000

DATE_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")
AMOUNT_PATTERN = re.compile(r"^\d{1,8}(?:[.,]\d{1,2})?$")
MAX_NAME = 150


K = TypeVar("K")
V = TypeVar("V")


class BoundedCache(Generic[K, V]):
    """A dict that forgets its least recently used entries beyond `size`."""

    def __init__(self, size: int = CACHE_SIZE) -> None:
        self.size = size
        self._data: OrderedDict[K, V] = OrderedDict()

    def __contains__(self, key: K) -> bool:
        return key in self._data

    def get(self, key: K, default: V | None = None) -> V | None:
        if key not in self._data:
            return default
        self._data.move_to_end(key)
        return self._data[key]

    def __setitem__(self, key: K, value: V) -> None:
        self._data[key] = value
        self._data.move_to_end(key)
        if len(self._data) > self.size:
            self._data.popitem(last=False)


@dataclass(frozen=True)
class Row:
    """One valid line of the file, its values cleaned."""

    line: int
    day: date
    kind: str
    cafe: str
    cafe_key: str
    insee: str
    commune: str
    department: str
    provider: str
    participants: int | None
    state: str
    tour: str
    fund: str
    amount: Decimal | None

    @property
    def starts_at(self) -> datetime:
        return timezone.make_aware(datetime.combine(self.day, IMPORTED_TIME))


@dataclass
class Report:
    rows: int = 0
    created: int = 0
    present: int = 0
    communes: int = 0
    cafes: int = 0
    providers: int = 0
    tours: int = 0
    funds: int = 0
    reimbursements: int = 0
    warnings: list[str] = field(default_factory=list)

    def summary(self, dry_run: bool = False) -> str:
        done = ("vérifiée", "vérifiées") if dry_run else ("importée", "importées")
        made = ("à créer", "à créer") if dry_run else ("créée", "créées")
        lines = [
            f"{count(self.rows, 'ligne ' + done[0], 'lignes ' + done[1])} : "
            f"{count(self.created, 'animation ' + made[0], 'animations ' + made[1])}, "
            f"{count(self.present, 'déjà présente', 'déjà présentes')}."
        ]
        flagged = [
            count(self.communes, "commune", "communes"),
            count(self.cafes, "café", "cafés"),
            count(self.providers, "prestataire", "prestataires"),
            count(self.tours, "tournée", "tournées"),
            count(self.funds, "fonds", "fonds"),
        ]
        if created := [text for text in flagged if not text.startswith("0 ")]:
            lines.append(
                f"{'À créer' if dry_run else 'Créés'}, marqués « à vérifier » : "
                f"{', '.join(created)}."
            )
        if self.reimbursements:
            lines.append(
                count(self.reimbursements, "remboursement accordé", "remboursements accordés")
                + " enregistrés tels quels, sans facture."
            )
        lines.extend(self.warnings)
        if dry_run:
            lines.append("Simulation (--dry-run) : rien n'a été enregistré.")
        return "\n".join(lines)


def department_of(insee: str) -> str:
    """The département an INSEE code belongs to: 81004 → 81, 2A004 → 2A, 97101 → 971."""
    return insee[:3] if insee.startswith(("97", "98")) else insee[:2]


def _parse(line: int, cells: list[str], kinds: dict[str, AnimationKind]) -> Row | list[str]:
    """The row's values, or the French messages of what is wrong in the row by itself."""
    if len(cells) != len(HEADER):
        return [f"{len(HEADER)} colonnes attendues, {len(cells)} trouvées"]
    values = dict(zip(HEADER, (cell.strip() for cell in cells), strict=True))
    errors: list[str] = []

    day = None
    if not DATE_PATTERN.match(values["date"]):
        errors.append(f"date « {values['date']} » invalide : attendu AAAA-MM-JJ, ex. 2025-06-14")
    else:
        try:
            day = date.fromisoformat(values["date"])
        except ValueError:
            errors.append(f"la date « {values['date']} » n'existe pas")

    if values["kind"] not in kinds:
        errors.append(
            f"type d'animation « {values['kind']} » inconnu ; types du catalogue : "
            f"{', '.join(sorted(kinds))}"
        )

    state = STATUSES.get(values["status"])
    if state is None:
        errors.append(
            f"statut « {values['status']} » inconnu ; statuts possibles : {', '.join(STATUSES)}"
        )
    elif state == BookingState.HELD and day is not None and day > timezone.localdate():
        errors.append("une animation réalisée (held) ne peut pas être datée dans le futur")

    for column, label in (("cafe", "le café"), ("commune_insee", "le code INSEE de la commune")):
        if not values[column]:
            errors.append(f"{label} est obligatoire")
    for column in ("cafe", "commune", "provider", "tour", "fund"):
        if len(values[column]) > MAX_NAME:
            errors.append(f"{column} : {MAX_NAME} caractères au plus")

    insee = restore_leading_zero(values["commune_insee"].upper(), 5)
    department = restore_leading_zero(values["department"].upper(), 2)
    if insee and not INSEE_CODE_PATTERN.match(insee):
        errors.append(f"code INSEE « {values['commune_insee']} » invalide (ex. 81004, 2A004)")
    elif insee and department and department_of(insee) != department:
        errors.append(
            f"le code INSEE {insee} n'est pas dans le département {department} : "
            f"il est dans le {department_of(insee)}"
        )

    participants = None
    raw = values["participants"]
    if state == BookingState.HELD:
        if not raw:
            errors.append("nombre de participants obligatoire pour une animation réalisée (held)")
        elif not raw.isdigit() or int(raw) > MAX_PARTICIPANTS:
            errors.append(
                f"nombre de participants « {raw} » invalide : un entier de 0 à "
                f"{number(MAX_PARTICIPANTS)}"
            )
        else:
            participants = int(raw)
    elif raw and state is not None:
        errors.append("le nombre de participants ne s'indique que pour une animation réalisée")

    amount = None
    fund, reimbursed = values["fund"], values["reimbursed_eur"]
    if bool(fund) != bool(reimbursed):
        errors.append("indiquez le fonds et le montant remboursé, ou aucun des deux")
    if reimbursed:
        if not AMOUNT_PATTERN.match(reimbursed):
            errors.append(f"montant « {reimbursed} » invalide : en euros, ex. 120, 12.50 ou 12,50")
        elif (amount := Decimal(reimbursed.replace(",", "."))) <= 0:
            errors.append("le montant remboursé doit être supérieur à zéro")
    if fund and state is not None and state != BookingState.HELD:
        errors.append("seule une animation réalisée (held) peut avoir été remboursée")

    if errors:
        return errors
    return Row(
        line=line,
        day=day,
        kind=values["kind"],
        cafe=values["cafe"],
        cafe_key=search_key(values["cafe"]),
        insee=insee,
        commune=values["commune"],
        department=department,
        provider=values["provider"],
        participants=participants,
        state=state,
        tour=values["tour"],
        fund=fund,
        amount=amount,
    )


def _chunks(
    path: Path, kinds: dict[str, AnimationKind], on_error: Callable[[str], None] | None
) -> Iterator[list[Row]]:
    chunk: list[Row] = []
    for line, cells in read_rows(path, HEADER):
        parsed = _parse(line, cells, kinds)
        if isinstance(parsed, Row):
            chunk.append(parsed)
        elif on_error is not None:
            for message in parsed:
                on_error(f"ligne {line} : {message}.")
        if len(chunk) == CHUNK_SIZE:
            yield chunk
            chunk = []
    if chunk:
        yield chunk


def _kinds() -> dict[str, AnimationKind]:
    return {kind.slug: kind for kind in AnimationKind.objects.all()}


def _load_communes(codes: set[str]) -> dict[str, Commune]:
    return {
        commune.insee_code: commune
        for commune in Commune.objects.filter(insee_code__in=codes).only(
            "pk", "insee_code", "name", "department_id"
        )
    }


def check_file(
    path: Path, on_error: Callable[[str], None], progress: Callable[[int], None] | None = None
) -> int:
    """Check every row against the catalogue and the places; return the number of errors.

    Each error goes to `on_error` as soon as it is found (« ligne 12 : … »), so a file full
    of mistakes does not fill memory either.
    """
    errors = 0

    def error(message: str) -> None:
        nonlocal errors
        errors += 1
        on_error(message)

    kinds = _kinds()
    departments = set(Department.objects.values_list("code", flat=True))
    # INSEE code → normalized name: the database's, or the first row's for a new commune.
    communes: BoundedCache[str, str] = BoundedCache()
    tour_kinds: BoundedCache[str, str | None] = BoundedCache(1000)
    rows = 0
    for chunk in _chunks(path, kinds, error):
        unknown = {row.insee for row in chunk if row.insee not in communes}
        for code, commune in _load_communes(unknown).items():
            communes[code] = search_key(commune.name)
        for row in chunk:
            rows += 1
            if progress and rows % PROGRESS_EVERY == 0:
                progress(rows)
            _check_places(row, communes, departments, error)
            _check_tour(row, kinds, tour_kinds, error)
    return errors


def _check_places(
    row: Row,
    communes: BoundedCache[str, str],
    departments: set[str],
    error: Callable[[str], None],
) -> None:
    known = communes.get(row.insee)
    if known is None:
        if not row.commune:
            error(
                f"ligne {row.line} : la commune {row.insee} n'existe pas encore ; "
                "indiquez son nom pour la créer."
            )
        elif department_of(row.insee) not in departments:
            error(
                f"ligne {row.line} : département {department_of(row.insee)} inconnu ; "
                "importez d'abord les communes officielles (manage.py import_communes)."
            )
        else:
            communes[row.insee] = search_key(row.commune)
    elif row.commune and search_key(row.commune) != known:
        error(
            f"ligne {row.line} : le code INSEE {row.insee} est celui d'une autre commune "
            f"que « {row.commune} » ; vérifiez le code ou le nom."
        )


def _check_tour(
    row: Row,
    kinds: dict[str, AnimationKind],
    tour_kinds: BoundedCache[str, str | None],
    error: Callable[[str], None],
) -> None:
    if not row.tour:
        return
    if row.tour not in tour_kinds:
        existing = Tour.objects.filter(name=row.tour).select_related("kind").first()
        tour_kinds[row.tour] = existing.kind.slug if existing else None
    expected = tour_kinds.get(row.tour)
    if expected is None:
        # A new tour takes the programme of its first row.
        tour_kinds[row.tour] = row.kind
    elif expected != row.kind:
        error(
            f"ligne {row.line} : la tournée « {row.tour} » programme « {kinds[expected].name} », "
            f"pas « {kinds[row.kind].name} »."
        )


class _Writer:
    """Creates what a chunk of valid rows needs, then its bookings; one instance per import."""

    def __init__(self, source: str, report: Report) -> None:
        self.source = source
        self.report = report
        self.kinds = _kinds()
        self.departments = dict(Department.objects.values_list("code", "pk"))
        self.communes: BoundedCache[str, int] = BoundedCache()
        self.cafes: BoundedCache[tuple[int, str], int] = BoundedCache(2 * CACHE_SIZE)
        self.providers: BoundedCache[str, int] = BoundedCache(1000)
        self.tours: BoundedCache[str, int] = BoundedCache(1000)
        self.funds: BoundedCache[tuple[str, int], int] = BoundedCache(1000)
        # What this import created and must finish at the end (few: one per name).
        self.new_tour_seasons: dict[int, tuple[date, date]] = {}
        self.new_funds: set[int] = set()
        self.new_providers: set[int] = set()
        self.touched_funds: set[int] = set()
        self.touched_tours: set[int] = set()
        self.new_cafes: list[int] = []
        self.linked_kinds: set[tuple[str, int, int]] = set()

    # -- places

    def _commune_ids(self, chunk: list[Row]) -> None:
        missing = {row.insee for row in chunk if row.insee not in self.communes}
        if not missing:
            return
        for code, commune in _load_communes(missing).items():
            self.communes[code] = commune.pk
        new: dict[str, Commune] = {}
        for row in chunk:
            if row.insee not in self.communes and row.insee not in new:
                new[row.insee] = Commune(
                    insee_code=row.insee,
                    name=row.commune,
                    department_id=self.departments[department_of(row.insee)],
                    needs_review=True,
                )
        for commune in Commune.objects.bulk_create(new.values()):
            self.communes[commune.insee_code] = commune.pk
        self.report.communes += len(new)

    def _cafe_ids(self, chunk: list[Row]) -> dict[int, int]:
        """Row line → café id, creating the cafés the database lacks."""
        keys = {(self.communes.get(row.insee), row.cafe_key) for row in chunk}
        missing = {key for key in keys if key not in self.cafes}
        if missing:
            commune_ids = {commune_id for commune_id, _key in missing}
            # Two cafés of the same name in a commune: the older one is the row's.
            for cafe in (
                Cafe.objects.filter(commune_id__in=commune_ids)
                .only("pk", "name", "commune_id")
                .order_by("-pk")
            ):
                self.cafes[(cafe.commune_id, search_key(cafe.name))] = cafe.pk
            new: dict[tuple[int, str], Cafe] = {}
            for row in chunk:
                key = (self.communes.get(row.insee), row.cafe_key)
                if key not in self.cafes and key not in new:
                    new[key] = Cafe(name=row.cafe, commune_id=key[0], needs_review=True)
            for key, cafe in zip(new, Cafe.objects.bulk_create(new.values()), strict=True):
                self.cafes[key] = cafe.pk
                self.new_cafes.append(cafe.pk)
            self.report.cafes += len(new)
        return {
            row.line: self.cafes.get((self.communes.get(row.insee), row.cafe_key)) for row in chunk
        }

    # -- names: few distinct, looked up one by one

    def _link_kind(self, what: str, owner_id: int, kind: AnimationKind) -> None:
        if (what, owner_id, kind.pk) in self.linked_kinds:
            return
        self.linked_kinds.add((what, owner_id, kind.pk))
        if what == "provider":
            kind.providers.add(owner_id)
        else:
            kind.funds.add(owner_id)

    def provider_id(self, row: Row) -> int | None:
        if not row.provider:
            return None
        if row.provider not in self.providers:
            provider, created = Provider.objects.get_or_create(
                name=row.provider,
                defaults={"type": Provider.Type.COMPANY, "needs_review": True},
            )
            self.providers[row.provider] = provider.pk
            if created:
                self.new_providers.add(provider.pk)
                self.report.providers += 1
        provider_id = self.providers.get(row.provider)
        if provider_id in self.new_providers:
            # What it delivered, so staff can book it again for the same kinds.
            self._link_kind("provider", provider_id, self.kinds[row.kind])
        return provider_id

    def tour_id(self, row: Row) -> int | None:
        if not row.tour:
            return None
        if row.tour not in self.tours:
            tour = Tour.objects.filter(name=row.tour).first()
            if tour is None:
                tour = Tour.objects.create(
                    name=row.tour,
                    slug=self._free_tour_slug(row.tour),
                    kind=self.kinds[row.kind],
                    season_start=row.day,
                    season_end=row.day,
                    applications_open=False,
                    needs_review=True,
                )
                self.new_tour_seasons[tour.pk] = (row.day, row.day)
                self.report.tours += 1
            self.tours[row.tour] = tour.pk
        tour_id = self.tours.get(row.tour)
        if tour_id in self.new_tour_seasons:
            first, last = self.new_tour_seasons[tour_id]
            self.new_tour_seasons[tour_id] = (min(first, row.day), max(last, row.day))
        return tour_id

    @staticmethod
    def _free_tour_slug(name: str) -> str:
        base = slugify(name)[:45] or "tournee"
        slug, n = base, 1
        while Tour.objects.filter(slug=slug).exists():
            n += 1
            slug = f"{base}-{n}"
        return slug

    def fund_id(self, row: Row) -> int | None:
        if not row.fund:
            return None
        key = (row.fund, row.day.year)
        if key not in self.funds:
            fund, created = Fund.objects.get_or_create(
                name=row.fund,
                year=row.day.year,
                defaults={"budget": Decimal(0), "needs_review": True},
            )
            self.funds[key] = fund.pk
            if created:
                self.new_funds.add(fund.pk)
                self.report.funds += 1
        fund_id = self.funds.get(key)
        if fund_id in self.new_funds:
            self._link_kind("fund", fund_id, self.kinds[row.kind])
        return fund_id

    # -- bookings

    def write(self, chunk: list[Row]) -> None:
        self._commune_ids(chunk)
        cafe_ids = self._cafe_ids(chunk)
        keyed: dict[str, Row] = {}
        for row in chunk:
            keyed.setdefault(f"{row.day.isoformat()}:{row.kind}:{cafe_ids[row.line]}", row)
        present = set(
            Booking.objects.filter(import_key__in=keyed).values_list("import_key", flat=True)
        )
        self.report.rows += len(chunk)
        new_rows = [(key, row) for key, row in keyed.items() if key not in present]
        self.report.created += len(new_rows)
        self.report.present += len(chunk) - len(new_rows)
        now = timezone.now()
        bookings = Booking.objects.bulk_create(
            self._booking(key, row, cafe_ids[row.line], now) for key, row in new_rows
        )
        events, stops, claims = [], [], []
        for booking, (_key, row) in zip(bookings, new_rows, strict=True):
            events.append(
                BookingEvent(
                    booking=booking,
                    action=IMPORT_ACTION,
                    to_state=booking.state,
                    at=now,
                    starts_at=booking.starts_at,
                    note=f"Importée depuis {self.source}, ligne {row.line}.",
                )
            )
            if tour_id := self.tour_id(row):
                self.touched_tours.add(tour_id)
                stops.append(
                    TourStop(tour_id=tour_id, booking=booking, show=self.kinds[row.kind].name)
                )
            if fund_id := self.fund_id(row):
                self.touched_funds.add(fund_id)
                claims.append(
                    Reimbursement(
                        booking=booking,
                        fund_id=fund_id,
                        state=Reimbursement.State.APPROVED,
                        requested_amount=row.amount,
                        approved_amount=row.amount,
                        claimed_at=now,
                        decided_at=now,
                        note="Remboursement importé de la programmation passée.",
                    )
                )
        BookingEvent.objects.bulk_create(events)
        TourStop.objects.bulk_create(stops)
        Reimbursement.objects.bulk_create(claims)
        self.report.reimbursements += len(claims)

    def _booking(self, key: str, row: Row, cafe_id: int, now: datetime) -> Booking:
        kind = self.kinds[row.kind]
        starts_at = row.starts_at
        dated = row.state in DATED_STATES
        return Booking(
            import_key=key,
            cafe_id=cafe_id,
            kind=kind,
            provider_id=self.provider_id(row),
            state=row.state,
            preferred_1=starts_at,
            starts_at=starts_at if dated else None,
            ends_at=starts_at + kind.duration if dated else None,
            participants=row.participants,
            # Lists sort bookings by creation: old programming goes below today's requests.
            created_at=min(starts_at, now),
        )

    def finish(self) -> None:
        for tour_id, (first, last) in self.new_tour_seasons.items():
            Tour.objects.filter(pk=tour_id).update(season_start=first, season_end=last)
        for fund in Fund.objects.filter(pk__in=self.touched_funds):
            paid = fund.approved_total()
            if fund.pk in self.new_funds:
                # Its budget is unknown: what it paid, so it shows nothing left to spend.
                Fund.objects.filter(pk=fund.pk).update(budget=paid)
            elif paid > fund.budget:
                Fund.objects.filter(pk=fund.pk).update(needs_review=True)
                self.report.warnings.append(
                    f"Attention : le {fund} a maintenant accordé {euros(paid)} pour un budget "
                    f"de {euros(fund.budget)} ; il est marqué « à vérifier »."
                )
        # Bulk writes send no signal: the search documents, the map (its cafés and « animation
        # à venir ») and the visitors' cached agenda are told here, after commit.
        searchable.mark_stale(Tour, self.touched_tours)
        searchable.mark_stale(Cafe, self.new_cafes)
        refresh_after_bulk_write()


def import_file(
    path: Path, *, dry_run: bool = False, progress: Callable[[int], None] | None = None
) -> Report:
    """Import a file `check_file` found valid, in one transaction; roll back when dry_run."""
    report = Report()
    with transaction.atomic():
        writer = _Writer(path.name, report)
        done = 0
        for chunk in _chunks(path, writer.kinds, on_error=None):
            writer.write(chunk)
            if progress and done // PROGRESS_EVERY != report.rows // PROGRESS_EVERY:
                progress(report.rows)
            done = report.rows
        writer.finish()
        if dry_run:
            transaction.set_rollback(True)
    return report
