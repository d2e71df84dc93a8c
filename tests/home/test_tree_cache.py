"""The header and footer menus are built once, then follow every change of the page tree."""

from __future__ import annotations

import socket

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import PageViewRestriction

from .html import parse

pytestmark = pytest.mark.django_db


def menus(client) -> tuple[dict[str, str], dict[str, str]]:
    response = client.get("/")
    assert response.status_code == 200
    document = parse(response.content)
    main = document.find("nav", **{"aria-label": "Navigation principale"})
    footer = document.find("nav", **{"aria-label": "Pied de page"})
    return (
        {a.text: a.attrs["href"] for a in main.find_all("a")},
        {a.text: a.attrs["href"] for a in footer.find_all("a")},
    )


@pytest.fixture
def committed(django_capture_on_commit_callbacks):
    """Run the after-commit callbacks of the block, as a real transaction would."""
    return lambda: django_capture_on_commit_callbacks(execute=True)


def test_menus_cost_no_query_once_built(client, add_page):
    add_page("Le réseau", show_in_menus=True)
    add_page("Mentions légales", show_in_footer=True)
    menus(client)
    with CaptureQueriesContext(connection) as queries:
        main, footer = menus(client)
    assert "Le réseau" in main
    assert "Mentions légales" in footer
    # Neither the menu pages nor the footer pages are looked up again.
    conditions = [q["sql"].partition(" WHERE ")[2] for q in queries]
    assert not [c for c in conditions if "show_in_menus" in c or "show_in_footer" in c]


def test_a_members_pages_do_not_query_the_sites(client_for):
    """Wagtail looks the request's site up in the database on every page; here it comes
    from the cache, when a page first needs it."""
    member = client_for("manager")
    member.get("/")
    with CaptureQueriesContext(connection) as queries:
        assert member.get("/").status_code == 200
    assert not [q for q in queries if "wagtailcore_site" in q["sql"]]


def test_published_page_appears_and_current_page_is_marked(client, add_page, committed):
    menus(client)
    with committed():
        page = add_page("Le réseau", show_in_menus=True)
    main, _ = menus(client)
    assert main["Le réseau"] == page.url
    document = parse(client.get(page.url).content)
    current = document.find("a", **{"aria-current": "page"})
    assert current.text == "Le réseau"


def test_new_title_shows_once_published(client, add_page, committed):
    with committed():
        page = add_page("Le réseau", show_in_menus=True)
    menus(client)
    page.title = "Notre réseau"
    with committed():
        page.save_revision()  # a draft changes nothing for visitors
    assert "Le réseau" in menus(client)[0]
    with committed():
        page.get_latest_revision().publish()
    main, _ = menus(client)
    assert "Notre réseau" in main
    assert "Le réseau" not in main


def test_unpublished_moved_deleted_or_restricted_pages_leave_the_menu(client, add_page, committed):
    with committed():
        gone = add_page("Dépublié", show_in_menus=True)
        moved = add_page("Déplacé", show_in_menus=True)
        deleted = add_page("Supprimé", show_in_menus=True)
        restricted = add_page("Réservé", show_in_menus=True)
        parent = add_page("Parent", show_in_menus=True)
        legal = add_page("Mentions légales", show_in_footer=True)
    main, footer = menus(client)
    assert {"Dépublié", "Déplacé", "Supprimé", "Réservé", "Parent"} <= set(main)
    assert "Mentions légales" in footer

    with committed():
        gone.unpublish()
        moved.move(parent, pos="last-child")
        deleted.delete()
        PageViewRestriction.objects.create(
            page=restricted, restriction_type=PageViewRestriction.LOGIN
        )
        legal.show_in_footer = False
        legal.save_revision().publish()
    main, footer = menus(client)
    assert set(main) & {"Dépublié", "Déplacé", "Supprimé", "Réservé"} == set()
    assert "Parent" in main
    assert "Mentions légales" not in footer


def test_menus_follow_a_change_at_once_and_after_its_commit(client_for, add_page, committed):
    # A member: the menus, not a visitor's whole page kept by the page cache.
    client = client_for("elected")
    menus(client)
    # The transaction that made the change is routed and shown the tree as it now is.
    add_page("Pas encore", show_in_menus=True)
    assert "Pas encore" in menus(client)[0]
    with committed():
        add_page("Validée", show_in_menus=True)
    assert "Validée" in menus(client)[0]


def test_view_restriction_added_after_a_visit_applies_at_once(client, add_page, committed):
    with committed():
        page = add_page("Le réseau")
    assert client.get(page.url).status_code == 200
    with committed():
        PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    response = client.get(page.url)
    assert response.status_code == 302
    assert "next=" in response["Location"]  # sent to log in first
    with committed():
        PageViewRestriction.objects.all().delete()
    assert client.get(page.url).status_code == 200


def test_home_page_changes_show_once_published(client, home, committed):
    client.get("/")
    home.title = "Bienvenue au réseau"
    with committed():
        home.save_revision().publish()
    document = parse(client.get("/").content)
    assert document.find("main").find("h1").text == "Bienvenue au réseau"


def test_view_restriction_applies_before_its_commit_callbacks_run(client, add_page, committed):
    """Other after-commit work (search indexing) must not trust "no restriction exists"."""
    with committed():
        page = add_page("Le réseau")
    assert client.get(page.url).status_code == 200
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    assert client.get(page.url).status_code == 302


def test_pages_answer_from_the_database_while_redis_is_down(client, add_page, settings):
    add_page("Le réseau", show_in_menus=True)
    with socket.socket() as sock:  # a port nothing listens on
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    settings.CACHES = {
        "default": {
            "BACKEND": "community.cache.ResilientRedisCache",
            "LOCATION": f"redis://127.0.0.1:{port}/0",
        }
    }
    main, _ = menus(client)
    assert "Le réseau" in main
    page = add_page("Réservée aux membres")
    PageViewRestriction.objects.create(page=page, restriction_type=PageViewRestriction.LOGIN)
    # Without the cache, restrictions are checked on every page (fail closed).
    assert client.get(page.url).status_code == 302
