"""The network's public map: a list grouped by region and department that works without
JavaScript, the same filters on the list and the GeoJSON, only public cafés and fields, and a
cache that shows a change at once."""

from __future__ import annotations

import pytest
from django.urls import reverse

from community.accompaniment.models import Project
from community.places import services
from community.places.models import Cafe, Stage
from tests.accompaniment.factories import make_project
from tests.matrix import cases, check, everyone

from .map_factories import in_region, open_cafe, public_animation, service

MAP = reverse("places:map")
GEOJSON = reverse("places:map_geojson")


@pytest.mark.django_db
@pytest.mark.parametrize("url,role,expected", cases({MAP: everyone(200), GEOJSON: everyone(200)}))
def test_permission_matrix(client_for, url, role, expected):
    check(client_for(role), url, expected)


def names(client, **params) -> list[str]:
    response = client.get(GEOJSON, params)
    assert response.status_code == 200
    return sorted(f["properties"]["name"] for f in response.json()["features"])


def listed(client, **params) -> str:
    response = client.get(MAP, params)
    assert response.status_code == 200
    return response.content.decode()


@pytest.fixture
def network(db):
    bread = service("Dépôt de pain", "depot-de-pain")
    parcels = service("Relais colis", "relais-colis")
    place = open_cafe("Le Café de la Place", "Cadalen", services=(bread, parcels))
    open_cafe("L'Estanquet", "Lagrasse", "11", at=("43.0925", "2.6176"), services=(bread,))
    open_cafe("Le Bistrot d'Essoyes", "Essoyes", "10", at=("48.0617", "4.5336"))
    in_region("10", "44", "Grand Est")
    open_cafe("Le Relais", "Vaour", stage=Stage.OPENING, at=("44.0708", "1.8022"))
    # Projects: public only when the commune agrees.
    penne = open_cafe("Projet de Penne", "Penne", stage=Stage.RECRUITMENT)
    Project.objects.filter(pk=make_project(penne.commune, stage=Stage.RECRUITMENT).pk).update(
        cafe=penne, public=True
    )
    open_cafe("Projet secret", "Puycelsi", stage=Stage.DEFINITION)
    open_cafe("Café retiré", "Lautrec", is_published=False)
    return place


def test_only_public_cafes_are_on_the_map_and_in_the_list(client, network):
    assert names(client) == [
        "L'Estanquet",
        "Le Bistrot d'Essoyes",
        "Le Café de la Place",
        "Le Relais",
        "Projet de Penne",
    ]
    html = listed(client)
    assert "Projet de Penne" in html
    assert "Projet secret" not in html
    assert "Café retiré" not in html


def test_the_list_is_grouped_by_region_then_department(client, network):
    html = listed(client)
    grand_est, occitanie = html.index("<h3>Grand Est</h3>"), html.index("<h3>Occitanie</h3>")
    assert grand_est < html.index("Le Bistrot d&#x27;Essoyes") < occitanie
    aude, tarn = html.index("<h4>Département 11 (11)</h4>"), html.index("<h4>Département 81 (81)")
    assert occitanie < aude < html.index("L&#x27;Estanquet") < tarn
    assert tarn < html.index("Le Café de la Place")
    assert f'href="{network.get_absolute_url()}"' in html


def test_the_geojson_carries_public_fields_only(client, network, manager_user):
    network.managers.add(manager_user)
    network.phone = "05 63 00 00 00"
    network.needs_review = True
    network.save()
    response = client.get(GEOJSON)
    assert response["Content-Type"] == "application/geo+json"
    data = response.json()
    assert data["type"] == "FeatureCollection"
    place = next(f for f in data["features"] if f["properties"]["name"] == "Le Café de la Place")
    assert place["geometry"] == {"type": "Point", "coordinates": [1.9862, 43.8479]}
    assert set(place["properties"]) == {
        "kind",
        "approximate",
        "name",
        "url",
        "address",
        "commune",
        "department",
        "region",
        "stage",
        "services",
        "upcoming",
    }
    assert place["properties"]["services"] == ["Dépôt de pain", "Relais colis"]
    text = response.content.decode()
    assert manager_user.email not in text
    assert "05 63" not in text


def test_cafes_without_coordinates_are_listed_but_not_placed(client, network):
    open_cafe("Café à placer", "Monestiés", at=None)
    assert "Café à placer" not in names(client)
    html = listed(client)
    assert "Café à placer" in html
    assert "pas encore placé sur la carte" in html


@pytest.mark.parametrize(
    "params,expected",
    [
        ({"region": "44"}, ["Le Bistrot d'Essoyes"]),
        ({"department": "11"}, ["L'Estanquet"]),
        ({"stage": Stage.OPENING}, ["Le Relais"]),
        ({"services": ["depot-de-pain"]}, ["L'Estanquet", "Le Café de la Place"]),
        ({"services": ["depot-de-pain", "relais-colis"]}, ["Le Café de la Place"]),
        ({"region": "76", "stage": Stage.RECRUITMENT}, ["Projet de Penne"]),
    ],
)
def test_filters_apply_to_the_list_and_the_geojson_alike(client, network, params, expected):
    assert names(client, **params) == expected
    html = listed(client, **params)
    for cafe in Cafe.objects.public():
        assert (cafe.get_absolute_url() in html) == (cafe.name in expected)


def test_the_upcoming_animation_filter_keeps_cafes_with_a_public_one(client, network):
    estanquet = Cafe.objects.get(name="L'Estanquet")
    public_animation(estanquet)
    public_animation(network, public=False)  # private: not announced
    assert names(client, upcoming="on") == ["L'Estanquet"]
    html = listed(client, upcoming="on")
    assert "Animation à venir" in html
    assert "1 café pour ces filtres" in html
    features = client.get(GEOJSON).json()["features"]
    upcoming = {f["properties"]["name"]: f["properties"]["upcoming"] for f in features}
    assert upcoming["L'Estanquet"] is True
    assert upcoming["Le Café de la Place"] is False


def test_a_filter_naming_nothing_is_reported_not_a_crash(client, network):
    html = listed(client, region="99", stage="open-bar")
    assert "Le formulaire contient des erreurs" in html
    assert "Sélectionnez un choix valide" in html
    # The filters that name nothing are ignored: every public café is listed.
    assert "5 cafés pour ces filtres" in html
    assert len(names(client, region="99")) == 5


def test_a_change_shows_at_once_despite_the_cache(
    client, network, manager_user, django_capture_on_commit_callbacks, django_assert_max_num_queries
):
    network.managers.add(manager_user)
    assert "Le Café de la Place" in names(client)
    with django_assert_max_num_queries(6):  # served from the cache: no café query
        names(client)

    with django_capture_on_commit_callbacks(execute=True):
        network.name = "Le Café de la Mairie"
        network.save()
    assert "Le Café de la Mairie" in names(client)

    # Services chosen by the manager: the filter finds the café at once.
    with django_capture_on_commit_callbacks(execute=True):
        services.update_cafe_page(
            network,
            by=manager_user,
            description="",
            phone="",
            services=[service("Point poste", "point-poste")],
            hours=[],
            exceptions=[],
        )
    assert names(client, services=["point-poste"]) == ["Le Café de la Mairie"]

    # Staff unpublish it: it leaves the map and the list.
    with django_capture_on_commit_callbacks(execute=True):
        network.is_published = False
        network.save()
    assert "Le Café de la Mairie" not in names(client)
    assert "Le Café de la Mairie" not in listed(client)


TILES = "https://{s}.tile.openstreetmap.fr/osmfr/{z}/{x}/{y}.png"


def img_sources(response) -> list[str]:
    policy = response["Content-Security-Policy"]
    return next(d.split()[1:] for d in policy.split("; ") if d.startswith("img-src "))


def test_the_tile_server_is_a_setting_allowed_as_images_only(client, network, settings):
    settings.MAP_TILES_URL = TILES
    response = client.get(MAP)
    html = response.content.decode()
    assert f'data-tiles="{TILES}"' in html
    assert "OpenStreetMap" in html  # the attribution its licence asks for
    assert img_sources(response) == ["'self'", "data:", "https://*.tile.openstreetmap.fr"]
    assert "openstreetmap" not in response["Content-Security-Policy"].split("img-src")[0]


def test_without_a_tile_server_no_other_origin_is_allowed(client, network):
    response = client.get(MAP)
    assert 'data-tiles=""' in response.content.decode()
    assert img_sources(response) == ["'self'", "data:"]
