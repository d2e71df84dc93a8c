"""The daily digest is sent once per notification: not twice when two runs overlap, and
not lost when the mail server refuses it."""

from __future__ import annotations

import smtplib

import pytest
from django.core import mail
from django.core.mail.backends.base import BaseEmailBackend

from forum import services
from forum.models import EmailFrequency, Notification
from tests.concurrency import run_at_once

from .conftest import add_post, make_topic

pytestmark = pytest.mark.django_db(transaction=True)


class RefusingBackend(BaseEmailBackend):
    """A mail server that hangs up, as an SMTP outage does."""

    def send_messages(self, messages):
        raise smtplib.SMTPServerDisconnected("Connection unexpectedly closed")


@pytest.fixture
def waiting(forums, elected_user, manager_user):
    """Two notifications waiting for the elected member's daily digest."""
    services.set_email_frequency(elected_user, EmailFrequency.DAILY)
    topic = make_topic(forums["theme"], elected_user, subject="Marché de producteurs")
    topic.subscribers.add(elected_user)
    for text in ("Première réponse", "Deuxième réponse"):
        services.notify_post_published(add_post(topic, manager_user, text))
    assert Notification.objects.filter(recipient=elected_user, emailed_at=None).count() == 2
    mail.outbox.clear()
    return elected_user


def test_a_digest_the_mail_server_refuses_is_sent_by_the_next_run(waiting, settings):
    settings.EMAIL_BACKEND = "tests.forum.test_digest.RefusingBackend"
    services.send_daily_digests()
    # Nothing marked as sent: the next run tries again.
    assert Notification.objects.filter(recipient=waiting, emailed_at=None).count() == 2

    settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
    assert services.send_daily_digests() == 1
    [digest] = mail.outbox
    assert digest.to == [waiting.email]
    assert digest.body.count("Marché de producteurs") == 2
    assert not Notification.objects.filter(recipient=waiting, emailed_at=None).exists()


def test_two_runs_at_once_send_one_digest(waiting):
    run_at_once([services.send_daily_digests] * 2, timeout=30)
    assert [message.to for message in mail.outbox] == [[waiting.email]]
