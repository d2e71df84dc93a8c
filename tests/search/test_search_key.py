"""The site queries Meilisearch with a search-only key: it finds documents, and Meilisearch
refuses it every write (documents, settings, index deletion)."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from django.urls import reverse

from search.engine import Engine, EngineError, get_engine, get_search_engine

from .engines import flush

pytestmark = pytest.mark.meilisearch


@pytest.fixture
def search_key(meili, settings):
    out = StringIO()
    call_command("search_create_key", stdout=out)
    key = out.getvalue().strip()
    yield key
    for found in meili.request("GET", "keys?limit=1000")["results"]:
        if found["key"] == key:
            meili.request("DELETE", f"keys/{found['uid']}")


def test_the_site_searches_with_the_search_key(search_key, settings, make_toolkit, client):
    make_toolkit("Ouvrir une épicerie dans le café")
    flush()
    settings.MEILISEARCH_SEARCH_KEY = search_key
    engine = get_search_engine()
    assert engine.headers["Authorization"] == f"Bearer {search_key}"
    assert engine is not get_engine()
    data = client.get(reverse("search:api"), {"q": "epicerie"}).json()
    assert data["engine"] == "meilisearch"
    assert [hit["title"] for hit in data["hits"]][0] == "Ouvrir une épicerie dans le café"
    answer = engine.search({"q": "epicerie"})
    assert [hit["title"] for hit in answer["hits"]] == ["Ouvrir une épicerie dans le café"]


def test_the_search_key_cannot_write(search_key, settings, meili):
    settings.MEILISEARCH_SEARCH_KEY = search_key
    assert get_search_engine().headers["Authorization"] == f"Bearer {search_key}"
    uid = meili.live_uid
    meili.request("POST", "indexes", {"uid": uid, "primaryKey": "id"})
    for method, path, body in [
        ("POST", f"indexes/{uid}/documents", [{"id": "x", "title": "Intrus"}]),
        ("PATCH", f"indexes/{uid}/settings", {"searchableAttributes": ["title"]}),
        ("DELETE", f"indexes/{uid}", None),
        ("POST", "keys", {"actions": ["*"], "indexes": ["*"], "expiresAt": None}),
    ]:
        # A connection of its own for each attempt: Meilisearch answers 403 without reading
        # the body, which leaves a kept-alive connection unusable for the next request.
        engine = Engine(settings.MEILISEARCH_URL, api_key=search_key)
        with pytest.raises(EngineError) as refused:
            engine.request(method, path, body, timeout=10)
        assert "403" in str(refused.value) or "invalid_api_key" in str(refused.value), path


def test_the_key_is_limited_to_this_sites_indexes_and_made_once(search_key, meili):
    again = StringIO()
    call_command("search_create_key", stdout=again)
    assert again.getvalue().strip() == search_key
    found = [
        k for k in meili.request("GET", "keys?limit=1000")["results"] if k["key"] == search_key
    ]
    assert len(found) == 1
    assert found[0]["actions"] == ["search"]
    assert found[0]["indexes"] == [f"{meili.prefix}_*"]
