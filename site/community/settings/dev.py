"""Local development: `make run`. SQLite, in-memory channel layer, e-mails on the console."""

from __future__ import annotations

import os

os.environ.setdefault("SECRET_KEY", "dev-only-secret-key-never-used-in-production")
os.environ.setdefault("DEBUG", "1")

from .base import *  # noqa: E402,F403

WHITENOISE_USE_FINDERS = True
STORAGES["staticfiles"] = {  # noqa: F405
    "BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"
}
