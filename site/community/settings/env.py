"""Typed readers for environment variables.

Each reader fails loudly with the variable's name when a required value is missing or
malformed, so a misconfigured deployment stops at start-up instead of misbehaving later.
"""

from __future__ import annotations

import os
from typing import Any

import dj_database_url
from django.core.exceptions import ImproperlyConfigured

_MISSING: Any = object()
_TRUE = {"1", "true", "yes", "on"}
_FALSE = {"0", "false", "no", "off", ""}


def env_str(name: str, default: str = _MISSING) -> str:
    value = os.environ.get(name)
    if value is None or value == "":
        if default is _MISSING:
            raise ImproperlyConfigured(f"The environment variable {name} is required.")
        return default
    return value


def env_bool(name: str, default: bool = _MISSING) -> bool:
    raw = os.environ.get(name)
    if raw is None:
        if default is _MISSING:
            raise ImproperlyConfigured(f"The environment variable {name} is required.")
        return default
    lowered = raw.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use 1/0, true/false).")


def env_int(name: str, default: int = _MISSING) -> int:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        if default is _MISSING:
            raise ImproperlyConfigured(f"The environment variable {name} is required.")
        return default
    try:
        return int(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not an integer.") from None


def env_float(name: str, default: float = _MISSING) -> float:
    raw = os.environ.get(name)
    if raw is None or raw == "":
        if default is _MISSING:
            raise ImproperlyConfigured(f"The environment variable {name} is required.")
        return default
    try:
        return float(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not a number.") from None


def env_list(name: str, default: list[str] = _MISSING) -> list[str]:
    raw = os.environ.get(name)
    if raw is None or raw.strip() == "":
        if default is _MISSING:
            raise ImproperlyConfigured(f"The environment variable {name} is required.")
        return list(default)
    return [item.strip() for item in raw.split(",") if item.strip()]


def env_database(name: str = "DATABASE_URL", default: str = _MISSING) -> dict[str, Any]:
    url = env_str(name, default)
    try:
        config = dj_database_url.parse(url, conn_max_age=0)
    except ValueError as error:
        raise ImproperlyConfigured(f"{name} is not a valid database URL: {error}") from None
    if config["ENGINE"] not in {
        "django.db.backends.postgresql",
        "django.db.backends.sqlite3",
    }:
        raise ImproperlyConfigured(f"{name} must point at PostgreSQL or SQLite.")
    if config["ENGINE"] == "django.db.backends.sqlite3":
        # Writers take the lock when their transaction starts, so concurrent writers wait
        # their turn (up to the timeout) instead of failing midway with "database is locked".
        config["OPTIONS"] = {"transaction_mode": "IMMEDIATE", "timeout": 20}
    return config


def env_url(name: str, default: str = _MISSING, schemes: tuple[str, ...] = ()) -> str:
    url = env_str(name, default)
    if url and schemes and not url.startswith(tuple(f"{scheme}://" for scheme in schemes)):
        raise ImproperlyConfigured(f"{name}={url!r} must start with one of {schemes}.")
    return url
