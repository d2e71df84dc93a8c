"""A commune's consent to show its project in progress on the network's map: held once, by
the project (Project.public); decided in the project space by the commune's elected members
or staff; the project shows at the commune's centre before its café exists, with its stage,
and the map follows every change at once."""

from __future__ import annotations

import html
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from community.accompaniment.models import ProjectAccess, ProjectMember
from community.accompaniment.services import AccompanimentError
from community.accompaniment.services.projects import move_to_stage, set_map_visibility
from community.accounts.models import Role
from community.places.models import Cafe, Stage
from tests.accompaniment.factories import make_project
from tests.factories import make_cafe, make_commune, make_member
from tests.matrix import LOGIN, MEMBERSHIP, cases, check

MAP = reverse("places:map")
GEOJSON = reverse("places:map_geojson")
NAME = "Projet de café de Penne"


@pytest.fixture
def project(elected_user):
    commune = elected_user.commune
    commune.name = "Penne"
    commune.latitude, commune.longitude = Decimal("44.07312"), Decimal("1.72611")
    commune.save()
    project = make_project(commune, stage=Stage.RECRUITMENT, members=[elected_user])
    project.slug = "penne"
    project.save()
    return project


def features(client, **params) -> dict[str, dict]:
    response = client.get(GEOJSON, params)
    assert response.status_code == 200
    return {f["properties"]["name"]: f for f in response.json()["features"]}


def listed(client, **params) -> str:
    response = client.get(MAP, params)
    assert response.status_code == 200
    return html.unescape(response.content.decode())


def post_consent(client, public: bool):
    return client.post("/projets/penne/carte/", {"public": "1" if public else "0"}, follow=True)


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("url", "role", "expected"),
    cases(
        {
            "/projets/penne/carte/": {
                "anonymous": LOGIN,
                "pending": MEMBERSHIP,
                "refused": MEMBERSHIP,
                # Back to the space, with the service's answer (an empty form: an error).
                "elected": 302,
                "manager": 403,
                "partner": 403,
                "staff": 302,
            }
        }
    ),
)
def test_permission_matrix(client_for, project, url, role, expected):
    check(client_for(role), url, expected, method="post")


@pytest.mark.django_db
def test_the_mayor_shows_the_project_and_the_public_finds_it_at_the_communes_centre(
    client, client_for, project, django_capture_on_commit_callbacks
):
    assert NAME not in features(client)
    assert NAME not in listed(client)
    mayor = client_for("elected")
    page = html.unescape(mayor.get("/projets/penne/").content.decode())
    assert "Montrer le projet sur la carte" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = post_consent(mayor, True)
    assert "Le projet figure sur la carte du réseau." in html.unescape(response.content.decode())
    project.refresh_from_db()
    assert project.public

    shown = features(client)[NAME]
    assert shown["geometry"]["coordinates"] == [1.72611, 44.07312]
    assert shown["properties"]["kind"] == "project"
    assert shown["properties"]["approximate"] is True
    assert shown["properties"]["stage"] == "Recrutement"
    assert shown["properties"]["url"] == ""
    page = listed(client)
    assert "1 projet en cours" in page
    assert f"{NAME}, Penne" in page  # no link: the project has no public page
    assert "(au centre de la commune)" in page

    with django_capture_on_commit_callbacks(execute=True):
        response = post_consent(mayor, False)
    assert "ne figure plus sur la carte" in html.unescape(response.content.decode())
    assert NAME not in features(client)
    assert NAME not in listed(client)


@pytest.mark.django_db
def test_projects_are_filtered_by_stage_like_cafes(client, project, staff_user):
    set_map_visibility(project, by=staff_user, public=True)
    assert NAME in features(client, stage=Stage.RECRUITMENT)
    assert NAME not in features(client, stage=Stage.OPERATION)
    assert NAME in listed(client, stage=Stage.RECRUITMENT)
    assert NAME not in listed(client, stage=Stage.DEFINITION)
    # A project has no animation: the « animation à venir » filter leaves it out.
    assert NAME not in features(client, upcoming="on")


@pytest.mark.django_db
def test_only_the_commune_decides(project, manager_user, elected_user, staff_user):
    ProjectMember.objects.create(project=project, user=manager_user)
    with pytest.raises(AccompanimentError, match="Seul·es les élu·es de la commune"):
        set_map_visibility(project, by=manager_user, public=True)
    ProjectMember.objects.filter(user=elected_user).update(access=ProjectAccess.READ)
    with pytest.raises(AccompanimentError, match="lecture seule"):
        set_map_visibility(project, by=elected_user, public=True)
    outsider = make_member(Role.ELECTED)
    with pytest.raises(AccompanimentError):
        set_map_visibility(project, by=outsider, public=True)
    project.refresh_from_db()
    assert not project.public
    assert set_map_visibility(project, by=staff_user, public=True).public


@pytest.mark.django_db
def test_a_stopped_project_leaves_the_map_and_cannot_be_shown(
    client, project, staff_user, django_capture_on_commit_callbacks
):
    set_map_visibility(project, by=staff_user, public=True)
    assert NAME in features(client)
    with django_capture_on_commit_callbacks(execute=True):
        project.closed_on = timezone.localdate()
        project.save()
    assert NAME not in features(client)
    with pytest.raises(AccompanimentError, match="arrêté"):
        set_map_visibility(project, by=staff_user, public=True)


@pytest.mark.django_db
def test_a_stage_change_shows_at_once_and_the_opened_cafe_takes_the_projects_place(
    client, project, staff_user, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    set_map_visibility(project, by=staff_user, public=True)
    assert features(client)[NAME]["properties"]["stage"] == "Recrutement"
    with django_assert_max_num_queries(6):  # served from the cache
        features(client)

    with django_capture_on_commit_callbacks(execute=True):
        move_to_stage(project, Stage.OPENING, by=staff_user, cafe_name="Le Café de Penne")
    shown = features(client)
    assert NAME not in shown
    cafe = shown["Le Café de Penne"]
    assert cafe["properties"]["kind"] == "cafe"
    assert cafe["properties"]["stage"] == "Ouverture"
    # Staff have not placed it yet: it waits at the commune's centre.
    assert cafe["properties"]["approximate"] is True
    assert cafe["geometry"]["coordinates"] == [1.72611, 44.07312]


@pytest.mark.django_db
def test_a_cafe_before_its_opening_is_public_only_with_its_projects_consent(
    client, project, staff_user, django_capture_on_commit_callbacks
):
    cafe = make_cafe("Le Café de Penne", commune=project.commune, stage=Stage.RECRUITMENT)
    project.cafe = cafe
    project.save()
    page = reverse("places:cafe", args=[cafe.slug])
    assert client.get(page).status_code == 404
    assert not Cafe.objects.public().filter(pk=cafe.pk).exists()

    with django_capture_on_commit_callbacks(execute=True):
        set_map_visibility(project, by=staff_user, public=True)
    assert client.get(page).status_code == 200
    shown = features(client)
    # One point: the café stands for its project.
    assert "Le Café de Penne" in shown and NAME not in shown
    assert Cafe.objects.get(pk=cafe.pk).is_public


@pytest.mark.django_db
def test_a_commune_without_known_centre_is_listed_not_placed(client, staff_user):
    commune = make_commune("Vaour")
    project = make_project(commune, stage=Stage.DEFINITION)
    set_map_visibility(project, by=staff_user, public=True)
    assert "Projet de café de Vaour" not in features(client)
    page = listed(client)
    assert "Projet de café de Vaour" in page
    assert "pas encore placé sur la carte" in page
