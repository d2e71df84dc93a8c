"""Who may join which room: the one place where chat permissions are decided.

Rooms follow the forum areas by role (the chat never asks machina): `elus` is for elected
officials and staff, `gerants` for managers and staff, `reseau` for every approved member;
a direct conversation is for its two participants. Pending, refused or inactive accounts
join nothing.

Sockets live longer than the rights they were opened with: `session_member` reads the
member afresh (session store and database) for every frame a socket sends, and
`rights_changed` or a logout makes open sockets check again (see consumers.py).
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING

from django.conf import settings
from django.contrib.auth import HASH_SESSION_KEY, SESSION_KEY
from django.db.models import Q, QuerySet
from django.utils.crypto import constant_time_compare

from community.accounts.models import Role, User

from .models import Audience, Room

if TYPE_CHECKING:
    from django.contrib.auth.models import AnonymousUser

AUDIENCES_BY_ROLE: dict[str, tuple[str, ...]] = {
    Role.ELECTED: (Audience.ELECTED, Audience.NETWORK),
    Role.MANAGER: (Audience.MANAGERS, Audience.NETWORK),
    Role.STAFF: (Audience.ELECTED, Audience.MANAGERS, Audience.NETWORK),
    Role.PARTNER: (Audience.NETWORK,),
}


def is_chat_member(user: User | AnonymousUser) -> bool:
    return bool(user.is_authenticated and user.is_approved_member)


def session_member(session_key: str | None) -> User | None:
    """The active account signed in with this session now, or None once it signed out, was
    deactivated or deleted, or changed its password elsewhere.

    Read-only, unlike a request's authentication: a socket must not flush or cycle the
    session the member's pages use.
    """
    if not session_key:
        return None
    session = import_module(settings.SESSION_ENGINE).SessionStore(session_key).load()
    user_id, session_hash = session.get(SESSION_KEY), session.get(HASH_SESSION_KEY)
    if user_id is None or not session_hash:
        return None
    user = User.objects.filter(pk=user_id, is_active=True).first()
    if user is None:
        return None
    hashes = [user.get_session_auth_hash(), *user.get_session_auth_fallback_hash()]
    if not any(constant_time_compare(session_hash, known) for known in hashes):
        return None
    return user


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
