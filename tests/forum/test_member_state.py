"""What a forum page shows of its reader is kept in the cache with the page's shared parts
(forum/fragments.py): their unread marks, what they follow, their notifications and tools,
the areas of their role. A change shows at once, and only to that reader."""

from __future__ import annotations

from urllib.parse import quote

import pytest
from django.test import Client
from django.urls import reverse

from community.accounts.models import Role
from forum.models import Notification, NotificationKind
from tests.factories import make_member

from .conftest import add_post, make_topic
from .test_unread import forum_url, row_of, topic_url

pytestmark = pytest.mark.django_db


@pytest.fixture
def neighbour(db) -> Client:
    """Another elected official: the same rights on every forum as `elected_user`."""
    client = Client()
    client.force_login(make_member(Role.ELECTED, display_name="Odile Élue"))
    return client


def page(client: Client, url: str) -> str:
    response = client.get(url)
    assert response.status_code == 200
    return response.content.decode()


def marks(client: Client, forum, subject: str) -> tuple[bool, bool]:
    """Whether the topic is « nouveau » in its forum's list, and its forum unread on the
    index, for this reader."""
    return (
        "nouveau" in row_of(page(client, forum_url(forum)), subject),
        "unread" in row_of(page(client, reverse("forum:index")), forum.name),
    )


def test_reading_a_topic_clears_its_marks_for_that_reader_only(
    client_for, neighbour, forums, manager_user
):
    public = forums["public"]
    topic = make_topic(public, manager_user, "Horaires d'hiver")
    reader = client_for("elected")
    subject = "Horaires d&#x27;hiver"
    assert marks(reader, public, subject) == marks(neighbour, public, subject) == (True, True)

    page(reader, topic_url(topic))

    assert marks(reader, public, subject) == (False, False)
    assert marks(neighbour, public, subject) == (True, True)


def test_marking_every_forum_read_shows_at_once(client_for, forums, manager_user):
    public = forums["public"]
    make_topic(public, manager_user, "Fournisseurs de café")
    reader = client_for("elected")
    assert marks(reader, public, "Fournisseurs de café") == (True, True)

    reader.post(reverse("forum_tracking:mark_all_forums_read"))

    assert marks(reader, public, "Fournisseurs de café") == (False, False)


def test_following_a_forum_and_a_topic_shows_at_once_to_the_follower_only(
    client_for, neighbour, forums, manager_user
):
    public = forums["public"]
    topic = make_topic(public, manager_user, "Licence IV")
    reader = client_for("elected")
    for client in (reader, neighbour):
        assert "Suivre ce forum" in page(client, forum_url(public))
        assert "Suivre ce sujet" in page(client, topic_url(topic))

    reader.post(reverse("discussions:forum_follow", args=[public.pk]))
    reader.post(reverse("forum_member:topic_subscribe", args=[topic.pk]))

    assert "Ne plus suivre ce forum" in page(reader, forum_url(public))
    assert "Ne plus suivre ce sujet" in page(reader, topic_url(topic))
    assert "Ne plus suivre" not in page(neighbour, forum_url(public))
    assert "Ne plus suivre" not in page(neighbour, topic_url(topic))


def token_of_form(html: str, action: str) -> str:
    form = html.split(f'action="{action}"', 1)[1].split("</form>", 1)[0]
    return form.split('name="csrfmiddlewaretoken" value="', 1)[1].split('"', 1)[0]


def test_the_kept_actions_carry_each_readers_own_csrf_token(forums, manager_user):
    """The actions above a forum's topics and a topic's posts are rendered once for readers
    with the same rights: each reader's follow buttons post with their own token."""
    public = forums["public"]
    topic = make_topic(public, manager_user, "Marché du dimanche")
    follow_forum = reverse("discussions:forum_follow", args=[public.pk])
    follow_topic = reverse("forum_member:topic_subscribe", args=[topic.pk])
    readers = []
    for name in ("Paul Élu", "Rose Élue"):
        member = make_member(Role.ELECTED, display_name=name)
        client = Client(enforce_csrf_checks=True)
        client.force_login(member)
        tokens = (
            token_of_form(page(client, forum_url(public)), follow_forum),
            token_of_form(page(client, topic_url(topic)), follow_topic),
        )
        readers.append((member, client, tokens))
    for _member, client, (forum_token, topic_token) in readers:
        assert client.post(follow_forum, {"csrfmiddlewaretoken": forum_token}).status_code == 302
        assert client.post(follow_topic, {"csrfmiddlewaretoken": topic_token}).status_code == 302
        assert "Ne plus suivre ce forum" in page(client, forum_url(public))
        assert "Ne plus suivre ce sujet" in page(client, topic_url(topic))
    assert set(topic.subscribers.all()) == {member for member, _, _ in readers}


def test_a_visitor_signs_in_back_to_the_address_they_read(forums, manager_user):
    topic = make_topic(forums["public"], manager_user, "Fête du village")
    for address in (topic_url(topic), topic_url(topic) + "?page=1"):
        html = page(Client(), address)
        assert f'href="/comptes/login/?next={quote(address)}"' in html


def test_the_forum_bar_shows_each_reader_their_own_notifications_and_tools(
    client_for, neighbour, forums, elected_user, manager_user
):
    topic = make_topic(forums["public"], manager_user, "Terrasse")
    reader, staff = client_for("elected"), client_for("staff")

    def bar(client: Client) -> str:
        return (
            page(client, topic_url(topic))
            .split('class="forum-bar"')[1]
            .split('class="page-header"')[0]
        )

    for client in (reader, neighbour, staff):
        assert "non lue" not in bar(client)

    Notification.objects.create(
        recipient=elected_user,
        kind=NotificationKind.REPLY,
        post=add_post(topic, manager_user, "Autorisée jusqu'à 22 h."),
        actor=manager_user,
    )

    assert '1<span class="visually-hidden"> non lue</span>' in bar(reader)
    assert "non lue" not in bar(neighbour)
    assert "Signalements" in bar(staff) and "Signalements" not in bar(reader)


@pytest.mark.parametrize("outsider", ["manager", "anonymous"])
def test_a_private_area_stays_closed_once_its_pages_are_cached(
    client_for, forums, elected_user, outsider
):
    private = forums["elected"]
    topic = make_topic(private, elected_user, "Entre élu·es : les subventions")
    member = client_for("elected")
    assert private.name in page(member, reverse("forum:index"))
    assert "Entre élu·es" in page(member, forum_url(private))
    assert "Entre élu·es" in page(member, topic_url(topic))

    client = client_for(outsider)
    for url in (forum_url(private), topic_url(topic)):
        response = client.get(url)
        assert response.status_code == (403 if outsider == "manager" else 302)
        assert "Entre élu·es" not in response.content.decode()
    assert private.name not in page(client, reverse("forum:index"))
