"""Projects in the admin (« Projets de café »): staff see at a glance which projects the
commune lets show on the map, filter by it, and record its word there through the service
the project space uses, under the same rules and refusals; nobody else can."""

from __future__ import annotations

import html
import re
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from community.accompaniment.models import Project
from community.accompaniment.services.projects import set_map_visibility
from community.places.models import Stage
from tests.accompaniment.factories import make_project
from tests.factories import make_commune
from tests.matrix import LOGIN, Expected, cases, check, members_only

pytestmark = pytest.mark.django_db

LIST = "/admin/projets/"


def admin_only(staff: Expected) -> dict[str, Expected]:
    # Non-staff members are turned away by Wagtail (sent to log in as someone else).
    return {**members_only(LOGIN), "staff": staff}


@pytest.fixture
def project(elected_user) -> Project:
    commune = elected_user.commune
    commune.latitude, commune.longitude = Decimal("44.07312"), Decimal("1.72611")
    commune.save()
    return make_project(commune, stage=Stage.DEFINITION, members=[elected_user])


def page(response) -> str:
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def on_map(project: Project) -> bool:
    project.refresh_from_db()
    return project.public


def consent(client, project: Project, public: str, *, follow: bool = True):
    return client.post(f"/admin/projets/carte/{project.pk}/", {"public": public}, follow=follow)


@pytest.mark.parametrize(
    ("path", "role", "expected"),
    cases(
        {
            "/admin/projets/inspect/{pk}/": admin_only(200),
            # Back to the project's page in the admin, with the service's answer.
            "POST /admin/projets/carte/{pk}/": admin_only(302),
        }
    ),
)
def test_only_staff_reach_the_project_and_its_consent(client_for, project, path, role, expected):
    method, _, url = path.rpartition(" ")
    check(client_for(role), url.format(pk=project.pk), expected, method=(method or "get").lower())


@pytest.mark.parametrize("role", ["elected", "manager", "partner", "pending", "anonymous"])
def test_nobody_but_staff_changes_the_consent_from_the_admin(client_for, project, role):
    """The project's own mayor decides in the project space, not here."""
    consent(client_for(role), project, "1", follow=False)
    assert not on_map(project)


def test_staff_show_and_hide_a_project_on_the_communes_word(client_for, project, client):
    staff = client_for("staff")
    inspect = page(staff.get(f"/admin/projets/inspect/{project.pk}/"))
    assert "Sur la carte du réseau : non" in inspect
    assert f'href="{project.get_absolute_url()}"' in inspect

    shown = page(consent(staff, project, "1"))
    assert on_map(project)
    assert "Le projet figure sur la carte du réseau." in shown
    assert "Sur la carte du réseau : oui" in shown and "Retirer le projet de la carte" in shown
    geojson = client.get(reverse("places:map_geojson")).json()["features"]
    assert f"Projet de café de {project.commune.name}" in {
        feature["properties"]["name"] for feature in geojson
    }

    hidden = page(consent(staff, project, "0"))
    assert not on_map(project)
    assert "Le projet ne figure plus sur la carte du réseau." in hidden


def test_a_stopped_project_cannot_be_shown_from_the_admin_either(client_for, project):
    project.closed_on = timezone.localdate()
    project.save()
    staff = client_for("staff")
    inspect = page(staff.get(f"/admin/projets/inspect/{project.pk}/"))
    assert "Sur la carte du réseau : non (projet arrêté)" in inspect
    assert "Montrer le projet sur la carte" not in inspect
    # A form sent anyway (an old tab) meets the service's refusal, in French.
    refused = page(consent(staff, project, "1"))
    assert "Ce projet est arrêté : il ne figure plus sur la carte." in refused
    assert not on_map(project)


def test_a_form_without_a_choice_changes_nothing(client_for, project):
    answer = page(consent(client_for("staff"), project, "peut-être"))
    assert "Choisissez de montrer le projet ou non." in answer
    assert not on_map(project)


def test_the_list_says_which_projects_are_on_the_map_and_filters_by_it(
    client_for, staff_user, project
):
    shown = make_project(make_commune("Vaour"), stage=Stage.RECRUITMENT)
    set_map_visibility(shown, by=staff_user, public=True)
    stopped = make_project(make_commune("Cahuzac"))
    set_map_visibility(stopped, by=staff_user, public=True)
    stopped.closed_on = timezone.localdate()
    stopped.save()
    staff = client_for("staff")

    def communes(query: str) -> set[str]:
        listing = page(staff.get(f"{LIST}{query}"))
        return {name for name in ("Vaour", "Cahuzac", project.commune.name) if name in listing}

    listing = page(staff.get(LIST))
    assert "Sur la carte" in listing
    assert re.search(rf'href="/admin/projets/inspect/{shown.pk}/#carte"[^>]*>\s*Oui\s*<', listing)
    assert "Non (projet arrêté)" in listing
    assert communes("?on_map=true") == {"Vaour"}
    assert communes("?on_map=false") == {"Cahuzac", project.commune.name}
    # No edit form: the consent changes only through the service.
    assert staff.get(f"/admin/projets/edit/{shown.pk}/").status_code == 302
