"""Chat benchmark: a message's round trip through the Redis channel layer against a Redis
PING measured in the same run, and fan-out time to 50 and 200 connected websocket clients.

    .venv/bin/python bench/chat.py [--redis redis://127.0.0.1:6379/0] [--rounds 2000]

1. Round trip: a channel joins a group, `group_send` to the group, `receive` on the channel,
   `--rounds` times, on the production layer (RedisPubSubChannelLayer) and, for comparison,
   RedisChannelLayer; PING: the same number of `PING`s on one redis.asyncio connection.
   Target: layer p99 ≤ 5 × PING p99.
2. Fan-out: two uvicorn ASGI workers (subprocesses) serve a websocket consumer that joins
   one group and relays what the group receives, on the production layer. 50 then 200
   websocket clients connect, spread over both workers; the bench `group_send`s a message
   (as services.broadcast does after commit) and times until the last client has it,
   `--fanouts` times. Target: p99 ≤ 50 ms. The database and authentication are left out:
   they are paid once per message before the broadcast, not per recipient.

Every wait has a timeout and the run stops by itself (about a minute). Keys use a prefix of
their own, so a shared Redis is not disturbed.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import socket
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PUBSUB = "channels_redis.pubsub.RedisPubSubChannelLayer"
CORE = "channels_redis.core.RedisChannelLayer"
TIMEOUT = 10


# ---------------------------------------------------------------------------- worker side


def _configure(redis_url: str, backend: str, prefix: str) -> None:
    import django
    from django.conf import settings

    if not settings.configured:
        settings.configure(
            CHANNEL_LAYERS={
                "default": {"BACKEND": backend, "CONFIG": {"hosts": [redis_url], "prefix": prefix}}
            },
            INSTALLED_APPS=["channels"],
        )
        django.setup()


def app():
    """uvicorn --factory bench.chat:app: a relay consumer on the production layer."""
    from channels.generic.websocket import AsyncWebsocketConsumer
    from channels.routing import URLRouter
    from django.urls import path

    _configure(os.environ["BENCH_REDIS"], PUBSUB, os.environ["BENCH_PREFIX"])

    class Relay(AsyncWebsocketConsumer):
        groups = ["bench"]

        async def chat_frame(self, event):
            await self.send(text_data=event["text"])

    return URLRouter([path("ws/", Relay.as_asgi())])


# ---------------------------------------------------------------------------- measurements


def percentiles(samples: list[float]) -> tuple[float, float]:
    ordered = sorted(samples)
    p99 = ordered[min(len(ordered) - 1, int(len(ordered) * 0.99))]
    return statistics.median(ordered), p99


def show(label: str, samples: list[float]) -> tuple[float, float]:
    p50, p99 = percentiles(samples)
    print(f"  {label:<34} n={len(samples):>5}  p50={p50 * 1000:7.3f} ms  p99={p99 * 1000:7.3f} ms")
    return p50, p99


async def ping_times(redis_url: str, rounds: int) -> list[float]:
    import redis.asyncio as aioredis

    client = aioredis.from_url(redis_url)
    try:
        await client.ping()
        times = []
        for _ in range(rounds):
            start = time.perf_counter()
            await client.ping()
            times.append(time.perf_counter() - start)
        return times
    finally:
        await client.aclose()


async def layer_times(redis_url: str, backend: str, rounds: int) -> list[float]:
    from django.utils.module_loading import import_string

    layer = import_string(backend)(hosts=[redis_url], prefix=f"bench-{uuid.uuid4().hex[:8]}")
    channel = await layer.new_channel()
    await layer.group_add("bench", channel)
    try:
        for _ in range(20):  # warm-up: connections and subscriptions
            await layer.group_send("bench", {"type": "chat.frame", "text": "x"})
            await asyncio.wait_for(layer.receive(channel), TIMEOUT)
        times = []
        for n in range(rounds):
            start = time.perf_counter()
            await layer.group_send("bench", {"type": "chat.frame", "text": f"m{n}"})
            await asyncio.wait_for(layer.receive(channel), TIMEOUT)
            times.append(time.perf_counter() - start)
        return times
    finally:
        await layer.group_discard("bench", channel)
        await layer.flush()


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def wait_for_port(port: int, process: subprocess.Popen) -> None:
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"worker on {port} exited with {process.returncode}")
        try:
            with socket.create_connection(("127.0.0.1", port), 0.2):
                return
        except OSError:
            time.sleep(0.05)
    raise SystemExit(f"worker on {port} did not start")


async def fanout_times(ports: list[int], clients: int, rounds: int):
    import websockets
    from channels.layers import get_channel_layer

    layer = get_channel_layer()
    sockets = [
        await websockets.connect(
            f"ws://127.0.0.1:{ports[n % len(ports)]}/ws/", open_timeout=TIMEOUT
        )
        for n in range(clients)
    ]
    try:
        await asyncio.sleep(0.5)  # let every consumer finish joining the group
        times = []
        for n in range(rounds + 5):
            text = f"fan-{clients}-{n}"
            start = time.perf_counter()
            await layer.group_send("bench", {"type": "chat.frame", "text": text})

            arrivals = await asyncio.gather(*(arrival(ws, text) for ws in sockets))
            if n >= 5:  # the first rounds warm up
                times.append(max(arrivals) - start)
        return times
    finally:
        await asyncio.gather(*(ws.close() for ws in sockets), return_exceptions=True)


async def arrival(ws, text: str) -> float:
    """When `text` reached this client (earlier frames are skipped)."""
    while await asyncio.wait_for(ws.recv(), TIMEOUT) != text:
        pass
    return time.perf_counter()


def start_workers(redis_url: str, prefix: str, count: int) -> tuple[list[int], list]:
    ports = [free_port() for _ in range(count)]
    env = {**os.environ, "BENCH_REDIS": redis_url, "BENCH_PREFIX": prefix, "PYTHONPATH": str(ROOT)}
    uvicorn = str(Path(sys.executable).parent / "uvicorn")
    workers = [
        subprocess.Popen(
            [
                uvicorn,
                "--factory",
                "bench.chat:app",
                "--host",
                "127.0.0.1",
                "--port",
                str(port),
                "--log-level",
                "warning",
            ],
            cwd=ROOT,
            env=env,
        )  # fmt: skip
        for port in ports
    ]
    for port, worker in zip(ports, workers, strict=True):
        wait_for_port(port, worker)
    return ports, workers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--redis", default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"))
    parser.add_argument("--rounds", type=int, default=2000)
    parser.add_argument("--fanouts", type=int, default=100)
    parser.add_argument("--workers", type=int, default=2)
    args = parser.parse_args()
    sys.path.insert(0, str(ROOT))
    prefix = f"bench-{uuid.uuid4().hex[:8]}"
    # One prefix for this process and the workers: the fan-out's group_send must reach them.
    _configure(args.redis, PUBSUB, prefix)

    print(f"Round trip through the channel layer, {args.rounds} messages ({args.redis}):")
    _, ping_p99 = show("Redis PING", asyncio.run(ping_times(args.redis, args.rounds)))
    _, pubsub_p99 = show("RedisPubSubChannelLayer (production)", asyncio.run(
        layer_times(args.redis, PUBSUB, args.rounds)))  # fmt: skip
    _, core_p99 = show("RedisChannelLayer", asyncio.run(layer_times(args.redis, CORE, args.rounds)))
    print(f"  p99 ratio layer/PING: pub/sub {pubsub_p99 / ping_p99:.1f}×, "
          f"core {core_p99 / ping_p99:.1f}× (target ≤ 5× for production's layer: "
          f"{'met' if pubsub_p99 <= 5 * ping_p99 else 'NOT met'})")  # fmt: skip

    ports, workers = start_workers(args.redis, prefix, args.workers)
    try:
        print(f"Fan-out through {args.workers} uvicorn workers, {args.fanouts} messages each:")
        for clients in (50, 200):
            times = asyncio.run(fanout_times(ports, clients, args.fanouts))
            _, p99 = show(f"{clients} websocket clients", times)
            print(f"    p99 {p99 * 1000:.1f} ms / target 50 ms = {p99 / 0.050:.2f} "
                  f"({'met' if p99 <= 0.050 else 'NOT met'})")  # fmt: skip
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            try:
                worker.wait(timeout=TIMEOUT)
            except subprocess.TimeoutExpired:
                worker.kill()


if __name__ == "__main__":
    main()
