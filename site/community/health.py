"""Health of the services the platform depends on, for load balancers and operators."""

from __future__ import annotations

import asyncio
import logging
import uuid

from asgiref.sync import async_to_sync
from channels.layers import get_channel_layer
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.http import HttpRequest, JsonResponse
from django.views.decorators.cache import never_cache

from community.lib.meilisearch_client import Client

logger = logging.getLogger(__name__)


def check_database() -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")
    return connection.vendor


def check_cache() -> str:
    key = f"health:{uuid.uuid4().hex}"
    cache.set(key, "ok", 10)
    if cache.get(key) != "ok":
        raise RuntimeError("cache did not return what was stored")
    cache.delete(key)
    return settings.CACHES["default"]["BACKEND"].rsplit(".", 1)[-1]


def check_channel_layer() -> str:
    """A message sent to a fresh channel comes back: workers can talk to each other."""
    layer = get_channel_layer()

    async def round_trip() -> None:
        channel = await layer.new_channel()
        await layer.send(channel, {"type": "health.ping"})
        message = await asyncio.wait_for(layer.receive(channel), timeout=2)
        if message.get("type") != "health.ping":
            raise RuntimeError("channel layer returned another message")

    async_to_sync(round_trip)()
    return type(layer).__name__


def check_search() -> str:
    if not settings.MEILISEARCH_URL:
        return "disabled (database search)"
    health = Client(settings.MEILISEARCH_URL, settings.MEILISEARCH_API_KEY).health(timeout=2)
    if health["status"] != "available":
        raise RuntimeError(f"meilisearch status {health['status']!r}")
    return f"meilisearch {health['version']}"


CHECKS = {
    "database": check_database,
    "cache": check_cache,
    "channel_layer": check_channel_layer,
    "search": check_search,
}


def run_checks() -> tuple[bool, dict[str, dict[str, str]]]:
    results: dict[str, dict[str, str]] = {}
    healthy = True
    for name, check in CHECKS.items():
        try:
            results[name] = {"status": "ok", "detail": check()}
        except Exception as error:  # a health check reports failures, it never raises
            healthy = False
            logger.error("health check %s failed", name, exc_info=True)
            results[name] = {"status": "error", "detail": f"{type(error).__name__}: {error}"}
    return healthy, results


# Anonymous callers (load balancers polling every second or two, or anyone hammering the URL)
# share one run of the checks for this long: four backend round trips per request would be
# an easy way to load the database, Redis and Meilisearch. Staff always get a fresh run.
ANONYMOUS_CACHE_SECONDS = 5
ANONYMOUS_CACHE_KEY = "health:anonymous"


def summary_for_anyone() -> tuple[bool, dict[str, dict[str, str]]]:
    """The statuses without details, from a run at most ANONYMOUS_CACHE_SECONDS old. Kept in
    the shared cache so that every worker shares it; while the cache is down, each call runs
    the checks (and the cache check reports the outage)."""
    cached = cache.get(ANONYMOUS_CACHE_KEY)
    if cached is not None:
        return cached
    healthy, results = run_checks()
    summary = (healthy, {name: {"status": result["status"]} for name, result in results.items()})
    cache.set(ANONYMOUS_CACHE_KEY, summary, ANONYMOUS_CACHE_SECONDS)
    return summary


def may_read_details(request: HttpRequest) -> bool:
    user = request.user
    return user.is_superuser or getattr(user, "is_network_staff", False)


@never_cache
def health_view(request: HttpRequest) -> JsonResponse:
    """Anyone (a load balancer) gets the statuses; only staff read the details, because
    versions, backends and error messages (host names, ports) help an attacker."""
    if may_read_details(request):
        healthy, results = run_checks()
    else:
        healthy, results = summary_for_anyone()
    return JsonResponse({"healthy": healthy, "checks": results}, status=200 if healthy else 503)
