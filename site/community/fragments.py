"""Rendered parts of members' pages, kept in the cache.

Members' pages cannot come whole from the page cache (community/page_cache.py keeps only
anonymous visitors' pages), but their costly parts are the same for many readers: a list of
toolkits, the posts of a topic page. Each is kept under the generation of everything pages
show (any write that can show on a page outdates it at once and after its commit) and under
what else decides its content for this reader (their audiences, rights, unread marks, the
filters they asked for), which the caller names in `parts`. A fragment never holds a CSRF
token, messages or anything else private to one member that its key does not name.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from django.core.cache import cache
from django.http import HttpRequest
from django.middleware.csrf import get_token
from django.utils import timezone
from django.utils.functional import SimpleLazyObject
from django.utils.safestring import SafeString, mark_safe

from community.page_cache import PAGES, changes_at, recording_changes

# The generation keeps fragments fresh; the timeout only bounds memory.
FRAGMENT_SECONDS = 600


# A fragment holding forms is rendered with this in place of the CSRF token, which
# csrf_filled puts back for each request: a kept fragment never holds a member's token.
# Inside an attribute's quotes, which escaped user text cannot close.
CSRF_PLACEHOLDER = "csrf-token-placeholder"
_CSRF_VALUE = 'name="csrfmiddlewaretoken" value="{}"'
_PLACEHOLDER_VALUE = _CSRF_VALUE.format(CSRF_PLACEHOLDER)


def masked_csrf_token(request: HttpRequest) -> str:
    """One masked token for every form and fragment of the response (the account box, a
    room's messages, a topic's actions): masking draws 64 random characters each time, and
    Django's context processor masks anew for each template rendered."""
    if not hasattr(request, "_masked_csrf_token"):
        request._masked_csrf_token = get_token(request)
    return request._masked_csrf_token


def csrf(request: HttpRequest) -> dict[str, object]:
    """Context processor after Django's built-in one, whose `csrf_token` it replaces."""
    return {"csrf_token": SimpleLazyObject(lambda: masked_csrf_token(request))}


def csrf_filled(request: HttpRequest, html: str) -> SafeString:
    # A fragment without a form asks for no token: a visitor's page stays one the page
    # cache may keep (it keeps none that set the CSRF cookie).
    if _PLACEHOLDER_VALUE in html:
        html = html.replace(_PLACEHOLDER_VALUE, _CSRF_VALUE.format(masked_csrf_token(request)))
    return mark_safe(html)  # noqa: S308 (rendered by a template, escaped there)


def reader_position(user: object) -> tuple[bool, bool, bool]:
    """What shows differently to readers at large (menus, calls to join, the header): signed
    in, an approved member, a membership pending. Anonymous users have no membership."""
    return (
        getattr(user, "is_authenticated", False),
        getattr(user, "is_approved_member", False),
        getattr(user, "is_pending_member", False),
    )


def fragment_key(request: HttpRequest, *parts: object) -> str:
    """The key of a fragment: the content generation read before rendering (a change
    committed meanwhile sets a newer one, and the fragment is never used), then a digest of
    what the fragment varies on."""
    if not hasattr(request, "_content_generation"):
        request._content_generation = PAGES.current()
    digest = hashlib.sha256(":".join(map(str, parts)).encode()).hexdigest()
    return f"fragment:{request._content_generation}:{digest}"


def _previewing(request: HttpRequest) -> bool:
    # An admin preview renders the unsaved draft under the live page's id: kept, it would
    # be shown to every reader of the live page until the next change.
    return getattr(request, "is_preview", False)


def cached_fragment(request: HttpRequest, parts: tuple, render: Callable[[], str]) -> SafeString:
    """The fragment from the cache, else rendered and kept. What it shows may change with
    the clock rather than a write (a webinar over): `render` tells it with
    page_cache.changes_at, the fragment is not used from the first such moment, and each use
    tells it again to the page cache, which keeps a visitor's page no longer either."""
    if _previewing(request):
        return mark_safe(render())  # noqa: S308 (rendered by a template, escaped there)
    key = fragment_key(request, *parts)
    kept = cache.get(key)
    now = timezone.now()
    if kept is None or (kept[1] is not None and kept[1] <= now):
        with recording_changes() as changes:
            html = render()
        kept = (html, min(changes, default=None))
        cache.set(key, kept, FRAGMENT_SECONDS)
    changes_at(kept[1])
    return mark_safe(kept[0])  # noqa: S308 (rendered by a template, escaped there)


def cached_forms(request: HttpRequest, parts: tuple, render: Callable[[str], str]) -> SafeString:
    """A kept fragment holding forms: `render` gets the placeholder to write as the CSRF
    token, and this response's token is put back in its place, unless the fragment is part
    of another being rendered, which puts it back once kept."""

    def render_with_placeholder() -> str:
        outer = getattr(request, "_rendering_kept_forms", False)
        request._rendering_kept_forms = True
        try:
            return render(CSRF_PLACEHOLDER)
        finally:
            request._rendering_kept_forms = outer

    html = cached_fragment(request, parts, render_with_placeholder)
    if getattr(request, "_rendering_kept_forms", False):
        return html
    return csrf_filled(request, html)


def cached_value(request: HttpRequest, parts: tuple, build: Callable[[], object]) -> object:
    """What `build` returns, kept as a fragment is (under the content generation and
    `parts`): for what a page shows in a form, which a fragment cannot hold (its CSRF token),
    but which costs queries (a member's registration). `build` must not read the clock."""
    if _previewing(request):
        return build()
    key = fragment_key(request, *parts)
    kept = cache.get(key)
    if kept is None:
        kept = (build(),)  # in a tuple: None is a value too
        cache.set(key, kept, FRAGMENT_SECONDS)
    return kept[0]
