"""Webinars in the site search: each audience seen by its roles only, on Meilisearch and on
the database fallback; drafts, unpublished and restricted pages never found."""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime, timedelta

import pytest
from django.urls import reverse
from wagtail.models import PageViewRestriction

from community.accounts.audience import Audience
from community.home.models import HomePage
from community.lib.formats import PARIS
from search.models import SearchDocument
from tests.matrix import ROLES
from webinars.models import WebinarIndexPage, WebinarPage

from .engines import flush
from .test_meilisearch import VISIBLE

START = datetime(2030, 3, 12, 18, 0, tzinfo=PARIS)


@pytest.fixture
def make_webinar(db) -> Callable[..., WebinarPage]:
    index = HomePage.objects.get().add_child(
        instance=WebinarIndexPage(title="Webinaires", slug="webinaires")
    )
    index.save_revision().publish()

    def build(title: str, *, audience: str = Audience.MEMBERS, live: bool = True, **fields):
        fields.setdefault("speakers", "Camille Roux, maire de Cadalen")
        fields.setdefault("description", "<p>Les aides pour <b>rouvrir</b> le café.</p>")
        page = index.add_child(
            instance=WebinarPage(
                title=title,
                start=START,
                end=START + timedelta(minutes=90),
                audience=audience,
                live=live,
                **fields,
            )
        )
        if live:
            page.save_revision().publish()
        page.refresh_from_db()
        return page

    return build


@pytest.fixture
def planted(make_webinar):
    for audience in Audience.values:
        make_webinar(
            f"Webinaire {audience}", audience=audience, description="<p>Vivre au bocage.</p>"
        )
    flush()


def _api(client, q: str, **params) -> dict:
    response = client.get(reverse("search:api"), {"q": q, **params})
    assert response.status_code == 200, response.content
    return response.json()


def _audiences(data: dict) -> set[str]:
    return {hit["title"].removeprefix("Webinaire ") for hit in data["hits"]}


@pytest.mark.meilisearch
@pytest.mark.parametrize("role", ROLES)
def test_each_role_finds_the_webinars_of_its_audiences_only(
    meili, planted, client_for, role, engine_down
):
    client = client_for(role)
    data = _api(client, "bocage", type="webinar")
    assert data["engine"] == "meilisearch"
    assert _audiences(data) == VISIBLE[role]
    assert data["facets"]["type"] == {"webinar": len(VISIBLE[role])}
    with engine_down():
        fallback = _api(client, "bocage", type="webinar")
    assert fallback["engine"] == "database"
    assert _audiences(fallback) == VISIBLE[role]


@pytest.mark.parametrize("role", ROLES)
def test_database_fallback_shows_each_role_its_audiences_only(no_engine, planted, client_for, role):
    data = _api(client_for(role), "bocage")
    assert data["engine"] == "database"
    assert _audiences(data) == VISIBLE[role]


def test_a_webinar_document_holds_description_speakers_and_start(no_engine, make_webinar):
    page = make_webinar("Rouvrir le café du village", audience=Audience.ELECTED)
    flush()
    document = SearchDocument.objects.get(doc_type="webinar", object_pk=str(page.pk))
    assert document.group == "webinar"
    assert document.url == page.url
    assert document.access == {"audience": "elected"}
    assert document.text == "Les aides pour rouvrir le café. Camille Roux, maire de Cadalen"
    assert document.date == START


def test_drafts_unpublished_and_restricted_webinars_are_never_found(
    no_engine, make_webinar, client_for, django_capture_on_commit_callbacks
):
    make_webinar("Brouillon secret", audience=Audience.PUBLIC, live=False)
    withdrawn = make_webinar("Retiré secret", audience=Audience.PUBLIC)
    restricted = make_webinar("Protégé secret", audience=Audience.PUBLIC)
    flush()
    assert _api(client_for("staff"), "secret")["total"] == 2
    # Committed, as in production: caches of the page tree are refreshed after commit.
    with django_capture_on_commit_callbacks(execute=True):
        withdrawn.unpublish()
        PageViewRestriction.objects.create(
            page=restricted, restriction_type=PageViewRestriction.PASSWORD, password="x"
        )
    for role in ("anonymous", "elected", "staff"):
        assert _api(client_for(role), "secret")["total"] == 0, role
    assert not SearchDocument.objects.filter(doc_type="webinar").exists()


def test_speakers_are_searchable_without_accents(no_engine, make_webinar, client_for):
    make_webinar("Financer la reprise", audience=Audience.PUBLIC, speakers="Hélène Brébant")
    flush()
    hit = _api(client_for("anonymous"), "brebant")["hits"][0]
    assert hit["title"] == "Financer la reprise"
    assert hit["type"] == "webinar"
    assert "<mark>Brébant</mark>" in hit["excerpt"]
