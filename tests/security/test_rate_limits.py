"""Finding 3 and the per-account lockout, on Redis as in production.

Behind the documented nginx, every request comes from 127.0.0.1 and nginx appends the
visitor's address to X-Forwarded-For: the production settings must make allauth count
failures per visitor, or one attacker's failures lock everyone out. Failures also count per
account whatever the address, with a back-off that grows, expires, and ends with a reset.
"""

from __future__ import annotations

import json
import subprocess
import sys
import time
import uuid
from types import SimpleNamespace

import pytest
from allauth.core.internal import ratelimit
from django.core.cache import cache
from django.test import Client, override_settings

from community.settings.base import redis_cache
from tests.factories import PASSWORD
from tests.security.test_sessions import reset_password
from tests.test_deploy_check import ROOT, production_env

pytestmark = [pytest.mark.redis, pytest.mark.django_db]

LOCKED = "Trop de tentatives de connexion ont échoué"
NEW_PASSWORD = "un-nouveau-mot-de-passe-2026"
READ_PROXY_SETTINGS = (
    "from django.conf import settings; import json; print(json.dumps(["
    "getattr(settings, 'ALLAUTH_TRUSTED_PROXY_COUNT', 0), "
    "getattr(settings, 'ALLAUTH_TRUSTED_CLIENT_IP_HEADER', None)]))"
)


@pytest.fixture(scope="module")
def production_proxy(tmp_path_factory):
    """The trusted-proxy settings production reads from its default environment."""
    result = subprocess.run(
        [sys.executable, "manage.py", "shell", "-c", READ_PROXY_SETTINGS],
        cwd=ROOT,
        env=production_env(tmp_path_factory.mktemp("production")),
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert result.returncode == 0, result.stderr
    count, header = json.loads(result.stdout.strip().splitlines()[-1])
    return {"ALLAUTH_TRUSTED_PROXY_COUNT": count, "ALLAUTH_TRUSTED_CLIENT_IP_HEADER": header}


@pytest.fixture
def behind_nginx(production_proxy, settings):
    """Production's proxy settings and its Redis cache (a key prefix of its own: the
    Redis database is shared, so it is never flushed)."""
    prefix = f"test-ratelimits-{uuid.uuid4().hex}"
    with override_settings(
        CACHES={"default": {**redis_cache(settings.REDIS_URL), "KEY_PREFIX": prefix}},
        **production_proxy,
    ):
        yield
        client = cache._cache.get_client()
        for key in client.scan_iter(f"{prefix}:*"):
            client.delete(key)


def log_in(email: str, password: str, address: str, spoofed: str = "") -> tuple[Client, str]:
    """A login POST as nginx forwards it: from 127.0.0.1, the visitor's address appended to
    whatever X-Forwarded-For the visitor sent."""
    client = Client(REMOTE_ADDR="127.0.0.1")
    forwarded = f"{spoofed}, {address}" if spoofed else address
    response = client.post(
        "/comptes/login/",
        {"login": email, "password": password},
        HTTP_X_FORWARDED_FOR=forwarded,
    )
    return client, response.content.decode() if response.status_code == 200 else ""


def signed_in(client: Client) -> bool:
    return client.get("/espace/").status_code == 200


def test_two_visitors_behind_the_proxy_are_limited_separately(behind_nginx, elected_user):
    # One visitor tries eleven addresses with random passwords, forging X-Forwarded-For.
    for attempt in range(10):
        _, page = log_in(f"x{attempt}@example.org", "faux", "203.0.113.9", f"10.0.0.{attempt}")
        assert LOCKED not in page
    _, page = log_in("x99@example.org", "faux", "203.0.113.9", "10.0.0.99")
    assert LOCKED in page

    # The mayor, elsewhere, is not locked out by it.
    client, _ = log_in(elected_user.email, PASSWORD, "198.51.100.20")
    assert signed_in(client)


@pytest.fixture
def clock(monkeypatch):
    """The rate limiter's clock, moved by hand (the limits span minutes to a day)."""
    now = [time.time()]
    fake = SimpleNamespace(time=lambda: now[0], monotonic=time.monotonic, sleep=time.sleep)
    monkeypatch.setattr(ratelimit, "time", fake)

    def advance(minutes: float) -> None:
        now[0] += minutes * 60

    return advance


def fail_from_many_addresses(email: str, count: int, start: int) -> None:
    for n in range(start, start + count):
        _, page = log_in(email, "mauvais-mot-de-passe", f"192.0.2.{n}")
        assert LOCKED not in page


def test_failures_from_many_addresses_lock_the_account_with_a_growing_back_off(
    behind_nginx, elected_user, clock
):
    fail_from_many_addresses(elected_user.email, 5, start=1)

    # The member herself, with her right password, is refused and told how to get in.
    client, page = log_in(elected_user.email, PASSWORD, "198.51.100.20")
    assert LOCKED in page
    assert "réinitialisez votre mot de passe" in page
    assert not signed_in(client)

    clock(6)  # the first lock lasts five minutes
    client, _ = log_in(elected_user.email, PASSWORD, "198.51.100.20")
    assert signed_in(client)

    fail_from_many_addresses(elected_user.email, 5, start=10)
    clock(6)  # ten failures within the hour: locked up to an hour now
    assert LOCKED in log_in(elected_user.email, PASSWORD, "198.51.100.20")[1]
    clock(55)  # the first five failures are more than an hour old
    client, _ = log_in(elected_user.email, PASSWORD, "198.51.100.20")
    assert signed_in(client)


def test_a_password_reset_lifts_the_lock_at_once(behind_nginx, elected_user):
    fail_from_many_addresses(elected_user.email, 5, start=1)
    assert LOCKED in log_in(elected_user.email, PASSWORD, "198.51.100.20")[1]

    reset_password(
        Client(REMOTE_ADDR="127.0.0.1", HTTP_X_FORWARDED_FOR="198.51.100.20"),
        elected_user.email,
        NEW_PASSWORD,
    )

    client, _ = log_in(elected_user.email, NEW_PASSWORD, "198.51.100.20")
    assert signed_in(client)
