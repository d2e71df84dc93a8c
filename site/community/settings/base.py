"""Settings shared by every environment; dev, test and production refine them."""

from __future__ import annotations

import datetime
from pathlib import Path

from django.utils.translation import gettext_lazy as _
from machina import MACHINA_MAIN_TEMPLATE_DIR

from .env import env_bool, env_database, env_float, env_int, env_list, env_str, env_url

SITE_ROOT = Path(__file__).resolve().parent.parent.parent  # site/
PROJECT_ROOT = SITE_ROOT.parent
VAR_DIR = PROJECT_ROOT / "var"

SECRET_KEY = env_str("SECRET_KEY")
DEBUG = env_bool("DEBUG", False)
ALLOWED_HOSTS = env_list("ALLOWED_HOSTS", ["127.0.0.1", "localhost"])
CSRF_TRUSTED_ORIGINS = env_list("CSRF_TRUSTED_ORIGINS", [])

INSTALLED_APPS = [
    # django-machina (forum) and its dependencies come first: machina's class loader finds its
    # apps by name ("forum", "forum_conversation"…) in this list, before the project's "forum".
    "mptt",
    "haystack",
    "widget_tweaks",
    "machina",
    "machina.apps.forum",
    "machina.apps.forum_conversation",
    "machina.apps.forum_conversation.forum_attachments",
    "machina.apps.forum_conversation.forum_polls",
    "machina.apps.forum_feeds",
    "machina.apps.forum_moderation",
    "machina.apps.forum_search",
    "machina.apps.forum_tracking",
    "machina.apps.forum_member",
    "machina.apps.forum_permission",
    "community.accounts",
    "community.background",
    "community.calendars",
    "community.places",
    "community.accompaniment",
    "community.recruitment",
    "community.home",
    "toolkit",
    "webinars",
    "events",
    "forum.apps.DiscussionsConfig",
    "forum.chat",
    "search",
    "wagtail.contrib.settings",
    "wagtail.contrib.routable_page",
    "wagtail.embeds",
    "wagtail.sites",
    "wagtail.users",
    "wagtail.snippets",
    "wagtail.documents",
    "wagtail.images",
    "wagtail.search",
    "wagtail.admin",
    "wagtail",
    "modelcluster",
    "taggit",
    "allauth",
    "allauth.account",
    "allauth.mfa",
    "channels",
    "django_tasks",
    "django_tasks_db",
    "django.contrib.auth",
    "django.contrib.contenttypes",
    "django.contrib.sessions",
    "django.contrib.messages",
    "django.contrib.staticfiles",
    "django.contrib.humanize",
]

# Never answered from the page cache (community/page_cache.py): the admin, uploaded files,
# the health check (it must reach the database and Redis each time), websockets.
PAGE_CACHE_EXCLUDED_PREFIXES = ("/admin/", "/documents/", "/media/", "/sante/", "/ws/")
MIDDLEWARE = [
    "django.middleware.security.SecurityMiddleware",
    "community.headers.SecurityHeadersMiddleware",
    "whitenoise.middleware.WhiteNoiseMiddleware",
    # Anonymous visitors' pages from the cache, before sessions and authentication run.
    "community.page_cache.AnonymousPageCacheMiddleware",
    "django.contrib.sessions.middleware.SessionMiddleware",
    "django.middleware.common.CommonMiddleware",
    "django.middleware.csrf.CsrfViewMiddleware",
    "community.accounts.middleware.AuthenticationMiddleware",
    "django.contrib.messages.middleware.MessageMiddleware",
    "django.middleware.clickjacking.XFrameOptionsMiddleware",
    "allauth.account.middleware.AccountMiddleware",
    "community.accounts.middleware.AdminRequiresMembershipMiddleware",
    "forum.middleware.ForumPermissionMiddleware",
]

ROOT_URLCONF = "community.urls"
WSGI_APPLICATION = "community.wsgi.application"
ASGI_APPLICATION = "community.asgi.application"

TEMPLATES = [
    {
        "BACKEND": "django.template.backends.django.DjangoTemplates",
        # The site's overrides of machina's templates, then machina's own.
        "DIRS": [
            SITE_ROOT / "templates",
            SITE_ROOT / "templates" / "machina",
            MACHINA_MAIN_TEMPLATE_DIR,
        ],
        "APP_DIRS": True,
        "OPTIONS": {
            "context_processors": [
                "django.template.context_processors.request",
                "django.contrib.auth.context_processors.auth",
                "django.contrib.messages.context_processors.messages",
                "wagtail.contrib.settings.context_processors.settings",
                "community.home.context_processors.navigation",
                "machina.core.context_processors.metadata",
                "community.fragments.csrf",
            ],
            # One way to write dates, numbers and amounts in every template (|when,
            # |thousands, |euros…: community.lib.formats), and the markup every template
            # writes alike ({% scroll_table %}), with no {% load %}.
            "builtins": ["community.lib.format_filters", "community.lib.markup_tags"],
        },
    },
]

DATABASES = {"default": env_database("DATABASE_URL", f"sqlite:///{VAR_DIR / 'db.sqlite3'}")}
# A connection kept across requests, as in production: a new one per request cost every
# request that queries ~2 ms on SQLite (connecting, then reading the schema of 146 tables
# before the first statement), which is more than a member's page spent on its own queries.
DATABASES["default"]["CONN_MAX_AGE"] = env_int("DATABASE_CONN_MAX_AGE", 60)
DATABASES["default"]["CONN_HEALTH_CHECKS"] = True
# machina (forum issue) ships migrations built for AutoField; keeping it global avoids
# migrations inside site-packages. Our own apps set BigAutoField in their AppConfig.
DEFAULT_AUTO_FIELD = "django.db.models.AutoField"

AUTH_USER_MODEL = "accounts.User"
# In the database, read from the cache first; pages keep working while Redis is down
# (community/sessions.py).
SESSION_ENGINE = "community.sessions"
MESSAGE_STORAGE = "community.message_storage.LazyFallbackStorage"
AUTHENTICATION_BACKENDS = [
    "community.accounts.backends.MemberBackend",
    # Sessions opened before MemberBackend name this one (community/accounts/backends.py).
    "allauth.account.auth_backends.AuthenticationBackend",
]
AUTH_PASSWORD_VALIDATORS = [
    {"NAME": "django.contrib.auth.password_validation.UserAttributeSimilarityValidator"},
    {"NAME": "django.contrib.auth.password_validation.MinimumLengthValidator"},
    {"NAME": "django.contrib.auth.password_validation.CommonPasswordValidator"},
    {"NAME": "django.contrib.auth.password_validation.NumericPasswordValidator"},
]
LOGIN_URL = "account_login"
LOGIN_REDIRECT_URL = "accounts:dashboard"

# One language: Django translates to LANGUAGE_CODE without LocaleMiddleware, which would
# only negotiate, on every request, a language that cannot change (issue 15).
LANGUAGE_CODE = "fr"
LANGUAGES = [("fr", _("Français"))]
TIME_ZONE = "Europe/Paris"
USE_I18N = True
USE_TZ = True

STATIC_URL = "/static/"
STATIC_ROOT = VAR_DIR / "static"
STATICFILES_DIRS = [
    SITE_ROOT / "static",
    # The public map's libraries, fetched from npm by scripts/provision.sh (never a CDN).
    ("vendor/leaflet", VAR_DIR / "vendor" / "leaflet" / "dist"),
    ("vendor/leaflet.markercluster", VAR_DIR / "vendor" / "leaflet.markercluster" / "dist"),
    ("vendor/france-departments", VAR_DIR / "vendor" / "france-departments"),
]
MEDIA_URL = "/media/"
MEDIA_ROOT = Path(env_str("MEDIA_ROOT", str(VAR_DIR / "media")))
# Private uploads (invoices, photos of bookings): outside MEDIA_ROOT, served only by views
# that check who asks (community/media.py). With a prefix such as /_private/, those views
# hand the file to nginx's matching `internal` location (X-Accel-Redirect) instead of
# streaming it through a worker.
PRIVATE_MEDIA_ROOT = Path(env_str("PRIVATE_MEDIA_ROOT", str(VAR_DIR / "private-media")))
PRIVATE_MEDIA_ACCEL_PREFIX = env_str("PRIVATE_MEDIA_ACCEL_PREFIX", "")
# The public map's background tiles, e.g. OpenStreetMap France in production:
# https://{s}.tile.openstreetmap.fr/osmfr/{z}/{x}/{y}.png. Empty (development, tests): no
# tiles, the departments' outlines and the cafés still show. The CSP allows its host.
MAP_TILES_URL = env_str("MAP_TILES_URL", "")
# Shown on the map under the tiles, as their licence requires (ODbL for OpenStreetMap).
OSM_FRANCE_ATTRIBUTION = (
    "© les contributeurs d’OpenStreetMap (ODbL), fond de carte OpenStreetMap France"
)
MAP_TILES_ATTRIBUTION = env_str("MAP_TILES_ATTRIBUTION", OSM_FRANCE_ATTRIBUTION)
STORAGES = {
    "default": {"BACKEND": "django.core.files.storage.FileSystemStorage"},
    "private": {"BACKEND": "community.media.PrivateFileSystemStorage"},
    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"},
}

# Uploads: Django refuses bigger request bodies before any view code runs.
DATA_UPLOAD_MAX_MEMORY_SIZE = 5 * 1024 * 1024
FILE_UPLOAD_MAX_MEMORY_SIZE = 2 * 1024 * 1024

REDIS_URL = env_url("REDIS_URL", "", schemes=("redis", "rediss"))
MEILISEARCH_URL = env_url("MEILISEARCH_URL", "", schemes=("http", "https"))
MEILISEARCH_API_KEY = env_str("MEILISEARCH_API_KEY", "")
# The site's queries use this search-only key (manage.py search_create_key makes it); unset,
# they use MEILISEARCH_API_KEY, which only writes need.
MEILISEARCH_SEARCH_KEY = env_str("MEILISEARCH_SEARCH_KEY", "")
MEILISEARCH_INDEX_PREFIX = env_str("MEILISEARCH_INDEX_PREFIX", "dev")
# Seconds. A query waits this long for Meilisearch before the database answers instead;
# after a failure, queries go to the database for SEARCH_ENGINE_RETRY_AFTER; index writes
# (the worker's, not a request's) may take SEARCH_WRITE_TIMEOUT.
SEARCH_QUERY_TIMEOUT = env_float("SEARCH_QUERY_TIMEOUT", 0.3)
SEARCH_ENGINE_RETRY_AFTER = env_float("SEARCH_ENGINE_RETRY_AFTER", 10.0)
SEARCH_WRITE_TIMEOUT = env_float("SEARCH_WRITE_TIMEOUT", 2.0)


def redis_cache(url: str) -> dict:
    """The cache on Redis: reads miss instead of failing while Redis is unreachable
    (community.cache), and an unreachable Redis costs a request a second at most."""
    return {
        "BACKEND": "community.cache.ResilientRedisCache",
        "LOCATION": url,
        "OPTIONS": {"socket_connect_timeout": 0.5, "socket_timeout": 1},
    }


def redis_channel_layer(url: str) -> dict:
    """Pub/sub, not RedisChannelLayer: across a Redis restart its sockets stay open and it
    resubscribes by itself, where RedisChannelLayer closed every socket (measured in
    tests/chat/test_multiprocess.py). Messages published while Redis is down are lost to the
    layer only: they are stored first, and chat consumers and clients catch up from the
    database."""
    return {
        "default": {
            "BACKEND": "channels_redis.pubsub.RedisPubSubChannelLayer",
            "CONFIG": {"hosts": [url]},
        }
    }


if REDIS_URL:
    CACHES = {"default": redis_cache(REDIS_URL)}
    CHANNEL_LAYERS = redis_channel_layer(REDIS_URL)
else:
    CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    CHANNEL_LAYERS = {"default": {"BACKEND": "channels.layers.InMemoryChannelLayer"}}

EMAIL_BACKEND = env_str("EMAIL_BACKEND", "django.core.mail.backends.console.EmailBackend")
EMAIL_HOST = env_str("EMAIL_HOST", "localhost")
EMAIL_PORT = env_int("EMAIL_PORT", 25)
EMAIL_HOST_USER = env_str("EMAIL_HOST_USER", "")
EMAIL_HOST_PASSWORD = env_str("EMAIL_HOST_PASSWORD", "")
EMAIL_USE_TLS = env_bool("EMAIL_USE_TLS", False)
DEFAULT_FROM_EMAIL = env_str("DEFAULT_FROM_EMAIL", "Réseau 1000 cafés <contact@example.org>")
SERVER_EMAIL = DEFAULT_FROM_EMAIL
# Where vulnerabilities are reported (/.well-known/security.txt, README « Security »).
SECURITY_CONTACT_EMAIL = env_str("SECURITY_CONTACT_EMAIL", "securite@example.org")
SECURITY_TXT_EXPIRES = (
    datetime.datetime.now(datetime.UTC) + datetime.timedelta(days=360)
).strftime("%Y-%m-%dT00:00:00Z")

# django-allauth: e-mail only, verified before the first login.
ACCOUNT_LOGIN_METHODS = {"email"}
ACCOUNT_SIGNUP_FIELDS = ["email*", "password1*", "password2*"]
ACCOUNT_USER_MODEL_USERNAME_FIELD = None
ACCOUNT_EMAIL_VERIFICATION = "mandatory"
ACCOUNT_EMAIL_VERIFICATION_BY_CODE_ENABLED = False
ACCOUNT_CONFIRM_EMAIL_ON_GET = False
ACCOUNT_UNIQUE_EMAIL = True
# Sign-up and password reset answer the same for known and unknown addresses; the owner of
# a known address is told by e-mail instead.
ACCOUNT_PREVENT_ENUMERATION = True
ACCOUNT_SESSION_REMEMBER = None
ACCOUNT_EMAIL_SUBJECT_PREFIX = "[1000 cafés] "
ACCOUNT_FORMS = {"signup": "community.accounts.forms.MemberSignupForm"}
ACCOUNT_ADAPTER = "community.accounts.adapter.AccountAdapter"
ACCOUNT_LOGOUT_REDIRECT_URL = "/"
# A password change keeps this session signed in and signs every other one out (Django
# checks each session against the password hash); a reset signs them all out.
ACCOUNT_LOGOUT_ON_PASSWORD_CHANGE = False
ACCOUNT_RATE_LIMITS = {
    "login": "30/m/ip",
    # Per address, and per account ("key": the e-mail typed) whatever the address, with a
    # back-off: 5 failures lock the account for up to 5 minutes, 10 for up to an hour, 20 for
    # up to a day. Every lock expires by itself; a password reset lifts it at once, so an
    # attacker cannot keep a member out for long.
    "login_failed": "10/m/ip,5/5m/key,10/1h/key,20/1d/key",
    "signup": "20/m/ip",
    "confirm_email": "1/3m/key",
    "reset_password": "20/m/ip,5/m/key",
    "reset_password_from_key": "20/m/ip",
    # The communes' public application form (community.accompaniment), per address and per
    # e-mail typed: a mairie correcting its form a few times is fine, a robot is not.
    "commune_application": "20/h/ip,6/h/key",
    "job_candidacy": "20/h/ip,6/h/key",  # candidates to a job offer (community.recruitment)
    "change_password": "5/m/user",
}

# Two-factor authentication: an authenticator app (TOTP) and single-use recovery codes, for
# every member who wants it; staff need it before the Wagtail admin (accounts/middleware.py).
MFA_SUPPORTED_TYPES = ["totp", "recovery_codes"]
MFA_TOTP_ISSUER = "Réseau 1000 cafés"
MFA_ADAPTER = "community.accounts.adapter.MFAAdapter"

WAGTAIL_SITE_NAME = "Réseau 1000 cafés"
WAGTAILADMIN_BASE_URL = env_str("WAGTAILADMIN_BASE_URL", "http://127.0.0.1:8000")
WAGTAILADMIN_PERMITTED_LANGUAGES = [("fr", "Français")]
WAGTAILADMIN_LOGIN_URL = "account_login"
# Addresses and passwords change through allauth only, so a new address is verified first.
WAGTAIL_EMAIL_MANAGEMENT_ENABLED = False
WAGTAIL_PASSWORD_MANAGEMENT_ENABLED = False
WAGTAIL_PASSWORD_RESET_ENABLED = False
WAGTAILUSERS_PASSWORD_ENABLED = False
WAGTAIL_ENABLE_UPDATE_CHECK = False
# Documents always stream through Wagtail's view, where the audience checks run; a redirect
# to the storage URL (Wagtail's default for remote storages) would be shareable.
WAGTAILDOCS_SERVE_METHOD = "serve_view"
# Staff avatars in the admin come from the site, not from Gravatar: no member's address hash
# leaves for a third party, and the Content-Security-Policy needs no other image origin.
WAGTAIL_GRAVATAR_PROVIDER_URL = None
WAGTAILSEARCH_BACKENDS = {"default": {"BACKEND": "wagtail.search.backends.database"}}

# Avatar limits, read by the avatar validator and shown in its error messages.
AVATAR_MAX_BYTES = 2 * 1024 * 1024
AVATAR_MAX_PIXELS = 4096 * 4096
AVATAR_SIZE = 256

# Forum (django-machina). Posts are rendered by our markdown + nh3 sanitiser; display names,
# never e-mail addresses; attachments and polls are not granted, and their upload cache
# is the default cache (the test settings replace CACHES wholesale).
MACHINA_FORUM_NAME = "Forum du réseau"
MACHINA_BASE_TEMPLATE_NAME = "base.html"
MACHINA_MARKUP_LANGUAGE = ("forum.markup.render", {})
MACHINA_MARKUP_WIDGET = "django.forms.Textarea"
MACHINA_USER_DISPLAY_NAME_METHOD = "get_full_name"
MACHINA_PROFILE_AVATARS_ENABLED = False
MACHINA_TOPIC_POSTS_NUMBER_PER_PAGE = 20
MACHINA_ATTACHMENT_CACHE_NAME = "default"
# machina imports haystack; its own search view is replaced by the project's (forum/search/).
HAYSTACK_CONNECTIONS = {"default": {"ENGINE": "haystack.backends.simple_backend.SimpleEngine"}}
FORUM_POSTS_PER_MINUTE = 5
# Chat: at most CHAT_RATE_LIMIT[0] messages per member every CHAT_RATE_LIMIT[1] seconds,
# across rooms; an open socket refreshes its presence and catches up every
# CHAT_HEARTBEAT_SECONDS (well within forum.chat.presence.ENTRY_TTL).
CHAT_RATE_LIMIT = (10, 10)
CHAT_HEARTBEAT_SECONDS = env_float("CHAT_HEARTBEAT_SECONDS", 20.0)

# Background tasks (community.background): e-mails, search delivery and Wagtail's own tasks
# are rows in the database, run by `manage.py run_worker` with retries. The test settings
# run them at once (immediate backend) unless a test asks for the database.
TASKS = {"default": {"BACKEND": "django_tasks_db.DatabaseBackend"}}
# A failed task runs again after 30 s, 1 min, 2 min… (at most an hour apart), 8 runs in
# all (about 1 h 04 min), then stays failed in the admin (« Tâches en échec »). A task still
# "running" 15 minutes after its start lost its worker and runs again: longer than any task
# may take (an e-mail, an index batch), short enough that a killed worker's mail still goes.
TASK_RETRY = {
    "max_attempts": env_int("TASK_MAX_ATTEMPTS", 8),
    "base_delay": env_int("TASK_RETRY_BASE_DELAY", 30),
    "max_delay": 3600,
    "stalled_after": env_int("TASK_STALLED_AFTER", 900),
}
# Periodic work, claimed by one worker per period (community/background/periodic.py). Each
# job: a function without arguments, and "every" (seconds) or "daily_at" (local "HH:MM").
PERIODIC_JOBS = {
    "webinar_reminders": {"call": "webinars.services.send_due_reminders", "every": 300},
    "forum_digest": {"call": "forum.services.send_daily_digests", "daily_at": "07:00"},
    "search_sync": {"call": "search.indexing.sync", "every": 60},
    "prune_chat_changes": {"call": "forum.chat.services.prune_changes", "daily_at": "03:30"},
    "expire_applications": {
        "call": "community.accompaniment.services.applications.expire_unconfirmed_applications",
        "daily_at": "04:10",
    },
    # Just after midnight: offers whose closing date passed leave the search.
    "unlist_expired_offers": {
        "call": "community.recruitment.services.unlist_expired_offers",
        "daily_at": "00:05",
    },
    # Likewise the Guinguette's evenings once their date has passed.
    "unlist_past_guinguette_evenings": {
        "call": "events.services.unlist_past_guinguette_evenings",
        "daily_at": "00:05",
    },
    "expire_candidacies": {
        "call": "community.recruitment.services.forget_stale_candidacies",
        "daily_at": "04:20",
    },
    # A third of the stall delay: a lost task waits at most 4/3 of it.
    "requeue_stalled_tasks": {
        "call": "community.background.retry.requeue_stalled",
        "every": max(TASK_RETRY["stalled_after"] // 3, 1),
    },
}

LOGGING = {
    "version": 1,
    "disable_existing_loggers": False,
    "handlers": {"console": {"class": "logging.StreamHandler"}},
    "root": {"handlers": ["console"], "level": env_str("LOG_LEVEL", "INFO")},
    # Wagtail runs its reference-index updates as tasks; two lines per page save is noise.
    "loggers": {"django_tasks": {"level": "WARNING"}},
}
