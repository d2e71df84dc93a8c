"""A topic page costs the same number of queries with 10 or 1,000 posts (paginated)."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from machina.apps.forum_conversation.models import Post

from community.accounts.models import Role
from tests.factories import make_member

from .conftest import make_topic

pytestmark = pytest.mark.django_db


def topic_with_posts(forum, count: int):
    posters = [make_member(Role.MANAGER, display_name=f"Gérant {n}") for n in range(5)]
    topic = make_topic(forum, posters[0], subject=f"Sujet à {count} messages")
    Post.objects.bulk_create(
        Post(
            topic=topic,
            poster=posters[n % 5],
            subject="Re",
            content=f"Message {n}",
            _content_rendered=f"<p>Message {n}</p>",
            approved=True,
        )
        for n in range(count - 1)
    )
    return topic


def count_queries(client, url: str) -> int:
    client.get(url)  # warm up
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


@pytest.mark.parametrize("role", ["anonymous", "manager", "staff"])
def test_topic_page_query_count_is_constant(client_for, forums, role):
    client = client_for(role)
    counts = []
    for size in (10, 1000):
        topic = topic_with_posts(forums["public"], size)
        url = reverse(
            "forum_conversation:topic",
            args=[topic.forum.slug, topic.forum.pk, topic.slug, topic.pk],
        )
        counts.append((count_queries(client, url), count_queries(client, url + "?page=last")))
    assert counts[0] == counts[1], counts
    assert counts[0][0] <= 30, counts
