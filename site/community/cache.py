"""The Redis cache, made to degrade instead of failing while Redis is unreachable.

Everything the cache holds here can be rebuilt (the page tree, readable forums, presence,
rate-limit counters), while a cache error raised in a request is a 500 on every page: Wagtail
itself reads the site's root paths from the cache to build any page URL. So while Redis is
down, reads miss, writes are dropped and counters start from zero (rate limits let posts
through rather than refusing everyone), and one warning is logged per failed call. The health
check still notices: what it stores does not come back.

Generation keeps entries built from the database until a change outdates them together.
"""

from __future__ import annotations

import functools
import logging
import uuid
from collections.abc import Callable
from typing import Any

from django.core.cache import cache
from django.core.cache.backends.redis import RedisCache
from django.db import transaction
from redis.exceptions import RedisError

logger = logging.getLogger(__name__)


def _degrade(name: str, fallback: Callable[..., Any]):
    method = getattr(RedisCache, name)

    @functools.wraps(method)
    def call(self, *args, **kwargs):
        try:
            return method(self, *args, **kwargs)
        except RedisError as error:
            logger.warning("cache %s failed, Redis unreachable: %s", name, error)
            return fallback(*args, **kwargs)

    return call


def _default(key, default=None, *args, **kwargs):
    return default


class ResilientRedisCache(RedisCache):
    get = _degrade("get", _default)
    get_many = _degrade("get_many", lambda *args, **kwargs: {})
    has_key = _degrade("has_key", lambda *args, **kwargs: False)
    set = _degrade("set", lambda *args, **kwargs: None)
    add = _degrade("add", lambda *args, **kwargs: False)
    touch = _degrade("touch", lambda *args, **kwargs: False)
    set_many = _degrade("set_many", lambda data, *args, **kwargs: list(data))
    delete = _degrade("delete", lambda *args, **kwargs: False)
    delete_many = _degrade("delete_many", lambda *args, **kwargs: None)
    incr = _degrade("incr", lambda key, delta=1, *args, **kwargs: delta)
    clear = _degrade("clear", lambda *args, **kwargs: None)


class Generation:
    """Entries built from the database that one kind of change outdates all at once.

    Each entry is stored with the generation it was built under; ``invalidate`` sets a new
    random generation once the change is committed, so every older entry is rebuilt on its
    next read. Random, not a counter: an evicted generation can never make old entries
    valid again. Read before building: a change committed meanwhile sets a newer one.
    """

    def __init__(self, name: str, timeout: int) -> None:
        self.key = f"{name}:generation"
        self.prefix = f"{name}:"
        self.timeout = timeout

    def get_or_build(self, key: str, build: Callable[[], Any]) -> Any:
        key = self.prefix + key
        cached = cache.get_many([self.key, key])
        generation = cached.get(self.key)
        entry = cached.get(key)
        if entry is not None and generation is not None and entry[0] == generation:
            return entry[1]
        if generation is None:
            cache.add(self.key, uuid.uuid4().hex, None)
            generation = cache.get(self.key)
        value = build()
        cache.set(key, (generation, value), self.timeout)
        return value

    def invalidate(self, **kwargs: Any) -> None:
        """Outdate every entry once the current transaction commits (a signal receiver)."""
        transaction.on_commit(lambda: cache.set(self.key, uuid.uuid4().hex, None))
