"""The member space (/espace/) is kept per member (community/fragments.py): each member sees
their own commune and cafés, and a change to them or to their role shows at once."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from community.accounts.models import Role
from tests.factories import make_cafe, make_commune, make_member

pytestmark = pytest.mark.django_db


def space(client) -> str:
    response = client.get("/espace/")
    assert response.status_code == 200
    return response.content.decode()


def test_each_member_sees_their_own_space(client_for, elected_user, commune):
    # Same role, same commune: only the member tells their spaces apart.
    neighbour = make_member(Role.ELECTED, display_name="Jean Voisin", commune=commune)
    elected_user.commune = commune
    elected_user.save()
    mine, theirs = client_for("elected"), Client()
    theirs.force_login(neighbour)
    for _ in range(2):
        assert "Marie Maire" in space(mine) and "Jean Voisin" not in space(mine)
        assert "Jean Voisin" in space(theirs) and "Marie Maire" not in space(theirs)


def test_a_new_cafe_in_the_commune_shows_at_once(client_for, elected_user):
    client = client_for("elected")
    commune = make_commune(name="Cadalen")
    elected_user.commune = commune
    elected_user.save()
    assert "Cadalen" in space(client)
    make_cafe(commune=commune, name="Le Balto de Cadalen")
    assert "Le Balto de Cadalen" in space(client)


def test_a_role_change_shows_at_once(client_for, elected_user):
    client = client_for("elected")
    assert "Demander la Guinguette mobile" in space(client)
    elected_user.role = Role.PARTNER
    elected_user.save()
    page = space(client)
    assert "Demander la Guinguette mobile" not in page and "partenaire" in page


def test_member_space_queries_do_not_grow_with_cafes(client_for, elected_user, commune):
    elected_user.commune = commune
    elected_user.save()
    client = client_for("elected")

    def count() -> int:
        space(client)  # warm up: the kept space
        with CaptureQueriesContext(connection) as queries:
            space(client)
        return len(queries)

    few = count()
    for n in range(10):
        make_cafe(commune=commune, name=f"Café {n}")
    many = count()
    assert many == few, f"{few} queries for one café, {many} for 11"
    assert many <= 3, many  # the session and the user
