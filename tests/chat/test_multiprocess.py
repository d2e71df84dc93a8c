"""Two uvicorn ASGI workers on PostgreSQL + Redis, a websocket client on each.

Messages cross workers through the channel layer. Then Redis (a throwaway server on its own
port, never the shared one) is stopped for a few seconds mid-conversation and started
again, empty: pages keep answering, clients reconnect if their socket closed and catch up
with `sync`, and every stored message reaches both clients exactly once.
"""

from __future__ import annotations

import asyncio
import json
import os
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

import pytest
import websockets

from community.accounts.models import Role
from forum.chat.models import Message
from tests.factories import make_member
from tests.ports import free_port, wait_for_port
from tests.processes import ThrowawayRedis, logs, stop, worker_env

from .conftest import session_cookie

ROOT = Path(__file__).resolve().parent.parent.parent
PUBSUB = "channels_redis.pubsub.RedisPubSubChannelLayer"
# Production's layer; CHAT_TEST_LAYER=channels_redis.core.RedisChannelLayer reproduces the
# comparison: with it both sockets closed when Redis stopped, and after the restart the
# clients still had not reconnected 10 s later (stale connections in the layer's pool).
LAYER = os.environ.get("CHAT_TEST_LAYER", PUBSUB)
OUTAGE_SECONDS = 3
WAIT = 10  # seconds any single expectation may take

pytestmark = [pytest.mark.redis, pytest.mark.django_db(transaction=True)]


def _start_worker(port: int, redis_url: str, layer: str, folder: Path) -> subprocess.Popen:
    env = worker_env(
        folder,
        "tests.chat.worker_settings",
        REDIS_URL=redis_url,
        CHAT_LAYER=layer,
        CHAT_HEARTBEAT_SECONDS="2",
    )
    return subprocess.Popen(
        [
            str(Path(sys.executable).parent / "uvicorn"),
            "--app-dir", "site", "community.asgi:application",
            "--host", "127.0.0.1", "--port", str(port), "--log-level", "warning",
        ],
        cwd=ROOT,
        env=env,
        stdout=(folder / f"worker-{port}.log").open("w"),
        stderr=subprocess.STDOUT,
    )  # fmt: skip


def _get(port: int, path: str, cookie: str) -> int:
    request = urllib.request.Request(
        f"http://127.0.0.1:{port}{path}", headers={"Cookie": f"sessionid={cookie}"}
    )
    try:
        with urllib.request.urlopen(request, timeout=WAIT) as response:
            return response.status
    except urllib.error.HTTPError as error:
        return error.code


@dataclass
class Client:
    """A websocket client that behaves like chat.js: reconnects with back-off, syncs, and
    keeps each message once, by id."""

    name: str
    port: int
    cookie: str
    shown: dict[int, str] = field(default_factory=dict)
    received: int = 0  # message deliveries, duplicates included
    connections: int = 0
    socket: websockets.ClientConnection | None = None
    task: asyncio.Task | None = None

    async def run(self) -> None:
        delay = 0.2
        while True:
            try:
                async with websockets.connect(
                    f"ws://127.0.0.1:{self.port}/ws/chat/reseau/",
                    additional_headers={
                        "Origin": f"http://127.0.0.1:{self.port}",
                        "Cookie": f"sessionid={self.cookie}",
                    },
                    open_timeout=WAIT,
                ) as socket:
                    self.socket = socket
                    self.connections += 1
                    delay = 0.2
                    await socket.send(json.dumps({"type": "sync", "after": self.last_id}))
                    async for text in socket:
                        self.receive(json.loads(text))
            except (OSError, websockets.WebSocketException):
                pass  # the socket dropped (Redis restarting): reconnect below, as chat.js does
            self.socket = None
            await asyncio.sleep(delay)
            delay = min(delay * 2, 2)

    @property
    def last_id(self) -> int:
        return max(self.shown, default=0)

    def receive(self, frame: dict) -> None:
        messages = {"history": frame.get("messages", []), "message": [frame]}.get(frame["type"])
        for message in messages or []:
            self.received += 1
            self.shown[message["id"]] = message["body"]

    async def say(self, body: str) -> None:
        await _until(lambda: self.socket is not None, f"{self.name} connected")
        await self.socket.send(json.dumps({"type": "message", "body": body}))

    def sees(self, body: str) -> bool:
        return body in self.shown.values()


async def _until(condition, what: str, timeout: float = WAIT) -> float:
    """Wait until condition() holds; returns how long it took."""
    start = time.monotonic()
    while not condition():
        if time.monotonic() - start > timeout:
            raise AssertionError(f"timed out waiting for: {what}")
        await asyncio.sleep(0.02)
    return time.monotonic() - start


def test_two_workers_survive_a_redis_restart(tmp_path, throwaway_redis):
    layer = LAYER
    redis = throwaway_redis
    elected = make_member(Role.ELECTED, display_name="Marie Maire")
    manager = make_member(Role.MANAGER, display_name="Gaston Gérant")
    cookies = {"elected": session_cookie(elected), "manager": session_cookie(manager)}

    ports = [free_port(), free_port()]
    workers = [_start_worker(port, redis.url, layer, tmp_path) for port in ports]
    try:
        for port, worker in zip(ports, workers, strict=True):
            wait_for_port(port, worker)
        report = asyncio.run(_conversation(ports, cookies, redis))
    except AssertionError as error:
        raise AssertionError(f"{error}\n{logs(tmp_path)}") from error
    finally:
        stop(*workers, timeout=WAIT)
    print(layer, json.dumps({k: v for k, v in report.items() if k != "clients"}))
    worker_logs = logs(tmp_path)

    stored = dict(Message.objects.order_by("id").values_list("id", "body"))
    assert len(stored) == 8, stored
    for client in report["clients"]:
        assert client["shown"] == stored, (client, worker_logs)
    assert report["pages_during_outage"] == [200, 200]
    if layer == PUBSUB:
        assert report["sockets_open_during_outage"] == [True, True]
        assert [client["connections"] for client in report["clients"]] == [1, 1]


async def _conversation(ports: list[int], cookies: dict[str, str], redis: ThrowawayRedis) -> dict:
    a = Client("a", ports[0], cookies["elected"])
    b = Client("b", ports[1], cookies["manager"])
    for client in (a, b):
        client.task = asyncio.create_task(client.run())
    try:
        await a.say("Bonjour depuis le premier worker")
        await _until(lambda: b.sees("Bonjour depuis le premier worker"), "a → b")
        await b.say("Bien reçu sur le second")
        await _until(lambda: a.sees("Bien reçu sur le second"), "b → a")
        await a.say("Avant la coupure")
        await _until(lambda: b.sees("Avant la coupure"), "a → b before the outage")

        redis.stop()
        down = time.monotonic()
        pages = [_get(port, "/chat/reseau/", cookies["elected"]) for port in ports]
        # Stored while Redis is down: the broadcast fails, the message stands.
        await a.say("Pendant la coupure, côté a")
        await b.say("Pendant la coupure, côté b")
        await asyncio.sleep(max(0, OUTAGE_SECONDS - (time.monotonic() - down)))
        open_during = [client.socket is not None for client in (a, b)]
        redis.start()
        restarted = time.monotonic()

        caught_up = await _until(
            lambda: all(c.sees(f"Pendant la coupure, côté {n}") for c in (a, b) for n in "ab"),
            "messages of the outage on both clients",
        )
        await a.say("Après la coupure, côté a")
        await b.say("Après la coupure, côté b")
        sent = time.monotonic()
        after = await _until(
            lambda: all(c.sees(f"Après la coupure, côté {n}") for c in (a, b) for n in "ab"),
            "messages after the restart on both clients",
        )
        # Broadcasts work again: live, not only through the heartbeat (every 2 s).
        await a.say("Bien plus tard, côté a")
        later = await _until(
            lambda: all(c.sees("Bien plus tard, côté a") for c in (a, b)),
            "a → a and b, live",
            timeout=1,
        )
        return {
            "later_s": round(later, 2),
            "pages_during_outage": pages,
            "sockets_open_during_outage": open_during,
            "outage_caught_up_s": round(caught_up, 2),
            "live_after_restart_s": round(after, 2),
            "restart_to_last_s": round(sent + after - restarted, 2),
            "clients": [
                {
                    "name": c.name,
                    "connections": c.connections,
                    "received": c.received,
                    "shown": dict(sorted(c.shown.items())),
                }
                for c in (a, b)
            ],
        }
    finally:
        for client in (a, b):
            client.task.cancel()
        await asyncio.gather(a.task, b.task, return_exceptions=True)
