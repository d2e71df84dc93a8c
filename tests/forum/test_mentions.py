"""Mentions name exactly one member: by handle (what the suggestions insert) or by a display
name nobody else has; they are shown as the member's name and notify only readers."""

from __future__ import annotations

import pytest
from django.core import mail
from django.urls import reverse

from community.accounts.models import MembershipStatus, Role
from forum.markup import mentioned_members
from forum.mentions import handle, plain_text
from forum.models import Notification, NotificationKind
from tests.factories import make_cafe, make_member

from .conftest import make_topic
from .test_notifications import reply

pytestmark = pytest.mark.django_db


@pytest.fixture
def namesakes(db):
    """Two members with the same display name, in different roles and places."""
    return (
        make_member(Role.ELECTED, display_name="Alex Martin"),
        make_member(Role.MANAGER, display_name="Alex Martin", cafe=make_cafe(name="Chez Alex")),
    )


def topic_page(client, topic) -> str:
    return client.get(
        reverse(
            "forum_conversation:topic",
            args=[topic.forum.slug, topic.forum.pk, topic.slug, topic.pk],
        )
    ).content.decode()


def test_a_handle_notifies_exactly_the_member_among_namesakes(
    client_for, forums, staff_user, namesakes, django_capture_on_commit_callbacks
):
    elected, manager = namesakes
    topic = make_topic(forums["theme"], staff_user)
    with django_capture_on_commit_callbacks(execute=True):
        reply(client_for("staff"), topic, f"Qu'en pensez-vous, {handle(manager)} ?")
    assert Notification.objects.get(recipient=manager).kind == NotificationKind.MENTION
    assert not Notification.objects.filter(recipient=elected).exists()
    [message] = mail.outbox
    assert message.to == [manager.email]
    # The excerpt reads as text: the handle's id is not shown.
    assert "Qu'en pensez-vous, @Alex Martin ?" in message.body
    assert "#u" not in message.body


def test_a_plain_name_still_mentions_a_unique_member_and_never_namesakes(
    forums, elected_user, namesakes
):
    assert mentioned_members(f"Merci @[{elected_user.display_name}] !") == [elected_user]
    assert mentioned_members("Merci @[ alex   martin ] !") == []


def test_a_handle_to_a_member_who_may_not_read_the_forum_notifies_nobody(
    client_for, forums, elected_user, manager_user, django_capture_on_commit_callbacks
):
    topic = make_topic(forums["elected"], elected_user)
    with django_capture_on_commit_callbacks(execute=True):
        reply(client_for("staff"), topic, f"Voir {handle(manager_user)} et {handle(elected_user)}")
    assert not Notification.objects.filter(recipient=manager_user).exists()
    assert Notification.objects.get(recipient=elected_user).kind == NotificationKind.MENTION
    assert [m.to for m in mail.outbox] == [[elected_user.email]]


def test_a_mention_quoted_in_code_notifies_nobody(
    client_for, forums, elected_user, staff_user, django_capture_on_commit_callbacks
):
    topic = make_topic(forums["elected"], staff_user)
    quoted = f"Pour citer quelqu'un, tapez `{handle(elected_user)}`.\n\n    {handle(elected_user)}"
    assert mentioned_members(quoted) == []
    with django_capture_on_commit_callbacks(execute=True):
        reply(client_for("staff"), topic, quoted)
    assert not Notification.objects.filter(recipient=elected_user).exists()
    # Inside a link's text the mention still reads as one.
    assert mentioned_members(f"[Merci {handle(elected_user)}](/forum/)") == [elected_user]


def test_pending_and_unknown_members_cannot_be_mentioned(forums, pending_user):
    assert mentioned_members(f"{handle(pending_user)} @[Quelqu'un](#u999999)") == []


def test_the_topic_page_shows_the_members_name_linked_to_their_profile(
    client_for, forums, staff_user, namesakes
):
    _elected, manager = namesakes
    # The label is the author's; the page shows the mentioned member's real name.
    content = f"Bravo @[Le président](#u{manager.pk})"
    topic = make_topic(forums["public"], staff_user, content=content)
    page = topic_page(client_for("anonymous"), topic)
    profile = reverse("forum_member:profile", kwargs={"pk": manager.pk})
    assert f'Bravo <a class="mention" href="{profile}">@Alex Martin</a>' in page
    assert "Le président" not in page
    assert "#u" not in page


def test_an_unresolved_mention_stays_text(client_for, forums, staff_user, namesakes):
    topic = make_topic(forums["public"], staff_user, content="Bonjour @[Alex Martin] !")
    page = topic_page(client_for("anonymous"), topic)
    assert "Bonjour @[Alex Martin] !" in page
    assert 'class="mention"' not in page


def test_plain_text_shows_mentions_as_names():
    text = "Merci @[Jeanne  Martin](#u12) et @[Paul] !"
    assert plain_text(text) == "Merci @Jeanne Martin et @Paul !"


# Suggestions ------------------------------------------------------------------------------


def suggestions(client, **params) -> list[dict]:
    response = client.get(reverse("discussions:mention_suggestions"), params)
    assert response.status_code == 200
    return response.json()["members"]


def test_suggestions_tell_namesakes_apart_and_give_their_handle(client_for, namesakes):
    elected, manager = namesakes
    found = suggestions(client_for("staff"), q="alex mar")
    assert [member["mention"] for member in found] == [handle(elected), handle(manager)]
    details = [member["detail"] for member in found]
    assert details[0] == f"Élu·e, {elected.commune.name}"
    assert details[1] == "Gérant·e de café, Chez Alex – " + manager.commune.name
    assert all(member["name"] == "Alex Martin" for member in found)


def test_suggestions_in_a_forum_leave_out_who_may_not_read_it(client_for, forums, namesakes):
    elected, _manager = namesakes
    found = suggestions(client_for("staff"), q="Alex", forum=forums["elected"].pk)
    assert [member["mention"] for member in found] == [handle(elected)]


def test_suggestions_never_offer_pending_members_nor_oneself(client_for, elected_user):
    make_member(Role.MANAGER, display_name="Camille Roux", status=MembershipStatus.PENDING)
    assert suggestions(client_for("staff"), q="Camille") == []
    assert suggestions(client_for("elected"), q=elected_user.display_name[:5]) == []


@pytest.mark.parametrize("forum", ["abc", "999999", "-1"])
def test_suggestions_for_a_bad_forum_are_empty(client_for, namesakes, forum):
    assert suggestions(client_for("staff"), q="Alex", forum=forum) == []


def test_suggestions_for_a_forum_the_member_may_not_read_are_empty(client_for, forums, namesakes):
    assert suggestions(client_for("manager"), q="Alex", forum=forums["elected"].pk) == []


def test_the_reply_form_asks_suggestions_for_its_forum(client_for, forums, staff_user):
    topic = make_topic(forums["theme"], staff_user)
    page = client_for("elected").get(
        reverse(
            "forum_conversation:post_create",
            args=[topic.forum.slug, topic.forum.pk, topic.slug, topic.pk],
        )
    )
    source = reverse("discussions:mention_suggestions") + f"?forum={forums['theme'].pk}"
    assert f'data-mention-source="{source}"' in page.content.decode()
