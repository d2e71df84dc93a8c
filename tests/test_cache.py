"""While Redis is unreachable the cache degrades (misses, dropped writes) instead of failing
every request; the health check still reports it."""

from __future__ import annotations

import socket

import pytest
from django.core.cache import caches
from django.test import override_settings


def closed_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@pytest.fixture
def unreachable_redis():
    location = f"redis://127.0.0.1:{closed_port()}/0"
    backend = {"BACKEND": "community.cache.ResilientRedisCache", "LOCATION": location}
    with override_settings(CACHES={"default": backend}):
        yield caches["default"]


def test_reads_miss_and_writes_are_dropped(unreachable_redis):
    cache = unreachable_redis
    assert cache.set("clé", "valeur") is None
    assert cache.get("clé") is None
    assert cache.get("clé", "défaut") == "défaut"
    assert cache.get_many(["clé", "autre"]) == {}
    assert cache.add("clé", 1) is False
    assert cache.has_key("clé") is False
    assert cache.get_or_set("clé", "calculée") == "calculée"
    # Rate-limit counters start from zero again: posting stays possible.
    assert cache.incr("compteur") == 1
    assert cache.decr("compteur") == -1
    assert cache.delete("clé") is False


@pytest.mark.django_db
def test_health_still_reports_the_cache_down(unreachable_redis, client_for):
    response = client_for("staff").get("/sante/")
    assert response.status_code == 503
    assert response.json()["checks"]["cache"]["status"] == "error"
    assert response.json()["checks"]["database"]["status"] == "ok"


@pytest.mark.django_db
def test_pages_answer_while_redis_is_down(unreachable_redis, client):
    assert client.get("/").status_code == 200
    assert client.get("/boites-a-outils/").status_code in {200, 404}
    assert client.get("/animations/").status_code == 200
