"""A member's search page and API cost a small, constant number of queries: the one every
member page makes (their account) when the answer is kept, a few more when it is searched,
the same with 10 or 1,000 documents. Documents are added in bulk (no signals): the caches
are told as a delivery would."""

from __future__ import annotations

from itertools import count

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from community.accounts.audience import Audience
from community.page_cache import content_changed
from search.models import SearchDocument

pytestmark = [pytest.mark.django_db, pytest.mark.usefixtures("no_engine")]

KEPT_BUDGET = 1
SEARCHED_BUDGET = 5
_serial = count()


def add_documents(n: int) -> None:
    audiences = [Audience.PUBLIC, Audience.MEMBERS, Audience.ELECTED, Audience.MANAGERS]
    documents = []
    for _ in range(n):
        i = next(_serial)
        documents.append(
            SearchDocument(
                doc_id=f"toolkit-{i}",
                doc_type="toolkit",
                group="toolkit",
                object_pk=str(i),
                title=f"Épicerie n° {i}",
                folded_title=f"epicerie n° {i}",
                url=f"/boites-a-outils/epicerie-{i}/",
                themes=["commerce-local"],
                themes_key="|commerce-local|",
                access={"audience": audiences[i % len(audiences)]},
            )
        )
    SearchDocument.objects.bulk_create(documents)
    content_changed()


def queries(client, url: str) -> int:
    with CaptureQueriesContext(connection) as captured:
        assert client.get(url).status_code == 200
    return len(captured)


@pytest.mark.parametrize("url", ["/recherche/?q=%C3%A9picerie", "/api/search?q=epicerie&page=2"])
def test_a_member_s_search_costs_constant_queries(client_for, url):
    member = client_for("elected")
    member.get("/recherche/?q=chargement")  # what a first request loads once per process
    counts = []
    for total in (10, 1000):
        add_documents(total - SearchDocument.objects.count())
        counts.append((queries(member, url), queries(member, url)))
    assert counts[0] == counts[1]
    searched, kept = counts[0]
    assert searched <= SEARCHED_BUDGET
    assert kept <= KEPT_BUDGET
