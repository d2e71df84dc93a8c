from __future__ import annotations

import pytest
from django.utils.html import escape

from community.accounts.models import Role
from community.places.models import Cafe, Commune, LegalForm, Stage
from tests.factories import make_cafe, make_commune, make_member
from tests.matrix import Redirect, cases, check, wagtail_admin

pytestmark = pytest.mark.django_db

CAFES = "/admin/lieux/cafes/"
COMMUNES = "/admin/lieux/communes/"


@pytest.fixture
def places(cafe):
    """The café and commune the edit URLs point at ({cafe} and {commune} in MATRIX)."""
    return {"cafe": cafe.pk, "commune": cafe.commune.pk}


MATRIX = {
    CAFES: wagtail_admin(),
    f"{CAFES}new/": wagtail_admin(),
    CAFES + "edit/{cafe}/": wagtail_admin(),
    CAFES + "delete/{cafe}/": wagtail_admin(),
    COMMUNES: wagtail_admin(),
    f"{COMMUNES}?q=saint&department=1": wagtail_admin(),
    f"{COMMUNES}new/": wagtail_admin(),
    COMMUNES + "edit/{commune}/": wagtail_admin(),
    # Nobody deletes a commune: Wagtail sends staff back to the admin home.
    COMMUNES + "delete/{commune}/": wagtail_admin(Redirect("/admin/")),
}


@pytest.mark.parametrize(("url", "role", "expected"), cases(MATRIX))
def test_back_office_access(client_for, places, url, role, expected):
    check(client_for(role), url.format(**places), expected)


def test_staff_menu_offers_cafes_and_communes(client_for):
    html = client_for("staff").get("/admin/").content.decode()

    # The sidebar is JSON for Wagtail's script, hence the escaped accent.
    assert '"label": "Communes et caf\\u00e9s"' in html
    assert f'"url": "{CAFES}"' in html and f'"url": "{COMMUNES}"' in html


def test_even_a_superuser_gets_no_commune_deletion(client, commune):
    admin = make_member(Role.STAFF, is_superuser=True)
    client.force_login(admin)

    page = client.get(f"{COMMUNES}edit/{commune.pk}/").content.decode()
    response = client.post(f"{COMMUNES}delete/{commune.pk}/")

    assert f"{COMMUNES}delete/" not in page
    assert response.status_code == 302
    assert Commune.objects.filter(pk=commune.pk).exists()


def test_commune_list_searches_without_accents_and_filters_by_region(client_for):
    make_commune("Saint-Étienne", insee_code="42218", department_code="42", postal_codes="42000")
    make_commune("Albi", insee_code="81004", postal_codes="81000")
    client = client_for("staff")

    by_name = client.get(COMMUNES, {"q": "etienne"}).content.decode()
    by_postal_code = client.get(COMMUNES, {"q": "81000"}).content.decode()
    by_insee = client.get(COMMUNES, {"q": "42218"}).content.decode()

    assert "Saint-Étienne" in by_name and "Albi" not in by_name
    assert "Albi" in by_postal_code and "Saint-Étienne" not in by_postal_code
    assert "Saint-Étienne" in by_insee
    department = Commune.objects.get(insee_code="81004").department
    filtered = client.get(COMMUNES, {"department": department.pk}).content.decode()
    assert "Albi" in filtered and "Saint-Étienne" not in filtered
    by_region = client.get(COMMUNES, {"region": department.region_id}).content.decode()
    assert "Albi" in by_region


def test_cafe_list_filters_by_stage_and_department(client_for):
    make_cafe("Le Zinc", stage=Stage.OPERATION, legal_form=LegalForm.ASSOCIATIVE)
    make_cafe("La Source", stage=Stage.RECRUITMENT, commune=make_commune(department_code="12"))
    client = client_for("staff")

    operating = client.get(CAFES, {"stage": Stage.OPERATION}).content.decode()
    searched = client.get(CAFES, {"q": "source"}).content.decode()

    assert "Le Zinc" in operating and "La Source" not in operating
    assert "La Source" in searched and "Le Zinc" not in searched


@pytest.fixture
def cafe_form(commune):
    return {
        "name": "Le Bistrot de la Place",
        "address": "2 place de la Mairie",
        "commune": commune.label,
        "latitude": "44.15",
        "longitude": "1.75",
        "legal_form": LegalForm.MUNICIPAL,
        "stage": Stage.OPENING,
    }


def test_staff_creates_a_cafe_typing_the_commune_and_picking_managers(
    client_for, cafe_form, commune
):
    manager = make_member(Role.MANAGER, display_name="Gaston Gérant")

    response = client_for("staff").post(
        f"{CAFES}new/", {**cafe_form, "commune": "saint antonin", "managers": [manager.pk]}
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    cafe = Cafe.objects.get(name="Le Bistrot de la Place")
    assert cafe.commune == commune
    assert list(cafe.managers.all()) == [manager]


def test_the_cafe_form_uses_the_autocomplete_input_and_offers_only_managers(client_for, cafe):
    elected = make_member(Role.ELECTED, display_name="Élise Élue")
    manager = make_member(Role.MANAGER, display_name="Marc Gérant")

    html = client_for("staff").get(f"{CAFES}edit/{cafe.pk}/").content.decode()

    assert 'data-autocomplete-url="/lieux/communes/suggestions/"' in html
    assert f'value="{cafe.commune.label}"' in html
    assert "js/autocomplete.js" in html and "css/autocomplete.css" in html
    assert "Marc Gérant" in html
    assert elected.display_name not in html
    assert manager.email in html


@pytest.mark.parametrize(
    ("changes", "field", "message"),
    [
        ({"commune": "Nulle-Part"}, "commune", "Aucune commune ne correspond à « Nulle-Part »"),
        ({"latitude": "200"}, "latitude", "inférieure ou égale à 90"),
        ({"longitude": ""}, "longitude", "Indiquez la latitude et la longitude, ou aucune"),
        ({"name": ""}, "name", "Champ requis."),
    ],
)
def test_invalid_cafe_input_gets_a_french_error_and_saves_nothing(
    client_for, cafe_form, changes, field, message
):
    response = client_for("staff").post(f"{CAFES}new/", {**cafe_form, **changes})

    assert response.status_code == 200
    assert message in " ".join(response.context["form"].errors[field])
    assert escape(response.context["form"].errors[field][0]) in response.content.decode()
    assert not Cafe.objects.exists()


def test_a_non_manager_cannot_be_made_manager(client_for, cafe_form):
    elected = make_member(Role.ELECTED)

    response = client_for("staff").post(f"{CAFES}new/", {**cafe_form, "managers": [elected.pk]})

    assert "Sélectionnez un choix valide" in response.content.decode()
    assert not Cafe.objects.exists()


def test_editing_a_cafe_keeps_its_commune_when_the_label_is_sent_back(client_for, cafe, cafe_form):
    response = client_for("staff").post(
        f"{CAFES}edit/{cafe.pk}/", {**cafe_form, "name": "Le Nouveau Nom"}
    )

    assert response.status_code == 302
    cafe.refresh_from_db()
    assert (cafe.name, cafe.commune.label) == ("Le Nouveau Nom", cafe_form["commune"])


def test_a_commune_with_an_insee_code_of_another_department_is_refused(client_for, commune):
    data = {
        "insee_code": "82001",
        "name": commune.name,
        "department": commune.department_id,
        "population": "850",
        "postal_codes": commune.postal_codes,
    }

    response = client_for("staff").post(f"{COMMUNES}edit/{commune.pk}/", data)

    assert escape("n'appartient pas au département") in response.content.decode()
    commune.refresh_from_db()
    assert commune.insee_code != "82001"


def test_staff_edits_a_commune_and_its_search_name_follows(client_for, commune):
    data = {
        "insee_code": commune.insee_code,
        "name": "Saint-Antonin-Noble-Val",
        "department": commune.department_id,
        "population": "1900",
        "postal_codes": "82140",
    }

    response = client_for("staff").post(f"{COMMUNES}edit/{commune.pk}/", data)

    assert response.status_code == 302
    commune.refresh_from_db()
    assert (commune.search_name, commune.population) == ("saint antonin noble val", 1900)
