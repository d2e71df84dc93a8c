"""Visitors' search answers come from the page cache like the search page, and a newly
delivered document shows at once; members' answers are never kept anywhere."""

from __future__ import annotations

import pytest
from django.test import Client

from tests.background import database_tasks, run_worker  # noqa: F401  (a fixture)

pytestmark = [
    pytest.mark.django_db(transaction=True),
    pytest.mark.meilisearch,
    pytest.mark.usefixtures("database_tasks"),
]

URL = "/api/search?q=%C3%A9picerie"
DOWN = "http://127.0.0.1:9"  # nothing listens: an answer computed now comes from the database


def answer(client: Client) -> tuple[str, list[str]]:
    response = client.get(URL)
    assert response.status_code == 200
    data = response.json()
    return data["engine"], sorted(hit["title"] for hit in data["hits"])


def test_a_visitor_s_answer_is_kept_until_the_index_changes(meili, make_toolkit, settings):
    live = settings.MEILISEARCH_URL
    make_toolkit("Ouvrir une épicerie dans le café")
    run_worker()
    visitor = Client()
    first = answer(visitor)
    assert first == ("meilisearch", ["Ouvrir une épicerie dans le café"])
    settings.MEILISEARCH_URL = DOWN
    assert answer(visitor) == first  # kept: the engine was not asked again

    settings.MEILISEARCH_URL = live
    make_toolkit("Une épicerie solidaire au comptoir")
    run_worker()
    assert answer(visitor) == (
        "meilisearch",
        ["Ouvrir une épicerie dans le café", "Une épicerie solidaire au comptoir"],
    )


def test_a_member_s_answer_is_private_and_never_kept(meili, make_toolkit, client_for, settings):
    make_toolkit("Ouvrir une épicerie dans le café")
    run_worker()
    member = client_for("elected")
    assert member.get(URL)["Cache-Control"] == "private, no-store"
    assert answer(member)[0] == "meilisearch"
    settings.MEILISEARCH_URL = DOWN
    assert answer(member) == ("database", ["Ouvrir une épicerie dans le café"])
