"""Every write of the chat: messages, edits, deletions, direct conversations, read marks.

Each write is atomic and raises ChatError (a code for clients and a French message for the
member) and changes nothing when it refuses. A message is stored before anyone hears of it:
broadcasts leave through `broadcast`, after the transaction commits.
"""

from __future__ import annotations

import hashlib
import logging
from collections.abc import Container
from datetime import timedelta
from typing import Any

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.cache import cache
from django.db import transaction
from django.db.models import Max
from django.utils import timezone
from django.utils.translation import gettext as _

from community.accounts.models import User
from community.lib import ratelimit
from community.lib.refusals import DomainError

from . import relay
from .access import can_delete, can_join, is_chat_member
from .models import Audience, Message, MessageChange, ReadMark, Room

logger = logging.getLogger(__name__)

MAX_LENGTH = 2000
HISTORY_SIZE = 50
SYNC_LIMIT = 200
# How long the catch-up log of edits and deletions is kept (prune_chat_changes).
CHANGES_KEPT = timedelta(days=30)


class ChatError(DomainError):
    """A chat action that cannot be done; `message` is French and shown as is."""

    def __init__(self, code: str, message: str) -> None:
        super().__init__(message)
        self.code = code
        self.message = message

    def frame(self) -> dict[str, str]:
        return {"type": "error", "code": self.code, "message": self.message}


# ---------------------------------------------------------------------------- broadcasts


def broadcast(room: Room, frame: dict[str, Any], revision: int | None = None) -> None:
    """Send a frame to the room's sockets once the current transaction has committed.

    robust: if the channel layer is down the write still stands; clients catch up with
    `sync` (and consumers re-read the database periodically), so nothing is lost.
    """
    group = room.group_name
    message = relay.event(frame, revision)  # encoded once here, not once per socket

    def send() -> None:
        async_to_sync(get_channel_layer().group_send)(group, message)

    transaction.on_commit(send, robust=True)


def user_group(user_id: int) -> str:
    """The channel-layer group of every open socket of one member, in any room."""
    return f"chat.user.{user_id}"


def session_digest(session_key: str) -> str:
    """Names a session in channel-layer messages (Redis) without carrying the secret key."""
    return hashlib.sha256(session_key.encode()).hexdigest()


def recheck_sockets(user_id: int, *, signed_out_session: str | None = None) -> None:
    """Make the member's open sockets check their rights again once the change commits:
    each closes (4401 signed out, 4403 room no longer allowed) or stays open.

    `signed_out_session`: the session being signed out, whose sockets close whatever the
    session store still says (a logout signal comes before the session is flushed).
    """
    group = user_group(user_id)
    message = {
        "type": "chat.recheck",
        "session": session_digest(signed_out_session) if signed_out_session else None,
    }

    def send() -> None:
        async_to_sync(get_channel_layer().group_send)(group, message)

    transaction.on_commit(send, robust=True)


# ---------------------------------------------------------------------------- checks


def _clean_body(body: object) -> str:
    if not isinstance(body, str):
        raise ChatError("invalid", _("Le message doit être du texte."))
    body = body.replace("\r\n", "\n").strip()
    if not body:
        raise ChatError("empty", _("Le message est vide."))
    if len(body) > MAX_LENGTH:
        raise ChatError(
            "too_long",
            _("Le message est trop long : %(length)s caractères, %(max_length)s au maximum.")
            % {"length": len(body), "max_length": MAX_LENGTH},
        )
    if "\x00" in body:
        raise ChatError("invalid", _("Le message contient des caractères non autorisés."))
    return body


def _check_rate(user: User) -> None:
    limit, window = settings.CHAT_RATE_LIMIT
    if not ratelimit.allow("chat", user.pk, limit=limit, window=window):
        raise ChatError(
            "rate_limited",
            _(
                "Vous envoyez trop de messages : %(limit)s au plus toutes les "
                "%(window)s secondes. Patientez un instant."
            )
            % {"limit": limit, "window": window},
        )


def _check_member(user: User, room: Room) -> None:
    if not can_join(user, room):
        raise ChatError("forbidden", _("Vous n'avez pas accès à ce salon."))


def _message_in(room: Room, message_id: object) -> Message:
    """The room's message, locked for the rest of the transaction."""
    if not isinstance(message_id, int) or isinstance(message_id, bool):
        raise ChatError("invalid", _("Identifiant de message invalide."))
    message = (
        Message.objects.select_for_update()
        .select_related("author")
        .filter(room=room, pk=message_id)
        .first()
    )
    if message is None:
        raise ChatError("not_found", _("Ce message n'existe pas ou a été supprimé."))
    message.room = room
    return message


def _record_change(room: Room, message_id: int) -> int:
    """Log an edit or deletion under the room's lock; returns its revision."""
    # The lock (held until commit) orders a room's changes by id in commit order too.
    Room.objects.select_for_update().filter(pk=room.pk).values_list("pk", flat=True).get()
    return MessageChange.objects.create(room=room, message_id=message_id).pk


# ---------------------------------------------------------------------------- writes


def post_message(author: User, room: Room, body: object) -> Message:
    _check_member(author, room)
    text = _clean_body(body)
    _check_rate(author)
    with transaction.atomic():
        message = Message.objects.create(room=room, author=author, body=text)
        broadcast(room, message.frame())
    return message


def edit_message(user: User, room: Room, message_id: object, body: object) -> Message:
    _check_member(user, room)
    text = _clean_body(body)
    with transaction.atomic():
        message = _message_in(room, message_id)
        if message.author_id != user.pk:
            raise ChatError("forbidden", _("Vous ne pouvez modifier que vos propres messages."))
        message.body = text
        message.edited = timezone.now()
        message.save(update_fields=["body", "edited"])
        broadcast(room, message.frame("edited"), _record_change(room, message.pk))
    return message


def delete_message(user: User, room: Room, message_id: object) -> None:
    _check_member(user, room)
    with transaction.atomic():
        message = _message_in(room, message_id)
        if not can_delete(user, message.author_id):
            raise ChatError("forbidden", _("Vous ne pouvez supprimer que vos propres messages."))
        pk = message.pk
        message.delete()
        broadcast(room, {"type": "deleted", "id": pk}, _record_change(room, pk))


def open_direct_conversation(user: User, other: User) -> Room:
    """The one conversation between two approved members, created on first use."""
    if not is_chat_member(user) or not is_chat_member(other):
        raise ChatError("forbidden", _("Les conversations privées sont réservées aux membres."))
    if user.pk == other.pk:
        raise ChatError("invalid", _("Choisissez un autre membre que vous-même."))
    low, high = sorted((user.pk, other.pk))
    with transaction.atomic():
        # The slug is unique: two members opening the conversation at once share one room.
        room, _created = Room.objects.get_or_create(
            slug=f"direct-{low}-{high}",
            defaults={"name": "Conversation privée", "audience": Audience.DIRECT},
        )
        room.participants.add(user, other)
    return room


# How long the last read message known is kept: it spares reloading a room the read mark's
# query, and only ever tells that the mark is at least there (it never goes back).
READ_KNOWN_SECONDS = 600


def _read_known_key(user: User, room: Room) -> str:
    return f"chat:read:{user.pk}:{room.pk}"


def mark_read(user: User, room: Room, up_to: int | None = None) -> None:
    """Remember the last message seen (the latest one when `up_to` is None); never goes back."""
    if up_to is None:
        up_to = room.messages.order_by("-id").values_list("id", flat=True).first() or 0
    key = _read_known_key(user, room)
    known = cache.get(key)
    if known is not None and known >= up_to:
        return
    mark, created = ReadMark.objects.get_or_create(
        room=room, user=user, defaults={"last_read_id": up_to}
    )
    if not created and mark.last_read_id < up_to:
        ReadMark.objects.filter(pk=mark.pk, last_read_id__lt=up_to).update(last_read_id=up_to)
    reached = max(up_to, mark.last_read_id)
    transaction.on_commit(lambda: cache.set(key, reached, READ_KNOWN_SECONDS))


# ---------------------------------------------------------------------------- reads


def latest(room: Room, before: int | None = None, size: int = HISTORY_SIZE) -> list[Message]:
    """The `size` messages before `before` (or the newest), oldest first; one query."""
    messages = room.messages.select_related("author").order_by("-id")
    if before is not None:
        messages = messages.filter(id__lt=before)
    page = list(messages[:size])
    page.reverse()
    for message in page:
        message.room = room
    return page


def since(room: Room, after: int, size: int = SYNC_LIMIT) -> list[Message]:
    """Messages after id `after`, oldest first, at most `size` (ask again for more)."""
    page = list(room.messages.select_related("author").filter(id__gt=after).order_by("id")[:size])
    for message in page:
        message.room = room
    return page


def _revision_and_pruned(room: Room) -> tuple[int, int]:
    latest, pruned = (
        Room.objects.filter(pk=room.pk)
        .annotate(latest=Max("changes__id"))
        .values_list("latest", "changes_pruned_through")
        .get()
    )
    return max(latest or 0, pruned), pruned


def revision(room: Room) -> int:
    """The room's latest change (0 before any edit or deletion), pruned ones included."""
    return _revision_and_pruned(room)[0]


def changes(
    room: Room, since: int, size: int = SYNC_LIMIT, sent: Container[int] = ()
) -> tuple[list[dict[str, Any]], int] | None:
    """`edited` and `deleted` frames for what changed after revision `since`, each message
    once in its present state, and the revision they bring the client to; None when the
    log no longer goes back to `since` (pruned): the client must take the room afresh.
    Revisions in `sent` were already sent by their broadcast and bring no frame.

    Reads `size` changes per query until none is left: edits and deletions are rare, and a
    client that has them all can trust its cursor.
    """
    if since < _revision_and_pruned(room)[1]:
        return None
    frames: dict[int, dict[str, Any]] = {}  # message id -> frame, in order of last change
    while True:
        batch = list(
            room.changes.filter(id__gt=since).order_by("id").values_list("id", "message_id")[:size]
        )
        if not batch:
            return list(frames.values()), since
        since = batch[-1][0]
        batch_size = len(batch)
        batch = [(revision, message_id) for revision, message_id in batch if revision not in sent]
        ids = {message_id for _revision, message_id in batch}
        alive = {m.pk: m for m in room.messages.select_related("author").filter(pk__in=ids)}
        for _revision, message_id in batch:
            frames.pop(message_id, None)
            message = alive.get(message_id)
            if message is None:
                frames[message_id] = {"type": "deleted", "id": message_id}
            else:
                message.room = room
                frames[message_id] = message.frame("edited")
        if batch_size < size:
            return list(frames.values()), since


# ---------------------------------------------------------------------------- upkeep


def prune_changes(kept: timedelta = CHANGES_KEPT) -> int:
    """Delete the edits and deletions logged before `kept` ago; returns how many.

    Each room is pruned under its row lock, like edits and deletions, and remembers up to
    which revision: a client whose cursor is older gets the room afresh instead of a
    partial catch-up.
    """
    cutoff = timezone.now() - kept
    removed = 0
    rooms = MessageChange.objects.filter(created__lt=cutoff).values_list("room_id", flat=True)
    for room_id in set(rooms):
        with transaction.atomic():
            room = Room.objects.select_for_update().get(pk=room_id)
            through = room.changes.filter(created__lt=cutoff).aggregate(Max("id"))["id__max"]
            if through is None:
                continue
            count, _deleted = room.changes.filter(id__lte=through).delete()
            removed += count
            room.changes_pruned_through = max(room.changes_pruned_through, through)
            room.save(update_fields=["changes_pruned_through"])
    return removed
