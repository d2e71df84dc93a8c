"""Projects are found in the site search by those who may open them, on Meilisearch and on
the database fallback; applications are never found."""

from __future__ import annotations

import pytest

from community.accompaniment.models import ProjectMember
from community.accounts.models import Role
from tests.accompaniment.factories import make_application, make_project
from tests.factories import make_commune, make_member
from tests.matrix import ROLES

from .engines import flush, titles

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


@pytest.mark.django_db
@pytest.mark.parametrize("role", ROLES)
def test_only_the_projects_members_and_staff_find_it(engine, planted, client_for, role):
    found = "Projet de café de Montesquieu-Volvestre" in titles(client_for(role), "Volvestre")
    assert found == FINDS.get(role, False)


@pytest.mark.django_db
def test_applications_are_never_found(no_engine, planted, client_for):
    for role in ("staff", "elected"):
        assert titles(client_for(role), "guinguette") == []
        assert "Rieux-Volvestre" not in " ".join(titles(client_for(role), "Rieux"))


@pytest.mark.django_db
def test_a_member_added_later_finds_the_project(no_engine, planted, client):
    manager = make_member(Role.MANAGER)
    client.force_login(manager)
    assert titles(client, "Volvestre") == []
    ProjectMember.objects.create(project=planted, user=manager)
    assert titles(client, "Volvestre") == ["Projet de café de Montesquieu-Volvestre"]
