"""Demo forum content: the default tree and conversations between the demo accounts, read
from demo_data/conversations.yaml.

Every themed area holds two or three conversations on the 2025 activity report's themes and
the public area a few more, so the forum looks alive on a first visit. Posts are dated over
the last weeks (a thread read « il y a 2 minutes » everywhere looks fake).

Idempotent: a topic is looked up by its subject in its forum, and skipped when present.
Written through machina's models directly, so seeding sends no notification e-mail.
"""

from __future__ import annotations

from datetime import timedelta
from typing import Any

from django.db import transaction
from django.utils import timezone
from machina.apps.forum.models import Forum
from machina.apps.forum_conversation.models import Post, Topic

from community.accounts.models import User
from community.lib.demo import DemoData, Log, pairs

from .tree import area, ensure_forum_tree, theme

DATA = DemoData(__file__)


def _forum(spec: dict[str, Any]) -> Forum:
    return area(spec["area"]) if "area" in spec else theme(spec["theme"])


def seed(log: Log) -> None:
    ensure_forum_tree()
    created = 0
    now = timezone.now()
    with transaction.atomic():
        for conversation in DATA.read("conversations")["conversations"]:
            forum, subject = _forum(conversation), conversation["subject"]
            messages = pairs(conversation["messages"])
            if Topic.objects.filter(forum=forum, subject=subject).exists():
                continue
            authors = {
                email: User.objects.filter(email=email).first() for email, _content in messages
            }
            if not all(authors.values()):
                continue  # the demo accounts are missing: seed_demo creates them first
            topic = Topic.objects.create(
                forum=forum,
                subject=subject,
                poster=authors[messages[0][0]],
                approved=True,
                type=Topic.TOPIC_POST,
                status=Topic.TOPIC_UNLOCKED,
            )
            opened = now - timedelta(days=conversation["days_ago"], hours=3)
            for position, (email, content) in enumerate(messages):
                post = Post.objects.create(
                    topic=topic,
                    poster=authors[email],
                    subject=f"Re: {subject}" if position else subject,
                    content=content,
                    approved=True,
                )
                # auto_now_add set the creation date: date the post as it was written.
                Post.objects.filter(pk=post.pk).update(
                    created=opened + timedelta(hours=5 * position)
                )
                topic.subscribers.add(authors[email])
            Topic.objects.filter(pk=topic.pk).update(created=opened)
            # Reload so the trackers' save keeps those dates, then date the topic by its posts.
            topic.refresh_from_db()
            topic.update_trackers()
            created += 1
    log(f"  Forum : {created} sujet(s) de démonstration ajouté(s).")
