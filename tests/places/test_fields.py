from __future__ import annotations

import pytest
from django import forms

from community.places.forms import CafeField, CommuneChoiceField, CommuneField, PlaceInput
from community.places.models import Cafe
from tests.factories import make_cafe, make_commune

pytestmark = pytest.mark.django_db


class CommuneForm(forms.Form):
    commune = CommuneField()


def resolve(text: str) -> forms.Form:
    form = CommuneForm(data={"commune": text})
    form.is_valid()
    return form


@pytest.fixture
def saint_etienne(db):
    return make_commune(
        "Saint-Étienne",
        insee_code="42218",
        department_code="42",
        population=171057,
        postal_codes="42000 42100",
    )


@pytest.fixture
def saint_martins(db):
    return [
        make_commune(
            "Saint-Martin",
            insee_code=code,
            department_code=code[:2],
            population=pop,
            postal_codes=postal,
        )
        for code, pop, postal in [
            ("32392", 300, "32300"),
            ("54479", 200, "54450"),
            ("67425", 900, "67220"),
        ]
    ]


@pytest.mark.parametrize(
    "typed",
    [
        "Saint-Étienne (42000)",
        "saint etienne (42100)",
        "Saint-Étienne",
        "saint etienne",
        "ST ETIENNE",
        "saint-étienne",
        "42000",
        "42218",
        "  Saint   Étienne ",
    ],
)
def test_a_commune_is_found_from_what_people_type(saint_etienne, typed):
    form = resolve(typed)

    assert form.errors == {}
    assert form.cleaned_data["commune"] == saint_etienne


def test_corsican_insee_code_in_lowercase_is_understood(db):
    ajaccio = make_commune(
        "Ajaccio", insee_code="2A004", department_code="2A", postal_codes="20000 20090"
    )

    assert resolve("2a004").cleaned_data["commune"] == ajaccio
    assert resolve("20090").cleaned_data["commune"] == ajaccio


def test_an_ambiguous_name_lists_the_choices_largest_first(saint_martins):
    form = resolve("saint martin")

    assert form.errors["commune"] == [
        "Plusieurs communes correspondent à « saint martin » : « Saint-Martin (67220) », "
        "« Saint-Martin (32300) », « Saint-Martin (54450) ». Précisez le code postal, par "
        "exemple « Saint-Martin (67220) »."
    ]
    assert resolve("Saint-Martin (54450)").cleaned_data["commune"] == saint_martins[1]


def test_an_unknown_commune_says_what_to_type(db):
    form = resolve("Nulle-Part")

    assert form.errors["commune"] == [
        "Aucune commune ne correspond à « Nulle-Part ». Tapez le nom exact ou le code postal."
    ]


def test_a_label_with_the_wrong_postal_code_is_not_accepted(saint_etienne):
    assert "commune" in resolve("Saint-Étienne (81000)").errors


def test_an_empty_optional_commune_is_none(db):
    class OptionalForm(forms.Form):
        commune = CommuneField(required=False)

    form = OptionalForm(data={"commune": "  "})

    assert form.is_valid()
    assert form.cleaned_data["commune"] is None


def test_the_input_carries_the_suggestions_url_and_its_assets(db):
    html = str(CommuneForm()["commune"])
    media = str(CommuneForm().media)

    assert 'data-autocomplete-url="/lieux/communes/suggestions/"' in html
    assert 'autocomplete="off"' in html
    assert "js/autocomplete.js" in media and "defer" in media
    assert "css/autocomplete.css" in media


def test_an_initial_commune_is_shown_as_its_label(saint_etienne):
    form = CommuneForm(initial={"commune": saint_etienne})

    assert 'value="Saint-Étienne (42000)"' in str(form["commune"])


class CafeModelForm(forms.ModelForm):
    commune = CommuneChoiceField()

    class Meta:
        model = Cafe
        fields = ["name", "commune"]


def test_a_model_form_shows_the_saved_commune_as_its_label(cafe):
    form = CafeModelForm(instance=cafe)

    assert f'value="{cafe.commune.label}"' in str(form["commune"])


def test_a_model_form_reads_an_insee_code_as_a_code_never_as_a_primary_key(saint_etienne):
    decoy = make_commune("Décoy", insee_code="81999", population=1)
    form = CafeModelForm(data={"name": "Le Zinc", "commune": "42218"})

    assert decoy.pk != 42218
    assert form.is_valid(), form.errors
    assert form.save().commune == saint_etienne


def test_a_model_form_keeps_what_was_typed_when_it_is_wrong(db):
    form = CafeModelForm(data={"name": "Le Zinc", "commune": "Nulle-Part"})

    assert not form.is_valid()
    assert 'value="Nulle-Part"' in str(form["commune"])
    assert not Cafe.objects.exists()


class CafeForm(forms.Form):
    cafe = CafeField()


def test_a_cafe_is_found_by_label_or_name(commune):
    cafe = make_cafe("Le Bistrot", commune=commune)

    for typed in ("Le Bistrot – Saint-Antonin", "le bistrot"):
        form = CafeForm(data={"cafe": typed})
        assert form.is_valid(), form.errors
        assert form.cleaned_data["cafe"] == cafe


def test_cafes_with_the_same_name_ask_for_the_commune(db):
    make_cafe("Le Bistrot", commune=make_commune("Puycelsi"))
    make_cafe("Le Bistrot", commune=make_commune("Penne"))

    form = CafeForm(data={"cafe": "Le Bistrot"})

    assert not form.is_valid()
    assert "Plusieurs cafés s'appellent « Le Bistrot »" in form.errors["cafe"][0]
    assert "Précisez la commune." in form.errors["cafe"][0]


def test_an_unknown_cafe_says_what_to_do(db):
    form = CafeForm(data={"cafe": "Le Fantôme"})

    assert form.errors["cafe"][0].startswith("Aucun café du réseau ne s'appelle « Le Fantôme »")


def test_place_input_keeps_extra_attributes():
    widget = PlaceInput("/x/", {"class": "wide"})

    assert widget.attrs["class"] == "wide"
    assert widget.attrs["data-autocomplete-url"] == "/x/"
