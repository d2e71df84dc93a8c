"""manage.py import_accompaniment: the journey's history from the spreadsheets, checked first."""

from __future__ import annotations

import json
from datetime import date
from pathlib import Path

import pytest
from django.core import mail
from django.core.management import call_command
from django.test import Client

from community.accompaniment.importing import HEADER
from community.accompaniment.models import (
    Application,
    ApplicationDecision,
    ApplicationStatus,
    Project,
    StageEntry,
)
from community.places.models import Cafe, Stage
from tests.accompaniment.factories import make_application
from tests.background import run_worker
from tests.factories import make_cafe, make_commune
from tests.search.engines import titles
from tests.spreadsheets import ImportCommand

pytestmark = pytest.mark.django_db


IMPORT = ImportCommand("import_accompaniment", HEADER)
line, write_csv, run, run_failing = IMPORT.line, IMPORT.write_csv, IMPORT.run, IMPORT.run_failing


def snapshot() -> tuple[int, ...]:
    return tuple(
        model.objects.count()
        for model in (Application, ApplicationDecision, Project, StageEntry, Cafe)
    )


# Lagarrigue's journey, from its application to its café's opening.
LAGARRIGUE = {
    "commune_insee": "81130",
    "commune": "Lagarrigue",
    "applied_on": "2022-03-01",
    "decision": "accepted",
    "decided_on": "2022-04-01",
    "prefiguration_on": "2022-05-01",
    "definition_on": "2022-10-01",
    "recrutement_on": "2023-01-15",
    "ouverture_on": "2023-04-01",
}


@pytest.fixture
def communes():
    return {
        "mazamet": make_commune("Lagarrigue", insee_code="81130", population=2000),
        "bains": make_commune("Saint-Sever-de-Rustan", insee_code="65397", department_code="65"),
        "ain": make_commune("Ambronay", insee_code="01007", department_code="01"),
    }


@pytest.fixture
def history(tmp_path, communes) -> Path:
    return write_csv(
        tmp_path / "historique.csv",
        [
            line(**LAGARRIGUE, exploitation_on="2023-06-01", cafe="Le Lagarrigue"),
            # Spreadsheets drop the leading zero of the Ain's codes; names lose their accents.
            line(
                commune_insee="1007",
                commune="AMBRONAY",
                applied_on="2024-11-02",
                decision="pending",
            ),
            line(
                commune_insee="65397",
                commune="Saint Sever de Rustan",
                applied_on="2023-09-09",
                decision="refused",
                decided_on="2023-10-01",
            ),
        ],
    )


def test_a_history_becomes_applications_projects_and_the_cafe(history, communes):
    out, err = run(history)
    assert "3 candidatures, 1 projet, 1 café créés ; 0 ligne déjà importée." in out

    opened = Project.objects.get(commune=communes["mazamet"])
    assert opened.stage == Stage.OPERATION
    assert opened.slug == "lagarrigue"
    assert [(e.stage, e.entered_on) for e in opened.stage_entries.all()] == [
        (Stage.APPLICATION, date(2022, 3, 1)),
        (Stage.PREFIGURATION, date(2022, 5, 1)),
        (Stage.DEFINITION, date(2022, 10, 1)),
        (Stage.RECRUITMENT, date(2023, 1, 15)),
        (Stage.OPENING, date(2023, 4, 1)),
        (Stage.OPERATION, date(2023, 6, 1)),
    ]
    assert opened.cafe.name == "Le Lagarrigue"
    assert opened.cafe.stage == Stage.OPERATION
    assert opened.cafe.needs_review
    assert opened.application.decisions.get().decided_on == date(2022, 4, 1)

    pending = Application.objects.get(commune=communes["ain"])
    assert pending.status == ApplicationStatus.RECEIVED
    assert pending.received_on == date(2024, 11, 2)
    assert not pending.decisions.exists()
    refused = Application.objects.get(commune=communes["bains"])
    assert refused.status == ApplicationStatus.REFUSED
    assert not Project.objects.filter(application=refused).exists()
    assert mail.outbox == []


def test_importing_the_same_file_again_changes_nothing(history):
    run(history)
    before = snapshot()
    out, _ = run(history)
    assert snapshot() == before
    assert "0 candidature, 0 projet, 0 café créés ; 3 lignes déjà importées." in out


def test_dry_run_counts_and_writes_nothing(history):
    out, _ = run(history, "--dry-run")
    assert "3 candidatures, 1 projet, 1 café seraient créés" in out
    assert snapshot() == (0, 0, 0, 0, 0)


def test_an_existing_cafe_is_linked_and_follows_the_project(tmp_path, communes):
    cafe = make_cafe("Le Lagarrigue", commune=communes["mazamet"], stage=Stage.DEFINITION)
    path = write_csv(
        tmp_path / "h.csv",
        [
            line(**LAGARRIGUE, cafe="le lagarrigue"),
        ],
    )
    run(path)
    cafe.refresh_from_db()
    assert cafe.project.stage == Stage.OPENING
    assert cafe.stage == Stage.OPENING
    assert Cafe.objects.count() == 1


def test_the_report_counts_imported_history(history, capsys):
    run(history)
    call_command("accompaniment_report", year="2023")
    report = json.loads(capsys.readouterr().out)
    assert report["applications"]["received"] == 1
    assert report["applications"]["refused"] == 1
    assert report["entered"]["recrutement"] == 1
    assert report["entered"]["exploitation"] == 1
    assert report["in_operation_at_year_end"] == 1


ACCEPTED = {
    "commune_insee": "81130",
    "commune": "Lagarrigue",
    "applied_on": "2022-03-01",
    "decision": "accepted",
    "decided_on": "2022-04-01",
}


@pytest.mark.parametrize(
    "values, message",
    [
        ({**ACCEPTED, "commune_insee": "ABCDE"}, "code INSEE « ABCDE » invalide"),
        ({**ACCEPTED, "commune": "Mazamet"}, "le code INSEE 81130 est celui de Lagarrigue"),
        ({**ACCEPTED, "commune_insee": "81999"}, "la commune 81999 est inconnue"),
        ({**ACCEPTED, "applied_on": "01/03/2022"}, "applied_on « 01/03/2022 » invalide"),
        (
            {**ACCEPTED, "applied_on": "2022-02-30"},
            "applied_on : la date « 2022-02-30 » n'existe pas",
        ),
        ({**ACCEPTED, "applied_on": ""}, "applied_on (date de candidature) manque"),
        ({**ACCEPTED, "decision": "ok"}, "décision « ok » inconnue"),
        ({**ACCEPTED, "decided_on": ""}, "decided_on (date de décision) manque"),
        (
            {**ACCEPTED, "decision": "pending"},
            "une candidature pending (à étudier) n'a pas de date de décision",
        ),
        (
            {**ACCEPTED, "decision": "refused", "prefiguration_on": "2022-05-01"},
            "prefiguration_on : seule une candidature accepted a des dates d'étapes",
        ),
        (
            {**ACCEPTED, "definition_on": "2022-05-01"},
            "definition_on est renseignée mais pas prefiguration_on",
        ),
        (
            {**ACCEPTED, "prefiguration_on": "2022-09-01", "definition_on": "2022-05-01"},
            "definition_on (2022-05-01) est avant l'étape précédente (2022-09-01)",
        ),
        (
            {**ACCEPTED, "prefiguration_on": "2022-01-01"},
            "prefiguration_on : le 2022-01-01 est avant la candidature (2022-03-01)",
        ),
        (
            {**ACCEPTED, "decided_on": "2021-01-01"},
            "decided_on : le 2021-01-01 est avant la candidature",
        ),
        (
            {**ACCEPTED, "prefiguration_on": "2099-01-01"},
            "prefiguration_on : le 2099-01-01 est dans le futur",
        ),
        (
            {
                **ACCEPTED,
                "prefiguration_on": "2022-05-01",
                "definition_on": "2022-06-01",
                "recrutement_on": "2022-07-01",
                "ouverture_on": "2022-08-01",
            },
            "le nom du café manque alors que ouverture_on est renseignée",
        ),
    ],
)
def test_each_error_is_explained_with_its_line_and_nothing_is_written(
    tmp_path, communes, values, message
):
    good = line(
        commune_insee="65397",
        commune="Saint-Sever-de-Rustan",
        applied_on="2023-01-01",
        decision="pending",
    )
    path = write_csv(tmp_path / "h.csv", [good, line(**values)])
    output = run_failing(path)
    assert f"ligne 3 : {message}" in output
    assert "rien n'a été importé" in output
    assert snapshot() == (0, 0, 0, 0, 0)


def test_a_second_open_application_for_a_commune_is_refused(tmp_path, communes):
    make_application(communes["ain"], status=ApplicationStatus.STUDYING)
    path = write_csv(
        tmp_path / "h.csv",
        [
            line(
                commune_insee="01007",
                commune="Ambronay",
                applied_on="2024-01-02",
                decision="waiting",
                decided_on="2024-02-01",
            ),
            line(
                commune_insee="81130",
                commune="Lagarrigue",
                applied_on="2024-01-02",
                decision="pending",
            ),
            line(
                commune_insee="81130",
                commune="Lagarrigue",
                applied_on="2024-03-02",
                decision="pending",
            ),
            line(
                commune_insee="81130",
                commune="Lagarrigue",
                applied_on="2024-03-02",
                decision="refused",
                decided_on="2024-04-01",
            ),
        ],
    )
    output = run_failing(path)
    assert "ligne 2 : Ambronay a déjà une candidature en cours sur la plateforme" in output
    assert "ligne 4 : Lagarrigue a déjà une candidature en cours ligne 3" in output
    assert "ligne 5 : la candidature de 81130 du 2024-03-02 figure déjà ligne 4" in output
    assert Application.objects.count() == 1


@pytest.mark.parametrize(
    "content, message",
    [
        ("commune;applied_on\n", "Le séparateur doit être la virgule"),
        ("commune_insee,commune\n", "ligne 1 : en-tête attendu"),
    ],
)
def test_a_file_with_a_wrong_header_is_refused(tmp_path, content, message):
    path = tmp_path / "h.csv"
    path.write_text(content, encoding="utf-8")
    assert message in run_failing(path)


def test_a_file_not_in_utf8_is_refused(tmp_path):
    path = tmp_path / "h.csv"
    path.write_bytes((",".join(HEADER) + "\n81130,Lagarrigue\xe9\n").encode("latin-1"))
    assert "ligne 2 : le fichier n'est pas en UTF-8" in run_failing(path)


def test_progress_goes_to_stderr(tmp_path, communes):
    first = date(2020, 1, 1).toordinal()
    rows = [
        line(
            commune_insee="81130",
            commune="Lagarrigue",
            applied_on=date.fromordinal(first + n).isoformat(),
            decision="refused",
            decided_on="2023-01-01",
        )
        for n in range(1000)
    ]
    out, err = run(write_csv(tmp_path / "h.csv", rows))
    assert "1\u202f000 candidatures, 0 projet, 0 café créés" in out
    assert "vérification : 1\u202f000 lignes…" in err
    assert "import : 1\u202f000 lignes…" in err
    assert "lignes…" not in out


@pytest.mark.django_db(transaction=True)
@pytest.mark.meilisearch
def test_the_imported_cafe_and_project_are_found_once_delivered(history, worker_meili, client_for):
    run(history)
    run_worker()
    assert titles(Client(), "Lagarrigue") == ["Le Lagarrigue, Lagarrigue"]
    assert "Projet de café de Lagarrigue" in titles(client_for("staff"), "Lagarrigue")
