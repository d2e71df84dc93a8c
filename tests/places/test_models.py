from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import ValidationError
from django.db.models import ProtectedError

from community.places.models import Commune, Department, validate_insee_code
from community.places.normalize import search_key, search_prefixes
from tests.factories import make_cafe, make_commune


@pytest.mark.parametrize("code", ["81004", "2A004", "2B033", "97101", "97611", "21231", "98818"])
def test_valid_insee_codes(code):
    validate_insee_code(code)


@pytest.mark.parametrize(
    "code", ["20004", "1234", "123456", "00001", "96001", "2C001", "2a004", "", "81 04"]
)
def test_invalid_insee_codes_get_a_french_message(code):
    with pytest.raises(ValidationError) as error:
        validate_insee_code(code)

    assert "n'est pas un code INSEE valide" in error.value.messages[0]


@pytest.mark.parametrize(
    ("typed", "key"),
    [
        ("Saint-Étienne", "saint etienne"),
        ("ST ETIENNE", "saint etienne"),
        ("saint-étienne", "saint etienne"),
        ("Ste-Marie-aux-Mines", "sainte marie aux mines"),
        ("L'Haÿ-les-Roses", "l hay les roses"),
        ("Œuilly", "oeuilly"),
        ("  Albi  ", "albi"),
        ("Stenay", "stenay"),
    ],
)
def test_search_key_ignores_accents_case_punctuation_and_saint_abbreviations(typed, key):
    assert search_key(typed) == key


def test_a_trailing_abbreviation_may_still_be_the_start_of_a_name():
    assert search_prefixes("st") == ["saint", "st"]
    assert search_prefixes("st eti") == ["saint eti"]
    assert search_prefixes("-'") == []


@pytest.mark.django_db
def test_the_search_name_follows_the_name_on_save(commune):
    commune.name = "Sainte-Cécile-d'Andorge"
    commune.save()

    assert Commune.objects.get(pk=commune.pk).search_name == "sainte cecile d andorge"


@pytest.mark.django_db
def test_commune_label_and_rural_target():
    commune = make_commune("Puycelsi", population=500, postal_codes="81140 81141")
    big = make_commune("Albi", population=49236, postal_codes="")

    assert commune.label == "Puycelsi (81140)"
    assert commune.is_rural_target
    assert big.label == f"Albi ({big.insee_code})"
    assert not big.is_rural_target


@pytest.mark.django_db
def test_a_commune_insee_code_must_belong_to_its_department(commune):
    commune.insee_code = "82001"

    with pytest.raises(ValidationError) as error:
        commune.full_clean()

    assert error.value.message_dict["insee_code"] == [
        "Le code INSEE 82001 n'appartient pas au département Département 81 (81) : "
        "il devrait commencer par 81."
    ]


@pytest.mark.django_db
def test_postal_codes_are_five_digits_separated_by_spaces(commune):
    commune.postal_codes = "81120,81140"

    with pytest.raises(ValidationError) as error:
        commune.full_clean()

    assert "codes postaux de 5 chiffres" in error.value.message_dict["postal_codes"][0]


@pytest.mark.django_db
def test_a_commune_with_a_cafe_cannot_be_deleted(cafe):
    with pytest.raises(ProtectedError):
        cafe.commune.delete()
    with pytest.raises(ProtectedError):
        Department.objects.filter(pk=cafe.commune.department_id).delete()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"latitude": Decimal("200")}, "latitude", "inférieure ou égale à 90"),
        ({"longitude": Decimal("-181")}, "longitude", "supérieure ou égale à -180"),
        ({"latitude": Decimal("43.9")}, "longitude", "latitude et la longitude"),
    ],
)
def test_cafe_coordinates_must_be_a_valid_pair(commune, fields, field, message):
    cafe = make_cafe(commune=commune)
    for name, value in fields.items():
        setattr(cafe, name, value)

    with pytest.raises(ValidationError) as error:
        cafe.full_clean()

    assert message in " ".join(error.value.message_dict[field])


@pytest.mark.django_db
def test_cafe_label_names_its_commune(commune):
    cafe = make_cafe("Chez Jeanne", commune=commune)

    assert cafe.label == "Chez Jeanne – Saint-Antonin"
    assert str(cafe) == cafe.label
