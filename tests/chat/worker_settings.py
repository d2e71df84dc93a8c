"""Settings of the ASGI workers that test_multiprocess.py starts: the test settings, with
Redis for the cache, the sessions' copies and the channel layer, as in production."""

from __future__ import annotations

import os

from community.settings.test import *  # noqa: F403

REDIS_URL = os.environ["REDIS_URL"]
CACHES = {"default": redis_cache(REDIS_URL)}  # noqa: F405
CHANNEL_LAYERS = {
    "default": {"BACKEND": os.environ["CHAT_LAYER"], "CONFIG": {"hosts": [REDIS_URL]}}
}
