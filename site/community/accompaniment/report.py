"""The accompaniment figures of the network's annual report, computed from the records.

Definitions (issue 12 §4): *received* = applications received in the year; *accepted* /
*refused* = applications with such a decision dated in the year; *pending_at_year_end* =
received on or before 31 December with no acceptance or refusal dated on or before that day;
*entered[S]* = projects that entered stage S in the year (a project counts once per stage,
and a move back to an earlier stage is not an entry); *in_operation_at_year_end* = projects
that entered exploitation on or before 31 December and were not closed by then;
*prestations* = journal entries of the year and the distinct communes they concern.
Unconfirmed applications never count (they are not received).
"""

from __future__ import annotations

import csv
import datetime
import io

from django.core.cache import cache
from django.db.models import Count, Q
from django.utils import timezone

from community import yearly
from community.places.models import Stage

from .models import (
    Application,
    ApplicationDecision,
    ApplicationStatus,
    Prestation,
    Project,
    StageEntry,
)
from .services import AccompanimentError

# The report's words for the stages a project enters after its application.
REPORT_STAGES = {
    Stage.PREFIGURATION: "prefiguration",
    Stage.DEFINITION: "definition",
    Stage.RECRUITMENT: "recrutement",
    Stage.OPENING: "ouverture",
    Stage.OPERATION: "exploitation",
}
# The funnel's steps as the report words them: applications received, then each stage entered.
FUNNEL = [
    "communes candidates",
    "études de préfiguration",
    "projets définis",
    "recrutements de gérant·es",
    "accompagnements à l'ouverture",
    "cafés entrés en exploitation",
]


def parse_year(value: str | int | None) -> int:
    """The year asked for on the command line or in the figures page's address (up to this
    year)."""
    return yearly.parse_year(value, last=timezone.localdate().year, refused=AccompanimentError)


def accompaniment_report(year: int, region: str | None = None) -> dict:
    """The year's figures, in the report's key order; `region` (a region's name) narrows
    every figure to that region's communes."""
    start, end = datetime.date(year, 1, 1), datetime.date(year, 12, 31)
    applications = Application.objects.confirmed().order_by()
    decisions = ApplicationDecision.objects.filter(
        status__in=(ApplicationStatus.ACCEPTED, ApplicationStatus.REFUSED)
    ).order_by()
    entries = StageEntry.objects.filter(backwards=False).order_by()
    projects = Project.objects.order_by()
    prestations = Prestation.objects.order_by()
    if region:
        applications = applications.filter(commune__department__region__name=region)
        decisions = decisions.filter(application__commune__department__region__name=region)
        entries = entries.filter(project__commune__department__region__name=region)
        projects = projects.filter(commune__department__region__name=region)
        prestations = prestations.filter(project__commune__department__region__name=region)

    received = applications.filter(received_on__range=(start, end))
    by_region = (
        received.values_list("commune__department__region__name")
        .annotate(count=Count("pk"))
        .order_by("commune__department__region__name")
    )
    decided = decisions.filter(decided_on__range=(start, end)).aggregate(
        accepted=Count("application", filter=Q(status=ApplicationStatus.ACCEPTED), distinct=True),
        refused=Count("application", filter=Q(status=ApplicationStatus.REFUSED), distinct=True),
    )
    pending = (
        applications.filter(received_on__lte=end)
        .exclude(pk__in=decisions.filter(decided_on__lte=end).values("application"))
        .count()
    )
    entered = dict(
        entries.filter(stage__in=REPORT_STAGES, entered_on__range=(start, end))
        .values_list("stage")
        .annotate(count=Count("project", distinct=True))
    )
    in_operation = (
        projects.filter(
            pk__in=entries.filter(stage=Stage.OPERATION, entered_on__lte=end).values("project")
        )
        .filter(Q(closed_on__isnull=True) | Q(closed_on__gt=end))
        .count()
    )
    journal = prestations.filter(date__range=(start, end)).aggregate(
        total=Count("pk"), communes=Count("project__commune", distinct=True)
    )
    return {
        "year": year,
        "applications": {
            "received": received.count(),
            "accepted": decided["accepted"],
            "refused": decided["refused"],
            "pending_at_year_end": pending,
            "received_by_region": dict(by_region),
        },
        "entered": {key: entered.get(stage, 0) for stage, key in REPORT_STAGES.items()},
        "in_operation_at_year_end": in_operation,
        "prestations": {"total": journal["total"], "communes": journal["communes"]},
    }


def report_rows(report: dict) -> list[tuple[str, int]]:
    """The report flattened to (figure, value) rows, figure named by its JSON path."""
    rows: list[tuple[str, int]] = []

    def walk(prefix: str, value: object) -> None:
        if isinstance(value, dict):
            for key, item in value.items():
                walk(f"{prefix}.{key}" if prefix else key, item)
        else:
            rows.append((prefix, value))

    walk("", report)
    return rows


def report_csv(report: dict) -> str:
    """Two columns, `figure,value`: one row per figure, e.g. `entered.ouverture,24`."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    writer.writerow(["figure", "value"])
    writer.writerows(report_rows(report))
    return buffer.getvalue()


# The headline figures the home page may show, by key, in the report's words.
HEADLINES = {
    "received": "communes candidates",
    "prefiguration": "études de préfiguration",
    "definition": "projets définis",
    "recrutement": "recrutements de gérant·es",
    "ouverture": "accompagnements à l'ouverture",
    "in_operation": "cafés suivis en exploitation",
    "prestations": "prestations de l'équipe",
}
HEADLINE_CACHE_SECONDS = 600


def last_complete_year() -> int:
    return timezone.localdate().year - 1


def headline_figures(year: int, shown: list[str]) -> list[tuple[int, str]]:
    """(value, label) of each shown figure, computed from the platform's records: the
    application count says how it grew on the year before, the prestations how many
    villages they reached. Cached a few minutes: the home page shows them to everyone."""
    report, previous = cache.get_or_set(
        f"accompaniment:headlines:{year}",
        lambda: (accompaniment_report(year), accompaniment_report(year - 1)),
        HEADLINE_CACHE_SECONDS,
    )
    values = {
        "received": report["applications"]["received"],
        **report["entered"],
        "in_operation": report["in_operation_at_year_end"],
        "prestations": report["prestations"]["total"],
    }
    labels = dict(HEADLINES)
    before = previous["applications"]["received"]
    if before:
        growth = round((values["received"] - before) * 100 / before)
        labels["received"] += f", {growth:+d} % par rapport à {year - 1}".replace("-", "−")
    if villages := report["prestations"]["communes"]:
        labels["prestations"] += f" dans {villages} villages"
    return [(values[key], labels[key]) for key in HEADLINES if key in shown]
