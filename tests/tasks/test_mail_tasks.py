"""Every e-mail is a task: one message per recipient, sent by the worker after commit. With
the SMTP server down, requests answer normally and the e-mails arrive once it is back."""

from __future__ import annotations

import time

import pytest
from django.core import mail
from django.urls import reverse
from django.utils import timezone
from django_tasks import TaskResultStatus

from community.accounts.models import Role
from forum import services as forum
from forum.models import EmailFrequency, Notification
from tests.background import run_worker, tasks
from tests.factories import make_member
from tests.forum.conftest import add_post, make_topic

pytestmark = pytest.mark.django_db(transaction=True)


def sent_once_smtp_is_back(smtp):
    """SMTP comes back; once every task put back in the queue is due again (back-off of
    0.2 s, 0.4 s…), the worker sends the one message that was waiting."""
    smtp.start()
    pending = [r.run_after for r in tasks() if r.status == TaskResultStatus.READY]
    if pending:
        time.sleep(max((max(pending) - timezone.now()).total_seconds(), 0) + 0.05)
    run_worker()
    [message] = smtp.messages
    return message


def header(message, name: str) -> str:
    """As a mail client shows it (Django folds long encoded headers from their start)."""
    return str(message[name]).strip()


def test_an_approval_answers_while_smtp_is_down_and_the_mail_arrives_once_it_is_back(
    database_tasks, smtp, client_for, pending_user
):
    smtp.stop()
    response = client_for("staff").post(f"/admin/adhesions/{pending_user.pk}/valider/")
    assert response.status_code == 302
    pending_user.refresh_from_db()
    assert pending_user.is_approved_member

    run_worker()
    [task] = tasks("send_email")
    assert task.status == TaskResultStatus.READY  # failed once, queued again for later
    assert smtp.messages == []

    message = sent_once_smtp_is_back(smtp)
    assert header(message, "To") == pending_user.email
    assert header(message, "Subject") == "[1000 cafés] Votre adhésion au réseau est validée"
    run_worker()  # nothing left to send twice
    assert len(smtp.messages) == 1


def test_a_reply_answers_while_smtp_is_down_and_followers_get_it_once_smtp_is_back(
    database_tasks,
    smtp,
    client_for,
    forums,
    elected_user,
    manager_user,
):
    topic = make_topic(forums["theme"], elected_user, subject="Fournisseurs de café")
    topic.subscribers.add(elected_user)
    smtp.stop()
    url = reverse(
        "forum_conversation:post_create",
        args=[topic.forum.slug, topic.forum.pk, topic.slug, topic.pk],
    )
    response = client_for("manager").post(
        url, {"subject": "Re: Fournisseurs de café", "content": "Une coopérative."}
    )
    assert response.status_code == 302
    # The request only enqueued the fan-out: the worker notifies.
    assert not Notification.objects.exists()
    [fan_out] = tasks("fan_out_notifications")

    run_worker()
    fan_out.refresh_from_db()
    assert fan_out.status == TaskResultStatus.SUCCESSFUL
    notification = Notification.objects.get(recipient=elected_user)
    assert notification.emailed_at is None  # not marked while the e-mail has not left
    [email_task] = tasks("email_notification")
    assert email_task.status == TaskResultStatus.READY

    message = sent_once_smtp_is_back(smtp)
    assert header(message, "To") == elected_user.email
    assert "Fournisseurs de café" in header(message, "Subject")
    assert header(message, "List-Unsubscribe").startswith("<http")
    assert header(message, "List-Unsubscribe-Post") == "List-Unsubscribe=One-Click"
    notification.refresh_from_db()
    assert notification.emailed_at is not None


def test_a_digest_refused_by_smtp_is_retried_by_its_task_and_sent_once(
    database_tasks,
    smtp,
    forums,
    elected_user,
    manager_user,
):
    forum.set_email_frequency(elected_user, EmailFrequency.DAILY)
    topic = make_topic(forums["theme"], elected_user, subject="Marché de producteurs")
    topic.subscribers.add(elected_user)
    forum.notify_post_published(add_post(topic, manager_user, "Première réponse"))
    run_worker()
    smtp.stop()
    assert forum.send_daily_digests() == 1
    run_worker()
    # Refused: the notifications are not marked e-mailed, the task waits for a retry.
    assert Notification.objects.filter(recipient=elected_user, emailed_at=None).count() == 1
    [digest_task] = tasks("send_member_digest")
    assert digest_task.status == TaskResultStatus.READY

    message = sent_once_smtp_is_back(smtp)
    assert header(message, "To") == elected_user.email
    assert "Marché de producteurs" in message.get_payload(decode=True).decode()
    assert not Notification.objects.filter(recipient=elected_user, emailed_at=None).exists()
    assert forum.send_daily_digests() == 0


def test_one_message_per_recipient_never_a_shared_to(forums, elected_user, manager_user):
    staff = [make_member(Role.STAFF, email=f"equipe{n}@example.org") for n in (1, 2)]
    topic = make_topic(forums["theme"], manager_user)
    post = topic.first_post
    forum.report_post(elected_user, post, "Propos déplacés")
    assert sorted(message.to for message in mail.outbox) == [[s.email] for s in staff]
    message_ids = {message.extra_headers["Message-ID"] for message in mail.outbox}
    assert len(message_ids) == 2


def test_a_password_reset_answers_while_smtp_is_down_and_the_link_arrives_once_it_is_back(
    database_tasks, smtp, client, elected_user
):
    """allauth's e-mails go through the worker too: with SMTP down, the reset used to
    answer 500 (found by scripts/prod-smoke.sh)."""
    smtp.stop()
    response = client.post("/comptes/password/reset/", {"email": elected_user.email})
    assert response.status_code == 302

    run_worker()
    assert smtp.messages == []
    message = sent_once_smtp_is_back(smtp)
    assert header(message, "To") == elected_user.email
    assert "/comptes/password/reset/key/" in message.get_payload(decode=True).decode()
