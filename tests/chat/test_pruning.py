"""The catch-up log of edits and deletions is pruned after 30 days; a client whose revision
is older than what is left gets the room afresh instead of a partial catch-up."""

from __future__ import annotations

from datetime import timedelta

import pytest
from channels.db import database_sync_to_async
from django.core.management import CommandError, call_command
from django.utils import timezone

from community.accounts.models import Role
from forum.chat import services
from forum.chat.models import MessageChange, Room
from tests.factories import make_member

from .conftest import post
from .test_consumer import frame_of, joined

TIMEOUT = 5


def age_changes(days: int) -> None:
    MessageChange.objects.update(created=timezone.now() - timedelta(days=days))


@pytest.fixture
def elected(db):
    return make_member(Role.ELECTED, display_name="Marie Maire")


def test_changes_older_than_the_window_are_pruned_and_the_revision_kept(rooms, elected):
    reseau, elus = rooms["reseau"], rooms["elus"]
    old_a, old_b, recent = post(elected, reseau, 3)
    services.edit_message(elected, reseau, old_a.pk, "Modifié")
    services.delete_message(elected, reseau, old_b.pk)
    through = services.revision(reseau)
    [elsewhere] = post(elected, elus)
    services.edit_message(elected, elus, elsewhere.pk, "Modifié aussi")
    age_changes(31)
    services.edit_message(elected, reseau, recent.pk, "Modifié hier")
    revision = services.revision(reseau)

    assert services.prune_changes() == 3
    assert list(reseau.changes.values_list("message_id", flat=True)) == [recent.pk]
    assert not elus.changes.exists()
    reseau.refresh_from_db()
    assert reseau.changes_pruned_through == through
    # The revision clients hold stays meaningful, also for a room whose log is now empty.
    assert services.revision(reseau) == revision
    assert services.revision(elus) == Room.objects.get(pk=elus.pk).changes_pruned_through > 0
    changed, reached = services.changes(reseau, through)
    assert [(f["type"], f["id"], f["body"]) for f in changed] == [
        ("edited", recent.pk, "Modifié hier")
    ]
    assert reached == revision
    assert services.changes(reseau, through - 1) is None  # older than the log: no partial answer
    assert services.prune_changes() == 0


def test_the_command_prunes_and_refuses_a_bad_number_of_days(rooms, elected, capsys):
    [message] = post(elected, rooms["reseau"])
    services.edit_message(elected, rooms["reseau"], message.pk, "Modifié")
    age_changes(8)
    call_command("prune_chat_changes")
    assert "purgées : 0 (plus de 30 jours)" in capsys.readouterr().out
    call_command("prune_chat_changes", "--jours", "7")
    assert "purgées : 1 (plus de 7 jours)" in capsys.readouterr().out
    with pytest.raises(CommandError, match="--jours doit être un nombre entier de jours ≥ 1"):
        call_command("prune_chat_changes", "--jours", "0")


@pytest.mark.asyncio
@pytest.mark.django_db(transaction=True)
@pytest.mark.usefixtures("close_thread_connections")
async def test_a_client_behind_the_pruned_log_gets_the_latest_messages_afresh(rooms):
    reseau = rooms["reseau"]
    elected = await database_sync_to_async(make_member)(Role.ELECTED, display_name="Marie")
    one, two, three = await database_sync_to_async(post)(elected, reseau, 3)
    client, history = await joined(elected)
    await client.send_json_to({"type": "sync", "after": three.pk, "since": 0})
    seen = await frame_of(client, "history")

    # Away for weeks: a message is deleted, then the log of that deletion is pruned.
    await database_sync_to_async(services.delete_message)(elected, reseau, two.pk)
    await database_sync_to_async(age_changes)(31)
    assert await database_sync_to_async(services.prune_changes)() == 1
    revision = await database_sync_to_async(services.revision)(reseau)

    await client.send_json_to({"type": "sync", "after": three.pk, "since": seen["revision"]})
    fresh = await frame_of(client, "history")  # after the live "deleted" frame
    assert fresh["type"] == "history" and fresh["reset"] is True
    assert [m["id"] for m in fresh["messages"]] == [one.pk, three.pk]
    assert fresh["revision"] == revision

    # From that revision on, the usual answer again.
    await client.send_json_to({"type": "sync", "after": three.pk, "since": revision})
    assert await frame_of(client, "history") == {
        "type": "history",
        "messages": [],
        "revision": revision,
    }
    await client.disconnect()
