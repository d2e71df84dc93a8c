"""Unread marks as a member sees them: « nouveau » on the forum index, a forum's topic list
and nothing once read; a new answer by someone else makes it new again; re-reading a topic
writes nothing."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from .conftest import add_post, make_topic

pytestmark = pytest.mark.django_db


def topic_url(topic) -> str:
    forum = topic.forum
    return reverse("forum_conversation:topic", args=[forum.slug, forum.pk, topic.slug, topic.pk])


def forum_url(forum) -> str:
    return reverse("forum:forum", args=[forum.slug, forum.pk])


def row_of(html: str, subject: str) -> str:
    """The <li> of the topic list or forum list holding `subject`."""
    end = html.index(subject)
    start = html.rindex('<li class="forum-row', 0, end)
    return html[start : html.index("</li>", end)]


def test_a_topic_is_new_until_read_and_new_again_after_someone_answers(
    client_for, forums, elected_user, manager_user
):
    client = client_for("elected")
    public = forums["public"]
    read_later = make_topic(public, manager_user, "Horaires d'hiver")
    other = make_topic(public, manager_user, "Fournisseurs de café")

    page = client.get(forum_url(public)).content.decode()
    assert "nouveau" in row_of(page, "Horaires d&#x27;hiver")
    assert "nouveau" in row_of(page, "Fournisseurs de café")
    assert "unread" in row_of(client.get(reverse("forum:index")).content.decode(), public.name)

    assert client.get(topic_url(read_later)).status_code == 200
    page = client.get(forum_url(public)).content.decode()
    assert "nouveau" not in row_of(page, "Horaires d&#x27;hiver")
    assert "nouveau" in row_of(page, "Fournisseurs de café")

    client.get(topic_url(other))
    page = client.get(forum_url(public)).content.decode()
    assert "nouveau" not in row_of(page, "Fournisseurs de café")
    assert "unread" not in row_of(client.get(reverse("forum:index")).content.decode(), public.name)

    add_post(read_later, manager_user, "Nous ouvrons à 9 h en hiver.")
    page = client.get(forum_url(public)).content.decode()
    assert "nouveau" in row_of(page, "Horaires d&#x27;hiver")
    assert "nouveau" not in row_of(page, "Fournisseurs de café")
    assert "unread" in row_of(client.get(reverse("forum:index")).content.decode(), public.name)
    topic_page = client.get(topic_url(read_later)).content.decode()
    assert "Nous ouvrons à 9 h en hiver." in topic_page


def test_rereading_a_topic_writes_nothing(client_for, forums, manager_user):
    client = client_for("elected")
    topic = make_topic(forums["public"], manager_user)
    make_topic(forums["public"], manager_user, "Un autre sujet, encore non lu")
    client.get(topic_url(topic))
    with CaptureQueriesContext(connection) as queries:
        assert client.get(topic_url(topic)).status_code == 200
    writes = [q["sql"] for q in queries if q["sql"].split()[0] in {"INSERT", "UPDATE", "DELETE"}]
    assert writes == []
