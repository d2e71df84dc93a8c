"""Tests marked with a service run against the real one, or skip when it is absent.

On a laptop without Redis, Meilisearch or Chromium those tests skip with the reason. In CI
(CI=true, or REQUIRE_SERVICES=1) a missing service fails them instead, so CI can never go
green by skipping.
"""

from __future__ import annotations

import functools
import os
import shutil
import socket
from pathlib import Path
from typing import NoReturn
from urllib.parse import urlparse

import pytest
from django.conf import settings

from tests.browser.chromium import CHROMIUM

PROJECT_ROOT = Path(__file__).resolve().parent.parent
VENDOR_DIR = PROJECT_ROOT / "var" / "vendor"
AXE_JS = VENDOR_DIR / "axe-core" / "axe.min.js"


def services_required() -> bool:
    return os.environ.get("CI", "").lower() in {"1", "true"} or os.environ.get(
        "REQUIRE_SERVICES", ""
    ) in {"1", "true"}


def unavailable(reason: str) -> NoReturn:
    """Stop a test whose service or provisioned file is missing: it fails in CI, where
    everything must be there, and skips elsewhere with the reason."""
    if services_required():
        pytest.fail(f"CI requires it: {reason}")
    pytest.skip(reason)


def _reachable(url: str, default_port: int) -> bool:
    parsed = urlparse(url)
    try:
        with socket.create_connection((parsed.hostname, parsed.port or default_port), 1):
            return True
    except OSError:
        return False


@functools.cache
def missing(service: str) -> str | None:
    """Why the service is unavailable, or None when tests can use it."""
    if service == "redis":
        url = os.environ.get("TEST_REDIS_URL") or settings.REDIS_URL or "redis://127.0.0.1:6379/0"
        return None if _reachable(url, 6379) else f"no Redis server at {url}"
    if service == "meilisearch":
        url = settings.MEILISEARCH_URL
        if not url:
            return "MEILISEARCH_URL is not set"
        return None if _reachable(url, 7700) else f"no Meilisearch server at {url}"
    if service == "browser":
        if not (shutil.which(CHROMIUM) or Path(CHROMIUM).exists()):
            return f"no Chromium at {CHROMIUM}"
        if not AXE_JS.exists():
            return f"axe-core is not provisioned at {AXE_JS} (run scripts/provision.sh)"
        return None
    raise ValueError(service)


def pytest_runtest_setup(item: pytest.Item) -> None:
    for marker in item.iter_markers():
        if marker.name not in {"redis", "meilisearch", "browser"}:
            continue
        reason = missing(marker.name)
        if reason is not None:
            unavailable(f"{marker.name}: {reason}")
