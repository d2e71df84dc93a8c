"""/forum/search/: the site search restricted to forum topics, in the forum's look; it keeps
answering from the database when Meilisearch is absent or down."""

from __future__ import annotations

import re

import pytest
from django.urls import reverse

from events.models import AnimationKind
from search import query
from search.engine import get_engine
from tests.matrix import ROLES
from tests.ports import free_port
from tests.search.engines import flush

from .conftest import make_topic

pytestmark = pytest.mark.django_db

# A word planted in each area, and who may find it.
PLANTED = {
    "public": ("chicorée", set(ROLES)),
    "theme": ("torréfacteur", {"elected", "manager", "partner", "staff"}),
    "elected": ("délibération", {"elected", "staff"}),
    "managers": ("licence", {"manager", "staff"}),
}


def search_page(client, **params):
    return client.get(reverse("discussions:search"), params)


def text_of(response) -> str:
    """The page as a reader sees it: tags (such as the highlights' <mark>) removed."""
    return re.sub(r"<[^>]+>", "", response.content.decode())


@pytest.fixture
def planted(forums, staff_user):
    for key, (word, _readers) in PLANTED.items():
        make_topic(forums[key], staff_user, subject=f"Sujet {key}", content=f"Parlons {word}.")
    flush()


@pytest.mark.parametrize("role", ROLES)
def test_search_finds_only_what_the_role_may_read(no_engine, planted, client_for, role):
    client = client_for(role)
    for key, (word, readers) in PLANTED.items():
        response = search_page(client, q=word)
        assert response.status_code == 200
        page = text_of(response)
        assert (f"Sujet {key}" in page) is (role in readers), (role, key)
        assert ("1 sujet pour" in page) is (role in readers)


def test_only_forum_topics_are_listed(no_engine, forums, staff_user, client_for):
    make_topic(forums["public"], staff_user, subject="Soirée guinguette", content="Qui vient ?")
    AnimationKind.objects.create(slug="guinguette", name="Guinguette mobile", summary="Un bal.")
    flush()
    client = client_for("elected")
    page = text_of(search_page(client, q="guinguette"))
    assert "Soirée guinguette" in page
    assert "Guinguette mobile" not in page
    assert "1 sujet pour « guinguette »" in page
    # The site-wide search has both.
    site = text_of(client.get(reverse("search:page"), {"q": "guinguette"}))
    assert "Soirée guinguette" in site and "Guinguette mobile" in site


def test_excerpts_are_highlighted_and_escaped(no_engine, forums, staff_user, client_for):
    make_topic(
        forums["public"],
        staff_user,
        subject='Un torréfacteur "bio" & local',
        content="Notre torréfacteur <script>alert(1)</script> livre le jeudi.",
    )
    flush()
    page = search_page(client_for("anonymous"), q="torrefacteur").content.decode()
    assert "Un <mark>torréfacteur</mark> &quot;bio&quot; &amp; local" in page
    assert "Notre <mark>torréfacteur</mark>" in page
    assert "<script>alert" not in page


def test_results_are_paginated(no_engine, forums, staff_user, client_for):
    for n in range(25):
        make_topic(forums["public"], staff_user, subject=f"Café {n}", content="Recette du gâteau")
    make_topic(forums["public"], staff_user, subject="Autre", content="Tarte seulement")
    flush()
    client = client_for("anonymous")
    page = search_page(client, q="gâteau").content.decode()
    assert "25 sujets pour « gâteau » – page 1 sur 2" in page
    assert page.count('class="search-hit search-hit-forum"') == 20
    assert 'href="?q=g%C3%A2teau&amp;page=2" rel="next"' in page
    second = search_page(client, q="gâteau", page=2).content.decode()
    assert second.count('class="search-hit search-hit-forum"') == 5
    assert "Page 2 sur 2" in second and 'rel="prev"' in second
    beyond = search_page(client, q="gâteau", page=9).content.decode()
    assert "Cette page de résultats n'existe pas" in beyond


def test_no_result_page_in_french_suggests_the_site_search(no_engine, forums, client_for):
    page = search_page(client_for("manager"), q="zygomatique").content.decode()
    assert "Aucun sujet pour « zygomatique »" in page
    assert 'href="/recherche/?q=zygomatique"' in page


def test_bad_input_gets_a_french_error_never_a_500(no_engine, client_for):
    client = client_for("anonymous")
    for params, message in (
        ({"q": "café", "page": "x"}, "Le numéro de page doit être un nombre entier."),
        ({"q": "café", "page": "0"}, "Le numéro de page commence à 1."),
        ({"q": "a" * 500}, "La recherche est limitée à 200 caractères."),
    ):
        response = search_page(client, **params)
        assert response.status_code == 400, params
        assert message in response.content.decode()
    for q in ("", "   ", "%", "'; DROP TABLE x; --", "\u0000"):
        assert search_page(client, q=q).status_code in (200, 400)


def test_missing_accents_and_an_unreachable_engine(settings, forums, staff_user, client_for):
    make_topic(forums["public"], staff_user, subject="Recruter un gérant", content="Annonce.")
    settings.MEILISEARCH_URL = ""
    flush()
    settings.MEILISEARCH_URL = f"http://127.0.0.1:{free_port()}"  # nothing listens there
    response = search_page(client_for("anonymous"), q="gerant")
    assert response.status_code == 200
    page = response.content.decode()
    assert "Recruter un <mark>gérant</mark>" in page
    assert query.DEGRADED_NOTICE.replace("'", "&#x27;") in page


@pytest.mark.meilisearch
def test_a_typo_finds_the_topic_on_meilisearch(meili, forums, staff_user, client_for):
    make_topic(forums["public"], staff_user, subject="Recruter un gérant", content="Annonce.")
    flush()
    assert get_engine().count() == 1
    page = search_page(client_for("anonymous"), q="gerabt").content.decode()
    assert "Recruter un <mark>gérant</mark>" in page
    assert query.DEGRADED_NOTICE.replace("'", "&#x27;") not in page
