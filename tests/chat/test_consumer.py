"""The room websocket with channels.testing against the real ASGI application (Origin check,
session auth, routing), on the in-memory layer and on both Redis layers (real Redis)."""

from __future__ import annotations

import asyncio

import pytest
from channels.db import database_sync_to_async

from community.accounts.models import MembershipStatus, Role
from forum.chat import services
from forum.chat.models import Message, MessageChange
from forum.chat.services import open_direct_conversation
from tests.factories import make_member

from .conftest import headers_for, post, socket

TIMEOUT = 5

pytestmark = [
    pytest.mark.asyncio,
    pytest.mark.django_db(transaction=True),
    pytest.mark.usefixtures("close_thread_connections"),
]


async def connect(user, slug: str = "reseau", **kwargs):
    communicator = socket(await database_sync_to_async(headers_for)(user, **kwargs), slug)
    connected, code = await communicator.connect(timeout=TIMEOUT)
    assert connected, f"refused with {code}"
    return communicator


async def frame_of(communicator, kind: str) -> dict:
    """The next frame of that type (presence frames come and go in between)."""
    for _ in range(20):
        frame = await communicator.receive_json_from(timeout=TIMEOUT)
        if frame["type"] == kind:
            return frame
    raise AssertionError(f"no {kind} frame")


async def frames(communicator, count: int) -> list[dict]:
    """The next `count` frames in order, presence frames aside."""
    received = []
    while len(received) < count:
        frame = await communicator.receive_json_from(timeout=TIMEOUT)
        if frame["type"] != "presence":
            received.append(frame)
    return received


async def joined(user, slug: str = "reseau"):
    """Connected, history received and the first presence frame read."""
    communicator = await connect(user, slug)
    history = await frame_of(communicator, "history")
    await frame_of(communicator, "presence")
    return communicator, history


@pytest.fixture
def members(db):
    return {
        "elected": make_member(Role.ELECTED, display_name="Marie Maire"),
        "manager": make_member(Role.MANAGER, display_name="Gaston Gérant"),
        "staff": make_member(Role.STAFF, display_name="Édith Équipe"),
    }


# ---------------------------------------------------------------------------- every layer


async def test_messages_are_stored_then_broadcast_to_everyone_in_the_room(layer, members):
    elected, manager = members["elected"], members["manager"]
    a, _ = await joined(elected)
    b, _ = await joined(manager)
    await a.send_json_to({"type": "message", "body": "Bonjour <b>les gérants</b> !"})
    for communicator in (a, b):
        frame = await frame_of(communicator, "message")
        assert set(frame) == {"type", "id", "room", "author", "body", "created", "edited"}
        assert frame["room"] == "reseau"
        assert frame["author"] == {"id": elected.pk, "name": "Marie Maire"}
        assert frame["body"] == "Bonjour <b>les gérants</b> !"  # plain text, as typed
        assert frame["created"].endswith("+00:00")
    stored = await database_sync_to_async(Message.objects.get)(pk=frame["id"])
    assert stored.body == frame["body"]
    await a.disconnect()
    await b.disconnect()


async def test_history_on_connect_then_sync_after_an_id(layer, members, rooms):
    elected = members["elected"]
    messages = await database_sync_to_async(post)(elected, rooms["reseau"], 60)
    a, history = await joined(elected)
    ids = [m["id"] for m in history["messages"]]
    assert ids == [m.pk for m in messages[10:]]
    await a.send_json_to({"type": "sync", "after": messages[5].pk})
    synced = await frame_of(a, "history")
    assert [m["id"] for m in synced["messages"]] == [m.pk for m in messages[6:]]
    await a.send_json_to({"type": "sync", "after": messages[-1].pk})
    assert (await frame_of(a, "history"))["messages"] == []
    await a.disconnect()


async def test_edit_and_delete_reach_every_socket(layer, members):
    elected, manager, staff = members["elected"], members["manager"], members["staff"]
    a, _ = await joined(elected)
    b, _ = await joined(manager)
    await a.send_json_to({"type": "message", "body": "Premier jet"})
    first = await frame_of(a, "message")
    await frame_of(b, "message")

    await a.send_json_to({"type": "edit", "id": first["id"], "body": "Version corrigée"})
    for communicator in (a, b):
        edited = await frame_of(communicator, "edited")
        assert edited["id"] == first["id"] and edited["body"] == "Version corrigée"
        assert edited["edited"] is not None

    # Someone else's message: neither edited nor deleted, with a French error.
    await b.send_json_to({"type": "edit", "id": first["id"], "body": "Piraté"})
    error = await frame_of(b, "error")
    assert error["code"] == "forbidden"
    assert error["message"] == "Vous ne pouvez modifier que vos propres messages."
    await b.send_json_to({"type": "delete", "id": first["id"]})
    assert (await frame_of(b, "error"))["code"] == "forbidden"

    # Staff may delete anyone's.
    c, _ = await joined(staff)
    await c.send_json_to({"type": "delete", "id": first["id"]})
    for communicator in (a, b, c):
        assert await frame_of(communicator, "deleted") == {"type": "deleted", "id": first["id"]}
    assert not await database_sync_to_async(Message.objects.exists)()
    for communicator in (a, b, c):
        await communicator.disconnect()


async def test_presence_lists_who_is_connected(layer, members):
    elected, manager = members["elected"], members["manager"]
    a, _ = await joined(elected)
    b = await connect(manager)
    presence = await frame_of(a, "presence")
    assert presence["members"] == [
        {"id": manager.pk, "name": "Gaston Gérant"},
        {"id": elected.pk, "name": "Marie Maire"},
    ]
    await b.disconnect()
    presence = await frame_of(a, "presence")
    assert presence["members"] == [{"id": elected.pk, "name": "Marie Maire"}]
    await a.disconnect()


async def test_a_missed_broadcast_is_caught_up_by_the_heartbeat(layer, members, rooms, settings):
    """A message stored while the layer was unreachable reaches sockets that stayed open."""
    settings.CHAT_HEARTBEAT_SECONDS = 0.2
    elected, manager = members["elected"], members["manager"]
    a, _ = await joined(elected)
    # Stored without a broadcast, as when Redis was down at commit time.
    [missed] = await database_sync_to_async(post)(manager, rooms["reseau"], 1, "Pendant la coupure")
    caught = await frame_of(a, "history")
    assert [m["id"] for m in caught["messages"]] == [missed.pk]
    await a.disconnect()


async def test_a_lost_broadcast_is_caught_up_though_a_later_one_arrived(
    layer, members, rooms, settings
):
    """Redis coming back between two messages: the first one's broadcast is lost, the
    second one's arrives. The heartbeat still brings the first: the highest id a socket was
    sent is no catch-up cursor."""
    settings.CHAT_HEARTBEAT_SECONDS = 1
    elected, manager = members["elected"], members["manager"]
    reseau = rooms["reseau"]
    a, _ = await joined(elected)

    def lost_then_delivered():
        [lost] = post(manager, reseau, 1, "Pendant que Redis redémarrait")
        return lost, services.post_message(manager, reseau, "Une fois Redis revenu")

    lost, delivered = await database_sync_to_async(lost_then_delivered)()
    assert (await frame_of(a, "message"))["id"] == delivered.pk
    caught = await frame_of(a, "history")
    assert [m["id"] for m in caught["messages"]] == [lost.pk]
    assert await a.receive_nothing(timeout=1.5)  # sent once, not at every heartbeat
    await a.disconnect()


async def test_a_lost_edit_is_caught_up_though_a_later_edit_arrived(
    layer, members, rooms, settings
):
    settings.CHAT_HEARTBEAT_SECONDS = 1
    elected = members["elected"]
    reseau = rooms["reseau"]
    first, second = await database_sync_to_async(post)(elected, reseau, 2, "Message {n}")
    a, _ = await joined(elected)

    def lost_then_delivered():
        Message.objects.filter(pk=first.pk).update(body="Corrigé pendant la coupure")
        MessageChange.objects.create(room=reseau, message_id=first.pk)
        services.edit_message(elected, reseau, second.pk, "Corrigé ensuite")

    await database_sync_to_async(lost_then_delivered)()
    delivered = await frame_of(a, "edited")
    assert (delivered["id"], delivered["body"]) == (second.pk, "Corrigé ensuite")
    caught = await frame_of(a, "edited")
    assert (caught["id"], caught["body"]) == (first.pk, "Corrigé pendant la coupure")
    await frame_of(a, "history")
    assert await a.receive_nothing(timeout=1.5)
    await a.disconnect()


async def test_sync_catches_up_what_was_edited_or_deleted_while_away(layer, members, rooms):
    elected, staff = members["elected"], members["staff"]
    reseau = rooms["reseau"]
    a, _ = await joined(elected)
    for body in ("Un", "Deux", "Trois"):
        await a.send_json_to({"type": "message", "body": body})
    one, two, three = [await frame_of(a, "message") for _ in range(3)]
    await a.send_json_to({"type": "sync", "after": three["id"], "since": 0})
    seen = await frame_of(a, "history")
    assert seen["messages"] == [] and isinstance(seen["revision"], int)
    await a.disconnect()

    # While away: "Un" is edited twice, "Deux" deleted by staff, and a new message comes.
    await database_sync_to_async(services.edit_message)(elected, reseau, one["id"], "Un bis")
    await database_sync_to_async(services.edit_message)(elected, reseau, one["id"], "Un ter")
    await database_sync_to_async(services.delete_message)(staff, reseau, two["id"])
    [four] = await database_sync_to_async(post)(staff, reseau, 1, "Quatre")

    b, _ = await joined(elected)
    await b.send_json_to({"type": "sync", "after": three["id"], "since": seen["revision"]})
    edited, deleted, history = await frames(b, 3)
    assert edited["type"] == "edited" and edited["id"] == one["id"]
    assert edited["body"] == "Un ter" and edited["edited"] is not None
    assert deleted == {"type": "deleted", "id": two["id"]}
    assert history["type"] == "history"
    assert [m["id"] for m in history["messages"]] == [four.pk]
    assert history["revision"] > seen["revision"]

    # Up to date: the same cursor again brings nothing more.
    await b.send_json_to({"type": "sync", "after": four.pk, "since": history["revision"]})
    again = await frame_of(b, "history")
    assert again == {"type": "history", "messages": [], "revision": history["revision"]}
    # Without "since" (older clients), sync answers with messages only, as before.
    await b.send_json_to({"type": "sync", "after": 0})
    plain = await frame_of(b, "history")
    assert "revision" not in plain and [m["body"] for m in plain["messages"]] == [
        "Un ter",
        "Trois",
        "Quatre",
    ]
    await b.disconnect()


async def test_an_edit_whose_broadcast_was_lost_is_caught_up_by_the_heartbeat(
    layer, members, rooms, settings
):
    settings.CHAT_HEARTBEAT_SECONDS = 0.2
    elected = members["elected"]
    [message] = await database_sync_to_async(post)(elected, rooms["reseau"], 1, "Avant")
    a, _ = await joined(elected)

    def edit_without_broadcast():
        # As services.edit_message does, when Redis was down at commit time.
        Message.objects.filter(pk=message.pk).update(body="Après")
        MessageChange.objects.create(room=rooms["reseau"], message_id=message.pk)

    await database_sync_to_async(edit_without_broadcast)()
    edited = await frame_of(a, "edited")
    assert (edited["id"], edited["body"]) == (message.pk, "Après")
    assert "revision" not in await frame_of(a, "history")
    await a.disconnect()


async def test_presence_is_announced_only_when_it_changes(layer, members, settings):
    """Heartbeats refresh presence quietly: n sockets would otherwise cost n² frames."""
    settings.CHAT_HEARTBEAT_SECONDS = 0.2
    elected = members["elected"]
    a, _ = await joined(elected)
    assert await a.receive_nothing(timeout=0.8)  # several heartbeats, nothing to say
    # A second tab of the same member changes nothing for the room, but is told who is here.
    b, _ = await joined(elected)
    assert await a.receive_nothing(timeout=0.5)
    await b.disconnect()
    assert await a.receive_nothing(timeout=0.5)
    await a.disconnect()


# ---------------------------------------------------------------------------- refusals


CONNECT_CASES = [
    ("anonymous", "reseau", 4401),
    ("pending", "reseau", 4403),
    ("refused", "reseau", 4403),
    ("elected", "elus", True),
    ("elected", "gerants", 4403),
    ("elected", "reseau", True),
    ("manager", "elus", 4403),
    ("manager", "gerants", True),
    ("manager", "reseau", True),
    ("partner", "elus", 4403),
    ("partner", "gerants", 4403),
    ("partner", "reseau", True),
    ("staff", "elus", True),
    ("staff", "gerants", True),
    ("staff", "reseau", True),
    ("elected", "{direct}", True),
    ("manager", "{direct}", 4403),
    ("staff", "{direct}", 4403),
    ("elected", "pas-de-salon", 4404),
]


async def test_websocket_connect_by_role():
    """Every role × every room (one test: each transactional test flushes the database)."""

    def prepare():
        users = {
            "pending": make_member(Role.ELECTED, status=MembershipStatus.PENDING),
            "refused": make_member(Role.MANAGER, status=MembershipStatus.REFUSED),
            "elected": make_member(Role.ELECTED),
            "manager": make_member(Role.MANAGER),
            "partner": make_member(Role.PARTNER),
            "staff": make_member(Role.STAFF),
        }
        direct = open_direct_conversation(users["elected"], make_member(Role.PARTNER))
        headers = {role: headers_for(users.get(role)) for role in (*users, "anonymous")}
        return headers, direct.slug

    headers, direct = await database_sync_to_async(prepare)()
    for role, slug, expected in CONNECT_CASES:
        communicator = socket(headers[role], slug.replace("{direct}", direct))
        connected, code = await communicator.connect(timeout=TIMEOUT)
        if expected is True:
            assert connected, (role, slug, code)
            frame = await communicator.receive_json_from(timeout=TIMEOUT)
            assert frame["type"] == "history", (role, slug)
        else:
            assert (connected, code) == (False, expected), (role, slug)
        await communicator.disconnect()


async def test_a_foreign_origin_is_refused(members):
    for origin in (b"https://evil.example.com", b"http://localhost.evil.example.com"):
        headers = await database_sync_to_async(headers_for)(members["elected"], origin=origin)
        communicator = socket(headers, "reseau")
        connected, _ = await communicator.connect(timeout=TIMEOUT)
        assert connected is False, origin
        await communicator.disconnect()


# ---------------------------------------------------------------------------- bad input


BAD_FRAMES = [
    ({"type": "message", "body": ""}, "empty", "Le message est vide."),
    ({"type": "message", "body": " \n\t "}, "empty", "Le message est vide."),
    (
        {"type": "message", "body": "a" * 2001},
        "too_long",
        "Le message est trop long : 2001 caractères, 2000 au maximum.",
    ),
    ({"type": "message", "body": 42}, "invalid", "Le message doit être du texte."),
    ({"type": "message"}, "invalid", "Le message doit être du texte."),
    (
        {"type": "message", "body": "nul\x00"},
        "invalid",
        "Le message contient des caractères non autorisés.",
    ),
    ({"type": "edit", "id": "3", "body": "x"}, "invalid", "Identifiant de message invalide."),
    ({"type": "edit", "id": 999999, "body": "x"}, "not_found", None),
    ({"type": "delete", "id": True}, "invalid", "Identifiant de message invalide."),
    ({"type": "sync", "after": -1}, "invalid", None),
    ({"type": "sync", "after": "12"}, "invalid", None),
    (
        {"type": "sync", "after": 1, "since": -1},
        "invalid",
        "« since » doit être un entier ≥ 0.",
    ),
    ({"type": "sync", "after": 1, "since": True}, "invalid", None),
    ({"type": "shout", "body": "x"}, "invalid", None),
    (["message"], "invalid", None),
    ("not json at all", "invalid", "Trame refusée : JSON invalide."),
    ("x" * 20_000, "invalid", "Trame refusée : texte JSON trop long."),
]


async def test_bad_frames_get_a_french_error_and_store_nothing(members):
    a, _ = await joined(members["elected"])
    for frame, code, message in BAD_FRAMES:
        if isinstance(frame, str):
            await a.send_to(text_data=frame)
        else:
            await a.send_json_to(frame)
        error = await frame_of(a, "error")
        assert set(error) == {"type", "code", "message"}
        assert error["code"] == code, frame
        if message:
            assert error["message"] == message
    assert not await database_sync_to_async(Message.objects.exists)()
    # The socket stays usable.
    await a.send_json_to({"type": "message", "body": "Toujours là"})
    assert (await frame_of(a, "message"))["body"] == "Toujours là"
    await a.disconnect()


async def test_rate_limit_per_member(members, settings):
    settings.CHAT_RATE_LIMIT = (3, 60)
    a, _ = await joined(members["elected"])
    for n in range(3):
        await a.send_json_to({"type": "message", "body": f"Message {n}"})
        await frame_of(a, "message")
    await a.send_json_to({"type": "message", "body": "Un de trop"})
    error = await frame_of(a, "error")
    assert error["code"] == "rate_limited"
    assert error["message"].startswith("Vous envoyez trop de messages : 3 au plus")
    assert await database_sync_to_async(Message.objects.count)() == 3
    # The limit is per member: another one still talks.
    b, _ = await joined(members["manager"])
    await b.send_json_to({"type": "message", "body": "Moi je peux"})
    assert (await frame_of(b, "message"))["body"] == "Moi je peux"
    await a.disconnect()
    await b.disconnect()


async def test_nothing_is_broadcast_for_a_rolled_back_message(members, rooms):
    """The broadcast waits for the commit: a write that fails leaves the sockets silent."""
    from django.db import transaction

    from forum.chat.services import post_message

    a, _ = await joined(members["elected"])

    def post_then_fail():
        with transaction.atomic():
            post_message(members["manager"], rooms["reseau"], "Jamais envoyé")
            raise RuntimeError("rollback")

    with pytest.raises(RuntimeError):
        await database_sync_to_async(post_then_fail)()
    assert await a.receive_nothing(timeout=0.5)
    assert not await database_sync_to_async(Message.objects.exists)()
    await a.disconnect()


async def test_disconnect_marks_the_room_read(members):
    from forum.chat.models import ReadMark

    elected, manager = members["elected"], members["manager"]
    a, _ = await joined(elected)
    b, _ = await joined(manager)
    await b.send_json_to({"type": "message", "body": "Lu ?"})
    frame = await frame_of(a, "message")
    await a.disconnect()
    await asyncio.sleep(0.1)
    mark = await database_sync_to_async(ReadMark.objects.get)(user=elected)
    assert mark.last_read_id == frame["id"]
    await b.disconnect()
