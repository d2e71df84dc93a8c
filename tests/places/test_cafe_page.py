"""Cafés' public pages (/cafes/<slug>/) and their editing by the café's managers from their
space: who sees what, who edits what, what the page says, bad input, two edits at once."""

from __future__ import annotations

import io
from datetime import date, time, timedelta

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from PIL import Image

from community.accounts.models import Role
from community.places import services
from community.places.models import Cafe, CafePhoto, Stage, Weekday
from events.models import AnimationKind
from tests.concurrency import run_at_once
from tests.factories import make_member
from tests.matrix import cases, check, everyone, members_only

from .map_factories import open_cafe, public_animation, service

pytestmark = pytest.mark.django_db


@pytest.fixture
def cafe(db):
    """The conftest's café (its manager is manager_user), open and placed."""
    return open_cafe("Le Café du Village", "Saint-Antonin")


@pytest.fixture
def manager_user(cafe):
    return make_member(Role.MANAGER, cafe=cafe, display_name="Gaston Gérant")


PAGE = "/cafes/le-cafe-du-village-saint-antonin/"
EDIT = "/espace/cafes/le-cafe-du-village-saint-antonin/"
HIDDEN = {
    **everyone(404),
    "manager": 200,  # its own café
    "staff": 200,
}


def test_the_slug_comes_from_name_and_commune_and_stays_unique(cafe):
    assert cafe.get_absolute_url() == PAGE
    twin = open_cafe("Le Café du Village", "Saint-Antonin")
    assert twin.slug == "le-cafe-du-village-saint-antonin-2"


@pytest.mark.django_db
@pytest.mark.parametrize(
    "url,role,expected",
    cases({PAGE: everyone(200), EDIT: {**members_only(403), "manager": 200, "staff": 200}}),
)
def test_permission_matrix(client_for, cafe, url, role, expected):
    check(client_for(role), url, expected)


@pytest.mark.django_db
@pytest.mark.parametrize("role,expected", list(HIDDEN.items()))
def test_an_unpublished_cafe_is_not_found_by_the_public(client_for, cafe, role, expected):
    Cafe.objects.filter(pk=cafe.pk).update(is_published=False)
    check(client_for(role), PAGE, expected)


@pytest.mark.django_db
@pytest.mark.parametrize("role,expected", list(HIDDEN.items()))
def test_a_project_kept_private_by_its_commune_is_not_found(client_for, cafe, role, expected):
    Cafe.objects.filter(pk=cafe.pk).update(stage=Stage.DEFINITION)
    check(client_for(role), PAGE, expected)


def test_the_team_sees_why_a_page_is_hidden(client_for, cafe):
    Cafe.objects.filter(pk=cafe.pk).update(is_published=False)
    html = client_for("staff").get(PAGE).content.decode()
    assert "Cette page n'est pas visible du public" in html
    assert "l'équipe du réseau l'a retirée du site" in html


def test_unknown_cafes_are_404(client):
    assert client.get("/cafes/nulle-part/").status_code == 404
    assert client.get("/carte/../cafes/").status_code == 404


def test_a_manager_edits_only_their_own_cafe(client_for, cafe):
    other = open_cafe("Chez Jeanne", "Vaour")
    client = client_for("manager")
    assert client.get(f"/espace/cafes/{other.slug}/").status_code == 403
    response = client.post(
        f"/espace/cafes/{other.slug}/",
        {**form_data(), "description": "Piraté"},
    )
    assert response.status_code == 403
    other.refresh_from_db()
    assert other.description == ""
    with pytest.raises(services.PlacesError, match="Seul·es les gérant·es"):
        services.update_cafe_page(
            other,
            by=cafe.managers.get(),
            description="Piraté",
            phone="",
            services=[],
            hours=[],
            exceptions=[],
        )


def form_data(**overrides) -> dict:
    data = {
        "description": "Un café associatif au cœur du village.",
        "phone": "05 63 12 34 56",
        "hours-TOTAL_FORMS": "3",
        "hours-INITIAL_FORMS": "0",
        "hours-0-weekday": str(Weekday.TUESDAY),
        "hours-0-opens": "08:00",
        "hours-0-closes": "13:00",
        "hours-1-weekday": str(Weekday.TUESDAY),
        "hours-1-opens": "17:00",
        "hours-1-closes": "22:00",
        "hours-2-weekday": "",  # an unused row
        "hours-2-opens": "",
        "hours-2-closes": "",
        "exceptions-TOTAL_FORMS": "1",
        "exceptions-INITIAL_FORMS": "0",
        "exceptions-0-label": "Fermé le lundi l'hiver",
        "exceptions-0-starts_on": (timezone.localdate() - timedelta(days=10)).isoformat(),
        "exceptions-0-ends_on": (timezone.localdate() + timedelta(days=90)).isoformat(),
        "exceptions-0-weekday": str(Weekday.MONDAY),
    }
    data.update(overrides)
    return data


def test_the_manager_edits_the_page_from_their_space(client_for, cafe, manager_user):
    bread = service("Dépôt de pain", "depot-de-pain")
    service("Wifi", "wifi")
    client = client_for("manager")
    dashboard = client.get(reverse("accounts:dashboard")).content.decode()
    assert f'href="{EDIT}"' in dashboard

    response = client.post(
        EDIT, form_data(services=[str(bread.pk)], show_my_name="on"), follow=True
    )
    assert "La page du café est à jour." in response.content.decode()

    html = client_for("anonymous").get(PAGE).content.decode()
    assert "Un café associatif au cœur du village." in html
    assert "05 63 12 34 56" in html
    assert "Mardi</th><td>8 h 00 – 13 h 00, 17 h 00 – 22 h 00" in html
    assert "Fermé le lundi l&#x27;hiver" in html and ", le lundi, fermé" in html
    assert "Dépôt de pain" in html and "Wifi" not in html
    assert "Gaston Gérant" in html


def test_a_managers_name_shows_only_with_their_consent(client_for, cafe, manager_user):
    client_for("manager").post(EDIT, form_data(show_my_name=""))
    assert "Gaston Gérant" not in client_for("anonymous").get(PAGE).content.decode()
    # The team editing the page gives no consent on the manager's behalf.
    client_for("staff").post(EDIT, form_data())
    assert "Gaston Gérant" not in client_for("anonymous").get(PAGE).content.decode()


@pytest.mark.parametrize(
    "overrides,message",
    [
        ({"hours-0-closes": "07:00"}, "L&#x27;heure de fermeture doit suivre"),
        ({"hours-0-opens": "8h du matin"}, "Saisissez une heure valide"),
        (
            {"exceptions-0-ends_on": (timezone.localdate() - timedelta(days=30)).isoformat()},
            "La fin de la période ne peut pas précéder son début",
        ),
        ({"description": "x" * 2001}, "au plus 2000 caractères"),
    ],
)
def test_bad_input_is_explained_and_nothing_changes(
    client_for, cafe, manager_user, overrides, message
):
    response = client_for("manager").post(EDIT, form_data(**overrides))
    assert response.status_code == 200
    html = response.content.decode()
    assert message in html
    cafe.refresh_from_db()
    assert cafe.description == ""
    assert not cafe.opening_hours.exists()
    assert not cafe.hours_exceptions.exists()


def png(width: int = 640, height: int = 480) -> SimpleUploadedFile:
    buffer = io.BytesIO()
    Image.new("RGB", (width, height), (180, 120, 60)).save(buffer, format="PNG")
    return SimpleUploadedFile("terrasse.png", buffer.getvalue(), content_type="image/png")


def test_photos_are_wagtail_images_shown_as_renditions(client_for, cafe, manager_user, media_roots):
    client = client_for("manager")
    response = client.post(
        reverse("places:add_cafe_photo", args=[cafe.slug]),
        {"image": png(), "alt_text": "La terrasse au soleil"},
        follow=True,
    )
    assert "Photo ajoutée" in response.content.decode()
    photo = CafePhoto.objects.get(cafe=cafe)
    assert photo.image.width == 640
    html = client_for("anonymous").get(PAGE).content.decode()
    assert 'alt="La terrasse au soleil"' in html
    assert "fill-480x360" in html  # a rendition, not the original

    client.post(reverse("places:remove_cafe_photo", args=[cafe.slug, photo.pk]))
    assert not CafePhoto.objects.exists()


def test_a_file_that_is_not_an_image_is_refused(client_for, cafe, manager_user, media_roots):
    fake = SimpleUploadedFile("photo.jpg", b"<html><script>alert(1)</script>", "image/jpeg")
    response = client_for("manager").post(
        reverse("places:add_cafe_photo", args=[cafe.slug]),
        {"image": fake, "alt_text": "Une photo"},
        follow=True,
    )
    assert "n&#x27;est pas une image lisible" in response.content.decode()
    assert not CafePhoto.objects.exists()


def test_the_next_public_animations_come_from_the_events_module(client, cafe):
    public_animation(cafe, days=12)
    public_animation(cafe, days=5, public=False)
    kind = AnimationKind.objects.get(slug="chess-workshop")
    html = client.get(PAGE).content.decode()
    assert "Prochaines animations" in html
    # The public one only, linked to the animation's page.
    assert html.count("<time datetime=") == 1
    assert f'<a href="{kind.get_absolute_url()}">{escape(kind.name)}</a>' in html


@pytest.mark.django_db(transaction=True)
def test_two_edits_at_once_apply_one_after_the_other(cafe):
    first = make_member(Role.MANAGER, cafe=cafe)
    second = make_member(Role.MANAGER, cafe=cafe)

    def edit(by, day: int):
        def call():
            return services.update_cafe_page(
                cafe,
                by=by,
                description=f"Version de {by.display_name}",
                phone="",
                services=[],
                hours=[
                    services.Hours(day, time(8), time(12)),
                    services.Hours(day, time(14), time(19)),
                ],
                exceptions=[
                    services.ExceptionPeriod("Congés", date(2027, 8, 1), date(2027, 8, 15))
                ],
            )

        return call

    run_at_once([edit(first, Weekday.MONDAY), edit(second, Weekday.FRIDAY)])
    cafe.refresh_from_db()
    # One edit wins whole (description, hours and exceptions), never a mix of both.
    winner = {
        f"Version de {first.display_name}": Weekday.MONDAY,
        f"Version de {second.display_name}": Weekday.FRIDAY,
    }[cafe.description]
    assert set(cafe.opening_hours.values_list("weekday", flat=True)) == {winner}
    assert cafe.opening_hours.count() == 2
    assert cafe.hours_exceptions.count() == 1
