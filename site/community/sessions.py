"""Sessions kept in the database, read from the cache first (SESSION_ENGINE).

The database holds every session and is written first: it is the source of truth. The cache
keeps a copy, so that a member's pages do not query their session on every request (a
query and its decoding were about a tenth of a member's page).

Unlike Django's `cached_db`, whose cache write after a database read is unguarded, every
cache call here is guarded: while Redis is down or restarting, reads miss and writes are
dropped (one warning each), and sessions are read from the database meanwhile, as with the
`db` engine; production kept `db` for that reason until this engine.

A copy lives CACHE_SECONDS at most, however long the session lasts: a sign-out whose cache
delete was lost (Redis unreachable at that moment, or restarted from a snapshot taken
before the sign-out) stops being honoured by then. Password changes and deactivations do
not depend on it: authentication checks each session against the user's row.
"""

from __future__ import annotations

import logging
from functools import cached_property
from typing import Any

from django.conf import settings
from django.contrib.sessions.backends.cached_db import SessionStore as CachedDBStore
from django.contrib.sessions.backends.db import SessionStore as DBStore
from django.core.cache import caches
from django.core.cache.backends.base import BaseCache

logger = logging.getLogger(__name__)

CACHE_SECONDS = 300


class SessionStore(CachedDBStore):
    cache_key_prefix = "community.sessions:"

    def __init__(self, session_key: str | None = None) -> None:
        # Not CachedDBStore's, which looks the cache up at once: every request gets a store,
        # and a visitor without a session never uses the cache.
        DBStore.__init__(self, session_key)

    @cached_property
    def _cache(self) -> BaseCache:
        return caches[settings.SESSION_CACHE_ALIAS]

    def _cached(self) -> dict[str, Any] | None:
        try:
            return self._cache.get(self.cache_key)
        except Exception as error:  # any backend's failure: the database answers
            logger.warning("session cache read failed: %s", error)
            return None

    def _keep(self, data: dict[str, Any], expiry_age: int) -> None:
        try:
            self._cache.set(self.cache_key, data, min(expiry_age, CACHE_SECONDS))
        except Exception as error:
            logger.warning("session cache write failed: %s", error)

    def _forget(self, session_key: str) -> None:
        try:
            self._cache.delete(self.cache_key_prefix + session_key)
        except Exception as error:
            logger.warning("session cache delete failed: %s", error)

    async def _acached(self) -> dict[str, Any] | None:
        try:
            return await self._cache.aget(await self.acache_key())
        except Exception as error:
            logger.warning("session cache read failed: %s", error)
            return None

    async def _akeep(self, data: dict[str, Any], expiry_age: int) -> None:
        try:
            await self._cache.aset(await self.acache_key(), data, min(expiry_age, CACHE_SECONDS))
        except Exception as error:
            logger.warning("session cache write failed: %s", error)

    async def _aforget(self, session_key: str) -> None:
        try:
            await self._cache.adelete(self.cache_key_prefix + session_key)
        except Exception as error:
            logger.warning("session cache delete failed: %s", error)

    def load(self) -> dict[str, Any]:
        data = self._cached()
        if data is None:
            row = self._get_session_from_db()
            if row is None:
                return {}
            data = self.decode(row.session_data)
            self._keep(data, self.get_expiry_age(expiry=row.expire_date))
        return data

    async def aload(self) -> dict[str, Any]:
        data = await self._acached()
        if data is None:
            row = await self._aget_session_from_db()
            if row is None:
                return {}
            data = self.decode(row.session_data)
            await self._akeep(data, await self.aget_expiry_age(expiry=row.expire_date))
        return data

    # Whether a new key is taken: the database knows every session, the cache only copies.
    exists = DBStore.exists
    aexists = DBStore.aexists

    def save(self, must_create: bool = False) -> None:
        DBStore.save(self, must_create)
        self._keep(self._session, self.get_expiry_age())

    async def asave(self, must_create: bool = False) -> None:
        await DBStore.asave(self, must_create)
        await self._akeep(self._session, await self.aget_expiry_age())

    def delete(self, session_key: str | None = None) -> None:
        # The database first: a request loading the session meanwhile finds no row to copy
        # back into the cache.
        DBStore.delete(self, session_key)
        session_key = session_key or self.session_key
        if session_key is not None:
            self._forget(session_key)

    async def adelete(self, session_key: str | None = None) -> None:
        await DBStore.adelete(self, session_key)
        session_key = session_key or self.session_key
        if session_key is not None:
            await self._aforget(session_key)
