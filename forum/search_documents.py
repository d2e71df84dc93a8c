"""Forum topics in the site search (see community/lib/searchable.py).

One document per topic, holding the text of its approved posts, rather than one per post:
members look for the thread where a peer answered, and a topic with twenty matching replies
should come back once, not twenty times. The engine crops the text around the matched words
(the database fallback does the same), so a hit still shows the excerpt of the post that
matched. The date is the last post's: a fresh answer moves its topic up.

Who may read what is machina's decision (forum/tree.py grants it per role group): the
``forum_id`` access attribute holds the topic's forum, and each query keeps only the forums
machina lets the current user read.
"""

from __future__ import annotations

from collections.abc import Iterable

from django.db.models import Prefetch, QuerySet
from machina.apps.forum.models import Forum
from machina.apps.forum_conversation.models import Post, Topic

from community.lib.searchable import Document, DocumentType, register, register_access
from search.models import SearchDocument
from search.text import plain

from .permissions import RIGHTS, RequestPermissionHandler
from .services import forum_url, topic_url

_CACHE_PREFIX = "readable-forums:"
# Plain-text budget of a topic's document: the question and the latest answers fit, a
# thousand-post thread does not make one huge document (a post alone may hold 20,000).
TEXT_BUDGET = 12_000


def readable_forum_ids(user) -> list[int]:
    """The forums machina lets the user read: anonymous visitors and pending or refused
    accounts get the public area only (they belong to no role group).

    Every search asks (whatever types it covers), and machina's answer costs several queries
    and milliseconds of ORM work, so it is cached per user until forum rights change.
    """
    if user.is_superuser:  # machina answers "every forum" without any permission query
        return list(Forum.objects.values_list("pk", flat=True))
    return RIGHTS.get_or_build(
        f"{_CACHE_PREFIX}{user.pk if user.is_authenticated else 'anonymous'}",
        lambda: list(
            RequestPermissionHandler()
            .get_readable_forums(Forum.objects.all(), user)
            .values_list("pk", flat=True)
        ),
    )


def forum_themes(forum: Forum) -> list[str]:
    """Top-level forums are areas (public, members, elected, managers); the forums below
    them are themes (commerce local, financements…), named like the toolkit themes."""
    return [forum.name] if forum.level > 0 else []


def topic_text(posts: Iterable[Post]) -> str:
    """The first post, then the newest answers that fit in TEXT_BUDGET, in reading order."""
    # The rendered column itself: posts are loaded with only it (see topics()), and machina's
    # `content` accessor needs the raw column too.
    texts = [plain(post._content_rendered or "") for post in posts]
    if not texts:
        return ""
    kept = [texts[0][:TEXT_BUDGET]]
    budget = TEXT_BUDGET - len(kept[0])
    answers: list[str] = []
    for text in reversed(texts[1:]):
        if len(text) + 1 > budget:
            break
        answers.append(text)
        budget -= len(text) + 1
    return " ".join(kept + answers[::-1])


def topic_document(topic: Topic) -> Document:
    return Document(
        title=topic.subject,
        url=topic_url(topic),
        text=topic_text(topic.approved_posts),
        themes=forum_themes(topic.forum),
        date=topic.last_post_on or topic.created,
        access={"forum_id": topic.forum_id},
        published=topic.approved,
    )


def topics() -> QuerySet[Topic]:
    # A full reindex loads every approved post: only what the document uses.
    approved_posts = (
        Post.objects.filter(approved=True)
        .order_by("created", "pk")
        .only("topic", "_content_rendered")
    )
    return Topic.objects.only(
        "forum", "subject", "slug", "approved", "last_post_on", "created"
    ).prefetch_related(
        # Prefetched rather than joined: one forum instance per forum, shared by its topics
        # (django-mptt makes each forum instance costly to build).
        "forum",
        # A list attribute: Django builds no per-topic queryset for it, as it does for
        # `topic.posts.all()` with a Prefetch queryset.
        Prefetch("posts", queryset=approved_posts, to_attr="approved_posts"),
    )


def topics_of_changed_forums(forum: Forum) -> list[Topic]:
    """Topics whose indexed URL or themes no longer match their forum (renamed or moved).

    machina saves a forum after every post to update its counters: refreshing all its
    topics then would rewrite a whole area per message, so only stale documents are
    refreshed, found by comparing the database copy of the index with the forum tree.
    """
    subtree = {f.pk: f for f in forum.get_descendants(include_self=True)}
    stale = []
    indexed = SearchDocument.objects.filter(
        doc_type="forum", access__forum_id__in=list(subtree)
    ).values_list("object_pk", "url", "themes", "access")
    for pk, url, themes, access in indexed:
        owner = subtree.get(access.get("forum_id"))
        if owner is None:
            continue
        if not url.startswith(f"{forum_url(owner)}topic/") or themes != forum_themes(owner):
            stale.append(Topic(pk=int(pk)))
    return stale


register_access("forum_id", readable_forum_ids)
register(
    DocumentType(
        name="forum",
        label="Forum",
        model=Topic,
        to_document=topic_document,
        access=("forum_id",),
        queryset=topics,
        depends_on={
            # An edit, deletion or moderation of a post changes its topic's text.
            Post: lambda post: [Topic(pk=post.topic_id)],
            Forum: topics_of_changed_forums,
        },
    )
)
