"""The staff dashboard of the journey's figures: staff only, the report's numbers as text, CSV."""

from __future__ import annotations

import datetime

import pytest

from community.accompaniment.models import ApplicationDecision, ApplicationStatus, StageEntry
from community.places.models import Stage
from tests.accompaniment.factories import make_application, make_project
from tests.matrix import cases, check, staff_only

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    "url, role, expected",
    cases(
        {
            "/accompagnement/chiffres/": staff_only(),
            "/accompagnement/chiffres/?annee=2024": staff_only(),
            "/accompagnement/chiffres/export.csv?annee=2024": staff_only(),
        }
    ),
)
def test_only_staff_see_the_figures(client_for, url, role, expected):
    check(client_for(role), url, expected)


@pytest.fixture
def year_2024():
    accepted = make_application(received_on=datetime.date(2024, 3, 1))
    ApplicationDecision.objects.create(
        application=accepted,
        status=ApplicationStatus.ACCEPTED,
        decided_on=datetime.date(2024, 4, 1),
    )
    make_application(received_on=datetime.date(2024, 5, 1))
    project = make_project(stage=Stage.APPLICATION)
    StageEntry.objects.create(
        project=project, stage=Stage.PREFIGURATION, entered_on=datetime.date(2024, 6, 1)
    )


def test_the_funnel_shows_the_year_as_text(client_for, year_2024):
    response = client_for("staff").get("/accompagnement/chiffres/?annee=2024")
    html = response.content.decode()
    assert "Chiffres de l'accompagnement 2024" in html
    assert '<th scope="row">communes candidates</th>' in html
    assert '<span class="funnel-value">2</span>' in html
    assert '<th scope="row">études de préfiguration</th>' in html
    assert '<th scope="row">Occitanie</th><td>2</td>' in html


def test_the_region_filter_and_its_export(client_for, year_2024):
    client = client_for("staff")
    html = client.get("/accompagnement/chiffres/?annee=2024&region=Occitanie").content.decode()
    assert "Chiffres de l'accompagnement 2024 – Occitanie" in html
    response = client.get("/accompagnement/chiffres/export.csv?annee=2024&region=Occitanie")
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert 'filename="accompagnement-2024-Occitanie.csv"' in response["Content-Disposition"]
    lines = response.content.decode().splitlines()
    assert lines[0] == "figure,value"
    assert "applications.received,2" in lines
    assert "entered.prefiguration,1" in lines


@pytest.mark.parametrize(
    "query, message",
    [
        ("annee=deux", "Année invalide : « deux »"),
        ("annee=2024&region=Atlantide", "Région inconnue : « Atlantide »"),
    ],
)
def test_bad_filters_are_explained_in_french(client_for, query, message):
    client = client_for("staff")
    page = client.get(f"/accompagnement/chiffres/?{query}")
    assert page.status_code == 400
    assert message in page.content.decode()
    export = client.get(f"/accompagnement/chiffres/export.csv?{query}")
    assert export.status_code == 400
    assert message in export.content.decode()


def test_staff_find_the_dashboard_from_their_space(client_for):
    staff_space = client_for("staff").get("/espace/").content.decode()
    assert 'href="/accompagnement/chiffres/"' in staff_space
    assert "/accompagnement/chiffres/" not in client_for("elected").get("/espace/").content.decode()
