"""`accompaniment_report`: the annual report's journey figures, computed from the records."""

from __future__ import annotations

import datetime
import json

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from community.accompaniment.models import (
    ApplicationDecision,
    ApplicationStatus,
    Prestation,
    PrestationKind,
    StageEntry,
)
from community.accompaniment.report import accompaniment_report
from community.places.models import Department, Region, Stage
from tests.accompaniment.factories import make_application, make_project
from tests.factories import make_commune

pytestmark = pytest.mark.django_db

D = datetime.date


def commune_in_grand_est(name: str):
    region, _ = Region.objects.get_or_create(code="44", defaults={"name": "Grand Est"})
    Department.objects.get_or_create(code="88", defaults={"name": "Vosges", "region": region})
    return make_commune(name=name, department_code="88")


def decide(application, status: str, on: datetime.date) -> None:
    application.status = status
    application.save(update_fields=["status"])
    ApplicationDecision.objects.create(application=application, status=status, decided_on=on)


def project_through(stages: dict[str, datetime.date], *, closed_on=None, commune=None):
    project = make_project(commune, stage=Stage.APPLICATION)
    for stage, day in stages.items():
        StageEntry.objects.create(project=project, stage=stage, entered_on=day)
        project.stage = stage
    project.closed_on = closed_on
    project.save()
    return project


@pytest.fixture
def known_year():
    """2024 as the spreadsheets would tell it, with records of 2023 and 2025 around it."""
    # Received in 2024: two in Occitanie, one in Grand Est; one of them accepted in 2024.
    accepted = make_application(received_on=D(2024, 2, 1))
    decide(accepted, ApplicationStatus.ACCEPTED, D(2024, 3, 1))
    refused_next_year = make_application(received_on=D(2024, 11, 5))
    decide(refused_next_year, ApplicationStatus.REFUSED, D(2025, 1, 10))
    waiting = make_application(commune_in_grand_est("Bains-les-Bains"), received_on=D(2024, 6, 1))
    decide(waiting, ApplicationStatus.WAITING, D(2024, 6, 20))
    # Received in 2023, refused in 2024: a 2024 refusal, not a 2024 reception.
    old = make_application(received_on=D(2023, 12, 30))
    decide(old, ApplicationStatus.REFUSED, D(2024, 1, 15))
    # Never confirmed: never counts.
    make_application(status=ApplicationStatus.UNCONFIRMED)
    # Received in 2025: not in 2024.
    make_application(received_on=D(2025, 1, 2))

    opened = project_through(
        {
            Stage.PREFIGURATION: D(2023, 5, 1),
            Stage.DEFINITION: D(2023, 9, 1),
            Stage.RECRUITMENT: D(2024, 1, 20),
            Stage.OPENING: D(2024, 4, 1),
            Stage.OPERATION: D(2024, 6, 1),
        }
    )
    closed = project_through(
        {Stage.PREFIGURATION: D(2022, 1, 1), Stage.OPERATION: D(2023, 1, 1)},
        closed_on=D(2024, 10, 1),
    )
    moved_back = project_through(
        {Stage.PREFIGURATION: D(2024, 2, 1), Stage.DEFINITION: D(2024, 5, 1)}
    )
    StageEntry.objects.create(
        project=moved_back, stage=Stage.PREFIGURATION, entered_on=D(2024, 7, 1), backwards=True
    )
    StageEntry.objects.create(project=moved_back, stage=Stage.DEFINITION, entered_on=D(2024, 9, 1))
    project_through({Stage.OPERATION: D(2025, 2, 1)})

    for project, day in [(opened, D(2024, 2, 2)), (opened, D(2024, 3, 3)), (closed, D(2024, 5, 5))]:
        Prestation.objects.create(project=project, date=day, kind=PrestationKind.VISIT)
    Prestation.objects.create(project=moved_back, date=D(2023, 12, 31), kind=PrestationKind.OTHER)


EXPECTED_2024 = {
    "year": 2024,
    "applications": {
        "received": 3,
        "accepted": 1,
        "refused": 1,
        "pending_at_year_end": 2,
        "received_by_region": {"Grand Est": 1, "Occitanie": 2},
    },
    "entered": {
        "prefiguration": 1,
        "definition": 1,
        "recrutement": 1,
        "ouverture": 1,
        "exploitation": 1,
    },
    "in_operation_at_year_end": 1,
    "prestations": {"total": 3, "communes": 2},
}


def test_the_command_prints_the_report_of_a_known_year(known_year, capsys):
    call_command("accompaniment_report", year="2024", format="json")
    printed = capsys.readouterr().out
    assert json.loads(printed) == EXPECTED_2024
    # The keys come in the report's order, not sorted.
    assert list(json.loads(printed)) == list(EXPECTED_2024)
    assert list(json.loads(printed)["entered"]) == list(EXPECTED_2024["entered"])


def test_a_year_without_records_reports_zeros(known_year):
    report = accompaniment_report(2021)
    assert report["applications"] == {
        "received": 0,
        "accepted": 0,
        "refused": 0,
        "pending_at_year_end": 0,
        "received_by_region": {},
    }
    assert set(report["entered"].values()) == {0}
    assert report["in_operation_at_year_end"] == 0


def test_the_year_after_counts_what_happened_then(known_year):
    report = accompaniment_report(2025)
    assert report["applications"]["received"] == 1
    assert report["applications"]["refused"] == 1
    # Still waiting, and the one received in 2025: the refused one is no longer pending.
    assert report["applications"]["pending_at_year_end"] == 2
    assert report["in_operation_at_year_end"] == 2
    assert report["entered"]["exploitation"] == 1


def test_the_region_filter_narrows_every_figure(known_year):
    report = accompaniment_report(2024, region="Grand Est")
    assert report["applications"]["received"] == 1
    assert report["applications"]["received_by_region"] == {"Grand Est": 1}
    assert report["applications"]["accepted"] == 0
    assert report["prestations"] == {"total": 0, "communes": 0}


def test_the_csv_has_one_row_per_figure(known_year, capsys):
    call_command("accompaniment_report", year="2024", format="csv")
    lines = capsys.readouterr().out.splitlines()
    assert lines[0] == "figure,value"
    assert "applications.received,3" in lines
    assert "applications.received_by_region.Grand Est,1" in lines
    assert "entered.ouverture,1" in lines
    assert "prestations.communes,2" in lines


def test_the_number_of_queries_does_not_grow_with_the_data(known_year):
    with CaptureQueriesContext(connection) as few:
        accompaniment_report(2024)
    for n in range(5):
        project_through({Stage.PREFIGURATION: D(2024, 3, 1), Stage.OPERATION: D(2024, 8, 1)})
        make_application(commune_in_grand_est(f"Village {n}"), received_on=D(2024, 4, 1))
    with CaptureQueriesContext(connection) as many:
        report = accompaniment_report(2024)
    assert report["entered"]["exploitation"] == 6
    assert len(many) == len(few) <= 8


@pytest.mark.parametrize(
    "year, message",
    [
        (None, "Indiquez l'année du rapport"),
        ("deux-mille", "Année invalide : « deux-mille »"),
        ("1850", "Année invalide : « 1850 »"),
        ("3000", "Année invalide : « 3000 »"),
    ],
)
def test_a_bad_year_is_explained_in_french(year, message):
    with pytest.raises(CommandError, match=message):
        call_command("accompaniment_report", year=year)


def test_an_unknown_format_is_explained_in_french():
    with pytest.raises(CommandError, match="Format inconnu : « xml »"):
        call_command("accompaniment_report", year="2024", format="xml")
