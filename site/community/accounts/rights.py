"""`rights_changed`: a member's rights changed, so whatever the old rights opened must close.

Sent inside the saving transaction when an account's role, membership status or activity
changes (whoever saves it: membership review, the admin, a script), and before an account is
deleted. Receivers revoke what the member held (chat sockets, calendar addresses); those that
reach outside the database wait for the commit themselves. Queryset `update()` sends nothing:
change these fields through `save()`.
"""

from __future__ import annotations

from django.db.models.signals import post_save, pre_delete, pre_save
from django.dispatch import Signal, receiver

from .models import User

RIGHTS_FIELDS = ("role", "membership_status", "is_active")

# Arguments: sender (the User class), member (the account, as saved or about to be deleted).
rights_changed = Signal()


@receiver(pre_save, sender=User, dispatch_uid="accounts.rights_before_save")
def _remember_rights(sender, instance: User, raw: bool = False, update_fields=None, **kwargs):
    instance._rights_before = None
    if raw or instance._state.adding:
        return
    if update_fields is not None and not set(RIGHTS_FIELDS) & set(update_fields):
        return  # a login stamp or a profile edit: no rights involved, no query
    instance._rights_before = (
        sender.objects.filter(pk=instance.pk).values_list(*RIGHTS_FIELDS).first()
    )


@receiver(post_save, sender=User, dispatch_uid="accounts.rights_after_save")
def _announce_change(sender, instance: User, **kwargs) -> None:
    before = instance.__dict__.pop("_rights_before", None)
    if before is not None and before != tuple(getattr(instance, f) for f in RIGHTS_FIELDS):
        rights_changed.send(sender=sender, member=instance)


@receiver(pre_delete, sender=User, dispatch_uid="accounts.rights_before_delete")
def _announce_deletion(sender, instance: User, **kwargs) -> None:
    # Before: receivers still see what the account managed (cascades remove it next).
    rights_changed.send(sender=sender, member=instance)
