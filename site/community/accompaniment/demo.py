"""Demo data of the communes' journey, called by `manage.py seed_demo`: the history of
2023–2025 reproducing the 2025 activity report's figures (195 applications, 21 préfiguration
studies, 38 recruitments, 24 openings, 20 cafés in operation at the end of the year, 100
prestations in 70 villages), plus applications of this year in every status and a project at
each stage with its journal and discussion. The figures and texts are in
demo_data/journey.yaml; how the history is spread over the years is here.

The communes are real ones under 3,500 inhabitants, picked evenly in Etalab's list (the file
scripts/provision.sh unpacks); without it the history is skipped with a message. History goes
through the spreadsheet importer, so it obeys the same rules and a second run adds nothing.
"""

from __future__ import annotations

import datetime
import json

from django.conf import settings
from django.utils import timezone

from community.accounts.models import User
from community.lib.demo import DemoData, Log
from community.places.importer import fill_centres
from community.places.models import Commune, Department, Region, Stage

from .importing import Row, import_rows
from .models import (
    Applicant,
    ApplicantFunction,
    Application,
    ApplicationStatus,
    Premises,
    Prestation,
    PrestationKind,
    Project,
    ProjectMessage,
    Situation,
)

SOURCE = settings.VAR_DIR / "vendor" / "decoupage-administratif" / "data"
DATA = DemoData(__file__)
JOURNEY = DATA.read("journey")
REPORT = JOURNEY["report"]
REPORT_YEAR = 2025

# How many communes each group of the history needs (see _history).
PREFIGURATION_2025 = REPORT["prefiguration_2025"]  # applied and accepted in 2025
RECRUITED_2025 = REPORT["recruited_2025"]  # applied in 2024, manager recruited in 2025
OPENED_2025 = REPORT["opened_2025"]  # of those recruited in 2025, opened in 2025
RUNNING_SINCE_2025 = REPORT["running_since_2025"]  # of those opened, running by the year's end
RUNNING_SINCE_2024 = REPORT["running_since_2024"]  # applied in 2023, in operation since 2024
NOT_ACCEPTED_2025 = REPORT["applications_2025"] - PREFIGURATION_2025  # the rest of 2025's
NOT_ACCEPTED_2024 = REPORT["applications_2024"] - RECRUITED_2025  # the rest of 2024's
ESSOYES = JOURNEY["essoyes"]
PICK_EVERY = JOURNEY["pick_every"]
LIVE = 6  # this year's applications, one per status, and a project at each stage
PRESTATION_KINDS = list(PrestationKind.values)


def seed(log: Log) -> None:
    if not (SOURCE / "communes.json").exists():
        log(f"  Accompagnement : {SOURCE} manque (scripts/provision.sh), historique non créé.")
        return
    needed = (
        PREFIGURATION_2025
        + RECRUITED_2025
        + RUNNING_SINCE_2024
        + NOT_ACCEPTED_2025
        + NOT_ACCEPTED_2024
        + LIVE * 2
    )
    communes = _communes(needed)
    # Live ones first, history groups after in a fixed order: a group added later takes new
    # communes and leaves those of an earlier seed where they were.
    live, history = communes[: LIVE * 2], communes[LIVE * 2 :]
    report = import_rows(_history(history))
    prestations = _prestations(history)
    _live_applications(live[:LIVE])
    _live_projects(live[LIVE:])
    # Every commune at its mairie: the map shows there the cafés not yet placed by staff.
    placed = fill_centres()
    shown = _show_on_map()
    log(f"  Carte : {placed} communes placées, {shown} projets en cours montrés par leur commune.")
    log(
        f"  Accompagnement : {report.applications} candidatures et {report.projects} projets "
        f"d'historique importés, {prestations} prestations en {REPORT_YEAR}."
    )


def _show_on_map() -> int:
    """The communes whose project reached its definition agree to show it on the map (those
    whose centre is known: the demo shows no point it cannot place)."""
    from .services.projects import set_map_visibility

    staff = User.objects.network_staff().first()
    projects = Project.objects.filter(
        stage__in=(Stage.DEFINITION, Stage.RECRUITMENT),
        closed_on__isnull=True,
        public=False,
        commune__latitude__isnull=False,
    )
    if staff is not None:
        for project in projects:
            set_map_visibility(project, by=staff, public=True)
    return Project.objects.filter(public=True).count()


def _communes(count: int) -> list[Commune]:
    """`count` communes under 3,500 inhabitants spread over the list, created if missing."""
    data = json.loads((SOURCE / "communes.json").read_text())
    regions = {r["code"]: r["nom"] for r in json.loads((SOURCE / "regions.json").read_text())}
    departments = {d["code"]: d for d in json.loads((SOURCE / "departements.json").read_text())}
    small = [
        record
        for record in data
        if record.get("type") == "commune-actuelle"
        and record.get("zone") == "metro"
        and 0 < (record.get("population") or 0) < 3500
    ]
    picked = small[::PICK_EVERY][:count]
    communes = []
    for record in picked:
        department = departments[record["departement"]]
        region, _ = Region.objects.get_or_create(
            code=department["region"], defaults={"name": regions[department["region"]]}
        )
        department_row, _ = Department.objects.get_or_create(
            code=department["code"], defaults={"name": department["nom"], "region": region}
        )
        commune, _ = Commune.objects.get_or_create(
            insee_code=record["code"],
            defaults={
                "name": record["nom"],
                "department": department_row,
                "population": record["population"],
                "postal_codes": " ".join(record.get("codesPostaux", [])),
            },
        )
        communes.append(commune)
    return communes


def _day(year: int, index: int, first_month: int = 1, months: int = 12) -> datetime.date:
    """A date of `year` spread by `index` over `months` months from `first_month`."""
    month = first_month + index % months
    return datetime.date(year, month, 1 + (index * 7) % 27)


def _row(
    commune: Commune,
    applied_on: datetime.date,
    decision: str,
    decided_on: datetime.date | None = None,
    stages: tuple[tuple[str, datetime.date], ...] = (),
) -> Row:
    cafe = f"Le Café de {commune.name}" if any(s == Stage.OPENING for s, _ in stages) else ""
    return Row(
        line=0,
        insee=commune.insee_code,
        commune_name=commune.name,
        applied_on=applied_on,
        decision=decision,
        decided_on=decided_on,
        stages=stages,
        cafe=cafe,
    )


def _history(communes: list[Commune]) -> list[Row]:
    rows = []
    groups = iter(communes)
    for n in range(PREFIGURATION_2025):
        commune = next(groups)
        applied = _day(2025, n, 1, 6)
        # A third of them defined their project before the year's end.
        stages = [(Stage.PREFIGURATION, applied + datetime.timedelta(days=45))]
        if n % 3 == 0:
            stages.append((Stage.DEFINITION, datetime.date(2025, 11, 15)))
        rows.append(
            _row(commune, applied, "accepted", applied + datetime.timedelta(days=20), tuple(stages))
        )
    for n in range(RECRUITED_2025):
        commune = next(groups)
        applied = _day(2024, n, 1, 4)
        stages = [
            (Stage.PREFIGURATION, datetime.date(2024, 6, 1 + n % 28)),
            (Stage.DEFINITION, datetime.date(2024, 10, 1 + n % 28)),
            (Stage.RECRUITMENT, _day(2025, n, 1, 5)),
        ]
        if n < OPENED_2025:
            stages.append((Stage.OPENING, _day(2025, n, 6, 4)))
        if n < RUNNING_SINCE_2025:
            stages.append((Stage.OPERATION, datetime.date(2025, 11, 1 + n)))
        rows.append(
            _row(commune, applied, "accepted", applied + datetime.timedelta(days=30), tuple(stages))
        )
    for n in range(RUNNING_SINCE_2024):
        commune = next(groups)
        applied = _day(2023, n, 1, 3)
        stages = (
            (Stage.PREFIGURATION, datetime.date(2023, 5, 1 + n)),
            (Stage.DEFINITION, datetime.date(2023, 9, 1 + n)),
            (Stage.RECRUITMENT, datetime.date(2023, 12, 1 + n)),
            (Stage.OPENING, datetime.date(2024, 3, 1 + n)),
            (Stage.OPERATION, datetime.date(2024, 6, 1 + n)),
        )
        rows.append(
            _row(commune, applied, "accepted", applied + datetime.timedelta(days=30), stages)
        )
    for n in range(NOT_ACCEPTED_2025):
        commune = next(groups)
        applied = _day(2025, n)
        # Refused, put on hold (the electoral reserve before the March 2026 elections) or
        # still to be studied at the year's end.
        if n % 4 == 0:
            rows.append(_row(commune, applied, "refused", applied + datetime.timedelta(days=40)))
        elif n % 4 == 1 and applied.month >= 9:
            rows.append(_row(commune, applied, "waiting", datetime.date(2025, 12, 1)))
        else:
            rows.append(_row(commune, applied, "pending"))
    for n in range(NOT_ACCEPTED_2024):
        commune = next(groups)
        applied = _day(2024, n)
        rows.append(_row(commune, applied, "refused", applied + datetime.timedelta(days=50)))
    return rows


def _prestations(communes: list[Commune]) -> int:
    """2025's journal: one prestation for each of the 70 projects followed that year, a
    second one for 30 of them: 100 prestations in 70 villages."""
    staff = User.objects.network_staff().first()
    projects = list(
        Project.objects.filter(commune__in=communes).select_related("commune").order_by("pk")
    )[: PREFIGURATION_2025 + RECRUITED_2025 + RUNNING_SINCE_2024 - 1]
    created = 0
    for index, project in enumerate(projects):
        for second in (False, True) if index < REPORT["second_prestations"] else (False,):
            _, new = Prestation.objects.get_or_create(
                project=project,
                date=_day(2025, index + (6 if second else 0)),
                kind=PRESTATION_KINDS[(index + second) % len(PRESTATION_KINDS)],
                defaults={"staff": staff, "duration_hours": 3},
            )
            created += new
    return Prestation.objects.filter(date__year=REPORT_YEAR, project__in=projects).count()


def _live_applications(communes: list[Commune]) -> None:
    """This year's applications, one in each status, with their applicants."""
    today = timezone.localdate()
    texts = JOURNEY["applications"]
    statuses = [ApplicationStatus(status) for status in texts["statuses"]]
    for commune, status in zip(communes, statuses, strict=True):
        confirmed = status != ApplicationStatus.UNCONFIRMED
        application, created = Application.objects.get_or_create(
            commune=commune,
            imported=False,
            defaults={
                "status": status,
                "situation": Situation.CLOSED,
                "premises": Premises.YES,
                "description": texts["description"].format(commune=commune.name),
                "heard_from": texts["heard_from"],
                "received_on": today if confirmed else None,
                "come_back_on": today + datetime.timedelta(days=texts["come_back_in_days"])
                if status == ApplicationStatus.WAITING
                else None,
            },
        )
        if created:
            Applicant.objects.create(
                application=application,
                name=texts["applicant"].format(commune=commune.name),
                function=ApplicantFunction.MAYOR,
                email=f"mairie.{commune.insee_code}@example.org",
                confirmed_at=timezone.now() if confirmed else None,
            )


def _live_projects(communes: list[Commune]) -> None:
    """A project at each stage, with its checklist, journal and a first message: each opened
    as staff open one, by accepting the commune's application."""
    from .services.applications import decide_application
    from .services.projects import move_to_stage

    staff = User.objects.network_staff().first()
    if staff is None:
        return
    texts = JOURNEY["projects"]
    pairs = list(zip(communes, Stage.values, strict=True))
    # The demo's adjointe of Essoyes follows her commune's study (adjointe@example.org).
    essoyes = Commune.objects.filter(insee_code=ESSOYES).first()
    if essoyes is not None:
        pairs[Stage.rank(Stage.PREFIGURATION)] = (essoyes, Stage.PREFIGURATION)
    for commune, stage in pairs:
        if Project.objects.filter(commune=commune).exists():
            continue
        application = Application.objects.create(
            commune=commune,
            status=ApplicationStatus.STUDYING,
            situation=Situation.NEVER,
            premises=Premises.UNSURE,
            description=texts["description"].format(commune=commune.name),
            received_on=timezone.localdate() - datetime.timedelta(days=200),
        )
        decide_application(application, status=ApplicationStatus.ACCEPTED, by=staff)
        project = Project.objects.get(application=application)
        for next_stage in Stage.values[1 : Stage.rank(stage) + 1]:
            move_to_stage(
                project,
                next_stage,
                by=staff,
                cafe_name=texts["cafe"].format(commune=commune.name),
            )
        Prestation.objects.create(
            project=project,
            date=timezone.localdate(),
            kind=PrestationKind.VISIT,
            staff=staff,
            duration_hours=2,
            note=texts["visit"],
        )
        ProjectMessage.objects.create(
            project=project,
            author=staff,
            body=texts["message"],
        )
