"""Import of the accompaniment history kept in spreadsheets (`manage.py import_accompaniment`).

One line per application, header::

    commune_insee,commune,applied_on,decision,decided_on,prefiguration_on,definition_on,recrutement_on,ouverture_on,exploitation_on,cafe

The same contract as `import_programming`: every line is checked first and every error
reported in French with its line number; a file with one error writes nothing; otherwise
everything is written in one transaction. A line is identified by its commune and
`applied_on` (the application is stored `imported`, under a unique constraint), so importing
the same file again finds every line and changes nothing.

What a line becomes: an Application received on `applied_on`, with its decision dated
`decided_on`; for an accepted one, the Project with one StageEntry per stage date, and, once
it reached « ouverture », the Cafe of that name in the commune (created and flagged « à
vérifier » when missing), whose stage follows the project's. Nobody is e-mailed.
"""

from __future__ import annotations

import datetime
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify

from community.lib import searchable
from community.places.map import refresh_after_bulk_write
from community.places.models import INSEE_CODE_PATTERN, Cafe, Commune, Stage
from community.places.normalize import search_key
from community.spreadsheet import count, read_rows, restore_leading_zero

from .models import (
    Application,
    ApplicationDecision,
    ApplicationStatus,
    Premises,
    Project,
    Situation,
    StageEntry,
)

HEADER = [
    "commune_insee",
    "commune",
    "applied_on",
    "decision",
    "decided_on",
    "prefiguration_on",
    "definition_on",
    "recrutement_on",
    "ouverture_on",
    "exploitation_on",
    "cafe",
]
DECISIONS = {
    "pending": ApplicationStatus.RECEIVED,
    "waiting": ApplicationStatus.WAITING,
    "accepted": ApplicationStatus.ACCEPTED,
    "refused": ApplicationStatus.REFUSED,
}
STAGE_COLUMNS = {
    "prefiguration_on": Stage.PREFIGURATION,
    "definition_on": Stage.DEFINITION,
    "recrutement_on": Stage.RECRUITMENT,
    "ouverture_on": Stage.OPENING,
    "exploitation_on": Stage.OPERATION,
}
DATE_PATTERN = re.compile(r"^\d{4}-\d{2}-\d{2}$")
MAX_CAFE_NAME = 150
CHUNK_SIZE = 500
PROGRESS_EVERY = 1_000


@dataclass(frozen=True)
class Row:
    line: int
    insee: str
    commune_name: str
    applied_on: datetime.date
    decision: str
    decided_on: datetime.date | None
    stages: tuple[tuple[str, datetime.date], ...]
    cafe: str

    @property
    def key(self) -> tuple[str, datetime.date]:
        return (self.insee, self.applied_on)

    @property
    def stage(self) -> str:
        return self.stages[-1][0] if self.stages else Stage.APPLICATION


@dataclass
class ImportReport:
    applications: int = 0
    projects: int = 0
    cafes: int = 0
    unchanged: int = 0

    def summary(self, *, dry_run: bool) -> str:
        verb = "seraient créés" if dry_run else "créés"
        return (
            f"{count(self.applications, 'candidature', 'candidatures')}, "
            f"{count(self.projects, 'projet', 'projets')}, "
            f"{count(self.cafes, 'café', 'cafés')} {verb} ; "
            f"{count(self.unchanged, 'ligne déjà importée', 'lignes déjà importées')}."
        )


def _date(values: dict[str, str], column: str, errors: list[str]) -> datetime.date | None:
    text = values[column]
    if not text:
        return None
    if not DATE_PATTERN.match(text):
        errors.append(f"{column} « {text} » invalide : attendu AAAA-MM-JJ, ex. 2024-03-15")
        return None
    try:
        return datetime.date.fromisoformat(text)
    except ValueError:
        errors.append(f"{column} : la date « {text} » n'existe pas")
        return None


def parse_row(line: int, cells: list[str], today: datetime.date) -> Row | list[str]:
    """The line's values, or the French messages of what is wrong in the line by itself."""
    if len(cells) != len(HEADER):
        return [f"{len(HEADER)} colonnes attendues, {len(cells)} trouvées"]
    values = dict(zip(HEADER, (cell.strip() for cell in cells), strict=True))
    errors: list[str] = []

    insee = restore_leading_zero(values["commune_insee"].upper(), 5)
    if not INSEE_CODE_PATTERN.match(insee):
        errors.append(f"code INSEE « {values['commune_insee']} » invalide (ex. 81004, 2A004)")
    if not values["commune"]:
        errors.append("le nom de la commune manque")

    applied_on = _date(values, "applied_on", errors)
    if applied_on is None and not values["applied_on"]:
        errors.append("applied_on (date de candidature) manque")
    decision = values["decision"]
    if decision not in DECISIONS:
        errors.append(
            f"décision « {decision} » inconnue : pending, waiting, accepted ou refused attendu"
        )
    decided_on = _date(values, "decided_on", errors)
    if decision == "pending" and values["decided_on"]:
        errors.append("une candidature pending (à étudier) n'a pas de date de décision")
    if decision in DECISIONS and decision != "pending" and not values["decided_on"]:
        errors.append(f"decided_on (date de décision) manque pour la décision {decision}")

    stages: list[tuple[str, datetime.date]] = []
    missing: str | None = None
    for column, stage in STAGE_COLUMNS.items():
        day = _date(values, column, errors)
        if not values[column]:
            missing = missing or column
            continue
        if decision != "accepted":
            errors.append(f"{column} : seule une candidature accepted a des dates d'étapes")
            continue
        if missing:
            errors.append(f"{column} est renseignée mais pas {missing}, une étape précédente")
            missing = None
        if day is None:
            continue
        if stages and day < stages[-1][1]:
            errors.append(f"{column} ({day}) est avant l'étape précédente ({stages[-1][1]})")
        stages.append((stage, day))

    columns = {stage: column for column, stage in STAGE_COLUMNS.items()}
    dated = [("decided_on", decided_on), *((columns[stage], day) for stage, day in stages)]
    for column, day in dated:
        if day is None:
            continue
        if applied_on and day < applied_on:
            errors.append(f"{column} : le {day} est avant la candidature ({applied_on})")
        if day > today:
            errors.append(f"{column} : le {day} est dans le futur")
    if applied_on and applied_on > today:
        errors.append(f"applied_on : le {applied_on} est dans le futur")

    cafe = values["cafe"]
    if values["ouverture_on"] and not cafe:
        errors.append("le nom du café manque alors que ouverture_on est renseignée")
    if len(cafe) > MAX_CAFE_NAME:
        errors.append(f"le nom du café dépasse {MAX_CAFE_NAME} caractères")

    if errors:
        return errors
    return Row(
        line=line,
        insee=insee,
        commune_name=values["commune"],
        applied_on=applied_on,
        decision=decision,
        decided_on=decided_on,
        stages=tuple(stages),
        cafe=cafe,
    )


def _chunks(items: list, size: int = CHUNK_SIZE):
    for start in range(0, len(items), size):
        yield items[start : start + size]


def check_file(
    path: Path, report_error: Callable[[str], None], progress: Callable[[int], None]
) -> tuple[list[Row], int]:
    """The valid rows and the number of errors, each reported as « ligne N : … »."""
    today = timezone.localdate()
    rows: list[Row] = []
    errors = 0
    seen: dict[tuple[str, datetime.date], int] = {}
    for line, cells in read_rows(path, HEADER):
        parsed = parse_row(line, cells, today)
        if isinstance(parsed, list):
            errors += len(parsed)
            for message in parsed:
                report_error(f"ligne {line} : {message}")
            continue
        if parsed.key in seen:
            errors += 1
            report_error(
                f"ligne {line} : la candidature de {parsed.insee} du {parsed.applied_on} "
                f"figure déjà ligne {seen[parsed.key]}"
            )
            continue
        seen[parsed.key] = line
        rows.append(parsed)
        if len(rows) % PROGRESS_EVERY == 0:
            progress(len(rows))
    return rows, errors + _check_against_database(rows, report_error)


def _already_imported(rows: list[Row]) -> set[tuple[str, datetime.date]]:
    return set(
        Application.objects.filter(
            imported=True,
            commune__insee_code__in={row.insee for row in rows},
            received_on__in={row.applied_on for row in rows},
        ).values_list("commune__insee_code", "received_on")
    )


def _check_against_database(rows: list[Row], report_error: Callable[[str], None]) -> int:
    errors = 0
    open_lines: dict[str, int] = {}
    cafe_lines: dict[tuple[str, str], int] = {}
    for chunk in _chunks(rows):
        imported = _already_imported(chunk)
        chunk = [row for row in chunk if row.key not in imported]
        insee_codes = {row.insee for row in chunk}
        communes = {c.insee_code: c for c in Commune.objects.filter(insee_code__in=insee_codes)}
        open_elsewhere = set(
            Application.objects.open()
            .filter(commune__insee_code__in=insee_codes)
            .values_list("commune__insee_code", flat=True)
        )
        cafes_with_project = {
            (insee, search_key(name))
            for insee, name in Cafe.objects.filter(
                commune__insee_code__in=insee_codes, project__isnull=False
            ).values_list("commune__insee_code", "name")
        }
        for row in chunk:
            commune = communes.get(row.insee)
            message = None
            if commune is None:
                message = (
                    f"la commune {row.insee} est inconnue ; importez d'abord les communes "
                    "(manage.py import_communes)"
                )
            elif search_key(commune.name) != search_key(row.commune_name):
                message = (
                    f"le code INSEE {row.insee} est celui de {commune.name}, "
                    f"pas de « {row.commune_name} »"
                )
            elif row.decision in ("pending", "waiting"):
                if row.insee in open_elsewhere:
                    message = (
                        f"{commune.name} a déjà une candidature en cours sur la plateforme : "
                        "décidez-la avant d'importer celle-ci"
                    )
                elif row.insee in open_lines:
                    message = (
                        f"{commune.name} a déjà une candidature en cours ligne "
                        f"{open_lines[row.insee]} : une seule à la fois par commune"
                    )
                else:
                    open_lines[row.insee] = row.line
            elif row.cafe:
                key = _cafe_key(row)
                if key in cafes_with_project:
                    message = f"le café « {row.cafe} » suit déjà un autre projet de {commune.name}"
                elif key in cafe_lines:
                    message = (
                        f"le café « {row.cafe} » est déjà celui du projet ligne {cafe_lines[key]}"
                    )
                else:
                    cafe_lines[key] = row.line
            if message:
                errors += 1
                report_error(f"ligne {row.line} : {message}")
    return errors


def _project_slug(commune: Commune, taken: set[str]) -> str:
    """The commune's name, with its INSEE code when another project already has that name."""
    slug = slugify(commune.name)[:100] or commune.insee_code.lower()
    if slug in taken:
        slug = f"{slug}-{commune.insee_code.lower()}"
    taken.add(slug)
    return slug


def import_rows(
    rows: list[Row], *, dry_run: bool = False, progress: Callable[[int], None] = lambda n: None
) -> ImportReport:
    report = ImportReport()
    with transaction.atomic():
        taken = set(Project.objects.values_list("slug", flat=True))
        for done, chunk in enumerate(_chunks(rows), 1):
            _import_chunk(chunk, report, taken)
            if done * CHUNK_SIZE % PROGRESS_EVERY == 0:
                progress(done * CHUNK_SIZE)
        # The cafés' stages changed in bulk: the public map follows at once.
        refresh_after_bulk_write()
        if dry_run:
            transaction.set_rollback(True)
    return report


def _import_chunk(chunk: list[Row], report: ImportReport, taken: set[str]) -> None:
    communes = {
        c.insee_code: c for c in Commune.objects.filter(insee_code__in={r.insee for r in chunk})
    }
    existing = _already_imported(chunk)
    new = [row for row in chunk if row.key not in existing]
    report.unchanged += len(chunk) - len(new)
    applications = Application.objects.bulk_create(
        Application(
            commune=communes[row.insee],
            status=DECISIONS[row.decision],
            situation=Situation.OTHER,
            premises=Premises.UNSURE,
            description="",
            received_on=row.applied_on,
            imported=True,
        )
        for row in new
    )
    report.applications += len(applications)
    ApplicationDecision.objects.bulk_create(
        ApplicationDecision(
            application=application, status=application.status, decided_on=row.decided_on
        )
        for row, application in zip(new, applications, strict=True)
        if row.decided_on
    )
    accepted = [
        (row, application)
        for row, application in zip(new, applications, strict=True)
        if row.decision == "accepted"
    ]
    cafes = _cafes_for([row for row, _ in accepted if row.cafe], report)
    projects = Project.objects.bulk_create(
        Project(
            commune=application.commune,
            application=application,
            slug=_project_slug(application.commune, taken),
            stage=row.stage,
            cafe=cafes.get(_cafe_key(row)),
        )
        for row, application in accepted
    )
    report.projects += len(projects)
    searchable.mark_stale(Project, [project.pk for project in projects])
    StageEntry.objects.bulk_create(
        StageEntry(project=project, stage=stage, entered_on=day)
        for (row, _), project in zip(accepted, projects, strict=True)
        for stage, day in ((Stage.APPLICATION, row.applied_on), *row.stages)
    )


def _cafe_key(row: Row) -> tuple[str, str]:
    return (row.insee, search_key(row.cafe))


def _cafes_for(rows: list[Row], report: ImportReport) -> dict[tuple[str, str], Cafe]:
    """The café each opened project names, found in its commune by name or created; its
    stage follows the project's."""
    cafes = {
        (cafe.commune.insee_code, search_key(cafe.name)): cafe
        for cafe in Cafe.objects.filter(
            commune__insee_code__in={row.insee for row in rows}
        ).select_related("commune")
    }
    communes = {
        c.insee_code: c for c in Commune.objects.filter(insee_code__in={r.insee for r in rows})
    }
    found = [row for row in rows if _cafe_key(row) in cafes]
    for row in found:
        cafes[_cafe_key(row)].stage = row.stage
    Cafe.objects.bulk_update([cafes[_cafe_key(row)] for row in found], ["stage"])
    missing = [row for row in rows if _cafe_key(row) not in cafes]
    created = Cafe.objects.bulk_create(
        Cafe(name=row.cafe, commune=communes[row.insee], stage=row.stage, needs_review=True)
        for row in missing
    )
    cafes.update(zip(map(_cafe_key, missing), created, strict=True))
    report.cafes += len(created)
    searchable.mark_stale(Cafe, [cafes[_cafe_key(row)].pk for row in rows])
    return cafes
