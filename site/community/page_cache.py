"""Whole pages kept for anonymous visitors, until anything they show changes.

Anonymous visitors all see the same page at a given address: the page is rendered once and
answered from the cache to the next ones, before sessions, authentication or the view run.

What is never kept: a response to a request carrying a session or messages cookie (a member,
or a visitor with something pending for them), one that sets a cookie (a new session, a CSRF
token, a message), one whose page used a CSRF token (a form), anything but a 200 answer to a
GET, a response marked private or no-store, or one varying on a header other than Cookie.

Freshness: every entry carries the generation it was rendered under. Any write to the
database that could show on a page (every model's save and delete, many-to-many changes,
Wagtail's publish, unpublish and move; a short list of models that never show on a page is
ignored) sets a new generation at once and again after its transaction commits, so a page
rendered from data as it was before the change is never served afterwards. What changes
without a write, with the clock (« animation à venir » once the animation has started, a
webinar over), is told by the code that reads the clock: `changes_at(moment)` while a page
renders, and the page is kept until that moment at the latest (never longer than
ENTRY_SECONDS anyway).

An address whose answer could not be kept is rendered without asking the cache for a
minute (PASS_SECONDS), as Varnish's "hit-for-pass" does.
"""

from __future__ import annotations

import hashlib
import math
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from datetime import datetime

from django.conf import settings
from django.contrib.messages.storage.cookie import CookieStorage
from django.db.models.signals import m2m_changed, post_delete, post_save
from django.http import HttpRequest, HttpResponse
from django.utils import timezone
from django.utils.cache import cc_delim_re, patch_vary_headers
from wagtail.signals import page_published, page_unpublished, post_page_move

from community.cache import MISSING, Generation

ENTRY_SECONDS = 120
PAGES = Generation("page-cache", timeout=ENTRY_SECONDS)
# Larger pages are rendered each time rather than held in memory.
MAX_BYTES = 512 * 1024
# Writes that no page shows: sessions, read marks, notifications, queued tasks, sign-in
# bookkeeping, admin preferences. Ignoring them keeps members' reading from emptying the
# visitors' cache.
IGNORED_MODELS = frozenset(
    {
        "sessions.session",
        "forum_tracking.forumreadtrack",
        "forum_tracking.topicreadtrack",
        "chat.readmark",
        "discussions.notification",
        "django_tasks_database.dbtaskresult",
        "admin.logentry",
        "account.emailconfirmation",
        "mfa.authenticator",
        "wagtailusers.userprofile",
    }
)
IGNORED_USER_FIELDS = frozenset({"last_login"})
_ALLOWED_VARY = frozenset({"cookie", "accept-encoding"})
# Varnish's "hit-for-pass": an address whose answer could not be kept (a form, a redirect, a
# view that forbids caching) is rendered without asking the cache for PASS_SECONDS, as the
# lookup could only miss. Passing never serves anything: the page is rendered. Kept in this
# process only, forgotten when content changes here and all at once past PASS_ADDRESSES
# (visitors choose the addresses).
PASS_SECONDS = 60
PASS_ADDRESSES = 4096
_passes: dict[str, float] = {}
# The moments at which what the page being rendered shows stops being true: a list the
# middleware puts in place for each request it may keep (a list, mutated, so that a view run
# in another thread or context still reaches the middleware's).
_changes: ContextVar[list[datetime] | None] = ContextVar("page_cache_changes", default=None)


def changes_at(moment: datetime | None) -> None:
    """What the page being rendered shows changes at `moment` without any write (the next
    animation starts, a webinar ends): a kept copy of the page is not served from then on.
    Outside a request the page cache may keep, it does nothing."""
    changes = _changes.get()
    if changes is not None and moment is not None:
        changes.append(moment)


@contextmanager
def recording_changes() -> Iterator[list[datetime]]:
    """Collect the moments `changes_at` is told while rendering a part kept elsewhere (a
    fragment, community/fragments.py), which tells them again each time it is used."""
    changes: list[datetime] = []
    token = _changes.set(changes)
    try:
        yield changes
    finally:
        _changes.reset(token)


def _kept_until(changes: list[datetime]) -> float:
    """The timestamp the page may be served until: ENTRY_SECONDS from now, sooner when
    something shown changes sooner (already past when the page rendered across it)."""
    now = timezone.now().timestamp()
    return min([now + ENTRY_SECONDS, *(moment.timestamp() for moment in changes)])


def content_changed(**kwargs) -> None:
    """At once (a request rendering meanwhile in the same transaction) and after commit (a
    request that rendered the data as it was before the commit)."""
    forget_passes()
    PAGES.invalidate_now_and_after_commit()


def forget_passes() -> None:
    """Look every address up again (a page published where there was none is then kept
    from its first visit)."""
    _passes.clear()


def _model_written(sender, instance=None, update_fields=None, **kwargs) -> None:
    if sender._meta.label_lower in IGNORED_MODELS:
        return
    if (
        update_fields
        and sender._meta.label_lower == settings.AUTH_USER_MODEL.lower()
        and set(update_fields) <= IGNORED_USER_FIELDS
    ):
        return
    content_changed()


def connect_signals() -> None:
    uid = "community.page_cache"
    post_save.connect(_model_written, dispatch_uid=f"{uid}.save")
    post_delete.connect(_model_written, dispatch_uid=f"{uid}.delete")
    m2m_changed.connect(_model_written, dispatch_uid=f"{uid}.m2m")
    for signal in (page_published, page_unpublished, post_page_move):
        signal.connect(content_changed, dispatch_uid=f"{uid}.{signal!r}")


def _entry_key(request: HttpRequest) -> str:
    # The host as sent, unchecked (get_host's check of ALLOWED_HOSTS was a tenth of a miss's
    # cost): CommonMiddleware refuses a disallowed host (400) before any page is kept, so an
    # entry exists only for an allowed host.
    address = f"{request.scheme}://{request._get_raw_host()}{request.get_full_path()}"
    # "entry:", not the former "page:": an entry now holds its deadline beside the page, and
    # one kept in the former shape must never be read as one.
    return "entry:" + hashlib.sha256(address.encode()).hexdigest()


def _may_use_cache(request: HttpRequest) -> bool:
    return (
        request.method == "GET"
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and CookieStorage.cookie_name not in request.COOKIES
        and "HTTP_AUTHORIZATION" not in request.META
        and not request.path.startswith(settings.PAGE_CACHE_EXCLUDED_PREFIXES)
    )


def _may_keep(request: HttpRequest, response: HttpResponse) -> bool:
    if response.status_code != 200 or response.streaming or response.cookies:
        return False
    if request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):  # the page holds a CSRF token
        return False
    control = response.get("Cache-Control", "").lower()
    if any(word in control for word in ("private", "no-store", "no-cache")):
        return False
    vary = {header.strip().lower() for header in cc_delim_re.split(response.get("Vary", ""))}
    if vary - _ALLOWED_VARY - {""}:
        return False
    return len(response.content) <= MAX_BYTES


class AnonymousPageCacheMiddleware:
    """Before the session middleware: a kept page costs one cache round trip."""

    def __init__(self, get_response: Callable[[HttpRequest], HttpResponse]) -> None:
        self.get_response = get_response

    def __call__(self, request: HttpRequest) -> HttpResponse:
        if not _may_use_cache(request):
            return self.get_response(request)
        key = _entry_key(request)
        if _passes.get(key, 0.0) > time.monotonic():
            return self.get_response(request)
        generation, kept = PAGES.lookup(key)
        # The entry's own deadline is checked, not only the cache's expiry: a backend may
        # round its timeouts, and the clock is the one the page read.
        if kept is not MISSING and timezone.now().timestamp() < kept[0]:
            return _rebuild(kept[1])
        changes: list[datetime] = []
        token = _changes.set(changes)
        try:
            response = self.get_response(request)
        finally:
            _changes.reset(token)
        if not _may_keep(request, response):
            if len(_passes) >= PASS_ADDRESSES:
                _passes.clear()
            _passes[key] = time.monotonic() + PASS_SECONDS
            return response
        until = _kept_until(changes)
        seconds = math.ceil(until - timezone.now().timestamp())
        if seconds > 0:
            # Shared caches and browsers must not give this page to a signed-in member.
            patch_vary_headers(response, ("Cookie",))
            # Stored under the generation read before rendering: a change committed while
            # the page rendered has set a newer one, and this entry is never served.
            PAGES.store(key, generation, (until, _stored(response)), seconds)
        return response


def _stored(response: HttpResponse) -> tuple[int, list[tuple[str, str]], bytes]:
    return response.status_code, list(response.items()), response.content


def _rebuild(stored: tuple[int, list[tuple[str, str]], bytes]) -> HttpResponse:
    status, headers, content = stored
    response = HttpResponse(content, status=status)
    for name, value in headers:
        response[name] = value
    return response
