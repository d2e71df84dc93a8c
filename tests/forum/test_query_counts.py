"""The forum's reading pages cost a small, constant number of queries.

Forum index, a forum and a topic, for visitors and members: the same number of queries
with 10 or 1,000 forums, topics, posts, members and unread marks; at most 8 when the page's
parts are rendered, and once they are in the cache (forum/fragments.py) none for visitors
and only the member's own row for members. Data is added in bulk (no signals): the caches
are told as a queryset update would have to.
"""

from __future__ import annotations

from datetime import timedelta
from itertools import count

import pytest
from django.contrib.auth.models import Group
from django.db import connection
from django.db.models import F
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone
from machina.apps.forum.models import Forum
from machina.apps.forum_conversation.models import Post, Topic
from machina.apps.forum_permission.models import ForumPermission, GroupForumPermission
from machina.apps.forum_tracking.models import ForumReadTrack, TopicReadTrack

from community.accounts.models import MembershipStatus, Role, User
from community.accounts.roles import MEMBERS_GROUP
from community.page_cache import PAGES
from forum.fragments import reads_changed
from forum.permissions import forget_forum_rights
from forum.tree import READ, area

pytestmark = pytest.mark.django_db

RENDERED_BUDGET = 8
CACHED_BUDGET = {"anonymous": 0, "elected": 1, "staff": 1}  # the member's row
_serial = count()


def add_members(n: int) -> list[User]:
    return User.objects.bulk_create(
        User(
            email=f"membre{(i := next(_serial))}@example.org",
            display_name=f"Membre {i}",
            role=Role.MANAGER,
            membership_status=MembershipStatus.APPROVED,
            password="!",
        )
        for _ in range(n)
    )


def add_forums(parent: Forum, n: int) -> list[Forum]:
    """n forums appended under `parent`, a root category (mptt fields set by hand), readable
    by members."""
    right = parent.rght
    forums = Forum.objects.bulk_create(
        Forum(
            name=f"Forum {(i := next(_serial))}",
            slug=f"forum-{i}",
            type=Forum.FORUM_POST,
            parent=parent,
            tree_id=parent.tree_id,
            level=1,
            lft=right + 2 * k,
            rght=right + 2 * k + 1,
        )
        for k in range(n)
    )
    Forum.objects.filter(pk=parent.pk).update(rght=right + 2 * n)
    parent.refresh_from_db()
    group = Group.objects.get(name=MEMBERS_GROUP)
    permissions = ForumPermission.objects.filter(codename__in=READ)
    GroupForumPermission.objects.bulk_create(
        GroupForumPermission(group=group, forum=forum, permission=permission, has_perm=True)
        for forum in forums
        for permission in permissions
    )
    forget_forum_rights()
    return forums


def add_topics(forums: list[Forum], posters: list[User], when) -> list[Topic]:
    """One topic with one post in each forum given, machina's counters and last posts set."""
    topics = Topic.objects.bulk_create(
        Topic(
            forum=forum,
            poster=posters[k % len(posters)],
            subject=f"Sujet {(i := next(_serial))}",
            slug=f"sujet-{i}",
            type=Topic.TOPIC_POST,
            status=Topic.TOPIC_UNLOCKED,
            approved=True,
            posts_count=1,
            last_post_on=when,
        )
        for k, forum in enumerate(forums)
    )
    posts = Post.objects.bulk_create(
        Post(
            topic=topic,
            poster=topic.poster,
            subject=topic.subject,
            content="Bonjour",
            _content_rendered="<p>Bonjour</p>",
            approved=True,
        )
        for topic in topics
    )
    for topic, post in zip(topics, posts, strict=True):
        topic.first_post = topic.last_post = post
    Topic.objects.bulk_update(topics, ["first_post", "last_post"])
    last_posts = {topic.forum_id: post for topic, post in zip(topics, posts, strict=True)}
    forums_touched = list(Forum.objects.filter(pk__in=last_posts))
    for forum in forums_touched:
        added = sum(topic.forum_id == forum.pk for topic in topics)
        forum.last_post = last_posts[forum.pk]
        forum.last_post_on = when
        forum.direct_topics_count += added
        forum.direct_posts_count += added
    Forum.objects.bulk_update(
        forums_touched,
        ["last_post", "last_post_on", "direct_topics_count", "direct_posts_count"],
    )
    return topics


def add_replies(topic: Topic, posters: list[User]) -> None:
    Post.objects.bulk_create(
        Post(
            topic=topic,
            poster=poster,
            subject=f"Re: {topic.subject}",
            content="Une réponse",
            _content_rendered="<p>Une réponse</p>",
            approved=True,
        )
        for poster in posters
    )
    Topic.objects.filter(pk=topic.pk).update(posts_count=F("posts_count") + len(posters))


def add_unread_marks(user: User, forums: list[Forum], topics: list[Topic]) -> None:
    """Marks older than the last posts: everything they cover reads as unread."""
    if user.is_anonymous:
        return
    ForumReadTrack.objects.bulk_create(ForumReadTrack(user=user, forum=f) for f in forums)
    TopicReadTrack.objects.bulk_create(TopicReadTrack(user=user, topic=t) for t in topics)
    long_ago = timezone.now() - timedelta(days=30)
    ForumReadTrack.objects.filter(user=user).update(mark_time=long_ago)
    TopicReadTrack.objects.filter(user=user).update(mark_time=long_ago)
    reads_changed(user.pk)


def queries_for(client, url: str) -> tuple[int, int]:
    """The queries of the page rendered (its cached parts outdated), then from the cache."""
    client.get(url)  # warm up: the topic is then read, the rights cached
    counts = []
    for outdated in (True, False):
        if outdated:
            PAGES.renew()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
        assert response.status_code == 200
        counts.append(len(queries))
    return tuple(counts)


@pytest.mark.parametrize("role", ["anonymous", "elected", "staff"])
def test_forum_pages_cost_the_same_queries_with_1000_of_everything(
    client_for, forums, role, request
):
    client = client_for(role)
    viewer = request.getfixturevalue(f"{role}_user") if role != "anonymous" else None
    public = forums["public"]
    members_area = area("members")
    opening = add_topics([public], add_members(1), timezone.now() - timedelta(days=2))[0]
    urls = {
        "index": reverse("forum:index"),
        "forum": reverse("forum:forum", args=[public.slug, public.pk]),
        "topic": reverse(
            "forum_conversation:topic",
            args=[public.slug, public.pk, opening.slug, opening.pk],
        ),
        "topic, last page": reverse(
            "forum_conversation:topic",
            args=[public.slug, public.pk, opening.slug, opening.pk],
        )
        + "?page=last",
    }
    counts = {}
    for size, grown in ((10, 10), (1000, 990)):
        when = timezone.now() - timedelta(days=1)
        posters = add_members(grown)
        new_forums = add_forums(members_area, grown)
        topics = add_topics(new_forums, posters, when)
        topics += add_topics([public] * grown, posters, when)
        add_replies(opening, posters)
        if viewer is not None:
            add_unread_marks(viewer, new_forums, topics)
        counts[size] = {name: queries_for(client, url) for name, url in urls.items()}
    assert counts[10] == counts[1000], counts
    assert max(rendered for rendered, _ in counts[1000].values()) <= RENDERED_BUDGET, counts
    assert max(cached for _, cached in counts[1000].values()) <= CACHED_BUDGET[role], counts
