from __future__ import annotations

import pytest

from forum.chat import demo
from forum.chat.models import Message
from tests.factories import make_member

pytestmark = pytest.mark.django_db


def test_demo_messages_are_seeded_once_and_skip_absent_accounts():
    make_member("staff", email="equipe@example.org")
    make_member("elected", email="maire@example.org")
    lines: list[str] = []
    demo.seed(lines.append)
    first = Message.objects.count()
    assert first == 5  # equipe ×3 (one per room) and maire ×2; other accounts are absent
    assert set(Message.objects.values_list("room__slug", flat=True)) == {
        "elus",
        "gerants",
        "reseau",
    }
    demo.seed(lines.append)
    assert Message.objects.count() == first
    assert "0 message(s)" in lines[-1]
