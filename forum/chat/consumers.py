"""The websocket of a room, /ws/chat/<slug>/: parses frames, calls the services, relays.

Frames (JSON). Client → server: message {body}, sync {after}, edit {id, body}, delete {id}.
Server → client: history {messages} on connect and in answer to sync, message, edited,
deleted {id}, presence {members}, error {code, message}.

Refusals happen at the handshake: 4401 anonymous, 4403 not an approved member or not
allowed in the room, 4404 no such room (a foreign Origin is refused before, by
AllowedHostsOriginValidator in asgi.py).
"""

from __future__ import annotations

import asyncio
import json
import logging
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings

from . import presence, services
from .access import can_join
from .models import Room
from .services import ChatError

logger = logging.getLogger(__name__)

CLOSE_ANONYMOUS = 4401
CLOSE_FORBIDDEN = 4403
CLOSE_NOT_FOUND = 4404
MAX_FRAME_CHARS = 16_000  # a 2,000-character body in JSON, with room to spare


def _room(slug: str) -> Room | None:
    return Room.objects.filter(slug=slug).first()


class ChatConsumer(AsyncJsonWebsocketConsumer):
    room: Room
    last_id: int = 0  # highest message id this socket has been sent
    heartbeat: asyncio.Task | None = None

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
        await self.channel_layer.group_add(room.group_name, self.channel_name)
        await self.accept()
        await self.send_since(None)
        await database_sync_to_async(services.mark_read)(user, room, self.last_id)
        await self.update_presence(leaving=False)
        self.heartbeat = asyncio.create_task(self.beat())

    async def disconnect(self, code: int) -> None:
        if not hasattr(self, "room"):
            return
        if self.heartbeat is not None:
            self.heartbeat.cancel()
        try:
            await self.channel_layer.group_discard(self.room.group_name, self.channel_name)
        except Exception:
            logger.warning("chat: group_discard failed", exc_info=True)
        await self.update_presence(leaving=True)
        user = self.scope["user"]
        await database_sync_to_async(services.mark_read)(user, self.room, self.last_id)

    # ------------------------------------------------------------------------ client frames

    async def receive(self, text_data: str | None = None, bytes_data: bytes | None = None) -> None:
        if text_data is None or len(text_data) > MAX_FRAME_CHARS:
            await self.send_error(ChatError("invalid", "Trame refusée : texte JSON trop long."))
            return
        try:
            content = json.loads(text_data)
        except ValueError:
            await self.send_error(ChatError("invalid", "Trame refusée : JSON invalide."))
            return
        await self.receive_json(content)

    async def receive_json(self, content: Any, **kwargs: Any) -> None:
        kind = content.get("type") if isinstance(content, dict) else None
        user = self.scope["user"]
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
                after = content.get("after")
                if not isinstance(after, int) or isinstance(after, bool) or after < 0:
                    raise ChatError("invalid", "« after » doit être un identifiant de message.")
                await self.send_since(after)
            else:
                raise ChatError(
                    "invalid", "Type de trame inconnu : message, sync, edit ou delete attendu."
                )
        except ChatError as error:
            await self.send_error(error)

    # ------------------------------------------------------------------------ server frames

    async def chat_frame(self, event: dict[str, Any]) -> None:
        """A broadcast from services.broadcast or from another socket's presence change."""
        frame = event["frame"]
        if frame["type"] == "message":
            self.last_id = max(self.last_id, frame["id"])
        await self.send_json(frame)

    async def send_error(self, error: ChatError) -> None:
        await self.send_json(error.frame())

    async def send_since(self, after: int | None) -> None:
        """history: the last messages (after=None) or every message after an id."""
        if after is None:
            messages = await database_sync_to_async(services.latest)(self.room)
        else:
            messages = await database_sync_to_async(services.since)(self.room, after)
        if messages:
            self.last_id = max(self.last_id, messages[-1].pk)
        await self.send_json({"type": "history", "messages": [m.frame() for m in messages]})

    async def update_presence(self, *, leaving: bool) -> None:
        user = self.scope["user"]
        if leaving:
            members = await database_sync_to_async(presence.leave)(self.room.pk, self.channel_name)
        else:
            members = await database_sync_to_async(presence.enter)(
                self.room.pk, self.channel_name, user.pk, user.display_name
            )
        if members is None:
            return
        try:
            await self.channel_layer.group_send(
                self.room.group_name,
                {"type": "chat.frame", "frame": {"type": "presence", "members": members}},
            )
        except Exception:
            logger.warning("chat: presence broadcast failed", exc_info=True)

    async def beat(self) -> None:
        """Keep this socket listed as present, and deliver what a broadcast may have missed.

        A message stored while the channel layer was unreachable (a Redis restart) never
        reaches the sockets that stayed open: re-reading the room after the last id sent
        catches it up. Clients drop duplicates by id.
        """
        every = getattr(settings, "CHAT_HEARTBEAT_SECONDS", presence.REFRESH_EVERY)
        while True:
            await asyncio.sleep(every)
            try:
                await self.update_presence(leaving=False)
                missed = await database_sync_to_async(services.since)(self.room, self.last_id)
                if missed:
                    self.last_id = missed[-1].pk
                    await self.send_json(
                        {"type": "history", "messages": [m.frame() for m in missed]}
                    )
            except Exception:
                logger.warning("chat: heartbeat failed", exc_info=True)
