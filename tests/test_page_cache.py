"""Anonymous visitors' pages come from the cache, and every change shows at once."""

from __future__ import annotations

import html
from datetime import timedelta

import pytest
from django.contrib.messages import constants
from django.contrib.messages.storage.base import Message
from django.contrib.messages.storage.cookie import CookieStorage
from django.db import connection
from django.test import Client, RequestFactory
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from machina.apps.forum_conversation.models import Post
from wagtail.users.models import UserProfile

from community import page_cache
from community.cache import MISSING
from community.home.models import HomePage, StandardPage
from community.page_cache import PAGES
from forum.chat.models import ReadMark
from forum.chat.rooms import ensure_rooms
from forum.chat.services import mark_read
from forum.tree import area
from tests.events.conftest import kind
from tests.forum.conftest import make_topic
from tests.places.map_factories import open_cafe, public_animation
from tests.recruitment.factories import make_offer

pytestmark = pytest.mark.django_db


def visit(client: Client, url: str):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return response, len(queries)


def publish_page(title: str, **fields) -> StandardPage:
    page = StandardPage(title=title, **fields)
    HomePage.objects.get().add_child(instance=page)
    page.save_revision().publish()
    return page


def test_a_page_seen_again_costs_no_query_and_varies_on_cookie(client):
    page = publish_page("Le réseau")
    first, _ = visit(client, page.url)
    again, queries = visit(client, page.url)
    assert queries == 0
    assert again.content == first.content
    assert "Cookie" in again["Vary"]
    # The security headers are added around the cache, on every answer.
    assert again["Content-Security-Policy"] == first["Content-Security-Policy"]


def test_a_published_change_shows_at_once(client):
    page = publish_page("Le réseau")
    visit(client, page.url)
    page.title = "Le réseau des cafés"
    page.save_revision().publish()
    response, _ = visit(client, page.url)
    assert "Le réseau des cafés" in response.content.decode()


def test_an_unpublished_page_is_gone_at_once(client):
    page = publish_page("Page éphémère")
    visit(client, page.url)
    page.unpublish()
    assert client.get(page.url).status_code == 404


def test_a_new_forum_post_and_a_renamed_member_show_at_once(client, manager_user):
    topic = make_topic(area("public"), manager_user, subject="Horaires d'été")
    url = f"/forum/forum/{topic.forum.slug}-{topic.forum.pk}/topic/{topic.slug}-{topic.pk}/"
    visit(client, url)
    Post.objects.create(
        topic=topic, poster=manager_user, subject="Re", content="Ouvert le dimanche", approved=True
    )
    response, _ = visit(client, url)
    assert "Ouvert le dimanche" in response.content.decode()
    manager_user.display_name = "Gaston Lagaffe"
    manager_user.save()
    response, _ = visit(client, url)
    assert "Gaston Lagaffe" in response.content.decode()


def test_a_sign_in_does_not_empty_the_cache(client, manager_user):
    """Sign-in bookkeeping (last_login) shows on no page."""
    page = publish_page("Le réseau")
    visit(client, page.url)
    manager_user.save(update_fields=["last_login"])
    assert visit(client, page.url)[1] == 0


def test_a_first_visit_to_a_chat_room_does_not_empty_the_cache(client, elected_user):
    """Opening a room creates the member's read mark, which no kept page shows."""
    room = ensure_rooms()["elus"]
    page = publish_page("Le réseau")
    visit(client, page.url)
    mark_read(elected_user, room)
    assert ReadMark.objects.filter(user=elected_user).exists()
    assert visit(client, page.url)[1] == 0


def test_a_first_visit_to_the_admin_does_not_empty_the_cache(client, staff_user):
    """Wagtail creates a staff member's profile (preferences) on their first admin page."""
    page = publish_page("Le réseau")
    visit(client, page.url)
    UserProfile.get_for_user(staff_user)
    assert visit(client, page.url)[1] == 0


def test_a_page_with_a_form_is_never_kept(client):
    """The CSRF token of one visitor must never reach another."""
    first, _ = visit(client, "/comptes/login/")
    again, _ = visit(client, "/comptes/login/")
    assert first.content != again.content  # a fresh token each time: rendered twice
    assert "csrftoken" in first.cookies


def test_a_host_the_site_does_not_serve_never_gets_a_kept_page(client):
    """Kept pages are found by the host as the request names it: a host outside
    ALLOWED_HOSTS is refused before any page is kept, so none is ever kept for it."""
    page = publish_page("Le réseau")
    visit(client, page.url)
    for _ in range(2):
        assert client.get(page.url, HTTP_HOST="intrus.example").status_code == 400
    assert visit(client, page.url)[1] == 0


def test_an_address_whose_page_cannot_be_kept_is_not_looked_up_again(client, monkeypatch):
    lookups = []
    monkeypatch.setattr(PAGES, "lookup", lambda key: lookups.append(key) or (None, MISSING))
    for _ in range(3):
        assert client.get("/comptes/login/").status_code == 200
    assert len(lookups) == 1


def test_a_page_published_where_visitors_found_none_is_kept_at_once(
    client, django_capture_on_commit_callbacks
):
    assert client.get("/le-reseau/").status_code == 404
    with django_capture_on_commit_callbacks(execute=True):
        page = publish_page("Le réseau", slug="le-reseau")
    assert page.url == "/le-reseau/"
    visit(client, page.url)
    assert visit(client, page.url)[1] == 0


def test_the_addresses_passed_are_bounded(client, monkeypatch):
    """Visitors choose the addresses: past PASS_ADDRESSES, all are forgotten at once."""
    monkeypatch.setattr(page_cache, "PASS_ADDRESSES", 2)
    for number in range(5):
        assert client.get(f"/introuvable-{number}/").status_code == 404
        assert len(page_cache._passes) <= 2


def test_members_never_get_the_visitors_page(client, client_for, manager_user):
    page = publish_page("Le réseau")
    visit(client, page.url)
    member = client_for("manager")
    response, queries = visit(member, page.url)
    assert queries > 0
    assert manager_user.display_name in response.content.decode()
    assert manager_user.display_name not in client.get(page.url).content.decode()


def test_a_visitor_with_a_message_waiting_gets_a_fresh_page(client):
    page = publish_page("Le réseau")
    visit(client, page.url)
    waiting = Message(constants.SUCCESS, "Votre candidature est bien envoyée.")
    client.cookies["messages"] = CookieStorage(RequestFactory().get("/"))._encode([waiting])
    assert "Votre candidature est bien envoyée." in visit(client, page.url)[0].content.decode()


# ---------------------------------------------------------------------------- the clock


def text(response) -> str:
    return html.unescape(response.content.decode())


@pytest.fixture
def coming_animation(db):
    """An open café with one public animation, starting in a minute: before a page kept now
    would expire by itself (ENTRY_SECONDS), so only the page's own deadline can drop it."""
    kind("chess-workshop")
    cafe = open_cafe("L'Estanquet", "Puycelsi")
    booking = public_animation(cafe, days=0)
    booking.starts_at = timezone.now() + timedelta(seconds=60)
    booking.ends_at = booking.starts_at + timedelta(hours=2)
    booking.save()
    return booking


@pytest.mark.parametrize(
    ("url", "coming", "gone"),
    [
        ("cafe", "Atelier d'initiation aux échecs", "Aucune animation publique n'est annoncée"),
        ("/carte/?upcoming=on", "L'Estanquet", "0 cafés pour ces filtres"),
        ("/animations/agenda/", "L'Estanquet", "Aucune animation"),
    ],
)
def test_a_coming_animation_is_no_longer_shown_once_it_has_started(
    client, monkeypatch, coming_animation, url, coming, gone
):
    """No write happens when an animation starts: the kept page must not outlive it."""
    url = coming_animation.cafe.get_absolute_url() if url == "cafe" else url
    first = text(visit(client, url)[0])
    assert coming in first and gone not in first
    # Kept meanwhile, as any page.
    assert visit(client, url)[1] == 0
    # A second after it started, the same address tells the truth at once.
    started = coming_animation.starts_at + timedelta(seconds=1)
    monkeypatch.setattr(timezone, "now", lambda: started)
    assert gone in text(visit(client, url)[0])


def test_a_page_about_the_past_is_kept_as_long_as_any(client, monkeypatch, coming_animation):
    """An animation over long ago sets no deadline: its café's page is kept as usual."""
    url = coming_animation.cafe.get_absolute_url()
    later = coming_animation.starts_at + timedelta(days=1)
    monkeypatch.setattr(timezone, "now", lambda: later)
    visit(client, url)
    assert visit(client, url)[1] == 0


def test_an_offer_leaves_the_kept_pages_at_midnight_after_its_closing_date(client, monkeypatch):
    """No write happens at midnight either: the list and the offer's page, kept half a
    minute before, are not served a second after."""
    offer = make_offer(closes_on=timezone.localdate())
    list_url, offer_url = reverse("recruitment:list"), offer.get_absolute_url()
    monkeypatch.setattr(timezone, "now", lambda: offer.public_until - timedelta(seconds=30))
    for url in (list_url, offer_url):
        assert offer.title in text(visit(client, url)[0])
        assert visit(client, url)[1] == 0

    monkeypatch.setattr(timezone, "now", lambda: offer.public_until + timedelta(seconds=1))
    assert offer.title not in text(visit(client, list_url)[0])
    assert client.get(offer_url).status_code == 404
