"""Django's messages storage, built only by the requests that read or add a message."""

from __future__ import annotations

from functools import cached_property

from django.contrib.messages.storage.base import BaseStorage
from django.contrib.messages.storage.fallback import FallbackStorage


class LazyFallbackStorage(FallbackStorage):
    """FallbackStorage (the messages cookie, then the session), whose two backends are made
    when a message is first read or added. MessageMiddleware gives every request a storage,
    and making the backends (a cookie signer among them) was a tenth of the fixed cost of a
    request that never meets a message: an API answer, a redirect, a kept page's miss."""

    def __init__(self, request, *args, **kwargs) -> None:
        BaseStorage.__init__(self, request, *args, **kwargs)
        self._used_storages = set()

    @cached_property
    def storages(self) -> list[BaseStorage]:
        return [storage_class(self.request) for storage_class in self.storage_classes]
