"""Forum topics in the site search (see search/registry.py).

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
from django.urls import reverse
from machina.apps.forum.models import Forum
from machina.apps.forum_conversation.models import Post, Topic
from machina.apps.forum_permission.handler import PermissionHandler

from search.models import SearchDocument
from search.registry import Document, DocumentType, register, register_access
from search.text import plain

# Plain-text budget of a topic's document: the question and the latest answers fit, a
# thousand-post thread does not make one huge document (a post alone may hold 20,000).
TEXT_BUDGET = 12_000


def readable_forum_ids(user) -> list[int]:
    """The forums machina lets the user read: anonymous visitors and pending or refused
    accounts get the public area only (they belong to no role group)."""
    return list(
        PermissionHandler()
        .get_readable_forums(Forum.objects.all(), user)
        .values_list("pk", flat=True)
    )


def topic_url(topic: Topic) -> str:
    return reverse(
        "forum_conversation:topic",
        kwargs={
            "forum_slug": topic.forum.slug,
            "forum_pk": topic.forum_id,
            "slug": topic.slug,
            "pk": topic.pk,
        },
    )


def forum_themes(forum: Forum) -> list[str]:
    """Top-level forums are areas (public, members, elected, managers); the forums below
    them are themes (commerce local, financements…), named like the toolkit themes."""
    return [forum.name] if forum.level > 0 else []


def topic_text(posts: Iterable[Post]) -> str:
    """The first post, then the newest answers that fit in TEXT_BUDGET, in reading order."""
    texts = [plain(post.content.rendered or "") for post in posts]
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
        text=topic_text(topic.posts.all()),
        themes=forum_themes(topic.forum),
        date=topic.last_post_on or topic.created,
        access={"forum_id": topic.forum_id},
        published=topic.approved,
    )


def topics() -> QuerySet[Topic]:
    approved_posts = Post.objects.filter(approved=True).order_by("created", "pk")
    return Topic.objects.select_related("forum").prefetch_related(
        Prefetch("posts", queryset=approved_posts)
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
        prefix = reverse("forum:forum", kwargs={"slug": owner.slug, "pk": owner.pk})
        if not url.startswith(f"{prefix}topic/") or themes != forum_themes(owner):
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
