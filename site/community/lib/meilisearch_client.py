"""Meilisearch, through a small keep-alive HTTP client (one session per thread), the one
client of the platform: the search app's Engine builds on it, and the health check asks it.

The official client opens a new connection for every call and shares mutable headers
between threads; the search path needs neither. Every write is an asynchronous task:
``wait()`` polls it and raises ``EngineError`` when it failed (a failed task does not raise).
"""

from __future__ import annotations

import threading
import time
from typing import Any

import requests
from django.conf import settings

NDJSON = {"Content-Type": "application/x-ndjson"}


class EngineError(Exception):
    """Meilisearch refused, failed a task, or did not answer in time."""


class EngineUnavailable(EngineError):
    """No answer (not configured, down, or slower than the timeout)."""


class Client:
    def __init__(self, url: str, api_key: str = "") -> None:
        self.url = url.rstrip("/")
        self.headers = {"Content-Type": "application/json"}
        if api_key:
            self.headers["Authorization"] = f"Bearer {api_key}"
        self._local = threading.local()

    # -- HTTP --------------------------------------------------------------------------------
    @property
    def session(self) -> requests.Session:
        session = getattr(self._local, "session", None)
        if session is None:
            session = self._local.session = requests.Session()
            session.headers.update(self.headers)
        return session

    def request(
        self,
        method: str,
        path: str,
        json: Any = None,
        timeout: float | None = None,
        ndjson: bytes | None = None,
    ):
        if not self.url:
            raise EngineUnavailable("MEILISEARCH_URL is not set")
        extra = {"data": ndjson, "headers": NDJSON} if ndjson is not None else {"json": json}
        try:
            response = self.session.request(
                method,
                f"{self.url}/{path}",
                timeout=timeout or settings.SEARCH_WRITE_TIMEOUT,
                **extra,
            )
        except (requests.Timeout, requests.ConnectionError) as error:
            raise EngineUnavailable(
                f"Meilisearch did not answer: {type(error).__name__}: {error}"
            ) from error
        if response.status_code >= 400:
            try:
                detail = response.json()
            except ValueError:
                detail = response.text[:200]
            error = EngineError(f"{response.status_code} {detail}")
            error.status_code = response.status_code
            error.code = detail.get("code") if isinstance(detail, dict) else None
            raise error
        return response.json() if response.content else None

    # -- tasks -----------------------------------------------------------------------------
    def wait(self, task: dict | int, timeout: float | None = None) -> dict:
        """Wait for a task; return it when it succeeded, raise EngineError otherwise."""
        uid = task["taskUid"] if isinstance(task, dict) else task
        deadline = time.monotonic() + (timeout if timeout is not None else 30.0)
        delay = 0.002
        while True:
            info = self.request("GET", f"tasks/{uid}")
            if info["status"] == "succeeded":
                return info
            if info["status"] in ("failed", "canceled"):
                raise EngineError(f"task {uid} {info['status']}: {info.get('error')}")
            if time.monotonic() >= deadline:
                raise EngineUnavailable(f"task {uid} still {info['status']}")
            time.sleep(delay)
            delay = min(delay * 2, 0.1)

    def health(self, timeout: float = 1.0) -> dict:
        status = self.request("GET", "health", timeout=timeout)
        version = self.request("GET", "version", timeout=timeout)
        return {"status": status.get("status"), "version": version.get("pkgVersion")}
