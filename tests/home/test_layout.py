"""The site's shell: landmarks, navigation per member state, footer, error pages."""

from __future__ import annotations

import pytest
from django.template.loader import render_to_string
from django.test import RequestFactory
from django.urls import reverse
from django.views.defaults import permission_denied, server_error
from wagtail.models import PageViewRestriction

from .html import parse

pytestmark = pytest.mark.django_db


def get_document(client, url: str = "/"):
    response = client.get(url)
    assert response.status_code == 200
    return parse(response.content)


def nav_links(document, label: str = "Navigation principale") -> dict[str, str]:
    nav = document.find("nav", **{"aria-label": label})
    assert nav is not None
    return {a.text: a.attrs["href"] for a in nav.find_all("a")}


def test_home_page_has_landmarks_skip_link_and_french(client, home):
    response = client.get("/")
    assert response.status_code == 200
    document = parse(response.content)
    html = document.find("html")
    assert html.attrs["lang"] == "fr"
    assert document.find("header") is not None
    assert document.find("nav", **{"aria-label": "Navigation principale"}) is not None
    main = document.find("main")
    assert main.attrs["id"] == "contenu"
    assert document.find("footer") is not None
    skip = document.find("a", **{"class": "skip-link"})
    assert skip.attrs["href"] == "#contenu"
    assert skip.text == "Aller au contenu"
    # The skip link comes before the header so it is the first thing a keyboard reaches.
    body = document.find("body")
    assert body.children[0] is skip
    assert home.title in main.text


def test_anonymous_header_offers_login_and_sign_up(client, home):
    document = get_document(client)
    header = document.find("header")
    links = {a.text: a.attrs["href"] for a in header.find_all("a")}
    assert links["Se connecter"] == reverse("account_login")
    # « Adhérer » leads to the choice between a commune's application and a membership.
    assert links["Adhérer"] == reverse("accompaniment:join")
    assert "Mon espace" not in links
    hero = document.find("section", **{"class": "hero"})
    hero_links = {a.text: a.attrs["href"] for a in hero.find_all("a")}
    assert hero_links["Candidater pour ma commune"] == reverse("accompaniment:apply")
    assert hero_links["Rejoindre le réseau"] == reverse("account_signup")


def test_member_header_shows_name_role_and_member_links(client_for, home):
    client = client_for("manager")
    document = get_document(client)
    header = document.find("header")
    assert "Gaston Gérant" in header.text
    assert "Gérant·e de café" in header.text
    links = nav_links(document)
    assert links["Mon espace"] == reverse("accounts:dashboard")
    assert links["Membres"] == reverse("accounts:directory")
    profile = header.find("a", **{"class": "member-badge"})
    assert profile.attrs["href"] == reverse("accounts:profile")
    logout = header.find("div", **{"class": "account"}).find("form")
    assert logout.attrs["method"] == "post"
    assert logout.attrs["action"] == reverse("account_logout")
    assert "Administration" not in header.text
    assert "Adhésion en attente" not in header.text


def test_pending_member_sees_membership_status_not_member_links(client_for, home):
    document = get_document(client_for("pending"))
    header = document.find("header")
    assert "Camille Candidate" in header.text
    pending = header.find("a", **{"class": "pending-badge"})
    assert pending.text == "Adhésion en attente"
    assert pending.attrs["href"] == reverse("accounts:membership_status")
    assert "Mon espace" not in nav_links(document)


def test_staff_has_an_administration_link(client_for, home):
    header = get_document(client_for("staff")).find("header")
    links = {a.text: a.attrs["href"] for a in header.find_all("a")}
    assert links["Administration"] == "/admin/"


def test_menu_lists_live_public_pages_in_menu_only(client, home, add_page):
    add_page("Le réseau", show_in_menus=True)
    add_page("Brouillon", show_in_menus=True, live=False)
    add_page("Hors menu", show_in_menus=False)
    private = add_page("Réservé", show_in_menus=True)
    PageViewRestriction.objects.create(page=private, restriction_type=PageViewRestriction.LOGIN)
    links = nav_links(get_document(client))
    assert "Le réseau" in links
    assert "Brouillon" not in links
    assert "Hors menu" not in links
    assert "Réservé" not in links


def test_footer_lists_footer_pages(client, home, add_page):
    legal = add_page("Mentions légales", show_in_footer=True)
    add_page("Déclaration d'accessibilité", show_in_footer=True)
    add_page("Le réseau", show_in_menus=True)
    add_page("Brouillon de pied de page", show_in_footer=True, live=False)
    document = get_document(client)
    footer = document.find("footer")
    links = {a.text: a.attrs["href"] for a in footer.find_all("a")}
    assert links["Mentions légales"] == legal.url
    assert "Déclaration d'accessibilité" in links
    assert "Le réseau" not in links
    assert "Brouillon de pied de page" not in links
    assert footer.find("nav", **{"aria-label": "Pied de page"}) is not None


def test_standard_page_renders_title_intro_and_body(client, home, add_page):
    page = add_page(
        "Le réseau",
        intro="Une communauté solidaire.",
        body=[
            {"type": "heading", "value": "Pour les élu·es"},
            {"type": "paragraph", "value": "<p>Des échanges entre pairs.</p>"},
        ],
    )
    document = get_document(client, page.url)
    main = document.find("main")
    assert main.find("h1").text == "Le réseau"
    assert "Une communauté solidaire." in main.text
    assert main.find("h2", id="pour-les-elues").text == "Pour les élu·es"
    assert "Des échanges entre pairs." in main.text


def test_messages_are_announced(client_for, home):
    client = client_for("elected")
    client.post(reverse("accounts:profile"), {"display_name": "Marie Maire"})
    document = get_document(client)
    status = document.find("div", **{"class": "messages"})
    assert status.attrs["role"] == "status"
    assert "Votre profil est enregistré." in status.text


def test_404_page_is_french_and_uses_the_layout(client, home):
    response = client.get("/cette-page-n-existe-pas/")
    assert response.status_code == 404
    document = parse(response.content)
    assert document.find("html").attrs["lang"] == "fr"
    assert document.find("h1").text == "Page introuvable"
    assert document.find("a", **{"class": "skip-link"}) is not None
    assert document.find("footer") is not None


def test_403_page_is_french(rf: RequestFactory, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    request = rf.get("/espace/")
    request.user = AnonymousUser()
    response = permission_denied(request, exception=None)
    assert response.status_code == 403
    document = parse(response.content)
    assert document.find("html").attrs["lang"] == "fr"
    assert document.find("h1").text == "Accès refusé"


def test_500_page_is_standalone(django_assert_num_queries):
    # No request, no context processors, no database: it must still render.
    with django_assert_num_queries(0):
        html = render_to_string("500.html")
        response = server_error(RequestFactory().get("/"))
    document = parse(html)
    assert document.find("html").attrs["lang"] == "fr"
    assert document.find("h1").text == "Une erreur est survenue"
    assert response.status_code == 500
    assert "Une erreur est survenue" in response.content.decode()


def test_header_leads_to_every_module_and_to_search(client_for, home):
    anonymous = parse(client_for("anonymous").get("/").content)
    links = nav_links(anonymous)
    assert links["Animations"] == reverse("events:catalogue")
    assert links["Forum"] == "/forum/"
    assert "Discussions en direct" not in links
    search = anonymous.find("form", role="search")
    assert search.attrs["action"] == reverse("search:page")
    assert search.find("label").attrs["for"] == search.find("input").attrs["id"]

    member_links = nav_links(parse(client_for("elected").get("/").content))
    assert member_links["Discussions en direct"] == reverse("chat:index")
