"""manage.py import_programming: past programming from a CSV file, checked first, then imported."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from django.core import mail
from django.test import Client
from django.utils import timezone

from community.places.models import Cafe, Commune
from events.importing import HEADER
from events.models import (
    Booking,
    BookingEvent,
    BookingState,
    Fund,
    Provider,
    Reimbursement,
    Tour,
    TourStop,
)
from tests.background import run_worker
from tests.factories import make_cafe, make_commune
from tests.search.engines import titles
from tests.spreadsheets import ImportCommand

from .conftest import funder, kind

pytestmark = pytest.mark.django_db

LAST_YEAR = timezone.localdate().year - 1


def day(month: int, dom: int) -> str:
    return date(LAST_YEAR, month, dom).isoformat()


IMPORT = ImportCommand("import_programming", HEADER)
line, write_csv, run, run_failing = IMPORT.line, IMPORT.write_csv, IMPORT.run, IMPORT.run_failing


@pytest.fixture
def known():
    """A commune and café already on the platform, which the file names."""
    kind("chess-workshop")  # the catalogue, seeded again after a transactional flush
    commune = make_commune("Saint-Antonin-Noble-Val", insee_code="81270")
    return make_cafe("Le Café du Village", commune=commune)


@pytest.fixture
def programming(tmp_path, known) -> Path:
    return write_csv(
        tmp_path / "programmation.csv",
        [
            # The known café, its commune spelled another way, the department without zero.
            line(
                date=day(3, 14),
                kind="chess-workshop",
                cafe="le cafe du village",
                commune_insee="81270",
                commune="St Antonin Noble Val",
                department="81",
                provider="Échiquier Tarnais",
                participants="12",
                status="held",
                fund="Fonds Bien vieillir",
                reimbursed_eur="120,50",
            ),
            # A commune and a café the platform does not know yet, on a tour.
            line(
                date=day(7, 5),
                kind="tournee-des-villages",
                cafe="Bar de la Place",
                commune_insee="81004",
                commune="Albi",
                provider="Compagnie du Petit Chapiteau",
                participants="85",
                status="held",
                tour="Tournée des Villages — été",
                fund="Fonds Bien vieillir",
                reimbursed_eur="80.25",
            ),
            line(
                date=day(7, 19),
                kind="tournee-des-villages",
                cafe="Le Café du Village",
                commune_insee="81270",
                provider="Compagnie du Petit Chapiteau",
                participants="0",
                status="held",
                tour="Tournée des Villages — été",
            ),
            line(
                date=day(9, 1),
                kind="concert-de-poche",
                cafe="Le Café du Village",
                commune_insee="81270",
                provider="Échiquier Tarnais",
                status="cancelled",
            ),
            line(
                date=day(10, 2),
                kind="first-aid-training",
                cafe="Bar de la Place",
                commune_insee="81004",
                status="declined",
            ),
        ],
    )


def test_import_creates_held_animations_that_impact_figures_count(programming, known):
    out, _err = run(programming)

    assert "5 lignes importées : 5 animations créées, 0 déjà présente." in out
    assert (
        "Créés, marqués « à vérifier » : 1 commune, 1 café, 2 prestataires, 1 tournée, 1 fonds."
        in out
    )
    assert "2 remboursements accordés enregistrés tels quels, sans facture." in out
    held = Booking.objects.filter(state=BookingState.HELD, starts_at__year=LAST_YEAR)
    assert held.count() == 3
    assert sorted(held.values_list("participants", flat=True)) == [0, 12, 85]
    chess = held.get(kind__slug="chess-workshop")
    assert chess.cafe == known
    assert timezone.localtime(chess.starts_at).date() == date(LAST_YEAR, 3, 14)
    assert chess.provider.name == "Échiquier Tarnais"
    assert Booking.objects.get(kind__slug="concert-de-poche").state == BookingState.CANCELLED
    declined = Booking.objects.get(kind__slug="first-aid-training")
    assert declined.state == BookingState.DECLINED and declined.starts_at is None


def test_tour_stops_and_approved_reimbursements_with_both_decimal_separators(programming):
    run(programming)

    tour = Tour.objects.get(name="Tournée des Villages — été")
    assert tour.kind.slug == "tournee-des-villages"
    assert (tour.season_start, tour.season_end) == (date(LAST_YEAR, 7, 5), date(LAST_YEAR, 7, 19))
    assert TourStop.objects.filter(tour=tour, booking__state=BookingState.HELD).count() == 2
    fund = Fund.objects.with_totals().get(name="Fonds Bien vieillir")
    assert fund.year == LAST_YEAR
    claims = Reimbursement.objects.filter(fund=fund, state=Reimbursement.State.APPROVED)
    assert sorted(claims.values_list("approved_amount", flat=True)) == [
        Decimal("80.25"),
        Decimal("120.50"),
    ]
    # A fund the import created has paid what the file says, and has nothing left.
    assert fund.budget == Decimal("200.75") and fund.remaining == 0
    assert set(fund.eligible_kinds.values_list("slug", flat=True)) == {
        "chess-workshop",
        "tournee-des-villages",
    }


def test_history_says_where_each_animation_came_from_and_nobody_is_emailed(programming):
    run(programming)

    booking = Booking.objects.get(kind__slug="chess-workshop")
    (event,) = booking.history.all()
    assert event.label == "import de la programmation passée"
    assert event.note == "Importée depuis programmation.csv, ligne 2."
    assert event.by is None and event.to_state == BookingState.HELD
    assert mail.outbox == []


def test_created_records_are_flagged_for_review_and_known_ones_are_not(programming, known):
    run(programming)

    assert Commune.objects.get(insee_code="81004").needs_review
    assert Cafe.objects.get(name="Bar de la Place").needs_review
    assert not Commune.objects.get(insee_code="81270").needs_review
    assert not Cafe.objects.get(pk=known.pk).needs_review
    assert Cafe.objects.filter(commune__insee_code="81270").count() == 1
    assert set(Provider.objects.filter(needs_review=True).values_list("name", flat=True)) == {
        "Échiquier Tarnais",
        "Compagnie du Petit Chapiteau",
    }
    assert Tour.objects.get().needs_review and Fund.objects.get().needs_review
    # A provider created by the import offers the kinds it delivered, to be booked again.
    delivered = Provider.objects.get(name="Échiquier Tarnais").kinds.values_list("slug", flat=True)
    assert sorted(delivered) == ["chess-workshop", "concert-de-poche"]


def test_review_flags_are_shown_and_filtered_in_the_back_office(programming, client_for):
    run(programming)
    make_cafe("Café déjà connu", commune=Commune.objects.get(insee_code="81270"))
    client = client_for("staff")

    flagged = client.get("/admin/lieux/cafes/", {"needs_review": "true"}).content.decode()
    communes = client.get("/admin/lieux/communes/", {"needs_review": "true"}).content.decode()
    providers = client.get("/admin/animations/prestataires/", {"needs_review": "true"})
    tours = client.get("/admin/animations/tournees/", {"needs_review": "true"})
    funds = client.get("/admin/animations/fonds/", {"needs_review": "true"})

    assert "Bar de la Place" in flagged and "Café déjà connu" not in flagged
    assert "Albi" in communes and "Saint-Antonin-Noble-Val" not in communes
    assert "Échiquier Tarnais" in providers.content.decode()
    assert "Tournée des Villages — été" in tours.content.decode()
    assert "Fonds Bien vieillir" in funds.content.decode()
    assert "À vérifier" in flagged or "à vérifier" in flagged


def test_importing_the_same_file_twice_changes_nothing(programming):
    run(programming)
    counts = [
        model.objects.count()
        for model in (Booking, BookingEvent, TourStop, Reimbursement, Cafe, Commune, Tour, Fund)
    ]

    out, _err = run(programming)

    assert "5 lignes importées : 0 animation créée, 5 déjà présentes." in out
    assert counts == [
        model.objects.count()
        for model in (Booking, BookingEvent, TourStop, Reimbursement, Cafe, Commune, Tour, Fund)
    ]
    assert Fund.objects.get().budget == Decimal("200.75")


def test_dry_run_reports_what_it_would_create_and_writes_nothing(programming):
    out, _err = run(programming, "--dry-run")

    assert "5 lignes vérifiées : 5 animations à créer, 0 déjà présente." in out
    assert "rien n'a été enregistré" in out
    assert not Booking.objects.exists()
    assert not Commune.objects.filter(insee_code="81004").exists()
    assert not (Tour.objects.exists() or Fund.objects.exists() or Provider.objects.exists())


def test_a_file_saved_with_a_byte_order_mark_imports(tmp_path, known):
    path = write_csv(
        tmp_path / "excel.csv",
        [
            line(
                date=day(5, 2),
                kind="shared-meal",
                cafe=known.name,
                commune_insee="81270",
                participants="30",
                status="held",
            )
        ],
        encoding="utf-8-sig",
    )

    out, _err = run(path)

    assert "1 ligne importée : 1 animation créée, 0 déjà présente." in out
    assert Booking.objects.get().participants == 30


GOOD = {
    "date": day(4, 1),
    "kind": "chess-workshop",
    "cafe": "Le Café du Village",
    "commune_insee": "81270",
    "status": "held",
    "participants": "8",
}

ERRORS = [
    ({"date": "01/04/2025"}, "date « 01/04/2025 » invalide : attendu AAAA-MM-JJ"),
    ({"date": f"{LAST_YEAR}-02-30"}, f"la date « {LAST_YEAR}-02-30 » n'existe pas"),
    ({"kind": "belote"}, "type d'animation « belote » inconnu"),
    ({"status": "done"}, "statut « done » inconnu"),
    ({"participants": ""}, "nombre de participants obligatoire pour une animation réalisée"),
    ({"participants": "-3"}, "nombre de participants « -3 » invalide"),
    ({"status": "cancelled"}, "le nombre de participants ne s'indique que pour une animation"),
    ({"fund": "Fonds", "reimbursed_eur": "12.5.0"}, "montant « 12.5.0 » invalide"),
    ({"fund": "Fonds", "reimbursed_eur": "0"}, "le montant remboursé doit être supérieur à zéro"),
    ({"fund": "Fonds"}, "indiquez le fonds et le montant remboursé, ou aucun des deux"),
    (
        {"status": "cancelled", "participants": "", "fund": "F", "reimbursed_eur": "5"},
        "seule une animation réalisée (held) peut avoir été remboursée",
    ),
    ({"department": "12"}, "le code INSEE 81270 n'est pas dans le département 12"),
    ({"commune_insee": "20123"}, "code INSEE « 20123 » invalide"),
    ({"cafe": ""}, "le café est obligatoire"),
    ({"commune": "Castres"}, "le code INSEE 81270 est celui d'une autre commune que « Castres »"),
    ({"commune_insee": "81999"}, "la commune 81999 n'existe pas encore ; indiquez son nom"),
    ({"commune_insee": "33063", "commune": "Bordeaux"}, "département 33 inconnu"),
    (
        {"date": f"{LAST_YEAR + 2}-01-01"},
        "une animation réalisée (held) ne peut pas être datée dans le futur",
    ),
]


@pytest.mark.parametrize(("change", "message"), ERRORS, ids=[m for _c, m in ERRORS])
def test_each_invalid_row_is_reported_with_its_line_and_nothing_is_imported(
    tmp_path, known, change, message
):
    path = write_csv(tmp_path / "f.csv", [line(**GOOD), line(**{**GOOD, **change})])

    output = run_failing(path)

    assert f"ligne 3 : {message}" in output
    assert "1 erreur : rien n'a été importé." in output
    assert not Booking.objects.exists()


def test_every_error_of_the_file_is_reported_at_once(tmp_path, known):
    path = write_csv(
        tmp_path / "f.csv",
        [
            line(**{**GOOD, "kind": "belote"}),
            line(**GOOD),
            line(**{**GOOD, "status": "held", "participants": "", "date": "hier"}),
            ["2025-01-01", "chess-workshop"],
            line(**{**GOOD, "tour": "Tournée des Villages — été"}),
            line(**{**GOOD, "kind": "tournee-des-villages", "tour": "Tournée des Villages — été"}),
        ],
    )

    output = run_failing(path)

    assert "ligne 2 : type d'animation « belote » inconnu" in output
    assert "ligne 3" not in output
    assert "ligne 4 : date « hier » invalide" in output
    assert "ligne 4 : nombre de participants obligatoire" in output
    assert "ligne 5 : 12 colonnes attendues, 2 trouvées." in output
    # A new tour takes its first row's programme; a later row of another kind is refused.
    assert (
        "ligne 7 : la tournée « Tournée des Villages — été » programme "
        "« Atelier d'initiation aux échecs », pas « Tournée des Villages »." in output
    )
    assert "5 erreurs : rien n'a été importé." in output
    assert not (Booking.objects.exists() or Tour.objects.exists())


def test_a_wrong_header_is_reported_and_nothing_is_imported(tmp_path, known):
    path = write_csv(tmp_path / "f.csv", [line(**GOOD)], header=["date", "type", "cafe"])

    output = run_failing(path)

    assert "ligne 1 : en-tête attendu « date,kind,cafe,commune_insee," in output
    assert "Rien n'a été importé." in output
    assert not Booking.objects.exists()


def test_a_semicolon_file_gets_a_hint(tmp_path, known):
    path = tmp_path / "f.csv"
    path.write_text(";".join(HEADER) + "\n", encoding="utf-8")

    assert "Le séparateur doit être la virgule" in run_failing(path)


def test_a_file_that_is_not_utf8_is_refused(tmp_path, known):
    path = tmp_path / "f.csv"
    path.write_bytes((",".join(HEADER) + "\n2025-01-01,chess-workshop,Café Élan").encode("cp1252"))

    assert "ligne 2 : le fichier n'est pas en UTF-8" in run_failing(path)


def test_a_missing_file_is_a_clear_error(tmp_path):
    assert "Impossible d'ouvrir" in run_failing(tmp_path / "absent.csv")


def test_spreadsheet_codes_without_their_leading_zero_are_understood(tmp_path, known):
    make_commune("Ambérieu-en-Bugey", insee_code="01004", department_code="01")
    path = write_csv(
        tmp_path / "f.csv",
        [line(**{**GOOD, "commune_insee": "1004", "department": "1", "cafe": "Café de l'Ain"})],
    )

    run(path)

    assert Booking.objects.get().cafe.commune.insee_code == "01004"


def test_progress_is_shown_for_large_files(tmp_path, known, monkeypatch):
    monkeypatch.setattr("events.importing.PROGRESS_EVERY", 2)
    monkeypatch.setattr("events.importing.CHUNK_SIZE", 2)
    rows = [line(**{**GOOD, "date": day(1, n)}) for n in range(1, 6)]

    _out, err = run(write_csv(tmp_path / "f.csv", rows))

    assert "vérification : 4 lignes…" in err and "import : 4 lignes…" in err


def test_an_existing_fund_over_its_budget_is_flagged(tmp_path, known):
    fund = Fund.objects.create(
        name="Fonds Bien vieillir",
        funder=funder("Mutuelle"),
        year=LAST_YEAR,
        budget=Decimal("100"),
    )
    path = write_csv(
        tmp_path / "f.csv",
        [line(**{**GOOD, "fund": "Fonds Bien vieillir", "reimbursed_eur": "150"})],
    )

    out, _err = run(path)

    fund.refresh_from_db()
    assert fund.needs_review and fund.budget == Decimal("100")
    assert "a maintenant accordé 150,00" in out


def test_an_imported_reimbursement_has_no_invoice_link_and_its_invoice_url_is_a_404(
    programming, client_for
):
    run(programming)
    claim = Reimbursement.objects.filter(invoice="").select_related("booking").first()
    staff = client_for("staff")

    page = staff.get(f"/animations/reservations/{claim.booking.pk}/")
    assert page.status_code == 200
    assert "sans facture (import)" in page.content.decode()
    assert f"/fonds/remboursements/{claim.pk}/facture/" not in page.content.decode()
    assert staff.get(f"/animations/fonds/remboursements/{claim.pk}/facture/").status_code == 404


@pytest.mark.django_db(transaction=True)
@pytest.mark.meilisearch
def test_an_imported_tour_is_found_once_delivered(programming, worker_meili):
    run(programming)
    run_worker()
    assert "Tournée des Villages — été" in titles(Client(), "Tournée été")
