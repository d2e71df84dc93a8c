"""Subscriptions, mentions, in-app notifications, e-mails (immediate, digest) and unsubscribe."""

from __future__ import annotations

import re

import pytest
from django.core import mail
from django.test import Client
from django.urls import reverse

from forum import services
from forum.models import EmailFrequency, ForumSubscription, Notification, NotificationKind

from .conftest import make_topic

pytestmark = pytest.mark.django_db


def reply(client, topic, content: str):
    return client.post(
        reverse(
            "forum_conversation:post_create",
            args=[topic.forum.slug, topic.forum.pk, topic.slug, topic.pk],
        ),
        {"subject": f"Re: {topic.subject}", "content": content},
    )


def new_topic(client, forum, subject: str, content: str):
    return client.post(
        reverse("forum_conversation:topic_create", args=[forum.slug, forum.pk]),
        {"subject": subject, "content": content, "topic_type": 0},
    )


def links(body: str) -> list[str]:
    return re.findall(r"https?://\S+", body)


def test_a_reply_notifies_topic_followers_by_email_and_in_app(
    client_for, forums, elected_user, manager_user, django_capture_on_commit_callbacks
):
    topic = make_topic(forums["theme"], elected_user, subject="Fournisseurs de café")
    topic.subscribers.add(elected_user)
    with django_capture_on_commit_callbacks(execute=True):
        response = reply(client_for("manager"), topic, "Nous passons par une coopérative.")
    assert response.status_code == 302
    notification = Notification.objects.get(recipient=elected_user)
    assert notification.kind == NotificationKind.REPLY
    assert notification.emailed_at is not None
    [message] = mail.outbox
    assert message.to == [elected_user.email]
    assert "Nouvelle réponse à « Fournisseurs de café »" in message.subject
    assert manager_user.display_name in message.body
    assert manager_user.email not in message.body
    assert "Nous passons par une coopérative." in message.body
    # The replier now follows the topic; they are not notified of their own post.
    assert topic.subscribers.filter(pk=manager_user.pk).exists()
    assert not Notification.objects.filter(recipient=manager_user).exists()


def test_a_new_topic_notifies_forum_followers(
    client_for, forums, elected_user, django_capture_on_commit_callbacks
):
    services.follow_forum(elected_user, forums["theme"])
    with django_capture_on_commit_callbacks(execute=True):
        response = new_topic(client_for("manager"), forums["theme"], "Horaires", "Vos horaires ?")
    assert response.status_code == 302
    assert Notification.objects.get(recipient=elected_user).kind == NotificationKind.NEW_TOPIC
    [message] = mail.outbox
    assert "Nouveau sujet dans « Gestion du café » : Horaires" in message.subject


def test_followers_who_lost_access_are_not_notified(
    client_for, forums, manager_user, elected_user, django_capture_on_commit_callbacks
):
    topic = make_topic(forums["managers"], manager_user)
    topic.subscribers.add(manager_user, elected_user)  # e.g. a former manager, now elected
    with django_capture_on_commit_callbacks(execute=True):
        reply(client_for("staff"), topic, "Réponse de l'équipe")
    assert not Notification.objects.filter(recipient=elected_user).exists()
    assert [m.to for m in mail.outbox] == [[manager_user.email]]


def test_a_mention_notifies_the_member_who_may_read_the_forum(
    client_for, forums, elected_user, manager_user, partner_user, django_capture_on_commit_callbacks
):
    topic = make_topic(forums["elected"], elected_user)
    content = f"Bonjour @[{manager_user.display_name}] et @[{elected_user.display_name}]"
    with django_capture_on_commit_callbacks(execute=True):
        reply(client_for("staff"), topic, content)
    # The manager may not read the elected officials' area: no notification, no e-mail.
    assert not Notification.objects.filter(recipient=manager_user).exists()
    notification = Notification.objects.get(recipient=elected_user)
    assert notification.kind == NotificationKind.MENTION
    assert "vous a mentionné·e" in mail.outbox[0].subject

    public_topic = make_topic(forums["theme"], partner_user)
    with django_capture_on_commit_callbacks(execute=True):
        reply(client_for("elected"), public_topic, f"Voir @[{manager_user.display_name.lower()}]")
    assert Notification.objects.get(recipient=manager_user).kind == NotificationKind.MENTION


def test_an_edit_notifies_newly_mentioned_members_only(
    client_for, forums, elected_user, manager_user, django_capture_on_commit_callbacks
):
    topic = make_topic(forums["theme"], elected_user)
    post = topic.first_post
    url = reverse(
        "forum_conversation:topic_update",
        args=[topic.forum.slug, topic.forum.pk, topic.slug, topic.pk],
    )
    data = {"subject": topic.subject, "content": f"Merci @[{manager_user.display_name}]"}
    with django_capture_on_commit_callbacks(execute=True):
        assert client_for("elected").post(url, {**data, "topic_type": 0}).status_code == 302
        client_for("elected").post(url, {**data, "topic_type": 0})
    assert Notification.objects.filter(recipient=manager_user, post=post).count() == 1
    assert len(mail.outbox) == 1


def test_daily_digest_groups_notifications(
    client_for, forums, elected_user, manager_user, django_capture_on_commit_callbacks
):
    services.set_email_frequency(elected_user, EmailFrequency.DAILY)
    topic = make_topic(forums["theme"], elected_user, subject="Marché de producteurs")
    topic.subscribers.add(elected_user)
    with django_capture_on_commit_callbacks(execute=True):
        reply(client_for("manager"), topic, "Première réponse")
        reply(client_for("manager"), topic, "Deuxième réponse")
    # One notification per post, none e-mailed yet.
    assert Notification.objects.filter(recipient=elected_user, emailed_at=None).count() == 2
    assert mail.outbox == []
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_daily_digests() == 1
    [digest] = mail.outbox
    assert "2 nouveautés" in digest.subject
    assert digest.body.count("Marché de producteurs") == 2
    with django_capture_on_commit_callbacks(execute=True):
        assert services.send_daily_digests() == 0
    assert len(mail.outbox) == 1


def test_never_means_in_app_only(
    client_for, forums, elected_user, django_capture_on_commit_callbacks
):
    services.set_email_frequency(elected_user, EmailFrequency.NEVER)
    topic = make_topic(forums["theme"], elected_user)
    topic.subscribers.add(elected_user)
    with django_capture_on_commit_callbacks(execute=True):
        reply(client_for("manager"), topic, "Une réponse")
    services.send_daily_digests()
    assert mail.outbox == []
    assert Notification.objects.filter(recipient=elected_user).count() == 1


def test_unsubscribe_link_works_without_login(
    client, forums, elected_user, manager_user, client_for, django_capture_on_commit_callbacks
):
    topic = make_topic(forums["theme"], elected_user)
    topic.subscribers.add(elected_user)
    with django_capture_on_commit_callbacks(execute=True):
        reply(client_for("manager"), topic, "Une réponse")
    body = mail.outbox[0].body
    topic_link, all_link = [url for url in links(body) if "/desabonnement/" in url]
    path = re.sub(r"^https?://[^/]+", "", topic_link)
    # GET only asks (mail scanners open links); one POST unsubscribes.
    page = client.get(path)
    assert page.status_code == 200
    assert "ne plus suivre le sujet" in page.content.decode()
    assert topic.subscribers.filter(pk=elected_user.pk).exists()
    assert client.post(path).status_code == 200
    assert not topic.subscribers.filter(pk=elected_user.pk).exists()

    client.post(re.sub(r"^https?://[^/]+", "", all_link))
    assert services.preferences_for(elected_user).email_frequency == EmailFrequency.NEVER


def test_a_tampered_unsubscribe_link_changes_nothing(client, elected_user):
    token = services.unsubscribe_token(elected_user, "all") + "x"
    response = client.post(reverse("discussions:unsubscribe", args=[token]))
    assert response.status_code == 400
    assert "pas valide" in response.content.decode()
    assert services.preferences_for(elected_user).email_frequency == EmailFrequency.IMMEDIATE


def test_notification_list_unread_count_and_opening(
    client_for, forums, elected_user, manager_user, django_capture_on_commit_callbacks
):
    topic = make_topic(forums["theme"], elected_user, subject="Épicerie")
    topic.subscribers.add(elected_user)
    with django_capture_on_commit_callbacks(execute=True):
        reply(client_for("manager"), topic, "Une réponse")
    client = client_for("elected")
    page = client.get(reverse("discussions:notifications")).content.decode()
    assert "1 notification non lue" in page
    assert f"{manager_user.display_name} a répondu à" in page
    # The header shows the count on every page.
    assert "Notifications du forum" in client.get(reverse("forum:index")).content.decode()
    notification = Notification.objects.get(recipient=elected_user)
    response = client.get(reverse("discussions:open_notification", args=[notification.pk]))
    assert response.status_code == 302
    assert f"#message-{notification.post_id}" in response["Location"]
    assert services.unread_notification_count(elected_user) == 0
    # Someone else's notification is not theirs to open.
    other = client_for("partner").get(
        reverse("discussions:open_notification", args=[notification.pk])
    )
    assert other.status_code == 302
    assert other["Location"] == reverse("discussions:notifications")


def test_follow_and_unfollow_a_forum(client_for, forums, elected_user):
    client = client_for("elected")
    url = reverse("discussions:forum_follow", args=[forums["theme"].pk])
    client.post(url, {"action": "follow"})
    assert ForumSubscription.objects.filter(user=elected_user, forum=forums["theme"]).exists()
    client.post(url, {"action": "unfollow"})
    assert not ForumSubscription.objects.exists()
    # A forum one may not read cannot be followed.
    client.post(reverse("discussions:forum_follow", args=[forums["managers"].pk]))
    assert not ForumSubscription.objects.exists()


def test_preferences_page_changes_the_frequency(client_for, elected_user):
    client = client_for("elected")
    response = client.post(reverse("discussions:preferences"), {"email_frequency": "daily"})
    assert response.status_code == 302
    assert services.preferences_for(elected_user).email_frequency == EmailFrequency.DAILY
    response = client.post(reverse("discussions:preferences"), {"email_frequency": "hourly"})
    assert response.status_code == 200
    assert services.preferences_for(elected_user).email_frequency == EmailFrequency.DAILY


def one_click(message) -> str:
    """Check the RFC 8058 headers; return the path the mail client would POST to."""
    assert message.extra_headers["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"
    [url] = re.fullmatch(r"<(https?://\S+)>", message.extra_headers["List-Unsubscribe"]).groups()
    assert url in message.body  # the same link as the one in the text
    return re.sub(r"^https?://[^/]+", "", url)


def post_one_click(path: str):
    """What a mail client sends: no cookie, no CSRF token, only the RFC 8058 body."""
    return Client(enforce_csrf_checks=True).post(
        path, "List-Unsubscribe=One-Click", content_type="application/x-www-form-urlencoded"
    )


def test_one_click_unsubscribe_from_a_reply_email_stops_following_the_topic(
    client_for, forums, elected_user, django_capture_on_commit_callbacks
):
    topic = make_topic(forums["theme"], elected_user)
    topic.subscribers.add(elected_user)
    with django_capture_on_commit_callbacks(execute=True):
        reply(client_for("manager"), topic, "Une réponse")
    [message] = mail.outbox
    path = one_click(message)
    assert post_one_click(path).status_code == 200
    assert not topic.subscribers.filter(pk=elected_user.pk).exists()
    # Other e-mails keep coming: only this topic was left.
    assert services.preferences_for(elected_user).email_frequency == EmailFrequency.IMMEDIATE


def test_one_click_unsubscribe_from_a_new_topic_email_stops_following_the_forum(
    client_for, forums, elected_user, django_capture_on_commit_callbacks
):
    services.follow_forum(elected_user, forums["theme"])
    with django_capture_on_commit_callbacks(execute=True):
        new_topic(client_for("manager"), forums["theme"], "Horaires", "Vos horaires ?")
    assert post_one_click(one_click(mail.outbox[0])).status_code == 200
    assert not ForumSubscription.objects.filter(user=elected_user).exists()


def test_one_click_unsubscribe_from_a_mention_or_a_digest_stops_forum_emails(
    client_for, forums, elected_user, manager_user, django_capture_on_commit_callbacks
):
    topic = make_topic(forums["theme"], manager_user)
    with django_capture_on_commit_callbacks(execute=True):
        reply(client_for("manager"), topic, f"Bonjour @[{elected_user.display_name}]")
    [mention] = mail.outbox
    assert post_one_click(one_click(mention)).status_code == 200
    assert services.preferences_for(elected_user).email_frequency == EmailFrequency.NEVER

    services.set_email_frequency(manager_user, EmailFrequency.DAILY)
    with django_capture_on_commit_callbacks(execute=True):
        reply(client_for("elected"), topic, "Merci !")
    # The notification exists once the post's commit has run the fan-out task.
    services.send_daily_digests()
    digest = mail.outbox[-1]
    assert digest.to == [manager_user.email]
    assert post_one_click(one_click(digest)).status_code == 200
    manager_user.refresh_from_db()  # forgets the preferences cached by set_email_frequency
    assert services.preferences_for(manager_user).email_frequency == EmailFrequency.NEVER


def test_a_report_email_to_the_staff_has_no_unsubscribe_header(
    client_for, forums, elected_user, manager_user, staff_user, django_capture_on_commit_callbacks
):
    topic = make_topic(forums["theme"], manager_user)
    with django_capture_on_commit_callbacks(execute=True):
        services.report_post(elected_user, topic.first_post, "Publicité")
    [message] = mail.outbox
    assert "List-Unsubscribe" not in message.extra_headers
