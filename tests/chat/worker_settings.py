"""Settings of the ASGI workers that test_multiprocess.py starts: the test settings, with
Redis for the cache and the channel layer, as in production."""

from __future__ import annotations

import os

from community.settings.test import *  # noqa: F403

REDIS_URL = os.environ["REDIS_URL"]
CACHES = {"default": redis_cache(REDIS_URL)}  # noqa: F405
# As production, database sessions: Django's cached_db.load() guards its cache read but not
# the cache write that follows a database hit, so every page failed while Redis was down.
SESSION_ENGINE = "django.contrib.sessions.backends.db"
CHANNEL_LAYERS = {
    "default": {"BACKEND": os.environ["CHAT_LAYER"], "CONFIG": {"hosts": [REDIS_URL]}}
}
