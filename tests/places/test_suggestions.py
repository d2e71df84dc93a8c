from __future__ import annotations

import pytest

from tests.factories import make_cafe, make_commune

pytestmark = pytest.mark.django_db

COMMUNES_URL = "/lieux/communes/suggestions/"
CAFES_URL = "/lieux/cafes/suggestions/"


@pytest.fixture
def communes():
    return [
        make_commune(
            "Saint-Étienne",
            insee_code="42218",
            department_code="42",
            population=171057,
            postal_codes="42000 42100",
        ),
        make_commune(
            "Saint-Étienne-de-Tulmont",
            insee_code="82160",
            department_code="82",
            population=3200,
            postal_codes="82410",
        ),
        make_commune(
            "Stenay",
            insee_code="55502",
            department_code="55",
            population=2600,
            postal_codes="55700",
        ),
        make_commune(
            "Sainte-Cécile",
            insee_code="81251",
            department_code="81",
            population=None,
            postal_codes="81140",
        ),
    ]


def labels(client, url: str, q: str) -> list[str]:
    response = client.get(url, {"q": q})
    assert response.status_code == 200
    assert response["Content-Type"] == "application/json"
    return [result["label"] for result in response.json()["results"]]


@pytest.mark.parametrize("q", ["saint etienne", "ST ETIENNE", "saint-étienne", "Saint-É"])
def test_commune_suggestions_ignore_accents_case_and_abbreviations(client, communes, q):
    assert labels(client, COMMUNES_URL, q) == [
        "Saint-Étienne (42000)",
        "Saint-Étienne-de-Tulmont (82410)",
    ]


def test_an_abbreviation_being_typed_also_matches_literal_names(client, communes):
    assert labels(client, COMMUNES_URL, "st") == [
        "Saint-Étienne (42000)",
        "Saint-Étienne-de-Tulmont (82410)",
        "Stenay (55700)",
        "Sainte-Cécile (81140)",  # unknown population: last
    ]
    assert labels(client, COMMUNES_URL, "ste") == ["Stenay (55700)", "Sainte-Cécile (81140)"]


def test_digits_match_the_start_of_any_postal_code(client, communes):
    assert labels(client, COMMUNES_URL, "421") == ["Saint-Étienne (42000)"]
    assert labels(client, COMMUNES_URL, "8") == []
    assert labels(client, COMMUNES_URL, "82") == ["Saint-Étienne-de-Tulmont (82410)"]


def test_a_label_being_edited_still_gets_suggestions(client, communes):
    assert labels(client, COMMUNES_URL, "Stenay (5570") == ["Stenay (55700)"]


def test_suggestions_carry_a_detail_line(client, communes):
    results = client.get(COMMUNES_URL, {"q": "sainte c"}).json()["results"]

    assert results == [{"label": "Sainte-Cécile (81140)", "detail": "Département 81 (81)"}]
    detail = client.get(COMMUNES_URL, {"q": "stenay"}).json()["results"][0]["detail"]
    assert detail.startswith("Département 55 (55), 2") and detail.endswith("600 hab.")


@pytest.mark.parametrize("q", ["", "s", "  ", "%", "'_"])
def test_too_short_or_meaningless_queries_get_no_suggestion(client, communes, q):
    assert labels(client, COMMUNES_URL, q) == []


def test_suggestions_are_capped(client):
    for n in range(12):
        make_commune(f"Villeneuve-{n}", population=n)

    assert len(labels(client, COMMUNES_URL, "villeneuve")) == 10


def test_cafe_suggestions(client, commune):
    make_cafe("Le Bistrot du Pré", commune=commune, address="1 place de l'Église")

    response = client.get(CAFES_URL, {"q": "bistrot"})

    assert response.json() == {
        "results": [{"label": "Le Bistrot du Pré – Saint-Antonin", "detail": "1 place de l'Église"}]
    }
    assert labels(client, CAFES_URL, "b") == []


def test_suggestion_endpoints_only_answer_get(client):
    assert client.post(COMMUNES_URL, {"q": "albi"}).status_code == 405
