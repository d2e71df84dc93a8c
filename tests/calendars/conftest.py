"""The calendars serve several features: their tests use those features' fixtures."""

from tests.events.conftest import chess, confirmed, provider, requested, vehicles  # noqa: F401
from tests.webinars.conftest import home, index, make_webinar  # noqa: F401
