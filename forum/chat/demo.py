"""Demo messages in each room (demo_data/messages.yaml), written by the demo accounts
(skipped when one is absent).

Idempotent: a message is looked up by room, author and text before it is created. Stored
directly, without broadcast: nobody is connected while seed_demo runs.
"""

from __future__ import annotations

from community.accounts.models import User
from community.lib.demo import DemoData, Log, pairs

from .models import Message
from .rooms import ensure_rooms

DATA = DemoData(__file__)


def seed(log: Log) -> None:
    rooms = ensure_rooms()
    by_room = {
        slug: pairs(messages) for slug, messages in DATA.read("messages")["messages"].items()
    }
    emails = {email for messages in by_room.values() for email, _ in messages}
    authors = {user.email: user for user in User.objects.filter(email__in=emails)}
    created = 0
    for slug, messages in by_room.items():
        for email, body in messages:
            author = authors.get(email)
            if author is None:
                continue
            _, new = Message.objects.get_or_create(room=rooms[slug], author=author, body=body)
            created += new
    log(f"  Discussions : {len(rooms)} salons, {created} message(s) de démonstration ajouté(s).")
