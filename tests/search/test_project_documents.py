"""Projects are found in the site search by those who may open them, on Meilisearch and on
the database fallback; applications are never found."""

from __future__ import annotations

import pytest
from django.urls import reverse

from community.accompaniment.models import ProjectMember
from community.accounts.models import Role
from tests.accompaniment.factories import make_application, make_project
from tests.factories import make_commune, make_member
from tests.matrix import ROLES

from .conftest import flush

# elected_user is a member of the project; the other roles are not, staff see every project.
FINDS = {"elected": True, "staff": True}


@pytest.fixture
def planted(elected_user):
    project = make_project(make_commune("Montesquieu-Volvestre"), members=[elected_user])
    make_application(
        make_commune("Rieux-Volvestre"), description="Un projet confidentiel de guinguette."
    )
    flush()
    return project


def titles(client, q: str) -> list[str]:
    response = client.get(reverse("search:api"), {"q": q})
    assert response.status_code == 200
    return [hit["title"] for hit in response.json()["hits"]]


@pytest.mark.django_db
@pytest.mark.parametrize(
    "engine", [pytest.param("meilisearch", marks=pytest.mark.meilisearch), "database"]
)
@pytest.mark.parametrize("role", ROLES)
def test_only_the_projects_members_and_staff_find_it(
    request, planted, client_for, role, engine, settings
):
    if engine == "meilisearch":
        request.getfixturevalue("meili")
        flush()
    else:
        settings.MEILISEARCH_URL = ""
    found = "Projet de café de Montesquieu-Volvestre" in titles(client_for(role), "Volvestre")
    assert found == FINDS.get(role, False)


@pytest.mark.django_db
def test_applications_are_never_found(planted, client_for, settings):
    settings.MEILISEARCH_URL = ""
    for role in ("staff", "elected"):
        assert titles(client_for(role), "guinguette") == []
        assert "Rieux-Volvestre" not in " ".join(titles(client_for(role), "Rieux"))


@pytest.mark.django_db
def test_a_member_added_later_finds_the_project(planted, client, settings):
    settings.MEILISEARCH_URL = ""
    manager = make_member(Role.MANAGER)
    client.force_login(manager)
    assert titles(client, "Volvestre") == []
    ProjectMember.objects.create(project=planted, user=manager)
    assert titles(client, "Volvestre") == ["Projet de café de Montesquieu-Volvestre"]
