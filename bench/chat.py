"""Chat benchmark: a message's round trip through the Redis channel layer against a Redis
PING measured in the same run, and fan-out time to 50 and 200 connected websocket clients.

    .venv/bin/python bench/chat.py [--redis redis://127.0.0.1:6379/0] [--rounds 2000]
        [--fanouts 100] [--client-processes 2] [--uvicorn "--ws-per-message-deflate false"]

1. Round trip: a channel joins a group, `group_send` to the group, `receive` on the channel,
   `--rounds` times, on the production layer (RedisPubSubChannelLayer) and, for comparison,
   RedisChannelLayer; PING: the same number of `PING`s on one redis.asyncio connection.
   Target: layer p99 ≤ 5 × PING p99.
2. Fan-out: two uvicorn ASGI workers (subprocesses) serve a websocket consumer that joins
   one group and relays what the group receives, on the production layer: first the
   baseline (Channels' own dispatch, as the chat consumer relayed before), then the
   production relay (forum.chat.relay, the chat consumer's own code). 50 then 200 websocket
   clients connect, spread over both workers and over `--client-processes` processes; the
   bench `group_send`s a chat message (as services.broadcast does after commit) and times,
   on CLOCK_MONOTONIC, until the last client has it, `--fanouts` times. Target: p99 ≤ 50 ms.
   Also printed: the workers' CPU per broadcast, which a loaded machine does not inflate the
   way it inflates latency. The database and authentication are left out: they are paid
   once per message before the broadcast, not per recipient.

Every wait has a timeout and the run stops by itself (about two minutes). Keys use a prefix of
their own, so a shared Redis is not disturbed.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import shlex
import statistics
import subprocess
import sys
import time
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from tests.ports import free_port, wait_for_port  # noqa: E402

PUBSUB = "channels_redis.pubsub.RedisPubSubChannelLayer"
CORE = "channels_redis.core.RedisChannelLayer"
TIMEOUT = 10
STARTUP = 60
CLIENTS = (50, 200)
FRAME = {  # a chat message as services.broadcast sends it (the id changes every round)
    "type": "message",
    "room": "reseau",
    "author": {"id": 42, "name": "Marie Maire"},
    "body": "Bonjour à toutes et à tous : qui connaît un bon fournisseur de limonade ?",
    "created": "2026-11-26T14:05:00.000000+00:00",
    "edited": None,
}
# The websocket options of production's uvicorn command (README.md, "Production").
PRODUCTION_UVICORN = ""


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
    """uvicorn --factory bench.chat:app: the production relay of broadcasts (the chat
    consumer's, forum.chat.relay) on the production layer, without database or sessions."""
    from channels.generic.websocket import AsyncWebsocketConsumer
    from channels.routing import URLRouter
    from django.urls import path

    from forum.chat.relay import BroadcastRelay

    _configure(os.environ["BENCH_REDIS"], PUBSUB, os.environ["BENCH_PREFIX"])

    class Relay(BroadcastRelay, AsyncWebsocketConsumer):
        groups = ["bench"]

    class ChannelsRelay(AsyncWebsocketConsumer):
        """The baseline: Channels' own dispatch, as the chat consumer relayed before."""

        groups = ["bench"]

        async def chat_frame(self, event):
            await self.send(text_data=event["text"])

    if os.environ.get("BENCH_RELAY") == "channels":
        Relay = ChannelsRelay  # noqa: N806

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


def now_ns() -> int:
    """CLOCK_MONOTONIC: one clock for the whole machine, so client processes and the bench
    compare their timestamps directly."""
    return time.clock_gettime_ns(time.CLOCK_MONOTONIC)


def cpu_seconds(pid: int) -> float:
    """CPU time (user + system) a process has used so far, from /proc."""
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def client_process(urls: list[str], conn) -> None:
    """A share of the websocket clients, in a process of its own (see fanout_times)."""
    try:
        import uvloop
    except ImportError:
        pass
    else:
        uvloop.install()
    asyncio.run(clients(urls, conn))


async def clients(urls: list[str], conn) -> None:
    """Connect, then tell the bench, for each frame, when the last of these sockets had it."""
    import websockets

    sockets = [await websockets.connect(url, open_timeout=TIMEOUT) for url in urls]
    waiting: dict[str, list[int]] = {}  # frame -> [sockets still waiting, last arrival]

    async def read(ws) -> None:
        async for text in ws:
            arrived = now_ns()
            entry = waiting.setdefault(text, [len(sockets), 0])
            entry[0] -= 1
            entry[1] = max(entry[1], arrived)
            if entry[0] == 0:
                conn.send((text, entry[1]))
                del waiting[text]

    readers = [asyncio.create_task(read(ws)) for ws in sockets]
    conn.send("ready")
    await asyncio.get_running_loop().run_in_executor(None, conn.recv)  # the bench is done
    for reader in readers:
        reader.cancel()
    await asyncio.gather(*(ws.close() for ws in sockets), return_exceptions=True)


async def fanout_times(ports: list[int], workers: list, clients: int, rounds: int, procs: int):
    """Times from `group_send` until the last client has the frame, and the workers' CPU per
    broadcast (user + system, all workers): the server's share, which the machine's load
    does not inflate the way it inflates latency.

    The clients run in `procs` processes, each reading its sockets with one long-lived task
    per socket: one asyncio process reading 200 sockets after each broadcast measured its
    own queue as much as the server's. Each process stamps arrivals with CLOCK_MONOTONIC;
    the round ends when every process has reported its last socket.
    """
    import multiprocessing

    from channels.layers import get_channel_layer

    from forum.chat.relay import event

    layer = get_channel_layer()
    loop = asyncio.get_running_loop()
    spawn = multiprocessing.get_context("spawn")
    urls = [f"ws://127.0.0.1:{ports[n % len(ports)]}/ws/" for n in range(clients)]
    pipes, processes = [], []
    for n in range(procs):
        here, there = spawn.Pipe()
        process = spawn.Process(target=client_process, args=(urls[n::procs], there), daemon=True)
        process.start()
        pipes.append(here)
        processes.append(process)

    async def report(pipe, timeout: float = TIMEOUT):
        if not await loop.run_in_executor(None, pipe.poll, timeout):
            raise SystemExit(f"a client process did not answer within {timeout} s")
        return pipe.recv()

    try:
        for pipe in pipes:  # starting Python and connecting: slow on a busy machine
            assert await report(pipe, STARTUP) == "ready"
        await asyncio.sleep(0.5)  # let every consumer finish joining the group
        times = []
        for n in range(rounds + 5):
            if n == 5:  # the first rounds warm up
                cpu_before = sum(cpu_seconds(worker.pid) for worker in workers)
            message = event({**FRAME, "id": n})
            start = now_ns()
            await layer.group_send("bench", message)
            arrivals = [await report(pipe) for pipe in pipes]
            assert all(text == message["text"] for text, _ in arrivals), arrivals
            if n >= 5:
                times.append((max(at for _, at in arrivals) - start) / 1e9)
        cpu = sum(cpu_seconds(worker.pid) for worker in workers) - cpu_before
        return times, cpu / rounds
    finally:
        for pipe in pipes:
            pipe.send("stop")
        for process in processes:
            process.join(TIMEOUT)
            if process.is_alive():
                process.kill()


def start_workers(
    redis_url: str, prefix: str, count: int, relay: str, options: list[str]
) -> tuple[list[int], list]:
    ports = [free_port() for _ in range(count)]
    env = {
        **os.environ,
        "BENCH_REDIS": redis_url,
        "BENCH_PREFIX": prefix,
        "BENCH_RELAY": relay,
        "PYTHONPATH": str(ROOT),
    }
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
                *options,
            ],
            cwd=ROOT,
            env=env,
        )  # fmt: skip
        for port in ports
    ]
    for port, worker in zip(ports, workers, strict=True):
        wait_for_port(port, worker, STARTUP)
    return ports, workers


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--redis", default=os.environ.get("REDIS_URL", "redis://127.0.0.1:6379/0"))
    parser.add_argument("--rounds", type=int, default=2000)
    parser.add_argument("--fanouts", type=int, default=100)
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--client-processes", type=int, default=2)
    parser.add_argument(
        "--uvicorn", default=PRODUCTION_UVICORN, help="uvicorn options of the workers"
    )
    args = parser.parse_args()
    options = shlex.split(args.uvicorn)
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

    print(
        f"Fan-out through {args.workers} uvicorn workers ({args.uvicorn or 'defaults'}), "
        f"{args.fanouts} messages each, clients in {args.client_processes} processes:"
    )
    results = {}
    for relay in ("channels", "production"):
        results[relay] = fanouts(args, prefix, relay, options)
    for clients in CLIENTS:
        _, base_p99, base_cpu = results["channels"][clients]
        _, p99, cpu = results["production"][clients]
        print(f"  {clients} clients: p99 {p99 * 1000:.1f} ms / target 50 ms = {p99 / 0.050:.2f} "
              f"({'met' if p99 <= 0.050 else 'NOT met'}); against the baseline in this run: "
              f"p99 {p99 / base_p99:.2f}×, worker CPU {cpu / base_cpu:.2f}×")  # fmt: skip


def fanouts(args, prefix: str, relay: str, options: list[str]) -> dict[int, tuple]:
    """p50, p99 and worker CPU per broadcast for each client count, with one relay."""
    ports, workers = start_workers(args.redis, prefix, args.workers, relay, options)
    label = {"channels": "baseline, Channels' dispatch", "production": "production relay"}[relay]
    results = {}
    try:
        for clients in CLIENTS:
            times, cpu = asyncio.run(
                fanout_times(ports, workers, clients, args.fanouts, args.client_processes)
            )
            p50, p99 = show(f"{clients} clients, {label}", times)
            print(f"  {'':<34} worker CPU per broadcast {cpu * 1000:.1f} ms")
            results[clients] = (p50, p99, cpu)
    finally:
        for worker in workers:
            worker.terminate()
        for worker in workers:
            try:
                worker.wait(timeout=TIMEOUT)
            except subprocess.TimeoutExpired:
                worker.kill()
    return results


if __name__ == "__main__":
    main()
