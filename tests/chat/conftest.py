"""Shared helpers of the chat tests: rooms, messages, logged-in websocket communicators."""

from __future__ import annotations

import os

import pytest
import pytest_asyncio
from asgiref.sync import sync_to_async
from channels.testing import WebsocketCommunicator
from django.db import connections
from django.test import Client

from community.accounts.models import User
from forum.chat.models import Message, Room
from forum.chat.rooms import ensure_rooms

ORIGIN = b"http://localhost"
REDIS_URL = os.environ.get("TEST_REDIS_URL") or os.environ.get(
    "REDIS_URL", "redis://127.0.0.1:6379/0"
)

# The layers every consumer test runs on: in-memory here, both Redis layers with real Redis.
LAYERS = {
    "memory": {"BACKEND": "channels.layers.InMemoryChannelLayer"},
    "redis": {
        "BACKEND": "channels_redis.core.RedisChannelLayer",
        "CONFIG": {"hosts": [REDIS_URL], "prefix": f"test-chat-{os.getpid()}"},
    },
    "redis-pubsub": {
        "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
        "CONFIG": {"hosts": [REDIS_URL], "prefix": f"test-chat-{os.getpid()}"},
    },
}


def room(slug: str) -> Room:
    """A room the data migration created (recreated if a transactional test flushed it)."""
    return ensure_rooms()[slug]


def post(author: User, room: Room, count: int = 1, body: str = "Bonjour n°{n}") -> list[Message]:
    return Message.objects.bulk_create(
        Message(room=room, author=author, body=body.format(n=n)) for n in range(count)
    )


def session_cookie(user: User) -> str:
    client = Client()
    client.force_login(user)
    return client.cookies["sessionid"].value


def headers_for(user: User | None, origin: bytes = ORIGIN) -> list[tuple[bytes, bytes]]:
    headers = [(b"origin", origin), (b"host", b"localhost")]
    if user is not None:
        headers.append((b"cookie", f"sessionid={session_cookie(user)}".encode()))
    return headers


@pytest_asyncio.fixture
async def close_thread_connections():
    """Consumers use asgiref's threads: close their connections so PostgreSQL can drop the
    test database at the end of the run."""
    yield
    await sync_to_async(connections.close_all)()


def socket(headers: list[tuple[bytes, bytes]], slug: str) -> WebsocketCommunicator:
    from community.asgi import application

    return WebsocketCommunicator(application, f"/ws/chat/{slug}/", headers=headers)


@pytest.fixture(
    params=[
        pytest.param("memory"),
        pytest.param("redis", marks=pytest.mark.redis),
        pytest.param("redis-pubsub", marks=pytest.mark.redis),
    ]
)
def layer(request, settings):
    """Run the test on each channel layer; the Redis ones need the real server."""
    settings.CHANNEL_LAYERS = {"default": LAYERS[request.param]}
    return request.param


@pytest.fixture(autouse=True)
def rooms(db) -> dict[str, Room]:
    """The rooms of migration 0002, put back when a transactional test flushed them."""
    return ensure_rooms()
