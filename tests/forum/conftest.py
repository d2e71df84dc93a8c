from __future__ import annotations

import pytest
from machina.apps.forum_conversation.models import Post, Topic

from forum.tree import area, theme


def make_topic(forum, poster, subject: str = "Un sujet", content: str = "Premier message"):
    topic = Topic.objects.create(
        forum=forum,
        subject=subject,
        poster=poster,
        approved=True,
        type=Topic.TOPIC_POST,
        status=Topic.TOPIC_UNLOCKED,
    )
    Post.objects.create(topic=topic, poster=poster, subject=subject, content=content, approved=True)
    topic.refresh_from_db()
    return topic


def add_post(topic, poster, content: str = "Une réponse") -> Post:
    return Post.objects.create(
        topic=topic, poster=poster, subject=f"Re: {topic.subject}", content=content, approved=True
    )


@pytest.fixture
def forums(db):
    """The default areas, created by the post_migrate handler on the test database."""
    return {
        "public": area("public"),
        "members": area("members"),
        "theme": theme("Gestion du café"),
        "elected": area("elected"),
        "managers": area("managers"),
    }
