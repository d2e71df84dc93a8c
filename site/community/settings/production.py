"""Production: every external service comes from the environment, nothing has a default."""

from __future__ import annotations

from pathlib import Path

from django.core.exceptions import ImproperlyConfigured

from .base import *  # noqa: F403
from .env import env_bool, env_database, env_int, env_list, env_str, env_url

DEBUG = False
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS")
# The site's address in e-mails and admin links: base.py's development default would send
# members links to 127.0.0.1.
WAGTAILADMIN_BASE_URL = env_url("WAGTAILADMIN_BASE_URL", schemes=("https", "http"))
DATABASES = {"default": env_database("DATABASE_URL")}
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True

REDIS_URL = env_url("REDIS_URL", schemes=("redis", "rediss"))
CACHES = {"default": redis_cache(REDIS_URL)}  # noqa: F405
CHANNEL_LAYERS = redis_channel_layer(REDIS_URL)  # noqa: F405
# Sessions: base.py's SESSION_ENGINE, in PostgreSQL and read from Redis first, pages still
# answering while Redis restarts (community/sessions.py).

MEILISEARCH_URL = env_url("MEILISEARCH_URL", schemes=("http", "https"))
MEILISEARCH_API_KEY = env_str("MEILISEARCH_API_KEY")
MEILISEARCH_SEARCH_KEY = env_str("MEILISEARCH_SEARCH_KEY")
MEILISEARCH_INDEX_PREFIX = env_str("MEILISEARCH_INDEX_PREFIX", "prod")

EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
EMAIL_HOST = env_str("EMAIL_HOST")
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
SECURITY_CONTACT_EMAIL = env_str("SECURITY_CONTACT_EMAIL")

# Media on S3-compatible object storage when a bucket is named, else a mounted volume.
# Private uploads never share the public files' place: their own bucket (or a prefix of the
# media bucket), or their own folder outside MEDIA_ROOT.
MEDIA_S3_BUCKET = env_str("MEDIA_S3_BUCKET", "")
if MEDIA_S3_BUCKET:
    _s3_options = {
        "endpoint_url": env_url("MEDIA_S3_ENDPOINT_URL", schemes=("https",)),
        "access_key": env_str("MEDIA_S3_ACCESS_KEY"),
        "secret_key": env_str("MEDIA_S3_SECRET_KEY"),
        "default_acl": None,
        "querystring_auth": True,
        "file_overwrite": False,
    }
    _private_bucket = env_str("MEDIA_S3_PRIVATE_BUCKET", MEDIA_S3_BUCKET)
    STORAGES["default"] = {  # noqa: F405
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {**_s3_options, "bucket_name": MEDIA_S3_BUCKET},
    }
    STORAGES["private"] = {  # noqa: F405
        "BACKEND": "storages.backends.s3.S3Storage",
        "OPTIONS": {
            **_s3_options,
            "bucket_name": _private_bucket,
            "location": "private" if _private_bucket == MEDIA_S3_BUCKET else "",
        },
    }
else:
    MEDIA_ROOT = Path(env_str("MEDIA_ROOT")).resolve()
    PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT")).resolve()
    if (
        PRIVATE_MEDIA_ROOT == MEDIA_ROOT
        or MEDIA_ROOT in PRIVATE_MEDIA_ROOT.parents
        or PRIVATE_MEDIA_ROOT in MEDIA_ROOT.parents
    ):
        raise ImproperlyConfigured(
            "PRIVATE_MEDIA_ROOT and MEDIA_ROOT must be separate folders, neither inside the other."
        )
PRIVATE_MEDIA_ACCEL_PREFIX = env_str("PRIVATE_MEDIA_ACCEL_PREFIX", "")
if PRIVATE_MEDIA_ACCEL_PREFIX and not (
    PRIVATE_MEDIA_ACCEL_PREFIX.startswith("/") and PRIVATE_MEDIA_ACCEL_PREFIX.endswith("/")
):
    raise ImproperlyConfigured("PRIVATE_MEDIA_ACCEL_PREFIX must start and end with /.")

SECURE_PROXY_SSL_HEADER = ("HTTP_X_FORWARDED_PROTO", "https")
# allauth's per-address rate limits need the visitor's address, not the proxy's. nginx
# appends it to X-Forwarded-For (deploy/nginx/mille-cafes.conf): trust that many proxies
# from the right of the header, or the one header a single trusted proxy sets (X-Real-IP).
ALLAUTH_TRUSTED_PROXY_COUNT = env_int("TRUSTED_PROXY_COUNT", 1)
ALLAUTH_TRUSTED_CLIENT_IP_HEADER = env_str("TRUSTED_CLIENT_IP_HEADER", "") or None
SECURE_SSL_REDIRECT = env_bool("SECURE_SSL_REDIRECT", True)
SECURE_HSTS_SECONDS = env_int("SECURE_HSTS_SECONDS", 31536000)
SECURE_HSTS_INCLUDE_SUBDOMAINS = True
SECURE_HSTS_PRELOAD = True
SESSION_COOKIE_SECURE = True
CSRF_COOKIE_SECURE = True
SECURE_CONTENT_TYPE_NOSNIFF = True
SECURE_REFERRER_POLICY = "same-origin"
