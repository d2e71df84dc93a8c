"""The websocket of a room, /ws/chat/<slug>/: parses frames, calls the services, relays.

Frames (JSON). Client → server: message {body}, sync {after, since?}, edit {id, body},
delete {id}. Server → client: history {messages} on connect and in answer to sync, message,
edited, deleted {id}, presence {members}, error {code, message}.

Catching up after a drop: `sync` answers with the messages after id `after`. With `since`
(a revision: the room's edits and deletions are numbered), it first sends an `edited` or
`deleted` frame for every message changed after that revision, then the history frame
carries `revision`, the cursor for the next `sync`. A page gives its revision in
`data-revision`; frames may come twice, clients apply them by id. Edits and deletions are
logged for 30 days (`manage.py prune_chat_changes`): to a `since` older than that, the
answer is a history frame with `reset: true`, the latest messages and the current revision,
which replace what the client shows.

Refusals happen at the handshake: 4401 anonymous, 4403 not an approved member or not
allowed in the room, 4404 no such room (a foreign Origin is refused before, by
AllowedHostsOriginValidator in asgi.py).

An open socket keeps only the rights its member has now: every frame the client sends is
checked against the session store and the database first (not the user the socket opened
with), and a logout, a deactivation or a change of role or membership makes the member's
sockets (their per-user group) check at once. A socket whose member signed out or was
deactivated closes with 4401, one whose member may no longer be in the room with 4403.
"""

from __future__ import annotations

import asyncio
import json
import logging
from collections.abc import Container
from dataclasses import dataclass, field
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings
from django.utils.translation import gettext as _

from community.accounts.models import User

from . import presence, relay, services
from .access import can_join, session_member
from .models import Room
from .services import ChatError

logger = logging.getLogger(__name__)

CLOSE_ANONYMOUS = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_NOT_FOUND = 4404
MAX_FRAME_CHARS = 16_000  # a 2,000-character body in JSON, with room to spare


def _room(slug: str) -> Room | None:
    return Room.objects.filter(slug=slug).first()


def _current_rights(session_key: str | None, room: Room) -> tuple[User | None, int | None]:
    """The member as they are now, or the close code saying why the socket must close."""
    user = session_member(session_key)
    if user is None:
        return None, CLOSE_ANONYMOUS
    if not can_join(user, room):
        return None, CLOSE_FORBIDDEN
    return user, None


def _cursor(content: dict, name: str, required: bool) -> int | None:
    value = content.get(name)
    if value is None and not required:
        return None
    if not isinstance(value, int) or isinstance(value, bool) or value < 0:
        raise ChatError("invalid", _("« %(name)s » doit être un entier ≥ 0.") % {"name": name})
    return value


@dataclass
class Sent:
    """What a socket has been sent of one of its room's numbered streams (message ids, or
    the revisions of edits and deletions): every number up to `through`, read from the
    database, and the numbers above it that broadcasts brought.

    Broadcasts are no cursor: while Redis restarts one can be lost and the next one arrive,
    and the highest number sent would then jump over the lost one for good.
    """

    through: int = 0
    above: set[int] = field(default_factory=set)

    def add(self, number: int) -> None:
        if number > self.through:
            self.above.add(number)

    def read(self, after: int, reached: int | None, numbers: list[int]) -> None:
        """Everything in (after, reached] was read from the database and sent, `numbers`
        among it."""
        if reached is None:
            return
        if after <= self.through:
            self.through = max(self.through, reached)
            self.above = {number for number in self.above if number > self.through}
        else:
            self.above.update(numbers)

    @property
    def highest(self) -> int:
        return max(self.above, default=self.through)

    def snapshot(self) -> tuple[int, frozenset[int]]:
        """For a thread: the event loop keeps adding while the database is read."""
        return self.through, frozenset(self.above)


@dataclass
class CatchUp:
    changes: list[dict]  # edited and deleted frames
    revision: int  # the revision they bring the client to
    messages: list
    reached: int | None  # the highest message id read
    reset: bool  # the client's revision is older than the pruned log: take the room afresh


def _catch_up(
    room: Room,
    after: int | None,
    since: int | None,
    sent_messages: Container[int] = (),
    sent_changes: Container[int] = (),
) -> CatchUp:
    """Change frames after revision `since`, then the messages after id `after` (the latest
    ones when None), leaving out what `sent_*` holds; one thread hop for the consumer."""
    caught_up = services.changes(room, since, sent=sent_changes) if since is not None else None
    reset = since is not None and caught_up is None
    if caught_up is None:
        # Read before the messages: a change committed in between is sent again, not lost.
        caught_up = [], services.revision(room)
    fresh = reset or after is None  # the latest messages, all of them: they replace the view
    messages = services.latest(room) if fresh else services.since(room, after)
    reached = messages[-1].pk if messages else None
    if not fresh:
        messages = [message for message in messages if message.pk not in sent_messages]
    return CatchUp(*caught_up, messages, reached, reset)


class ChatConsumer(relay.BroadcastRelay, AsyncJsonWebsocketConsumer):
    room: Room
    messages_sent: Sent
    changes_sent: Sent
    heartbeat: asyncio.Task | None = None
    session_key: str | None = None
    closing: bool = False  # rights lost: the socket is on its way out

    async def connect(self) -> None:
        user = self.scope["user"]
        if not user.is_authenticated:
            await self.close(code=CLOSE_ANONYMOUS)
            return
        room = await database_sync_to_async(_room)(self.scope["url_route"]["kwargs"]["slug"])
        if room is None:
            await self.close(code=CLOSE_NOT_FOUND)
            return
        if not await database_sync_to_async(can_join)(user, room):
            await self.close(code=CLOSE_FORBIDDEN)
            return
        self.room = room
        self.messages_sent, self.changes_sent = Sent(), Sent()
        self.session_key = self.scope["session"].session_key
        await self.channel_layer.group_add(room.group_name, self.channel_name)
        await self.channel_layer.group_add(services.user_group(user.pk), self.channel_name)
        await self.accept()
        await self.send_since(None, None)
        await database_sync_to_async(services.mark_read)(user, room, self.last_id)
        await self.update_presence(joining=True)
        self.heartbeat = asyncio.create_task(self.beat())

    async def disconnect(self, code: int) -> None:
        if not hasattr(self, "room") or self.closing:  # close_for has left already
            return
        await self.leave()
        user = self.scope["user"]
        await database_sync_to_async(services.mark_read)(user, self.room, self.last_id)

    @property
    def last_id(self) -> int:
        """The highest message id this socket has been sent: the member's read mark."""
        return self.messages_sent.highest

    async def leave(self) -> None:
        """Stop hearing the room and the member's group, and drop out of the presence list."""
        if self.heartbeat is not None:
            self.heartbeat.cancel()
            self.heartbeat = None
        groups = (self.room.group_name, services.user_group(self.scope["user"].pk))
        for group in groups:
            try:
                await self.channel_layer.group_discard(group, self.channel_name)
            except Exception:
                logger.warning("chat: group_discard failed", exc_info=True)
        await self.update_presence(leaving=True)

    async def close_for(self, code: int) -> None:
        """Close a socket whose member lost the rights it was opened with."""
        if self.closing:
            return
        self.closing = True
        await self.leave()
        await self.close(code=code)

    async def current_member(self) -> User | None:
        """The member with their rights as they are now; None when the socket had to close."""
        user, code = await database_sync_to_async(_current_rights)(self.session_key, self.room)
        if code is not None:
            await self.close_for(code)
        return user

    # ------------------------------------------------------------------------ client frames

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if text_data is None or len(text_data) > MAX_FRAME_CHARS:
            await self.send_error(ChatError("invalid", _("Trame refusée : texte JSON trop long.")))
            return
        try:
            content = json.loads(text_data)
        except ValueError:
            await self.send_error(ChatError("invalid", _("Trame refusée : JSON invalide.")))
            return
        await self.receive_json(content)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        if self.closing:
            return
        user = await self.current_member()
        if user is None:
            return
        kind = content.get("type") if isinstance(content, dict) else None
        try:
            if kind == "message":
                await database_sync_to_async(services.post_message)(
                    user, self.room, content.get("body")
                )
            elif kind == "edit":
                await database_sync_to_async(services.edit_message)(
                    user, self.room, content.get("id"), content.get("body")
                )
            elif kind == "delete":
                await database_sync_to_async(services.delete_message)(
                    user, self.room, content.get("id")
                )
            elif kind == "sync":
                after = _cursor(content, "after", required=True)
                await self.send_since(after, _cursor(content, "since", required=False))
            else:
                raise ChatError(
                    "invalid", _("Type de trame inconnu : message, sync, edit ou delete attendu.")
                )
        except ChatError as error:
            await self.send_error(error)

    # ------------------------------------------------------------------------ server frames

    async def chat_frame(self, event: dict[str, Any]) -> None:
        """A broadcast from services.broadcast or from another socket's presence change."""
        if self.closing:
            return
        if event["message_id"] is not None:
            self.messages_sent.add(event["message_id"])
        if event["revision"] is not None:
            self.changes_sent.add(event["revision"])
        await super().chat_frame(event)

    async def chat_recheck(self, event: dict[str, Any]) -> None:
        """From services.recheck_sockets: the member signed out or their rights changed."""
        if self.closing:
            return
        signed_out = event["session"]
        if self.session_key and signed_out == services.session_digest(self.session_key):
            await self.close_for(CLOSE_ANONYMOUS)
            return
        await self.current_member()

    async def send_error(self, error: ChatError) -> None:
        await self.send_json(error.frame())

    async def send_since(
        self, after: int | None, since: int | None, *, missed_only: bool = False
    ) -> None:
        """Changes after revision `since` if given, then history: the last messages
        (after=None) or every message after an id.

        `missed_only` (the heartbeat): what broadcasts did not bring since the socket last
        read the room, nothing when nothing was missed, and no revision in the history
        frame: a client moves its cursor only on the answer to its own sync.
        """
        sent_messages = sent_changes = frozenset()
        if missed_only:
            after, sent_messages = self.messages_sent.snapshot()
            since, sent_changes = self.changes_sent.snapshot()
        caught = await database_sync_to_async(_catch_up)(
            self.room, after, since, sent_messages, sent_changes
        )
        messages, revision, reset = caught.messages, caught.revision, caught.reset
        fresh = after is None or reset  # the latest messages in their present state
        pks = [message.pk for message in messages]
        self.messages_sent.read(0 if fresh else after, caught.reached, pks)
        if fresh or since is not None:
            self.changes_sent.read(0 if fresh else since, revision, [])
        if missed_only and not caught.changes and not messages and not reset:
            return
        for frame in caught.changes:
            await self.send_json(frame)
        history: dict[str, Any] = {"type": "history", "messages": [m.frame() for m in messages]}
        if reset:
            # The latest messages replace what the client shows; it resumes from here.
            history["reset"] = True
            history["revision"] = revision
        elif since is not None and not missed_only:
            history["revision"] = revision
        await self.send_json(history)

    async def update_presence(self, *, leaving: bool = False, joining: bool = False) -> None:
        """Announce the room's members when the list changed; a joining socket gets it anyway."""
        user = self.scope["user"]
        if leaving:
            update = await database_sync_to_async(presence.leave)(self.room.pk, self.channel_name)
        else:
            update = await database_sync_to_async(presence.enter)(
                self.room.pk, self.channel_name, user.pk, user.display_name
            )
        if update is None:
            return
        members, changed = update
        frame = {"type": "presence", "members": members}
        if not changed:
            if joining:
                await self.send_json(frame)
            return
        try:
            await self.channel_layer.group_send(self.room.group_name, relay.event(frame))
        except Exception:
            logger.warning("chat: presence broadcast failed", exc_info=True)

    async def beat(self) -> None:
        """Keep this socket listed as present, and deliver what a broadcast may have missed.

        A message stored, edited or deleted while the channel layer was unreachable (a
        Redis restart) never reaches the sockets that stayed open: re-reading the room
        after the last id and revision sent catches them up. Clients apply frames by id.
        """
        every = settings.CHAT_HEARTBEAT_SECONDS
        while True:
            await asyncio.sleep(every)
            try:
                await self.update_presence()
                await self.send_since(None, None, missed_only=True)
            except Exception:
                logger.warning("chat: heartbeat failed", exc_info=True)
