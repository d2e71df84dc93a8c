"""The Redis cache, made to degrade instead of failing while Redis is unreachable.

Everything the cache holds here can be rebuilt (the page tree, readable forums, presence,
rate-limit counters), while a cache error raised in a request is a 500 on every page: Wagtail
itself reads the site's root paths from the cache to build any page URL. So while Redis is
down, reads miss, writes are dropped and counters start from zero (rate limits let posts
through rather than refusing everyone), and one warning is logged per failed call. The health
check still notices: what it stores does not come back.
"""

from __future__ import annotations

import functools
import logging
from collections.abc import Callable
from typing import Any

from django.core.cache.backends.redis import RedisCache
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
