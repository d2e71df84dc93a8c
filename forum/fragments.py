"""What the forum's rendered fragments (community/fragments.py) vary on: the posts of a
topic page, the list of forums, a forum's topics are keyed by the reader's rights on the
forum, their unread marks, whether they wrote one of the posts. Read marks are not writes
that outdate anything: they are part of the key.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.http import HttpRequest
from machina.apps.forum.models import Forum
from machina.apps.forum.visibility import ForumVisibilityContentTree


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
