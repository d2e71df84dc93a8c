"""Parts of members' forum pages come from the cache (forum/fragments.py): each reader still
sees their own links, areas and unread marks, and a change shows at once."""

from __future__ import annotations

import pytest
from django.urls import reverse

from .conftest import add_post, make_topic

pytestmark = pytest.mark.django_db


def topic_url(topic) -> str:
    forum = topic.forum
    return reverse("forum_conversation:topic", args=[forum.slug, forum.pk, topic.slug, topic.pk])


def test_each_reader_sees_their_own_links_on_the_same_topic_page(
    client_for, forums, elected_user, manager_user
):
    topic = make_topic(forums["public"], elected_user, "Ouvrir le dimanche ?")
    add_post(topic, manager_user, "Oui, le matin.")
    url = topic_url(topic)
    pages = {role: client_for(role).get(url).content.decode() for role in ("elected", "manager")}
    pages["staff"] = client_for("staff").get(url).content.decode()
    pages["elected again"] = client_for("elected").get(url).content.decode()
    # Their own posts: edit links; the others': report links.
    for role in ("elected", "elected again"):
        assert 'Modifier<span class="visually-hidden"> le message de ' in pages[role]
        assert pages[role].count("Signaler ce message") == 1
    assert pages["manager"].count("Signaler ce message") == 1
    assert pages["manager"].count("Modifier<span") == 1
    # Staff moderate: every post can be edited and deleted.
    assert pages["staff"].count("Modifier<span") == 2
    assert pages["staff"].count("Supprimer<span") == 2
    assert "Modifier<span" not in client_for("anonymous").get(url).content.decode()


def test_each_reader_sees_the_areas_they_may_read(client_for, forums):
    index = reverse("forum:index")
    elected = client_for("elected").get(index).content.decode()
    manager = client_for("manager").get(index).content.decode()
    assert forums["elected"].name in elected and forums["managers"].name not in elected
    assert forums["managers"].name in manager and forums["elected"].name not in manager
    # The same reader, the list now from the cache.
    again = client_for("elected").get(index).content.decode()
    assert forums["elected"].name in again and forums["managers"].name not in again


def test_a_new_answer_shows_at_once_on_cached_pages(client_for, forums, manager_user):
    client = client_for("elected")
    topic = make_topic(forums["theme"], manager_user, "Licence IV")
    url = topic_url(topic)
    forum_url = reverse("forum:forum", args=[topic.forum.slug, topic.forum.pk])
    for page in (url, forum_url, reverse("forum:index")):
        client.get(page)
    add_post(topic, manager_user, "La licence se transfère avec le fonds.")
    assert "La licence se transfère avec le fonds." in client.get(url).content.decode()
    assert "1 réponse" in client.get(forum_url).content.decode()
    assert "1 sujet · 2 messages" in client.get(reverse("forum:index")).content.decode()
