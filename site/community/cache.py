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


# What Generation.lookup answers for an entry absent or outdated (None may be a value).
MISSING = object()


class Generation:
    """Entries built from the database that one kind of change outdates all at once.

    Each entry is stored with the generation it was built under; a change sets a new random
    generation, so every older entry is rebuilt on its next read. Random, not a counter: an
    evicted generation can never make old entries valid again. Read before building: a change
    committed meanwhile sets a newer one, and the entry built from older data is never used.

    ``in_process=True`` also keeps the entries this process last read: while the generation
    stands, a read fetches only the generation (a short string) from the shared cache instead
    of unpickling the value again. Only for values never modified once built.

    While the cache is unreachable (ResilientRedisCache answers every read with a miss) there
    is no generation: every read builds.
    """

    def __init__(self, name: str, timeout: int | None, *, in_process: bool = False) -> None:
        self.key = f"{name}:generation"
        self.prefix = f"{name}:"
        # Generations keep entries fresh; the timeout only bounds what unused keys keep.
        self.timeout = timeout
        self._in_process: dict[str, tuple[str, Any]] | None = {} if in_process else None

    def current(self) -> str | None:
        """The generation to store a new entry under (None while the cache is unreachable)."""
        generation = cache.get(self.key)
        if generation is None:  # first use, or evicted: any new one outdates older entries
            cache.add(self.key, uuid.uuid4().hex, None)
            generation = cache.get(self.key)
        return generation

    def lookup(self, key: str) -> tuple[str | None, Any]:
        """(the current generation, the value stored under `key` if built under it, else
        MISSING), in one round trip to the cache."""
        key = self.prefix + key
        if self._in_process is not None:
            generation = cache.get(self.key)
            known = self._in_process.get(key)
            if known is not None and generation is not None and known[0] == generation:
                return generation, known[1]
            entry = cache.get(key) if generation is not None else None
        else:
            found = cache.get_many([self.key, key])
            generation, entry = found.get(self.key), found.get(key)
        if generation is None:
            return self.current(), MISSING
        if entry is None or entry[0] != generation:
            return generation, MISSING
        if self._in_process is not None:
            self._in_process[key] = entry
        return generation, entry[1]

    def store(
        self, key: str, generation: str | None, value: Any, timeout: int | None = None
    ) -> None:
        """Keep `value`, built after `lookup` returned `generation`."""
        if generation is None:
            return
        key = self.prefix + key
        cache.set(key, (generation, value), self.timeout if timeout is None else timeout)
        if self._in_process is not None:
            self._in_process[key] = (generation, value)

    def get_or_build(self, key: str, build: Callable[[], Any]) -> Any:
        generation, value = self.lookup(key)
        if value is MISSING:
            value = build()
            self.store(key, generation, value)
        return value

    def renew(self, **kwargs: Any) -> None:
        """Outdate every entry now."""
        cache.set(self.key, uuid.uuid4().hex, None)

    def invalidate(self, **kwargs: Any) -> None:
        """Outdate every entry once the current transaction commits (a signal receiver)."""
        transaction.on_commit(self.renew)

    def invalidate_now_and_after_commit(self, **kwargs: Any) -> None:
        """Outdate every entry at once, for what runs before the commit in this transaction
        (another after-commit callback, a request), and again after the commit, for a request
        that read the data as they were meanwhile."""
        self.renew()
        self.invalidate()
