"""One rate limit for what members write (forum posts, chat messages): a fixed window per
member in the shared cache (Redis in production, so every worker counts together).

A refused attempt is not counted (the chat used to count them, the forum did not): it wrote
nothing, so the counter is what was accepted, and the next window starts afresh whatever
the member tried meanwhile. While the cache is down, community.cache answers every
increment with 1: writes go through rather than fail.
"""

from __future__ import annotations

import time

from django.core.cache import cache


def allow(scope: str, member_id: int, *, limit: int, window: int) -> bool:
    """Count one attempt of ``member_id`` in ``scope``; False, counting nothing, when
    ``limit`` attempts were already accepted in the current ``window`` (seconds)."""
    key = f"ratelimit:{scope}:{member_id}:{int(time.time() // window)}"
    cache.add(key, 0, timeout=window + 1)
    try:
        count = cache.incr(key)
    except ValueError:  # expired between add and incr
        cache.set(key, 1, timeout=window + 1)
        count = 1
    if count > limit:
        cache.decr(key)
        return False
    return True
