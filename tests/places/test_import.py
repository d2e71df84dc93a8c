from __future__ import annotations

import copy
from io import StringIO
from pathlib import Path

import pytest
from django.core.management import CommandError, call_command
from django.test import Client

from community.places.management.commands.import_communes import DEFAULT_SOURCE
from community.places.models import Commune, Department, Region, Stage
from tests.background import run_worker
from tests.factories import make_cafe
from tests.search.engines import titles
from tests.services import unavailable

from .conftest import COMMUNES, DEPARTMENTS


def run_import(source: Path, centres: Path | None = None) -> str:
    """Without centres, a file that does not exist: the samples have no coordinates."""
    out = StringIO()
    centres = centres or source / "centres-absent.csv.lzma"
    call_command("import_communes", source=source, centres=centres, stdout=out)
    return out.getvalue()


def table_state() -> tuple[list, list, list]:
    return (
        list(Region.objects.values_list("code", "name")),
        list(Department.objects.values_list("code", "name", "region__code")),
        list(
            Commune.objects.values_list(
                "insee_code", "name", "department__code", "population", "postal_codes"
            )
        ),
    )


@pytest.mark.django_db
def test_import_creates_regions_departments_and_current_communes_only(write_source):
    output = run_import(write_source())

    assert set(Commune.objects.values_list("insee_code", flat=True)) == {
        "81004",
        "81240",
        "2A004",
        "97101",
    }
    ajaccio = Commune.objects.select_related("department__region").get(insee_code="2A004")
    assert (ajaccio.name, ajaccio.department.code, ajaccio.region.name) == (
        "Ajaccio",
        "2A",
        "Corse",
    )
    assert ajaccio.postal_codes == "20000 20090 20167"
    assert ajaccio.population == 76320
    assert Commune.objects.get(insee_code="97101").search_name == "les abymes"
    assert Department.objects.count() == 3
    assert "Import terminé en" in output
    assert "Régions : 3 créations, 0 mises à jour, 0 sans changement." in output
    assert "Communes : 4 créations, 0 mises à jour, 0 sans changement." in output


@pytest.mark.django_db
def test_a_second_run_updates_changed_communes_without_duplicates(write_source):
    run_import(write_source())
    communes = copy.deepcopy(COMMUNES)
    communes[0].update(nom="Albi-la-Rouge", population=50000)

    output = run_import(write_source(communes=communes))

    assert Commune.objects.count() == 4
    albi = Commune.objects.get(insee_code="81004")
    assert (albi.name, albi.population, albi.search_name) == (
        "Albi-la-Rouge",
        50000,
        "albi la rouge",
    )
    assert "Communes : 0 créations, 1 mises à jour, 3 sans changement." in output
    assert "Départements : 0 créations, 0 mises à jour, 3 sans changement." in output


@pytest.mark.django_db
def test_a_commune_gone_from_the_list_is_kept_and_reported(write_source):
    run_import(write_source())
    cafe = make_cafe("Le Relais", commune=Commune.objects.get(insee_code="81240"))
    merged_away = [record for record in COMMUNES if record["code"] != "81240"]

    output = run_import(write_source(communes=merged_away))

    assert Commune.objects.filter(pk=cafe.commune_id).exists()
    assert "1 commune(s) absente(s) de la liste officielle" in output


def with_commune(**changes) -> list[dict]:
    communes = copy.deepcopy(COMMUNES)
    communes[1].update(changes)
    return communes


def without_key(key: str) -> list[dict]:
    communes = copy.deepcopy(COMMUNES)
    del communes[1][key]
    return communes


BROKEN_SOURCES = {
    "bad-json": (
        {"communes": '[{"code": "81004",'},
        "communes.json : JSON invalide ligne 1",
    ),
    "not-a-list": ({"regions": {"76": "Occitanie"}}, "regions.json : une liste"),
    "missing-name": (
        {"communes": without_key("nom")},
        "communes.json, enregistrement n° 2 (code « 81240 ») : champ « nom » manquant",
    ),
    "missing-type": ({"communes": without_key("type")}, "champ « type » manquant"),
    "invalid-insee": (
        {"communes": with_commune(code="2C001", departement="2A")},
        "(code « 2C001 ») : code INSEE invalide « 2C001 »",
    ),
    "insee-of-another-department": (
        {"communes": with_commune(code="82001")},
        "(code « 82001 ») : le code INSEE n'est pas du département « 81 »",
    ),
    "unknown-department": (
        {"communes": with_commune(code="99001", departement="99")},
        "département « 99 » absent de departements.json",
    ),
    "unknown-region": (
        {"departments": [*DEPARTMENTS, {"code": "82", "region": "99", "nom": "Tarn-et-Garonne"}]},
        "departements.json, enregistrement n° 4 (code « 82 ») : région « 99 » absente",
    ),
    "negative-population": ({"communes": with_commune(population=-3)}, "population invalide"),
    "bad-postal-code": ({"communes": with_commune(codesPostaux=["8122"])}, "codes postaux"),
    "duplicate-commune": (
        {"communes": [*COMMUNES, COMMUNES[0]]},
        "la commune « 81004 » figure deux fois",
    ),
    "record-not-an-object": ({"communes": [*COMMUNES, "81004"]}, "un objet JSON est attendu"),
    "no-commune": ({"communes": COMMUNES[4:]}, "aucune commune de type « commune-actuelle »"),
}


@pytest.mark.django_db
@pytest.mark.parametrize(("files", "message"), BROKEN_SOURCES.values(), ids=list(BROKEN_SOURCES))
def test_a_broken_source_imports_nothing_and_says_why_in_french(write_source, files, message):
    with pytest.raises(CommandError) as error:
        run_import(write_source(**files))

    assert str(error.value).startswith("Import annulé, rien n'a été modifié.")
    assert message in str(error.value)
    assert table_state() == ([], [], [])


@pytest.mark.django_db
def test_a_broken_source_leaves_the_previous_import_untouched(write_source):
    run_import(write_source())
    before = table_state()
    communes = copy.deepcopy(COMMUNES)
    communes[0]["nom"] = "Albi renommée"  # valid, but in the same file as a broken record
    communes[2]["code"] = "2a004"

    with pytest.raises(CommandError, match="code INSEE invalide « 2a004 »"):
        run_import(write_source(communes=communes))

    assert table_state() == before


@pytest.mark.django_db
def test_every_error_is_listed_up_to_ten(write_source):
    communes = [dict(COMMUNES[0], code=f"2C{n:03d}") for n in range(12)]

    with pytest.raises(CommandError) as error:
        run_import(write_source(communes=communes))

    assert str(error.value).count("code INSEE invalide") == 10
    assert "… et 2 autre(s) erreur(s)." in str(error.value)


@pytest.mark.django_db
def test_a_missing_source_folder_says_how_to_get_it(tmp_path):
    with pytest.raises(CommandError, match="Dossier source introuvable .* scripts/provision.sh"):
        run_import(tmp_path / "nowhere")


@pytest.mark.django_db
def test_a_missing_file_is_named(write_source):
    source = write_source()
    (source / "departements.json").unlink()

    with pytest.raises(CommandError, match="Fichier introuvable : .*departements.json"):
        run_import(source)


@pytest.mark.django_db
def test_the_official_etalab_list_imports_completely():
    if not (DEFAULT_SOURCE / "communes.json").exists():
        unavailable(f"the Etalab list is not provisioned at {DEFAULT_SOURCE} (provision.sh)")

    output = run_import(DEFAULT_SOURCE)
    again = run_import(DEFAULT_SOURCE)

    assert Commune.objects.count() > 34_000
    known = dict(
        Commune.objects.filter(insee_code__in=["2A004", "97101", "81004", "75056"]).values_list(
            "insee_code", "name"
        )
    )
    assert known == {
        "2A004": "Ajaccio",
        "97101": "Les Abymes",
        "81004": "Albi",
        "75056": "Paris",
    }
    assert Department.objects.filter(code__in=["2A", "2B", "971", "976"]).count() == 4
    assert "Communes : 0 créations, 0 mises à jour" in again
    assert "créations" in output


@pytest.mark.django_db(transaction=True)
@pytest.mark.meilisearch
def test_a_renamed_commune_renames_its_cafe_in_the_search(write_source, worker_meili):
    run_import(write_source())
    make_cafe("Le Relais", commune=Commune.objects.get(insee_code="81004"), stage=Stage.OPERATION)
    run_worker()
    assert titles(Client(), "Relais") == ["Le Relais, Albi"]

    renamed = copy.deepcopy(COMMUNES)
    renamed[0].update(nom="Albi-la-Rouge", population=50000)
    run_import(write_source(communes=renamed))
    run_worker()
    assert titles(Client(), "Relais") == ["Le Relais, Albi-la-Rouge"]
