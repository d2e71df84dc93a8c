"""Rendered parts of members' forum pages, kept in the cache.

Members' pages cannot come whole from the page cache (community/page_cache.py keeps only
anonymous visitors' pages), but their costly parts are the same for many readers: the posts
of a topic page, the list of forums, a forum's topics. Each is kept under the generation of
everything pages show (any write that can show on a page outdates it at once and after its
commit) and under what else decides its content for this reader: their rights on the forum,
their unread marks, whether they wrote one of the posts. Read marks are not writes that
outdate anything: they are part of the key.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable, Iterable

from django.core.cache import cache
from django.http import HttpRequest
from django.utils.safestring import SafeString, mark_safe
from machina.apps.forum.models import Forum
from machina.apps.forum.visibility import ForumVisibilityContentTree

from community.page_cache import PAGES

# The generation keeps fragments fresh; the timeout only bounds memory.
FRAGMENT_SECONDS = 600


def fragment_key(request: HttpRequest, *parts: object) -> str:
    """The key of a fragment: the content generation read before rendering (a change
    committed meanwhile sets a newer one, and the fragment is never used), then a digest of
    what the fragment varies on."""
    if not hasattr(request, "_content_generation"):
        request._content_generation = PAGES.current()
    digest = hashlib.sha256(":".join(map(str, parts)).encode()).hexdigest()
    return f"forum:fragment:{request._content_generation}:{digest}"


def cached_fragment(request: HttpRequest, parts: tuple, render: Callable[[], str]) -> SafeString:
    key = fragment_key(request, *parts)
    html = cache.get(key)
    if html is None:
        html = render()
        cache.set(key, html, FRAGMENT_SECONDS)
    return mark_safe(html)  # noqa: S308 (rendered by a template, escaped there)


def ids(objects: Iterable) -> str:
    return ",".join(str(obj.pk) for obj in objects)


# What a forum row shows of its last post (forum/_forum_row.html): its author, its topic and
# the topic's forum, joined rather than fetched row by row.
LAST_POST = ("last_post__poster", "last_post__topic__forum")


def visible_forums(request: HttpRequest, within: Forum | None = None):
    """The forums the reader may see, from the forums the permission handler loaded: what
    decides the unread marks and the key of the forum list (forum_extras.forum_tree), which
    loads their last posts only when it must render."""
    forums = request.forum_permission_handler.visible_forums(request.user, within)
    return ForumVisibilityContentTree.from_forums(forums)


def forum_contents(forums: list[Forum]) -> ForumVisibilityContentTree:
    """The same forums with their last posts, their topics and authors joined."""
    wanted = {forum.pk for forum in forums}
    if not wanted:
        return ForumVisibilityContentTree.from_forums([])
    roots = {forum.tree_id for forum in forums}
    loaded = Forum.objects.filter(tree_id__in=roots).select_related(*LAST_POST)
    return ForumVisibilityContentTree.from_forums([f for f in loaded if f.pk in wanted])
