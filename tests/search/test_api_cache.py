"""Search answers are kept until the index changes, and a newly delivered document shows at
once: visitors' from the page cache like the search page, members' (private to their
browser) under the rules of what they may see (tests/search/test_member_answers.py)."""

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


@pytest.mark.parametrize("who", ["anonymous", "elected"])
def test_an_answer_is_kept_until_the_index_changes(meili, make_toolkit, client_for, settings, who):
    live = settings.MEILISEARCH_URL
    make_toolkit("Ouvrir une épicerie dans le café")
    run_worker()
    client = client_for(who)
    first = answer(client)
    assert first == ("meilisearch", ["Ouvrir une épicerie dans le café"])
    settings.MEILISEARCH_URL = DOWN
    assert answer(client) == first  # kept: the engine was not asked again

    settings.MEILISEARCH_URL = live
    make_toolkit("Une épicerie solidaire au comptoir")
    run_worker()
    assert answer(client) == (
        "meilisearch",
        ["Ouvrir une épicerie dans le café", "Une épicerie solidaire au comptoir"],
    )
