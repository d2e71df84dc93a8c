"""A webinar page's registration box is kept per member (webinars/views.py): each member sees
their own registration, and every registration, theirs or someone else's, shows at once."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from community.accounts.models import Role
from tests.factories import make_member
from webinars.services import cancel_registration, register_for_webinar

TOKEN = re.compile(r'name="csrfmiddlewaretoken" value="([^"]+)"')

pytestmark = pytest.mark.django_db


def box(client, webinar) -> str:
    return client.get(webinar.url).content.decode()


def test_registering_and_cancelling_show_at_once_to_that_member_only(client_for, make_webinar):
    webinar = make_webinar("box", capacity=5)
    elected, manager = client_for("elected"), client_for("manager")
    assert "5 places disponibles" in box(elected, webinar)
    elected.post(f"{webinar.url}inscription/")
    assert "Votre place est réservée" in box(elected, webinar)
    page = box(manager, webinar)
    assert "Votre place est réservée" not in page and "4 places disponibles" in page
    elected.post(f"{webinar.url}desinscription/")
    page = box(elected, webinar)
    assert "Votre place est réservée" not in page and "5 places disponibles" in page


def test_a_seat_taken_or_freed_by_someone_else_shows_at_once(client_for, make_webinar):
    webinar = make_webinar("complet", capacity=1)
    elected = client_for("elected")
    other = make_member(Role.ELECTED)
    assert "1 place disponible" in box(elected, webinar)
    register_for_webinar(webinar, other)
    assert "Ce webinaire est complet" in box(elected, webinar)
    elected.post(f"{webinar.url}inscription/")
    assert "Vous êtes en position 1" in box(elected, webinar)
    cancel_registration(webinar, other)  # their seat goes to the first in line
    assert "Votre place est réservée" in box(elected, webinar)


def test_each_members_kept_box_posts_with_their_own_token(make_webinar):
    """The box is kept for readers in the same state: each member's register form carries
    their own CSRF token, which the site enforces."""
    webinar = make_webinar("jetons", capacity=5)
    members = [make_member(Role.ELECTED, display_name=name) for name in ("Paul", "Rose")]
    clients = []
    for member in members:
        client = Client(enforce_csrf_checks=True)
        client.force_login(member)
        clients.append((client, TOKEN.search(box(client, webinar)).group(1)))
    for client, token in clients:
        response = client.post(f"{webinar.url}inscription/", {"csrfmiddlewaretoken": token})
        assert response.status_code == 302
        assert "Votre place est réservée" in box(client, webinar)
    assert webinar.confirmed_count() == 2


def test_a_republished_webinar_shows_its_new_title_and_audience_at_once(client_for, make_webinar):
    webinar = make_webinar("renomme", title="Webinaire des aides")
    elected = client_for("elected")
    page = box(elected, webinar)
    assert "Webinaire des aides" in page and '<span class="badge">Élu·es</span>' not in page
    webinar.title = "Les aides régionales"
    webinar.audience = "elected"
    webinar.save_revision().publish()
    page = box(elected, webinar)
    assert "Les aides régionales" in page and "Webinaire des aides" not in page
    assert '<span class="badge">Élu·es</span>' in page


def test_the_registrants_link_is_for_staff_only(client_for, make_webinar):
    webinar = make_webinar("equipe")
    link = "Inscrit·es et présences (équipe)"
    assert link in box(client_for("staff"), webinar)
    assert link not in box(client_for("elected"), webinar)


@pytest.mark.parametrize("role", ["elected", "staff"])
def test_webinar_page_queries_do_not_grow_with_registrations(client_for, make_webinar, role):
    webinar = make_webinar("compte", capacity=3)
    client = client_for(role)

    def count() -> int:
        client.get(webinar.url)  # warm up: the kept box, routes and menus
        with CaptureQueriesContext(connection) as queries:
            response = client.get(webinar.url)
        assert response.status_code == 200
        return len(queries)

    few = count()
    for _ in range(12):  # seats, then a waiting list
        register_for_webinar(webinar, make_member(Role.ELECTED))
    many = count()
    assert many == few, f"{few} queries without registrations, {many} with 12"
    # The session and the user (and staff's permissions and Wagtail userbar): the route, the
    # registration box and the programme come from the cache.
    assert many <= {"elected": 3, "staff": 8}[role], many
