"""/forum/search/: a database search that never leaks a private area."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.matrix import ROLES

from .conftest import make_topic

pytestmark = pytest.mark.django_db

# A word planted in each area, and who may find it.
PLANTED = {
    "public": ("chicorée", set(ROLES)),
    "theme": ("torréfacteur", {"elected", "manager", "partner", "staff"}),
    "elected": ("délibération", {"elected", "staff"}),
    "managers": ("licence", {"manager", "staff"}),
}


@pytest.fixture
def planted(forums, staff_user):
    for key, (word, _readers) in PLANTED.items():
        make_topic(
            forums[key], staff_user, subject=f"Sujet {key}", content=f"Il est question de {word}."
        )


@pytest.mark.parametrize("role", ROLES)
def test_search_finds_only_what_the_role_may_read(planted, client_for, role):
    client = client_for(role)
    for key, (word, readers) in PLANTED.items():
        response = client.get(reverse("discussions:search"), {"q": word})
        assert response.status_code == 200
        page = response.content.decode()
        found = f"Sujet {key}" in page
        assert found is (role in readers), (role, key)
        assert ("1 résultat" in page) is (role in readers)


def test_search_matches_every_word_and_paginates(client_for, forums, staff_user):
    for n in range(25):
        make_topic(forums["public"], staff_user, subject=f"Café {n}", content="Recette du gâteau")
    make_topic(forums["public"], staff_user, subject="Autre", content="Gâteau seulement")
    client = client_for("anonymous")
    page = client.get(reverse("discussions:search"), {"q": "recette gâteau"}).content.decode()
    assert "25 résultats" in page
    assert "Page 1 sur 2" in page
    page2 = client.get(reverse("discussions:search"), {"q": "recette gâteau", "page": 2})
    assert page2.status_code == 200
    assert "Page 2 sur 2" in page2.content.decode()


def test_empty_or_odd_queries_do_not_fail(client_for):
    client = client_for("anonymous")
    for query in ("", "   ", "%", "'; DROP TABLE x; --", "a" * 500):
        assert (
            client.get(reverse("discussions:search"), {"q": query, "page": "x"}).status_code == 200
        )
