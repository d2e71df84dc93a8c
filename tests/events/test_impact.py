"""Impact figures on a known data set: the command's JSON and CSV, the staff dashboard and
its CSV export, who may see them, and the demo data's dashboard."""

from __future__ import annotations

import csv
import io
import json
import re
import subprocess
import sys
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from community.places.models import Cafe
from events.demo import _seasons
from events.impact import CSV_HEADERS, PARIS, year_impact
from events.models import AnimationKind, Booking, BookingState, Fund, Reimbursement, Tour, TourStop
from tests.factories import make_cafe, make_commune
from tests.matrix import cases, check, staff_only
from tests.services import PROJECT_ROOT

from .conftest import CATALOGUE, funder, html_of, kind, make_fund

pytestmark = pytest.mark.django_db

YEAR = 2025
HELD, CANCELLED, CONFIRMED = BookingState.HELD, BookingState.CANCELLED, BookingState.CONFIRMED
APPROVED = Reimbursement.State.APPROVED


def paris(year: int, month: int, day: int, hour: int = 18, minute: int = 0) -> datetime:
    return datetime(year, month, day, hour, minute, tzinfo=PARIS)


def animation(cafe: Cafe, slug: str, starts_at: datetime, state: str, participants=None):
    """A booking recorded as it stands (the services refuse dates in the past, rightly)."""
    animation_kind = kind(slug)
    return Booking.objects.create(
        cafe=cafe,
        kind=animation_kind,
        state=state,
        preferred_1=starts_at,
        starts_at=starts_at,
        ends_at=starts_at + animation_kind.duration,
        participants=participants,
    )


def reimburse(booking: Booking, fund: Fund, amount: str, state=APPROVED) -> Reimbursement:
    return Reimbursement.objects.create(
        booking=booking,
        fund=fund,
        state=state,
        requested_amount=Decimal(amount),
        approved_amount=Decimal(amount) if state == APPROVED else None,
        invoice="animations/factures/test.pdf",  # never opened by the figures
    )


def stop(tour: Tour, booking: Booking) -> TourStop:
    return TourStop.objects.create(tour=tour, booking=booking, show="Cinéma en plein air")


@dataclass
class DataSet:
    january_concert: Booking
    culture: Fund


@pytest.fixture
def data() -> DataSet:
    """Three cafés of 2025 (two called « Le Café du Village », in two communes), two
    departments, held animations around what must not count: cancelled, confirmed, other
    years (on both sides of midnight in Paris), refused, pending and misplaced claims."""
    saint_antonin = make_commune(name="Saint-Antonin", department_code="81")
    tiranges = make_commune(name="Tiranges", department_code="43")
    cordes = make_commune(name="Cordes-sur-Ciel", department_code="81")
    village_81 = make_cafe(name="Le Café du Village", commune=saint_antonin)
    village_43 = make_cafe(name="Le Café du Village", commune=tiranges)
    cordes_cafe = make_cafe(name="Le Cordes Café", commune=cordes)

    chess_81 = animation(village_81, "chess-workshop", paris(YEAR, 3, 14), HELD, 12)
    chess_43 = animation(village_43, "chess-workshop", paris(YEAR, 6, 20), HELD, 8)
    nutrition = animation(cordes_cafe, "nutrition-workshop", paris(YEAR, 6, 5, 15), HELD, 11)
    # 00:30 in Paris on New Year's Day is still 31 December in UTC: it belongs to YEAR…
    january_concert = animation(village_43, "concert-de-poche", paris(YEAR, 1, 1, 0, 30), HELD, 40)
    # …and the same moment a year later to the next year.
    animation(village_81, "first-aid-training", paris(YEAR + 1, 1, 1, 0, 30), HELD, 9)
    last_year = animation(village_81, "chess-workshop", paris(YEAR - 1, 11, 10), HELD, 10)
    cancelled = animation(village_81, "chess-workshop", paris(YEAR, 9, 1), CANCELLED)
    animation(cordes_cafe, "shared-meal", paris(YEAR, 10, 3, 12), CONFIRMED)

    summer = Tour.objects.create(
        name=f"Tournée des Villages — été {YEAR}",
        slug=f"ete-{YEAR}",
        kind=kind("tournee-des-villages"),
        season_start=paris(YEAR, 6, 1).date(),
        season_end=paris(YEAR, 9, 30).date(),
    )
    stop(summer, animation(village_81, "tournee-des-villages", paris(YEAR, 7, 18, 21), HELD, 140))
    stop(summer, animation(cordes_cafe, "tournee-des-villages", paris(YEAR, 8, 8, 21), HELD, 85))
    stop(summer, animation(village_43, "tournee-des-villages", paris(YEAR, 8, 22, 21), CANCELLED))
    autumn = Tour.objects.create(
        name=f"Tournée des Villages — automne {YEAR}",
        slug=f"automne-{YEAR}",
        kind=kind("tournee-des-villages"),
        season_start=paris(YEAR, 10, 1).date(),
        season_end=paris(YEAR, 11, 30).date(),
    )
    stop(autumn, animation(village_43, "tournee-des-villages", paris(YEAR, 10, 17), CONFIRMED))

    bien_vieillir = make_fund(
        "Fonds Bien vieillir", funder("Mutuelle partenaire"), "25000", year=YEAR
    )
    culture = make_fund("Fonds Culture", funder("Région"), "25000", year=YEAR)
    reimburse(nutrition, bien_vieillir, "250.50")
    reimburse(chess_43, culture, "120.00")
    reimburse(chess_81, bien_vieillir, "80.00", state=Reimbursement.State.REFUSED)
    reimburse(january_concert, culture, "300.00", state=Reimbursement.State.CLAIMED)
    reimburse(cancelled, bien_vieillir, "99.00")
    reimburse(
        last_year,
        make_fund("Fonds Bien vieillir", funder("Mutuelle"), "25000", year=YEAR - 1),
        "60.00",
    )
    return DataSet(january_concert=january_concert, culture=culture)


def every_kind(**counts: int) -> dict[str, int]:
    return {slug: counts.get(slug.replace("-", "_"), 0) for slug in CATALOGUE}


EXPECTED = {
    "year": YEAR,
    "animations": {
        "total": 6,
        "by_kind": every_kind(
            chess_workshop=2, nutrition_workshop=1, concert_de_poche=1, tournee_des_villages=2
        ),
    },
    "participants": {
        "total": 296,
        "by_kind": every_kind(
            chess_workshop=20, nutrition_workshop=11, concert_de_poche=40, tournee_des_villages=225
        ),
    },
    "cafes": 3,
    "communes": 3,
    "departments": 2,
    "tours": {"count": 1, "stops": 2, "participants": 225},
    "guinguette": {"dates": 0, "by_vehicle": {}},
    "reimbursed_eur": {
        "total": "370.50",
        "by_fund": {"Fonds Bien vieillir": "250.50", "Fonds Culture": "120.00"},
    },
}


def run(*args: str) -> str:
    out = StringIO()
    call_command("impact_report", *args, stdout=out)
    return out.getvalue()


# ---------------------------------------------------------------------------- the command


def test_report_prints_the_figures_of_the_year_as_json(data):
    assert set(AnimationKind.objects.values_list("slug", flat=True)) == set(CATALOGUE)
    assert json.loads(run("--year", str(YEAR), "--format", "json")) == EXPECTED


def test_json_is_the_default_format(data):
    assert json.loads(run("--year", str(YEAR))) == EXPECTED


def test_a_year_without_animations_lists_every_kind_at_zero(data):
    report = json.loads(run("--year", "2010"))
    assert report["animations"] == {"total": 0, "by_kind": every_kind()}
    assert report["participants"] == {"total": 0, "by_kind": every_kind()}
    assert report["reimbursed_eur"] == {"total": "0.00", "by_fund": {}}
    assert (report["cafes"], report["communes"], report["departments"]) == (0, 0, 0)
    assert report["tours"] == {"count": 0, "stops": 0, "participants": 0}


def test_two_funds_of_the_same_name_are_told_apart_by_their_year(data):
    """The January concert is paid from last year's « Fonds Culture »."""
    previous_culture = make_fund("Fonds Culture", funder("Région"), "25000", year=YEAR - 1)
    Reimbursement.objects.filter(booking=data.january_concert).delete()
    reimburse(data.january_concert, previous_culture, "300.00")

    reimbursed = json.loads(run("--year", str(YEAR)))["reimbursed_eur"]

    assert reimbursed == {
        "total": "670.50",
        "by_fund": {
            "Fonds Bien vieillir": "250.50",
            f"Fonds Culture {YEAR - 1}": "300.00",
            f"Fonds Culture {YEAR}": "120.00",
        },
    }


def test_report_as_csv(data):
    rows = list(csv.reader(io.StringIO(run("--year", str(YEAR), "--format", "csv")), delimiter=";"))
    assert rows[0][:3] == ["Rubrique", "Code", "Libellé"]
    assert ["Ensemble", str(YEAR), f"Année {YEAR}", "6", "296", "3", "3", "2", "370,50"] in rows


@pytest.mark.parametrize(
    "args, message",
    [
        ((), "Indiquez l'année"),
        (("--year", "deux-mille"), "Année invalide : « deux-mille »"),
        (("--year", "1999"), "Année invalide : « 1999 »"),
        (("--year", "２０２５"), "Année invalide"),
        (("--year", "2025", "--format", "xml"), "Format inconnu : « xml »"),
    ],
)
def test_bad_arguments_are_explained_in_french(args, message):
    with pytest.raises(CommandError, match=message):
        run(*args)


def test_bad_year_exits_with_an_error_status():
    result = subprocess.run(
        [sys.executable, "manage.py", "impact_report", "--year", "demain"],
        capture_output=True,
        text=True,
        timeout=60,
        cwd=PROJECT_ROOT,
    )
    assert result.returncode != 0
    assert "Année invalide : « demain »" in result.stderr
    assert result.stdout == ""


def test_figures_take_a_few_queries_whatever_the_number_of_bookings(data):
    """Counting and summing happen in the database: more bookings, not more queries."""
    with CaptureQueriesContext(connection) as before:
        year_impact(YEAR)
    cafe = Cafe.objects.get(name="Le Cordes Café")
    Booking.objects.bulk_create(
        Booking(
            cafe=cafe,
            kind=kind("shared-meal"),
            state=HELD,
            preferred_1=paris(YEAR, 5, 1 + n % 28),
            starts_at=paris(YEAR, 5, 1 + n % 28),
            participants=3,
        )
        for n in range(200)
    )
    with CaptureQueriesContext(connection) as after:
        figures = year_impact(YEAR)
    assert figures.animations == 206
    assert len(after) == len(before) <= 6


# ---------------------------------------------------------------------------- the dashboard

DASHBOARD = f"/animations/impact/?annee={YEAR}"
EXPORT = f"/animations/impact/export.csv?annee={YEAR}"


@pytest.mark.parametrize(
    "url, role, expected",
    cases(dict.fromkeys((DASHBOARD, "/animations/impact/", EXPORT), staff_only())),
)
def test_only_staff_see_the_figures(client_for, url, role, expected):
    check(client_for(role), url, expected)


def text_of(markup: str) -> str:
    # Only ASCII white space: the no-break spaces of French typography stay.
    return re.sub(r"[ \t\r\n]+", " ", re.sub(r"<[^>]+>", " ", markup)).strip()


def table_rows(page: str, heading_id: str) -> list[list[str]]:
    """The body rows of the table labelled by the heading `heading_id`, as cell texts."""
    region = page.split(f'aria-labelledby="{heading_id}"', 1)[1].split("</table>", 1)[0]
    body = region.split("<tbody>", 1)[1]
    return [
        [text_of(cell) for cell in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        for row in re.findall(r"<tr>(.*?)</tr>", body, re.S)
    ]


def test_dashboard_shows_the_figures_of_the_year(data, client_for):
    response = client_for("staff").get(DASHBOARD)
    assert response.status_code == 200
    page = html_of(response)
    summary = text_of(page.split('id="summary"', 1)[1].split("</section>", 1)[0])
    for figure in (
        "6 animations réalisées",
        "296 participants",
        "3 cafés",
        "3 communes",
        "2 départements",
        "1 tournée : 2 étapes, 225 participants",
        "370,50\u00a0€ remboursés par les fonds partenaires",
    ):
        assert figure in summary
    kinds = table_rows(page, "by-kind")
    assert [kind("chess-workshop").name, "2", "20"] in kinds
    assert [kind("nutrition-workshop").name, "1", "11"] in kinds
    assert [kind("guinguette-mobile").name, "0", "0"] in kinds
    assert len(kinds) == len(CATALOGUE)
    months = table_rows(page, "by-month")
    assert [row[0] for row in months][:3] == ["janvier", "février", "mars"]
    assert months[0] == ["janvier", "1", "40"]
    assert months[5] == ["juin", "2", "19"]
    assert months[8] == ["septembre", "0", "0"]
    assert table_rows(page, "by-department") == [
        ["Département 43 (43)", "2", "48", "1", "1"],
        ["Département 81 (81)", "4", "248", "2", "2"],
    ]
    assert table_rows(page, "by-tour") == [[f"Tournée des Villages — été {YEAR}", "2", "225"]]
    assert table_rows(page, "by-fund") == [
        ["Fonds Bien vieillir", "Mutuelle partenaire", "1", "250,50\u00a0€"],
        ["Fonds Culture", "Région", "1", "120,00\u00a0€"],
    ]


def test_large_figures_are_grouped_by_thousands(client_for):
    cafe = make_cafe(commune=make_commune(department_code="81"))
    for day in (1, 2):
        animation(cafe, "concert-de-poche", paris(YEAR, 7, day), HELD, 1234)
    page = html_of(client_for("staff").get(DASHBOARD))
    summary = text_of(page.split('id="summary"', 1)[1].split("</section>", 1)[0])
    assert "2\u202f468 participants" in summary
    assert [kind("concert-de-poche").name, "2", "2\u202f468"] in table_rows(page, "by-kind")
    assert table_rows(page, "by-department")[0][2] == "2\u202f468"


def test_bars_are_as_long_as_their_share_of_the_busiest_row(data, client_for):
    page = html_of(client_for("staff").get(DASHBOARD))
    chart = page.split('aria-labelledby="by-kind"', 1)[1].split("</table>", 1)[0]
    widths = dict(
        re.findall(r'<th scope="row">([^<]+)</th>.*?<meter[^>]* value="(\d+)"', chart, re.S)
    )
    assert widths[kind("chess-workshop").name] == "100"
    assert widths[kind("concert-de-poche").name] == "50"
    assert widths[kind("guinguette-mobile").name] == "0"


def test_year_selector_offers_the_years_with_animations(data, client_for):
    page = html_of(client_for("staff").get(DASHBOARD))
    options = re.findall(r'<option value="(\d+)"( selected)?>', page)
    years = [int(value) for value, _ in options]
    assert years == sorted(years, reverse=True)
    assert {YEAR - 1, YEAR, YEAR + 1} <= set(years)
    assert (str(YEAR), " selected") in options


@pytest.mark.parametrize("value", ["deux-mille", "1999", "2025'--"])
def test_bad_year_on_the_dashboard_is_explained(data, client_for, value):
    client = client_for("staff")
    response = client.get("/animations/impact/", {"annee": value})
    assert response.status_code == 400
    assert f"Année invalide : « {value} »" in html_of(response)
    export = client.get("/animations/impact/export.csv", {"annee": value})
    assert export.status_code == 400
    assert "Année invalide" in export.content.decode()


def test_csv_export_in_french_for_spreadsheets(data, client_for):
    response = client_for("staff").get(EXPORT)
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert response["Content-Disposition"] == f'attachment; filename="chiffres-impact-{YEAR}.csv"'
    content = response.content.decode("utf-8")
    assert content.startswith("\ufeff")
    rows = list(csv.reader(io.StringIO(content[1:]), delimiter=";"))
    assert rows[0] == CSV_HEADERS
    assert rows[1] == ["Ensemble", str(YEAR), f"Année {YEAR}", "6", "296", "3", "3", "2", "370,50"]
    chess = kind("chess-workshop").name
    assert ["Type d'animation", "chess-workshop", chess, "2", "20", "", "", "", ""] in rows
    assert ["Mois", f"{YEAR}-06", "juin", "2", "19", "", "", "", ""] in rows
    assert ["Département", "81", "Département 81", "4", "248", "2", "2", "", ""] in rows
    assert ["Tournée", f"ete-{YEAR}", f"Tournée des Villages — été {YEAR}", "2", "225"] == rows[-3][
        :5
    ]
    assert ["Fonds", "", "Fonds Bien vieillir", "1", "", "", "", "", "250,50"] in rows


def test_csv_keeps_a_formula_like_name_as_text(data, client_for):
    Fund.objects.filter(name="Fonds Culture").update(name="=HYPERLINK(1)")
    rows = list(
        csv.reader(io.StringIO(client_for("staff").get(EXPORT).content.decode()[1:]), delimiter=";")
    )
    assert ["Fonds", "", "'=HYPERLINK(1)", "1", "", "", "", "", "120,00"] in rows


# ---------------------------------------------------------------------------- demo data


def test_demo_data_fills_last_seasons_dashboard(media_roots, client):
    call_command("seed_demo", stdout=StringIO())
    season, _ = _seasons()
    figures = year_impact(season)
    assert figures.animations and figures.participants and figures.cafes
    assert figures.tours and figures.funds
    # The season before too, so the year selector has two years to compare.
    assert year_impact(season - 1).animations
    assert client.login(email="equipe@example.org", password="cafe-demo-2025")
    page = html_of(client.get("/animations/impact/", {"annee": season}))
    assert f"{figures.animations} animations réalisées" in text_of(page)
