"""What the forum's and the chat's rendered fragments (community/fragments.py) vary on: the
posts of a topic page, the list of forums, a forum's topics, a chat room's messages are
keyed by the reader's rights, their unread marks, whether they wrote one of the posts.
Read marks are not writes that outdate anything: they are part of the key.

What the pages need to build those keys is kept too, so that a page read again costs no
query but the member's own row: what every reader shares (the forums, a forum's count of
topics, a topic, a room) under the content generation (`shared`); what a member's read
marks decide with the content (their unread forums and topics, whether a topic is read)
under the content generation and the member's own generation of read marks (`by_reads`),
which every change of their marks renews; their other state (the topics and forums they
follow) under the content generation, which those writes renew (`own`).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.http import HttpRequest
from machina.apps.forum.models import Forum
from machina.apps.forum.visibility import ForumVisibilityContentTree

from community.cache import Generation
from community.fragments import FRAGMENT_SECONDS, fragment_key
from community.page_cache import PAGES


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


def shared(parts: tuple, build: Callable[[], Any]) -> Any:
    """What every reader sees alike (`build` must not look at the reader), until the
    content changes. Plain data or model instances, each request unpickling its own copy."""
    return PAGES.get_or_build("forum:" + ":".join(map(str, parts)), build)


def own(request: HttpRequest, parts: tuple, build: Callable[[], Any]) -> Any:
    """The reader's own state that a write renewing the content generation changes (what
    they follow), until such a write."""
    return shared(("member", request.user.pk, *parts), build)


def _reads(member_id: int) -> Generation:
    return Generation(f"forum:reads:{member_id}", timeout=FRAGMENT_SECONDS)


def by_reads(request: HttpRequest, parts: tuple, build: Callable[[], Any]) -> Any:
    """What the reader's read marks decide with the content, until either changes.
    Visitors have no marks: `build` answers them without a query."""
    if not request.user.is_authenticated:
        return build()
    return _reads(request.user.pk).get_or_build(fragment_key(request, *parts), build)


def reads_changed(member_id: int) -> None:
    """The member's read marks changed: what was built from them is not used again (from
    now, and after the commit for a request that read them as they were meanwhile)."""
    _reads(member_id).invalidate_now_and_after_commit()


def read_mark_written(sender, instance, **kwargs) -> None:
    reads_changed(instance.user_id)
