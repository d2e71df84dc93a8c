"""Open sockets follow their member's rights: a logout or a change of role, membership or
activity makes them check again (services.recheck_sockets)."""

from __future__ import annotations

from django.contrib.auth.signals import user_logged_out
from django.dispatch import receiver

from community.accounts.rights import rights_changed

from .services import recheck_sockets


@receiver(user_logged_out, dispatch_uid="chat.close_signed_out_sockets")
def close_signed_out_sockets(sender, request, user, **kwargs) -> None:
    if user is not None:
        recheck_sockets(user.pk, signed_out_session=request.session.session_key)


@receiver(rights_changed, dispatch_uid="chat.recheck_sockets")
def recheck_after_rights_change(sender, member, **kwargs) -> None:
    recheck_sockets(member.pk)
