"""Who is connected to a room right now, shared by every ASGI worker through the cache.

Production's cache is Redis, so all workers see the same list; each socket's entry expires
unless its consumer refreshes it, so a worker that dies leaves no ghost behind for long.
Entries are per socket (a member may have two tabs open); the list shows each member once.
Updates are read-modify-write on one key, serialised by a short cache lock.

Consumers refresh their entry every settings.CHAT_HEARTBEAT_SECONDS (well before ENTRY_TTL)
but announce the list only when it changed: with n sockets in a room, announcing every
refresh would cost n² frames.

Presence is advisory: when the cache is down (a Redis restart) every function logs and
returns None instead of raising, so sockets and pages stay up; the next refresh repairs it.
"""

from __future__ import annotations

import logging
import time

from django.core.cache import cache

logger = logging.getLogger(__name__)

ENTRY_TTL = 60  # seconds a socket stays listed without a refresh
LOCK_TTL = 2
LOCK_ATTEMPTS = 100
LOCK_WAIT = 0.01

Entries = dict[str, tuple[int, str, float]]  # channel name -> (user id, name, expiry)


def _key(room_id: int) -> str:
    return f"chat:presence:{room_id}"


def _members(entries: Entries, now: float) -> list[dict]:
    people = {user_id: name for user_id, name, expires in entries.values() if expires > now}
    return [
        {"id": user_id, "name": name}
        for user_id, name in sorted(people.items(), key=lambda item: (item[1].lower(), item[0]))
    ]


def _update(room_id: int, channel: str, entry: tuple[int, str] | None) -> tuple[list[dict], bool]:
    key = _key(room_id)
    lock = f"{key}:lock"
    locked = False
    for _ in range(LOCK_ATTEMPTS):
        locked = cache.add(lock, 1, timeout=LOCK_TTL)
        if locked:
            break
        time.sleep(LOCK_WAIT)
    # Without the lock (a holder died), write anyway: presence is advisory and the
    # next refresh repairs a lost update.
    try:
        now = time.time()
        entries: Entries = {
            name: value for name, value in (cache.get(key) or {}).items() if value[2] > now
        }
        before = _members(entries, now)
        if entry is None:
            entries.pop(channel, None)
        else:
            entries[channel] = (entry[0], entry[1], now + ENTRY_TTL)
        cache.set(key, entries, ENTRY_TTL)
        after = _members(entries, now)
        return after, after != before
    finally:
        if locked:
            cache.delete(lock)


def enter(room_id: int, channel: str, user_id: int, name: str) -> tuple[list[dict], bool] | None:
    """Add or refresh a socket; returns the members present and whether that list changed."""
    try:
        return _update(room_id, channel, (user_id, name))
    except Exception:
        logger.warning("chat presence unavailable (cache error)", exc_info=True)
        return None


def leave(room_id: int, channel: str) -> tuple[list[dict], bool] | None:
    try:
        return _update(room_id, channel, None)
    except Exception:
        logger.warning("chat presence unavailable (cache error)", exc_info=True)
        return None


def members(room_id: int) -> list[dict] | None:
    try:
        return _members(cache.get(_key(room_id)) or {}, time.time())
    except Exception:
        logger.warning("chat presence unavailable (cache error)", exc_info=True)
        return None
