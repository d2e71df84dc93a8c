"""Fixtures of the security tests: the events world (a held booking, its fund…) is reused."""

from __future__ import annotations

from tests.events.conftest import chess, confirmed, fund, held, provider, requested  # noqa: F401
