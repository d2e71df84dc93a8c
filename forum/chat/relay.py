"""How a room broadcast reaches its sockets: encoded once, relayed to each socket as is.

Kept free of models so bench/chat.py measures the production path without a database.
A broadcast to n sockets costs n handler calls in each worker, so nothing per recipient may
be expensive: the frame is JSON-encoded once by the sender, and the relay skips Channels'
per-message `close_old_connections` thread hop (the handler never touches the database).
"""

from __future__ import annotations

import json
from typing import Any

EVENT_TYPE = "chat.frame"


def event(frame: dict[str, Any], revision: int | None = None) -> dict[str, Any]:
    """The channel-layer message for a frame: its JSON text, the id of a new message and the
    revision of an edit or deletion (consumers keep both as catch-up cursors)."""
    return {
        "type": EVENT_TYPE,
        "text": json.dumps(frame, ensure_ascii=False),
        "message_id": frame["id"] if frame["type"] == "message" else None,
        "revision": revision,
    }


class BroadcastRelay:
    """Mixin for a websocket consumer that joins room groups and relays their broadcasts."""

    async def dispatch(self, message: dict[str, Any]) -> None:
        # Channels' dispatch runs close_old_connections in a thread before every handler:
        # n thread hops, one at a time, per broadcast. Broadcasts do not use the database;
        # every other message keeps Channels' behaviour.
        if message["type"] == EVENT_TYPE:
            await self.chat_frame(message)
        else:
            await super().dispatch(message)

    async def chat_frame(self, event: dict[str, Any]) -> None:
        await self.send(text_data=event["text"])
