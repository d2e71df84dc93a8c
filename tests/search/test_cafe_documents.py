"""Cafés' public pages are found in the site search by everyone, on Meilisearch and on the
database fallback; an unpublished café, or a project its commune keeps private, is not."""

from __future__ import annotations

import pytest

from community.places.models import Cafe, Stage
from tests.matrix import ROLES
from tests.places.map_factories import open_cafe, service

from .engines import flush, titles


@pytest.fixture
def planted(db):
    bread = service("Dépôt de pain", "depot-de-pain")
    open_cafe("Le Café de la Halle", "Mouthoumet", "11", services=(bread,))
    open_cafe("Le Café retiré", "Mouthoumet", "11", is_published=False)
    open_cafe("Le Café en projet", "Mouthoumet", "11", stage=Stage.DEFINITION)
    flush()


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_public_cafe_pages_are_found_by_everyone(engine, planted, client_for, role):
    assert titles(client_for(role), "Mouthoumet") == ["Le Café de la Halle, Mouthoumet"]


@pytest.mark.django_db
def test_unpublishing_a_cafe_takes_it_out_of_the_search(no_engine, planted, client):
    assert titles(client, "pain") == ["Le Café de la Halle, Mouthoumet"]
    cafe = Cafe.objects.get(name="Le Café de la Halle")
    cafe.is_published = False
    cafe.save()
    flush()
    assert titles(client, "Mouthoumet") == []
