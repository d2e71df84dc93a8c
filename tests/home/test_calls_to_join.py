"""« Adhérer au réseau » is for visitors: signed-in people find the way to their space there."""

from __future__ import annotations

from importlib import import_module

import pytest
from django.apps import apps

from community.home.models import HomePage, StandardPage
from tests.matrix import ROLES

from .html import parse

pytestmark = pytest.mark.django_db

_migration = import_module("community.home.migrations.0005_visitors_only_links")

CALL = {
    "title": "Rejoindre le réseau",
    "text": "Élu·e, gérant·e ou partenaire : adhérez.",
    "link_url": "",
    "link_label": "Adhérer au réseau",
}
# What each role finds where the call to join sits: (heading, link label, link target).
INSTEAD = {
    "anonymous": ("Rejoindre le réseau", "Adhérer au réseau", "/adherer/"),
    "pending": (
        "Votre adhésion est en cours d'examen",
        "Voir où en est mon adhésion",
        "/adhesion/",
    ),
    "refused": ("Votre adhésion", "Voir mon adhésion", "/adhesion/"),
    **dict.fromkeys(
        ("elected", "manager", "partner", "staff"),
        ("Votre espace membre", "Aller à mon espace", "/espace/"),
    ),
}
assert set(INSTEAD) == set(ROLES)


@pytest.fixture
def join_page(home, add_page) -> StandardPage:
    page = add_page("Adhérer au réseau", slug="adherer", show_in_menus=True, visitors_only=True)
    add_page("Le réseau", show_in_menus=True)
    home.body = [
        ("call_to_action", {**CALL, "link_page": page, "audience": "visitors"}),
        ("call_to_action", {**CALL, "title": "Nos webinaires", "link_url": "/webinaires/"}),
    ]
    home.save_revision().publish()
    return page


@pytest.mark.parametrize("role", ROLES)
def test_the_call_to_join_is_for_visitors_only(client_for, join_page, role):
    document = parse(client_for(role).get("/").content)
    asides = {
        aside.find("h2").text: {a.text: a.attrs["href"] for a in aside.find_all("a")}
        for aside in document.find_all("aside", **{"class": "cta"})
    }
    heading, label, target = INSTEAD[role]
    assert asides == {
        heading: {label: target},
        # A call to action for everyone stays for everyone.
        "Nos webinaires": {"Adhérer au réseau": "/webinaires/"},
    }
    # The menu's join link likewise, while the other pages stay in the menu.
    nav = document.find("nav", **{"aria-label": "Navigation principale"})
    menu = {a.text for a in nav.find_all("a")}
    assert "Le réseau" in menu
    assert ("Adhérer au réseau" in menu) == (role == "anonymous")


def test_each_position_finds_its_own_way_once_the_body_is_kept(client_for, join_page, home):
    """The body is rendered once per position of the reader and kept: one role's rendering
    is never served to another, and a published change shows at once to all."""

    def headings(role: str) -> list[str]:
        document = parse(client_for(role).get("/").content)
        return [h2.text for h2 in document.find_all("h2")]

    for _ in range(2):  # the second round reads what the first one kept
        for role in ROLES:
            assert INSTEAD[role][0] in headings(role), role
    home.body.insert(0, ("heading", "Nouvel intertitre"))
    home.save_revision().publish()
    for role in ROLES:
        assert "Nouvel intertitre" in headings(role), role


@pytest.mark.parametrize("role", ROLES)
def test_the_join_choices_offer_members_their_space(client_for, role):
    join = client_for(role).get("/nous-rejoindre/").content.decode()
    apply = client_for(role).get("/candidater/").content.decode()
    assert ('href="/comptes/signup/"' in join) == (role == "anonymous")
    assert ('href="/comptes/signup/"' in apply) == (role == "anonymous")
    assert ('href="/espace/"' in join) == (INSTEAD[role][2] == "/espace/")
    assert ('href="/adhesion/"' in join) == (INSTEAD[role][2] == "/adhesion/")


def test_existing_calls_to_join_are_marked_for_visitors(home, add_page):
    page = add_page("Adhérer au réseau", slug="adherer", show_in_menus=True)
    home.body = [
        ("call_to_action", {**CALL, "link_page": page}),
        ("call_to_action", {**CALL, "title": "Inscription", "link_url": "/comptes/signup/"}),
        ("call_to_action", {**CALL, "title": "Nos webinaires", "link_url": "/webinaires/"}),
    ]
    home.save()
    _migration.mark_calls_to_join(apps, None)
    audiences = [b.value["audience"] for b in HomePage.objects.get(pk=home.pk).body]
    assert audiences == ["visitors", "visitors", "everyone"]
    assert StandardPage.objects.get(pk=page.pk).visitors_only
