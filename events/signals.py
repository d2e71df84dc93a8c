"""A café's or a provider's calendar address changes with the people who may hold it.

The address is the only credential of a feed (calendar apps cannot log in), so whoever
stops being a manager of the café or the provider's account must stop receiving it: the
token rotates when the café's managers change (either side of the relation, `set()` and
`clear()` included), when a provider's account changes, and when the rights of a manager or
a provider's account change (accounts.rights). The remaining holders find the new address
on their calendars page. Rotation happens inside the change's transaction.
"""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_save, pre_save
from django.dispatch import receiver

from community.accounts.rights import rights_changed
from community.calendars.services import renew_owned
from community.places.models import Cafe

from .calendars import CAFE, PROVIDER
from .models import Provider


@receiver(m2m_changed, sender=Cafe.managers.through, dispatch_uid="events.managers_changed")
def rotate_after_managers_change(sender, instance, action, reverse, pk_set, **kwargs) -> None:
    if action in ("post_add", "post_remove") and pk_set:
        # reverse: instance is the member and pk_set their cafés; otherwise the other way.
        renew_owned(CAFE, pk_set if reverse else [instance.pk])
    elif action == "pre_clear":  # before: the cafés a member leaves are still listed
        cafes = instance.managed_cafes.values_list("pk", flat=True) if reverse else [instance.pk]
        renew_owned(CAFE, cafes)


@receiver(pre_save, sender=Provider, dispatch_uid="events.provider_account_before")
def _remember_account(sender, instance: Provider, raw: bool = False, **kwargs) -> None:
    if not raw and not instance._state.adding:
        instance._account_before = (
            sender.objects.filter(pk=instance.pk).values_list("account_id", flat=True).first()
        )


@receiver(post_save, sender=Provider, dispatch_uid="events.provider_account_changed")
def rotate_after_account_change(sender, instance: Provider, **kwargs) -> None:
    if "_account_before" not in instance.__dict__:
        return  # a new provider, or loaded from a fixture
    if instance.__dict__.pop("_account_before") != instance.account_id:
        renew_owned(PROVIDER, [instance.pk])


@receiver(rights_changed, dispatch_uid="events.rotate_after_rights_change")
def rotate_after_rights_change(sender, member, **kwargs) -> None:
    renew_owned(CAFE, member.managed_cafes.values_list("pk", flat=True))
    renew_owned(PROVIDER, member.providers.values_list("pk", flat=True))
