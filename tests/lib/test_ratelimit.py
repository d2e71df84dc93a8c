"""community.lib.ratelimit, the one limit of the forum's posts and the chat's messages."""

from __future__ import annotations

import pytest

from community.lib import ratelimit


@pytest.fixture
def clock(monkeypatch):
    now = [1_000_000.0]
    monkeypatch.setattr(ratelimit.time, "time", lambda: now[0])
    return now


def test_past_the_limit_attempts_are_refused_until_the_next_window(clock):
    allowed = [ratelimit.allow("test", 1, limit=2, window=60) for _ in range(5)]
    assert allowed == [True, True, False, False, False]
    clock[0] += 60
    assert ratelimit.allow("test", 1, limit=2, window=60)


def test_refused_attempts_are_not_counted(clock):
    from django.core.cache import cache

    for _ in range(6):
        ratelimit.allow("test", 2, limit=3, window=60)
    key = f"ratelimit:test:2:{int(clock[0] // 60)}"
    assert cache.get(key) == 3


def test_each_member_and_each_scope_has_its_own_count(clock):
    assert ratelimit.allow("test", 3, limit=1, window=60)
    assert not ratelimit.allow("test", 3, limit=1, window=60)
    assert ratelimit.allow("test", 4, limit=1, window=60)
    assert ratelimit.allow("other", 3, limit=1, window=60)
