"""/sante/ tells a load balancer or an operator whether every service answers."""

from __future__ import annotations

import socket
import time

import pytest
import requests
from django.conf import settings
from django.core.cache import cache
from django.db import connection
from django.test import override_settings

pytestmark = pytest.mark.django_db

HEALTH_URL = "/sante/"


@pytest.fixture
def client(client_for):
    """Operators (staff) read the details; see test_details_only_for_staff for the others."""
    return client_for("staff")


def get_health(client):
    response = client.get(HEALTH_URL)
    assert response["Content-Type"] == "application/json"
    return response, response.json()


def closed_port() -> int:
    """A local port nothing listens on (bound then released)."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@override_settings(MEILISEARCH_URL="")
def test_healthy_with_embedded_services(client):
    response, body = get_health(client)
    assert response.status_code == 200, body
    assert body["healthy"] is True
    checks = body["checks"]
    assert set(checks) == {"database", "cache", "channel_layer", "search"}
    assert all(check["status"] == "ok" for check in checks.values()), checks
    assert checks["database"]["detail"] in {"sqlite", "postgresql"}
    assert checks["database"]["detail"] == connection.vendor
    assert checks["cache"]["detail"] == "LocMemCache"
    assert checks["channel_layer"]["detail"] == "InMemoryChannelLayer"
    assert checks["search"]["detail"] == "disabled (database search)"


@override_settings(MEILISEARCH_URL="")
def test_health_is_never_cached(client):
    response = client.get(HEALTH_URL)
    assert "no-cache" in response["Cache-Control"]
    assert "max-age=0" in response["Cache-Control"]


def redis_url() -> str:
    return settings.REDIS_URL or "redis://127.0.0.1:6379/0"


@pytest.mark.redis
def test_healthy_with_redis_cache_and_channel_layer(client):
    url = redis_url()
    with override_settings(
        MEILISEARCH_URL="",
        CACHES={
            "default": {"BACKEND": "django.core.cache.backends.redis.RedisCache", "LOCATION": url}
        },
        CHANNEL_LAYERS={
            "default": {
                "BACKEND": "channels_redis.core.RedisChannelLayer",
                "CONFIG": {"hosts": [url]},
            }
        },
    ):
        response, body = get_health(client)
    assert response.status_code == 200, body
    assert body["checks"]["cache"] == {"status": "ok", "detail": "RedisCache"}
    assert body["checks"]["channel_layer"] == {"status": "ok", "detail": "RedisChannelLayer"}


@pytest.mark.meilisearch
def test_reports_the_meilisearch_version(client):
    version = requests.get(
        f"{settings.MEILISEARCH_URL}/version",
        headers={"Authorization": f"Bearer {settings.MEILISEARCH_API_KEY}"},
        timeout=5,
    ).json()["pkgVersion"]
    response, body = get_health(client)
    assert response.status_code == 200, body
    assert body["checks"]["search"] == {"status": "ok", "detail": f"meilisearch {version}"}


def test_unreachable_meilisearch_is_a_503_with_an_error_detail(client):
    with override_settings(
        MEILISEARCH_URL=f"http://127.0.0.1:{closed_port()}", MEILISEARCH_API_KEY="any"
    ):
        response, body = get_health(client)
    assert response.status_code == 503
    assert body["healthy"] is False
    search = body["checks"]["search"]
    assert search["status"] == "error"
    # Operators read it: the exception's class and message, in English, no HTML page.
    assert search["detail"].startswith("EngineUnavailable: Meilisearch did not answer")
    assert search["detail"].isascii()
    # The other services are still reported on their own.
    for name in ("database", "cache", "channel_layer"):
        assert body["checks"][name]["status"] == "ok", body


@pytest.mark.parametrize("role", ["anonymous", "pending", "elected", "manager", "partner", "staff"])
def test_details_only_for_staff(client_for, role):
    unreachable = f"http://127.0.0.1:{closed_port()}"
    with override_settings(MEILISEARCH_URL=unreachable, MEILISEARCH_API_KEY="any"):
        response = client_for(role).get(HEALTH_URL)
    body = response.json()
    # Everyone, a load balancer included, learns what is down from the status code.
    assert response.status_code == 503
    assert body["checks"]["search"]["status"] == "error"
    assert body["checks"]["database"]["status"] == "ok"
    if role == "staff":
        assert "Meilisearch did not answer" in body["checks"]["search"]["detail"]
    else:
        # Versions, backends, host names and ports stay private.
        assert all(set(check) == {"status"} for check in body["checks"].values()), body
        assert "127.0.0.1" not in response.content.decode()


@pytest.fixture
def check_runs(monkeypatch):
    """How many times the real database check ran (it stands for the four checks)."""
    from community import health

    runs = []

    def counted() -> str:
        runs.append(1)
        return health.check_database()

    monkeypatch.setitem(health.CHECKS, "database", counted)
    return runs


@override_settings(MEILISEARCH_URL="")
def test_anonymous_callers_share_one_run_for_a_few_seconds(client_for, check_runs):
    from community import health

    anonymous = client_for("anonymous")
    for _ in range(5):
        response = anonymous.get(HEALTH_URL)
        assert response.status_code == 200
        assert response.json()["checks"]["database"] == {"status": "ok"}
    assert len(check_runs) == 1
    # The HTTP response still tells proxies not to keep it: the sharing is on the server.
    assert "no-cache" in response["Cache-Control"]

    # Staff always get a fresh run, with the details.
    assert client_for("staff").get(HEALTH_URL).json()["checks"]["database"]["detail"]
    assert len(check_runs) == 2

    # Once the window is over, the next anonymous call runs the checks again.
    cache.delete(health.ANONYMOUS_CACHE_KEY)
    anonymous.get(HEALTH_URL)
    assert len(check_runs) == 3


@override_settings(MEILISEARCH_URL="")
def test_the_shared_run_expires(client_for, check_runs, monkeypatch):
    from community import health

    monkeypatch.setattr(health, "ANONYMOUS_CACHE_SECONDS", 1)
    anonymous = client_for("anonymous")
    anonymous.get(HEALTH_URL)
    anonymous.get(HEALTH_URL)
    assert len(check_runs) == 1
    time.sleep(1.2)
    anonymous.get(HEALTH_URL)
    assert len(check_runs) == 2
