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


def _raw(name: str, default: Any, *, blank_is_missing: bool = True) -> str | None:
    """The variable's text, or None when it is unset (or blank) and the caller has a default."""
    raw = os.environ.get(name)
    if raw is None or (blank_is_missing and not raw.strip()):
        if default is _MISSING:
            raise ImproperlyConfigured(f"The environment variable {name} is required.")
        return None
    return raw


def env_str(name: str, default: str = _MISSING) -> str:
    raw = _raw(name, default)
    return default if raw is None else raw


def env_bool(name: str, default: bool = _MISSING) -> bool:
    # Set but empty (``DEBUG=``) reads as false, as shells and .env files mean it.
    raw = _raw(name, default, blank_is_missing=False)
    if raw is None:
        return default
    lowered = raw.strip().lower()
    if lowered in _TRUE:
        return True
    if lowered in _FALSE:
        return False
    raise ImproperlyConfigured(f"{name}={raw!r} is not a boolean (use 1/0, true/false).")


def _number(name: str, default: Any, kind: type, label: str) -> Any:
    raw = _raw(name, default)
    if raw is None:
        return default
    try:
        return kind(raw)
    except ValueError:
        raise ImproperlyConfigured(f"{name}={raw!r} is not {label}.") from None


def env_int(name: str, default: int = _MISSING) -> int:
    return _number(name, default, int, "an integer")


def env_float(name: str, default: float = _MISSING) -> float:
    return _number(name, default, float, "a number")


def env_list(name: str, default: list[str] = _MISSING) -> list[str]:
    raw = _raw(name, default)
    if raw is None:
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
