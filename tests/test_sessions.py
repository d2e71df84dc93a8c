"""Sessions are kept in the database and read from the cache first (community/sessions.py):
a member's pages do not query their session, a sign-out is honoured at once, and while
Redis is down pages keep answering with the session read from the database."""

from __future__ import annotations

import pytest
from django.core.cache import caches
from django.db import connection
from django.test import Client, override_settings
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from community import sessions
from community.settings.base import redis_cache

pytestmark = pytest.mark.django_db


def session_queries(client: Client, path: str = "/espace/") -> list[str]:
    with CaptureQueriesContext(connection) as queries:
        assert client.get(path).status_code == 200
    return [q["sql"] for q in queries if "django_session" in q["sql"]]


def test_a_members_pages_read_their_session_from_the_cache(client_for):
    client = client_for("elected")
    client.get("/espace/")
    assert session_queries(client) == []


def test_signing_out_is_honoured_at_once(client_for):
    client = client_for("elected")
    assert client.get("/espace/").status_code == 200
    stolen = Client()
    stolen.cookies["sessionid"] = client.cookies["sessionid"].value
    assert stolen.get("/espace/").status_code == 200
    client.post(reverse("account_logout"))
    assert client.get("/espace/").status_code == 302
    assert stolen.get("/espace/").status_code == 302


@pytest.fixture
def redis_server(throwaway_redis):
    """The cache on a redis-server of this test's own, which it stops and starts."""
    with override_settings(CACHES={"default": redis_cache(throwaway_redis.url)}):
        yield throwaway_redis


@pytest.mark.redis
def test_pages_keep_their_member_while_redis_stops_and_restarts(redis_server, client_for):
    client = client_for("elected")
    assert "Se déconnecter" in client.get("/espace/").content.decode()
    assert session_queries(client) == []  # from Redis
    key = caches["default"].make_key(
        sessions.SessionStore.cache_key_prefix + client.session.session_key
    )
    assert 0 < caches["default"]._cache.get_client().ttl(key) <= sessions.CACHE_SECONDS

    redis_server.stop()
    page = client.get("/espace/")
    assert page.status_code == 200
    assert "Se déconnecter" in page.content.decode()
    assert session_queries(client)  # from the database meanwhile
    # Signing in and out still work with Redis down.
    other = Client()
    other.cookies["sessionid"] = client.cookies["sessionid"].value
    client.post(reverse("account_logout"))
    assert client.get("/espace/").status_code == 302
    assert other.get("/espace/").status_code == 302

    redis_server.start()
    again = client_for("manager")
    assert again.get("/espace/").status_code == 200
    assert session_queries(again, "/espace/") == []  # cached again once Redis is back
    assert other.get("/espace/").status_code == 302
