"""Who may join which room: the one place where chat permissions are decided.

Rooms follow the forum areas by role (the chat never asks machina): `elus` is for elected
officials and staff, `gerants` for managers and staff, `reseau` for every approved member;
a direct conversation is for its two participants. Pending, refused or inactive accounts
join nothing.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from community.accounts.models import Role

from .models import Audience, Room

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

    from community.accounts.models import User

AUDIENCES_BY_ROLE: dict[str, tuple[str, ...]] = {
    Role.ELECTED: (Audience.ELECTED, Audience.NETWORK),
    Role.MANAGER: (Audience.MANAGERS, Audience.NETWORK),
    Role.STAFF: (Audience.ELECTED, Audience.MANAGERS, Audience.NETWORK),
    Role.PARTNER: (Audience.NETWORK,),
}


def is_chat_member(user: User | AnonymousUser) -> bool:
    return bool(user.is_authenticated and user.is_approved_member)


def joinable_rooms(user: User | AnonymousUser) -> QuerySet[Room]:
    if not is_chat_member(user):
        return Room.objects.none()
    direct = Room.participants.through.objects.filter(user_id=user.pk).values("room_id")
    return Room.objects.filter(
        Q(audience__in=AUDIENCES_BY_ROLE.get(user.role, ()))
        | Q(audience=Audience.DIRECT, pk__in=direct)
    )


def can_join(user: User | AnonymousUser, room: Room) -> bool:
    if not is_chat_member(user):
        return False
    if room.is_direct:
        return room.participants.filter(pk=user.pk).exists()
    return room.audience in AUDIENCES_BY_ROLE.get(user.role, ())


def can_delete(user: User, author_id: int) -> bool:
    """Authors delete their own messages; staff moderate every room."""
    return user.pk == author_id or user.is_network_staff
