"""The search engines a test runs against, for every test folder (a plugin of tests/conftest.py).

A content type's search tests live beside the type (events, recruitment, places…) and check
the same two engines a visitor meets: the real Meilisearch and the database fallback.
"""

from __future__ import annotations

import uuid

import pytest
from django.urls import reverse

from search import indexing, query
from search.engine import get_engine


@pytest.fixture(autouse=True)
def _closed_circuit():
    """A test that made Meilisearch look down leaves the next one a closed circuit."""
    query.reset_circuit()
    yield
    query.reset_circuit()


@pytest.fixture
def no_engine(settings):
    settings.MEILISEARCH_URL = ""


@pytest.fixture
def meili(settings):
    """The shared Meilisearch, with indexes of this test only (removed afterwards)."""
    prefix = f"{settings.MEILISEARCH_INDEX_PREFIX}_{uuid.uuid4().hex[:8]}"
    settings.MEILISEARCH_INDEX_PREFIX = prefix
    settings.SEARCH_QUERY_TIMEOUT = 5.0
    engine = get_engine()
    yield engine
    for uid in engine.list_indexes():
        if uid.startswith(prefix):
            engine.delete_index(uid)


@pytest.fixture
def worker_meili(meili, database_tasks):
    """The shared Meilisearch fed as in production: after its commit a change waits in the
    database's task queue until the test runs the worker (tests.background.run_worker).
    Tests that take it need a transactional database."""
    return meili


@pytest.fixture(params=[pytest.param("meilisearch", marks=pytest.mark.meilisearch), "database"])
def engine(request) -> str:
    """A test taking `engine` runs twice: on the shared Meilisearch (indexes of its own) and
    on the database fallback. Its name is the parameter's value."""
    request.getfixturevalue("meili" if request.param == "meilisearch" else "no_engine")
    return request.param


def flush() -> dict:
    """Deliver every pending operation now (tests run inside a transaction: no on_commit)."""
    return indexing.sync(all_due=False)


def hits(client, q: str) -> list[dict]:
    """The site search's answer to `q`, as the page's script receives it."""
    response = client.get(reverse("search:api"), {"q": q})
    assert response.status_code == 200
    return response.json()["hits"]


def titles(client, q: str) -> list[str]:
    return [hit["title"] for hit in hits(client, q)]
