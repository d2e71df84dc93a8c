"""The one way the platform sends e-mail: rendered from templates, one message per
recipient, sent by the task worker after commit.

After commit, so a rolled-back action never announces itself; by the worker, so a slow or
unreachable SMTP server never holds a transaction open nor fails a request, and a failed
send is retried (community.background). One message per recipient: no member ever sees
another's address in To:.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlparse

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.message import make_msgid
from django.template.loader import render_to_string
from django.utils import translation
from django_tasks import task

from community.background import enqueue_on_commit


def render_email(template: str, context: dict[str, Any]) -> tuple[str, str]:
    context = {"site_url": settings.WAGTAILADMIN_BASE_URL, **context}
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"emails/{template}_subject.txt", context)
        body = render_to_string(f"emails/{template}_body.txt", context)
    subject = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + " ".join(subject.split())
    return subject, body


def message_id() -> str:
    """Chosen before the first attempt: a message the worker sends twice (killed after the
    SMTP server accepted it) reaches the recipient as one thread entry, folded by clients."""
    return make_msgid(domain=urlparse(settings.WAGTAILADMIN_BASE_URL).hostname or "localhost")


def deliver_email(
    subject: str, body: str, to: str, headers: dict[str, str] | None = None, connection=None
) -> None:
    """Send now, raising on failure; for code already running in the worker."""
    EmailMessage(
        subject, body, settings.DEFAULT_FROM_EMAIL, [to], headers=headers, connection=connection
    ).send()


@task()
def send_email(subject: str, body: str, to: str, headers: dict[str, str]) -> None:
    deliver_email(subject, body, to, headers)


def send_email_after_commit(
    template: str,
    to: list[str],
    context: dict[str, Any],
    headers: dict[str, str] | None = None,
) -> None:
    """Render now (the context may hold model instances), then enqueue one e-mail task per
    recipient when the transaction commits.

    headers: extra e-mail headers, such as List-Unsubscribe, for a one-recipient e-mail."""
    subject, body = render_email(template, context)
    send_message_after_commit(subject, body, to, headers)


def send_message_after_commit(
    subject: str, body: str, to: list[str], headers: dict[str, str] | None = None
) -> None:
    """A message rendered elsewhere (allauth's), sent the same way: one task per recipient,
    enqueued when the transaction commits."""
    for recipient in dict.fromkeys(to):
        enqueue_on_commit(
            send_email, subject, body, recipient, {**(headers or {}), "Message-ID": message_id()}
        )
