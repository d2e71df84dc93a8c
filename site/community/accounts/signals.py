from __future__ import annotations

from allauth.account.signals import email_confirmed
from django.dispatch import receiver

from .services import notify_reviewers_of_application


@receiver(email_confirmed, dispatch_uid="accounts.notify_reviewers")
def application_ready_for_review(request, email_address, **kwargs) -> None:
    notify_reviewers_of_application(email_address.user)
