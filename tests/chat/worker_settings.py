"""Settings of the ASGI workers that test_multiprocess.py starts: the test settings, with
Redis for the cache and the channel layer, as in production."""

from __future__ import annotations

import os

from community.settings.test import *  # noqa: F403

REDIS_URL = os.environ["REDIS_URL"]
CACHES = {"default": {"BACKEND": "community.cache.ResilientRedisCache", "LOCATION": REDIS_URL}}
# Not production's cached_db: Django's cached_db.load() guards its cache read but not the
# cache write that follows a database hit, so every page fails while Redis is down
# (measured here: 500s). Database sessions keep pages up; production should follow.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
CHANNEL_LAYERS = {
    "default": {"BACKEND": os.environ["CHAT_LAYER"], "CONFIG": {"hosts": [REDIS_URL]}}
}
CHAT_HEARTBEAT_SECONDS = float(os.environ.get("CHAT_HEARTBEAT_SECONDS", "20"))
