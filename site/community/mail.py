"""The one way the platform sends e-mail: rendered from templates, sent after commit.

Sending after commit means a rolled-back action never announces itself, and a slow SMTP
server never holds a database transaction open.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.db import transaction
from django.template.loader import render_to_string
from django.utils import translation


def render_email(template: str, context: dict[str, Any]) -> tuple[str, str]:
    with translation.override(settings.LANGUAGE_CODE):
        subject = render_to_string(f"emails/{template}_subject.txt", context)
        body = render_to_string(f"emails/{template}_body.txt", context)
    subject = settings.ACCOUNT_EMAIL_SUBJECT_PREFIX + " ".join(subject.split())
    return subject, body


def send_email_after_commit(
    template: str,
    to: list[str],
    context: dict[str, Any],
    headers: dict[str, str] | None = None,
    on_failure: Callable[[Exception], None] | None = None,
) -> None:
    """headers: extra e-mail headers, such as List-Unsubscribe for a one-recipient e-mail.
    on_failure: called with the error when sending fails (instead of raising it), for
    senders that record what was sent and must undo it."""
    context = {"site_url": settings.WAGTAILADMIN_BASE_URL, **context}
    subject, body = render_email(template, context)
    message = EmailMessage(subject, body, settings.DEFAULT_FROM_EMAIL, to, headers=headers)

    def send() -> None:
        if on_failure is None:
            message.send(fail_silently=False)
            return
        try:
            message.send(fail_silently=False)
        except Exception as error:  # SMTP errors come in many classes (OSError, smtplib)
            on_failure(error)

    transaction.on_commit(send)
