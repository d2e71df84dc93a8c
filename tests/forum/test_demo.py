"""The forum tree exists after migrate; the demo seed adds conversations once."""

from __future__ import annotations

from io import StringIO

import pytest
from django.core.management import call_command
from machina.apps.forum.models import Forum
from machina.apps.forum_conversation.models import Topic

from forum import demo
from forum.tree import THEMES, area, ensure_forum_tree

pytestmark = pytest.mark.django_db


def test_the_tree_exists_after_migrate():
    members = area("members")
    assert members.is_category
    assert [f.name for f in members.get_children()] == [name for name, _ in THEMES]
    assert area("public").is_forum and area("elected").is_forum and area("managers").is_forum
    count = Forum.objects.count()
    ensure_forum_tree()
    assert Forum.objects.count() == count


def test_demo_seed_is_idempotent():
    call_command("seed_demo", stdout=StringIO())
    topics = Topic.objects.count()
    assert topics == len(demo.DATA.read("conversations")["conversations"])
    assert Topic.objects.get(subject="Horaires d'hiver : vous fermez le lundi ?").forum == area(
        "managers"
    )
    call_command("seed_demo", stdout=StringIO())
    assert Topic.objects.count() == topics


def test_demo_seed_skips_missing_accounts():
    messages = []
    demo.seed(messages.append)
    assert Topic.objects.count() == 0
    assert messages == ["  Forum : 0 sujet(s) de démonstration ajouté(s)."]
